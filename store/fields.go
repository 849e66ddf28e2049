package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"helpline/authz"
	"helpline/desk"
)

// Ticket fields: what the desk asks of its tickets besides the intake's own
// (Configuration → Ticket fields), and each ticket's values of them.

// FieldType is the kind of value a ticket field holds.
type FieldType = desk.FieldType

// The types of ticket fields.
const (
	FieldText     = desk.FieldText
	FieldLongText = desk.FieldLongText
	FieldNumber   = desk.FieldNumber
	FieldDate     = desk.FieldDate
	FieldDropdown = desk.FieldDropdown
	FieldCheckbox = desk.FieldCheckbox
)

// TicketField is one field tickets carry.
type TicketField struct {
	ID            int64
	Name          string
	Code          string
	Type          FieldType
	Options       []string // a Dropdown's choices
	Required      bool
	OnContactForm bool
	Position      int
}

// Def is what the field's values are checked against.
func (f TicketField) Def() desk.FieldDef {
	return desk.FieldDef{Type: f.Type, Options: f.Options, Required: f.Required}
}

// TicketFieldInput is what the field form sets. The type is set when the
// field is made and kept: values already given would not fit another.
type TicketFieldInput struct {
	Name          string
	Code          string
	Type          FieldType
	Options       []string
	Required      bool
	OnContactForm bool
}

// Audit actions of ticket fields.
const (
	ActionTicketFieldCreate AuditAction = "ticket_field.create"
	ActionTicketFieldUpdate AuditAction = "ticket_field.update"
	ActionTicketFieldMove   AuditAction = "ticket_field.move"
	ActionTicketFieldRemove AuditAction = "ticket_field.remove"
)

// Events of the thread that record a field's value changing. Name is the
// field's name at the time, so the history reads the same after the field
// is renamed or removed.
const (
	EventFieldSet       Event = "field_set"       // Name: the field; From, To: values ("" none)
	EventFieldCleared   Event = "field_cleared"   // Name: the field; From: the value it had
	EventFieldChecked   Event = "field_checked"   // Name: the field (a Checkbox)
	EventFieldUnchecked Event = "field_unchecked" // Name: the field (a Checkbox)
)

const ticketFieldColumns = `id, name, code, type, options, required, on_contact_form, position`

func scanTicketField(row interface{ Scan(...any) error }) (TicketField, error) {
	var f TicketField
	var options string
	var required, onForm int
	if err := row.Scan(&f.ID, &f.Name, &f.Code, &f.Type, &options, &required, &onForm, &f.Position); err != nil {
		return TicketField{}, err
	}
	f.Options = desk.FieldOptions(options)
	f.Required, f.OnContactForm = required != 0, onForm != 0
	return f, nil
}

// TicketFields lists every field in order. The ticket page and the contact
// form read it on every view, so it is kept until the next commit.
func (s *Store) TicketFields(ctx context.Context) ([]TicketField, error) {
	return remember(&s.mem, memoKey{What: memoTicketFields}, func() ([]TicketField, error) {
		return ticketFields(ctx, s.rd)
	})
}

func ticketFields(ctx context.Context, q querier) ([]TicketField, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+ticketFieldColumns+` FROM ticket_fields ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("store: ticket fields: %w", err)
	}
	defer rows.Close()
	var out []TicketField
	for rows.Next() {
		f, err := scanTicketField(rows)
		if err != nil {
			return nil, fmt.Errorf("store: ticket fields: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// TicketFieldByID returns one field.
func (s *Store) TicketFieldByID(ctx context.Context, id int64) (TicketField, error) {
	f, err := scanTicketField(s.rd.QueryRowContext(ctx, `SELECT `+ticketFieldColumns+` FROM ticket_fields WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return TicketField{}, ErrNotFound
	}
	if err != nil {
		return TicketField{}, fmt.Errorf("store: ticket field %d: %w", id, err)
	}
	return f, nil
}

// TicketFieldUses counts the tickets with a value of the field: one range
// of the values' index, read when a removal asks for confirmation.
func (s *Store) TicketFieldUses(ctx context.Context, id int64) (int, error) {
	var n int
	if err := s.rd.QueryRowContext(ctx, `SELECT count(*) FROM ticket_field_values WHERE field_id = ?`, id).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: uses of ticket field %d: %w", id, err)
	}
	return n, nil
}

// checkFieldInput applies the rules of a field the form cannot: a known
// type and, for a Dropdown, at least one option.
func checkFieldInput(in TicketFieldInput) error {
	switch {
	case !in.Type.Valid():
		return fmt.Errorf("unknown field type %q", in.Type)
	case !desk.ValidFieldCode(in.Code):
		return fmt.Errorf("bad field code %q", in.Code)
	case in.Type == FieldDropdown && len(in.Options) == 0:
		return RuleError{RuleFieldOptions}
	}
	return nil
}

