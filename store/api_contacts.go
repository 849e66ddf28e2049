package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"helpline/authz"
)

// Contacts as the API reads and writes them. An agent sees the contacts
// who wrote to their departments (one ticket in scope is enough); holding
// tickets:read_all, every contact. Others answer ErrNotFound, as tickets
// out of scope do.

// ScopedContact is a contact with when they first wrote in.
type ScopedContact struct {
	Contact
	CreatedAt time.Time
}

// ActionContactAdd and ActionContactEdit are the audit entries of
// contacts changed by agents.
const (
	ActionContactAdd  AuditAction = "contact.add"
	ActionContactEdit AuditAction = "contact.edit"
)

// contactScopeSQL limits contacts aliased c to the viewer's.
func contactScopeSQL(v authz.Viewer) (string, []any) {
	if v.Can(authz.TicketsReadAll) {
		return "TRUE", nil
	}
	scope, args := scopeSQL(v)
	return `EXISTS (SELECT 1 FROM tickets t WHERE t.contact_id = c.id AND ` + scope + `)`, args
}

// Contacts lists the viewer's contacts by id, newest first, limit after
// the contact afterID (0: from the newest); search matches part of a name
// or email. next is the cursor of the next page (0 on the last).
func (s *Store) ContactsInScope(ctx context.Context, v authz.Viewer, search string, afterID int64, limit int) (rows []ScopedContact, next int64, err error) {
	scope, args := contactScopeSQL(v)
	q := `SELECT c.id, c.name, c.email, c.created_at FROM contacts c WHERE ` + scope
	if afterID > 0 {
		q += ` AND c.id < ?`
		args = append(args, afterID)
	}
	if search = strings.TrimSpace(search); search != "" {
		q += ` AND (lower(c.name) LIKE ? OR c.email LIKE ?)`
		like := "%" + strings.NewReplacer("%", "", "_", "").Replace(strings.ToLower(search)) + "%"
		args = append(args, like, like)
	}
	q += ` ORDER BY c.id DESC LIMIT ?`
	args = append(args, limit+1)
	r, err := s.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: contacts: %w", err)
	}
	defer r.Close()
	for r.Next() {
		var c ScopedContact
		var created int64
		if err := r.Scan(&c.ID, &c.Name, &c.Email, &created); err != nil {
			return nil, 0, fmt.Errorf("store: contacts: %w", err)
		}
		c.CreatedAt = msToTime(created)
		rows = append(rows, c)
	}
	if err := r.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: contacts: %w", err)
	}
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	return rows, next, nil
}

// ContactInScope returns a contact of the viewer's.
func (s *Store) ContactInScope(ctx context.Context, v authz.Viewer, id int64) (ScopedContact, error) {
	return contactInScope(ctx, s.rd, v, id)
}

func contactInScope(ctx context.Context, q querier, v authz.Viewer, id int64) (ScopedContact, error) {
	scope, args := contactScopeSQL(v)
	var c ScopedContact
	var created int64
	err := q.QueryRowContext(ctx, `SELECT c.id, c.name, c.email, c.created_at FROM contacts c WHERE c.id = ? AND `+scope,
		append([]any{id}, args...)...).Scan(&c.ID, &c.Name, &c.Email, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return ScopedContact{}, ErrNotFound
	}
	if err != nil {
		return ScopedContact{}, fmt.Errorf("store: contact %d: %w", id, err)
	}
	c.CreatedAt = msToTime(created)
	return c, nil
}

// ContactTicketsInScope lists the contact's tickets the viewer may see, newest
// first, at most limit.
func (s *Store) ContactTicketsInScope(ctx context.Context, v authz.Viewer, contactID int64, limit int) ([]Ticket, error) {
	scope, args := scopeSQL(v)
	r, err := s.rd.QueryContext(ctx, `SELECT `+ticketColumns+ticketJoins+` WHERE t.contact_id = ? AND `+scope+` ORDER BY t.id DESC LIMIT ?`,
		append(append([]any{contactID}, args...), limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: tickets of contact %d: %w", contactID, err)
	}
	defer r.Close()
	var out []Ticket
	var ids []int64
	for r.Next() {
		t, err := scanTicket(r)
		if err != nil {
			return nil, fmt.Errorf("store: tickets of contact %d: %w", contactID, err)
		}
		out = append(out, t)
		ids = append(ids, t.ID)
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	tags, err := s.tagsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Tags = tags[out[i].ID]
	}
	return out, nil
}

// AddContact adds a contact; an email another contact has is
// ErrConflict{"email"}.
func (s *Store) AddContact(ctx context.Context, actorID int64, name, email, ip string) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.nowMs()
		if err := tx.QueryRowContext(ctx, `INSERT INTO contacts (name, email, created_at) VALUES (?, ?, ?) RETURNING id`,
			name, NormalizeEmail(email), now).Scan(&id); err != nil {
			return uniqueViolation(err, "email")
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionContactAdd, TargetType: "contact", TargetID: id,
			Details: fmt.Sprintf("%s <%s>", name, NormalizeEmail(email)), IP: ip})
	})
	if err != nil {
		return 0, fmt.Errorf("store: create contact: %w", err)
	}
	return id, nil
}

// EditContact renames a contact of the viewer's or changes their email.
func (s *Store) EditContact(ctx context.Context, v authz.Viewer, id int64, name, email, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := contactInScope(ctx, tx, v, id); err != nil {
			return err
		}
		now := s.nowMs()
		if _, err := tx.ExecContext(ctx, `UPDATE contacts SET name = ?, email = ? WHERE id = ?`, name, NormalizeEmail(email), id); err != nil {
			return uniqueViolation(err, "email")
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: v.ID, Action: ActionContactEdit, TargetType: "contact", TargetID: id,
			Details: fmt.Sprintf("%s <%s>", name, NormalizeEmail(email)), IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: update contact %d: %w", id, err)
	}
	return nil
}