// RuleFieldOptions refuses a Dropdown without options.
const RuleFieldOptions Rule = "field_options"

func fieldOptionsText(in TicketFieldInput) string {
	if in.Type != FieldDropdown {
		return ""
	}
	return strings.Join(in.Options, "\n")
}

// CreateTicketField adds a field at the end of the list; its code must be
// unique in any letter case (ErrConflict{"code"}).
func (s *Store) CreateTicketField(ctx context.Context, actorID int64, in TicketFieldInput) (int64, error) {
	if err := checkFieldInput(in); err != nil {
		return 0, fmt.Errorf("store: create ticket field: %w", err)
	}
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.TicketFieldsManage); err != nil {
			return err
		}
		now := s.nowMs()
		err := tx.QueryRowContext(ctx, `INSERT INTO ticket_fields (name, code, type, options, required, on_contact_form, position, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM ticket_fields), ?, ?)
			RETURNING id`, in.Name, in.Code, string(in.Type), fieldOptionsText(in), boolInt(in.Required), boolInt(in.OnContactForm), now, now).Scan(&id)
		if err != nil {
			return uniqueViolation(err, "code")
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionTicketFieldCreate, TargetType: "ticket_field", TargetID: id,
			Details: in.Name + " (" + in.Code + ")"})
	})
	if err != nil {
		return 0, fmt.Errorf("store: create ticket field: %w", err)
	}
	return id, nil
}

// UpdateTicketField changes a field's name, code, options and flags; its
// type stays what it was made with (in.Type is not read).
func (s *Store) UpdateTicketField(ctx context.Context, actorID, id int64, in TicketFieldInput) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.TicketFieldsManage); err != nil {
			return err
		}
		old, err := scanTicketField(tx.QueryRowContext(ctx, `SELECT `+ticketFieldColumns+` FROM ticket_fields WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		in.Type = old.Type
		if err := checkFieldInput(in); err != nil {
			return err
		}
		now := s.nowMs()
		_, err = tx.ExecContext(ctx, `UPDATE ticket_fields SET name = ?, code = ?, options = ?, required = ?, on_contact_form = ?, updated_at = ? WHERE id = ?`,
			in.Name, in.Code, fieldOptionsText(in), boolInt(in.Required), boolInt(in.OnContactForm), now, id)
		if err != nil {
			return uniqueViolation(err, "code")
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionTicketFieldUpdate, TargetType: "ticket_field", TargetID: id,
			Details: in.Name + " (" + in.Code + ")"})
	})
	if err != nil {
		return fmt.Errorf("store: update ticket field %d: %w", id, err)
	}
	return nil
}

// MoveTicketField swaps a field with the one before it (up) or after it.
// The first field moved up, or the last down, stays.
func (s *Store) MoveTicketField(ctx context.Context, actorID, id int64, up bool) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.TicketFieldsManage); err != nil {
			return err
		}
		fields, err := ticketFields(ctx, tx)
		if err != nil {
			return err
		}
		ids := make([]int64, len(fields))
		for i, f := range fields {
			ids[i] = f.ID
		}
		moved, err := moveInOrder(ids, id, up)
		if err != nil {
			return err
		}
		if err := renumber(ctx, tx, "ticket_fields", moved); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionTicketFieldMove, TargetType: "ticket_field", TargetID: id,
			Details: map[bool]string{true: "up", false: "down"}[up]})
	})
	if err != nil {
		return fmt.Errorf("store: move ticket field %d: %w", id, err)
	}
	return nil
}

// moveInOrder returns ids with id swapped with its neighbour before (up) or
// after it; ErrNotFound when id is not among them.
func moveInOrder(ids []int64, id int64, up bool) ([]int64, error) {
	at := -1
	for i, x := range ids {
		if x == id {
			at = i
		}
	}
	if at < 0 {
		return nil, ErrNotFound
	}
	to := at + 1
	if up {
		to = at - 1
	}
	if to >= 0 && to < len(ids) {
		ids[at], ids[to] = ids[to], ids[at]
	}
	return ids, nil
}

// renumber writes positions 1, 2, … to the rows of table in the order of ids.
func renumber(ctx context.Context, tx *sql.Tx, table string, ids []int64) error {
	for i, id := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET position = ? WHERE id = ?`, i+1, id); err != nil {
			return err
		}
	}
	return nil
}

// RemoveTicketField removes a field and every ticket's value of it. The
// tickets' history keeps the field's name, written into each event.
func (s *Store) RemoveTicketField(ctx context.Context, actorID, id int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.TicketFieldsManage); err != nil {
			return err
		}
		var name string
		var uses int
		err := tx.QueryRowContext(ctx, `SELECT name, (SELECT count(*) FROM ticket_field_values WHERE field_id = ?) FROM ticket_fields WHERE id = ?`, id, id).Scan(&name, &uses)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ticket_field_values WHERE field_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ticket_fields WHERE id = ?`, id); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionTicketFieldRemove, TargetType: "ticket_field", TargetID: id,
			Details: fmt.Sprintf("%s (%d tickets had a value)", name, uses)})
	})
	if err != nil {
		return fmt.Errorf("store: remove ticket field %d: %w", id, err)
	}
	return nil
}

// TicketFieldValues returns a ticket's values by field id.
func (s *Store) TicketFieldValues(ctx context.Context, ticketID int64) (map[int64]string, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT field_id, value FROM ticket_field_values WHERE ticket_id = ?`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("store: field values of ticket %d: %w", ticketID, err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			return nil, fmt.Errorf("store: field values of ticket %d: %w", ticketID, err)
		}
		out[id] = v
	}
	return out, rows.Err()
}

// FieldValueErrors are the problems of values given for fields, by field
// id. Nothing was stored.
type FieldValueErrors map[int64]desk.Problem

func (e FieldValueErrors) Error() string {
	ids := make([]string, 0, len(e))
	for id, p := range e {
		ids = append(ids, strconv.FormatInt(id, 10)+": "+p.MessageID)
	}
	sort.Strings(ids)
	return "bad field values (" + strings.Join(ids, ", ") + ")"
}

// CheckFieldValues checks values given as text (by field id) against
// fields: a field not given counts as empty. It returns the values to
// store, empty ones left out, or the problems.
func CheckFieldValues(fields []TicketField, given map[int64]string) (map[int64]string, error) {
	out := map[int64]string{}
	problems := FieldValueErrors{}
	for _, f := range fields {
		v, p, ok := desk.FieldValue(f.Def(), given[f.ID])
		switch {
		case !ok:
			problems[f.ID] = p
		case v != "":
			out[f.ID] = v
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return out, nil
}

// SetTicketFields saves a ticket's values of every field (one not given is
// emptied), all or none: a bad value is FieldValueErrors and nothing is
// stored. Each change is an event of the ticket's history by the viewer.
func (s *Store) SetTicketFields(ctx context.Context, v authz.Viewer, code string, given map[int64]string) error {
	return s.act(ctx, v, code, "set fields of", func(tx *sql.Tx, t *ticketState, now int64) error {
		fields, err := ticketFields(ctx, tx)
		if err != nil {
			return err
		}
		values, err := CheckFieldValues(fields, given)
		if err != nil {
			return err
		}
		old := map[int64]string{}
		rows, err := tx.QueryContext(ctx, `SELECT field_id, value FROM ticket_field_values WHERE ticket_id = ?`, t.id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var val string
			if err := rows.Scan(&id, &val); err != nil {
				rows.Close()
				return err
			}
			old[id] = val
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		by := author{agentID: v.ID}
		for _, f := range fields {
			from, to := old[f.ID], values[f.ID]
			if from == to {
				continue
			}
			if to == "" {
				_, err = tx.ExecContext(ctx, `DELETE FROM ticket_field_values WHERE ticket_id = ? AND field_id = ?`, t.id, f.ID)
			} else {
				_, err = tx.ExecContext(ctx, `INSERT INTO ticket_field_values (ticket_id, field_id, value) VALUES (?, ?, ?)
					ON CONFLICT (ticket_id, field_id) DO UPDATE SET value = excluded.value`, t.id, f.ID, to)
			}
			if err != nil {
				return fmt.Errorf("field %d of ticket %d: %w", f.ID, t.id, err)
			}
			if err := addMessage(ctx, tx, t.id, by.event(fieldEvent(f, from, to)), now); err != nil {
				return err
			}
		}
		return nil
	})
}

// fieldEvent is the history's entry of a field's value going from one value
// to another.
func fieldEvent(f TicketField, from, to string) (Event, EventDetails) {
	switch {
	case f.Type == FieldCheckbox && to != "":
		return EventFieldChecked, EventDetails{Name: f.Name}
	case f.Type == FieldCheckbox:
		return EventFieldUnchecked, EventDetails{Name: f.Name}
	case to == "":
		return EventFieldCleared, EventDetails{Name: f.Name, From: from}
	}
	return EventFieldSet, EventDetails{Name: f.Name, From: from, To: to}
}

// insertFieldValues writes the values a new ticket arrived with, of fields
// that still exist (one removed meanwhile is left out).
func insertFieldValues(ctx context.Context, tx *sql.Tx, ticketID int64, values map[int64]string) error {
	for id, v := range values {
		if v == "" {
			continue
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO ticket_field_values (ticket_id, field_id, value)
			SELECT ?, id, ? FROM ticket_fields WHERE id = ?`, ticketID, v, id)
		if err != nil {
			return fmt.Errorf("field %d of ticket %d: %w", id, ticketID, err)
		}
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
