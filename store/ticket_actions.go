package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"helpline/authz"
	"strings"
	"time"
)

// Refusals of ticket actions.
const (
	RuleAssigneeNotMember Rule = "assignee_not_member" // tickets go only to agents of their department
	RuleSameDepartment    Rule = "same_department"     // a transfer must go to another department
	RulePostponeInPast    Rule = "postpone_in_past"    // a ticket is postponed to a time still to come
	RuleStatusNotSettable Rule = "status_not_settable" // this status follows from events, not from a button
	RuleTicketDeleted     Rule = "ticket_deleted"      // a deleted ticket takes no replies or notes until reopened
)

// SettableStatuses are the statuses an agent sets directly (Reopen is Open).
// New, Answered and Postponed follow from arrival, replies and Postpone.
var SettableStatuses = []TicketStatus{TicketOpen, TicketResolved, TicketSpam, TicketDeleted}

func settable(st TicketStatus) bool {
	for _, v := range SettableStatuses {
		if v == st {
			return true
		}
	}
	return false
}

// ticketState is what an action reads before it changes a ticket.
type ticketState struct {
	id            int64
	status        TicketStatus
	priority      Priority
	departmentID  int64
	assigneeID    int64
	contactID     int64
	createdAt     int64
	postponedFrom TicketStatus
}

const stateColumns = `t.id, t.status, t.priority, t.department_id, coalesce(t.assignee_id, 0), t.contact_id, t.created_at, t.postponed_from`

func scanState(row *sql.Row) (ticketState, error) {
	var t ticketState
	err := row.Scan(&t.id, &t.status, &t.priority, &t.departmentID, &t.assigneeID, &t.contactID, &t.createdAt, &t.postponedFrom)
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	return t, err
}

// lockTicket reads a ticket the viewer may touch, inside the write
// transaction (a merged ticket is a pointer and takes no actions); on PostgreSQL it locks the row until the commit, so two
// instances changing one ticket take turns.
func (s *Store) lockTicket(ctx context.Context, tx *sql.Tx, v authz.Viewer, code string) (ticketState, error) {
	scope, args := scopeSQL(v)
	return scanState(tx.QueryRowContext(ctx, `SELECT `+stateColumns+` FROM tickets t WHERE t.code = ? AND t.merged_into IS NULL AND `+scope+s.forUpdate(false),
		append([]any{code}, args...)...))
}

// forUpdate is the clause that locks the rows a write transaction reads
// before it changes them: nothing on SQLite, whose one writer holds the
// whole database; FOR UPDATE on PostgreSQL, with SKIP LOCKED for work any
// instance may take (rows another instance is working on are left to it).
func (s *Store) forUpdate(skipLocked bool) string {
	switch {
	case !s.pg:
		return ""
	case skipLocked:
		return " FOR UPDATE OF t SKIP LOCKED"
	}
	return " FOR UPDATE OF t"
}

// act runs fn on one ticket in the viewer's scope and records the viewer as
// the last to change it.
func (s *Store) act(ctx context.Context, v authz.Viewer, code, what string, fn func(tx *sql.Tx, t *ticketState, now int64) error) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		t, err := s.lockTicket(ctx, tx, v, code)
		if err != nil {
			return err
		}
		now := s.nowMs()
		if err := fn(tx, &t, now); err != nil {
			return err
		}
		return touch(ctx, tx, t.id, v.ID, now)
	})
	if err != nil {
		return fmt.Errorf("store: %s ticket %s: %w", what, code, err)
	}
	return nil
}

// touch records who changed a ticket last (0: the customer) and when.
func touch(ctx context.Context, tx *sql.Tx, ticketID, actorID, now int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE tickets SET updated_at = ?, updated_by = ? WHERE id = ?`, now, nullID(actorID), ticketID)
	return err
}

// author is who made a change: an agent, the contact, or neither (the system).
type author struct {
	agentID, contactID int64
	ruleName           string // a rule's changes have neither
}

func (a author) event(e Event, d EventDetails) message {
	return message{kind: KindEvent, agentID: a.agentID, contactID: a.contactID, event: e, details: d, ruleName: a.ruleName}
}

// setStatus moves a ticket to status to and records the event. Postponing
// takes until (ms) and remembers whether the ticket was New.
func setStatus(ctx context.Context, tx *sql.Tx, t *ticketState, to TicketStatus, until int64, by author, now int64) error {
	if t.status == to && to != TicketPostponed {
		return nil
	}
	var untilArg any
	from := TicketStatus("")
	if to == TicketPostponed {
		untilArg = until
		from = TicketOpen
		switch {
		case t.status == TicketNew:
			from = TicketNew
		case t.status == TicketPostponed:
			from = t.postponedFrom
		}
	}
	_, err := tx.ExecContext(ctx, `UPDATE tickets SET status = ?, sort_key = ?, postponed_until = ?, postponed_from = ?,
			status_changed_at = CASE WHEN status <> ? THEN ? ELSE status_changed_at END WHERE id = ?`,
		to, sortKey(to, t.priority, t.createdAt), untilArg, from, to, now, t.id)
	if err != nil {
		return fmt.Errorf("set status of ticket %d: %w", t.id, err)
	}
	ev := by.event(EventStatus, EventDetails{From: string(t.status), To: string(to)})
	if to == TicketPostponed {
		ev = by.event(EventPostponed, EventDetails{From: string(t.status), To: string(to), Until: until})
	}
	if err := slaOnStatus(ctx, tx, t.id, t.status, to, by, now); err != nil {
		return err
	}
	t.status, t.postponedFrom = to, from
	return addMessage(ctx, tx, t.id, ev, now)
}

// Reply adds an agent's answer to the customer; the ticket becomes Answered.
func (s *Store) Reply(ctx context.Context, v authz.Viewer, code, body string) error {
	return s.ReplyWith(ctx, v, code, body, nil)
}

// AddNote adds an internal note, never shown to the customer.
func (s *Store) AddNote(ctx context.Context, v authz.Viewer, code, body string) error {
	return s.act(ctx, v, code, "add note to", func(tx *sql.Tx, t *ticketState, now int64) error {
		if t.status == TicketDeleted {
			return RuleError{RuleTicketDeleted}
		}
		body := body // masked afresh if the write runs again
		if err := s.maskText(ctx, tx, &body); err != nil {
			return err
		}
		if err := addMessage(ctx, tx, t.id, message{kind: KindNote, agentID: v.ID, body: body}, now); err != nil {
			return err
		}
		return notifyMentions(ctx, tx, t.id, v.ID, body, now)
	})
}

// unscoped sees every ticket: for what arrives from outside, not from an agent.
var unscoped = authz.Viewer{Perms: authz.SetOf(authz.TicketsReadAll)}

// CustomerReply adds the customer's message: an Answered, Postponed or
// Resolved ticket opens again. It is not scoped: it arrives from outside.
func (s *Store) CustomerReply(ctx context.Context, code, body string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		t, err := s.lockTicket(ctx, tx, unscoped, code)
		if err != nil {
			return err
		}
		now := s.nowMs()
		by := author{contactID: t.contactID}
		body := body // masked afresh if the write runs again
		if err := s.maskText(ctx, tx, &body); err != nil {
			return err
		}
		if err := addMessage(ctx, tx, t.id, message{kind: KindCustomer, contactID: t.contactID, body: body}, now); err != nil {
			return err
		}
		switch t.status {
		case TicketAnswered, TicketPostponed, TicketResolved:
			if err := setStatus(ctx, tx, &t, TicketOpen, 0, by, now); err != nil {
				return err
			}
		}
		return touch(ctx, tx, t.id, 0, now)
	})
	if err != nil {
		return fmt.Errorf("store: customer reply to ticket %s: %w", code, err)
	}
	return nil
}

// SetStatus sets one of the SettableStatuses (Resolve, Mark as spam, Delete,
// Reopen).
func (s *Store) SetStatus(ctx context.Context, v authz.Viewer, code string, to TicketStatus) error {
	if !settable(to) {
		return fmt.Errorf("store: set status %s: %w", to, RuleError{RuleStatusNotSettable})
	}
	return s.act(ctx, v, code, "set status of", func(tx *sql.Tx, t *ticketState, now int64) error {
		return setStatus(ctx, tx, t, to, 0, author{agentID: v.ID}, now)
	})
}

// Postpone puts a ticket aside until a time still to come; ReturnPostponed
// brings it back then.
func (s *Store) Postpone(ctx context.Context, v authz.Viewer, code string, until time.Time) error {
	return s.act(ctx, v, code, "postpone", func(tx *sql.Tx, t *ticketState, now int64) error {
		if until.UnixMilli() <= now {
			return RuleError{RulePostponeInPast}
		}
		return setStatus(ctx, tx, t, TicketPostponed, until.UnixMilli(), author{agentID: v.ID}, now)
	})
}

// Assign gives a ticket to an agent of its department (agentID 0 unassigns).
func (s *Store) Assign(ctx context.Context, v authz.Viewer, code string, agentID int64) error {
	return s.act(ctx, v, code, "assign", func(tx *sql.Tx, t *ticketState, now int64) error {
		return assign(ctx, tx, t, agentID, author{agentID: v.ID}, now)
	})
}

func assign(ctx context.Context, tx *sql.Tx, t *ticketState, agentID int64, by author, now int64) error {
	if t.assigneeID == agentID {
		return nil
	}
	name := ""
	if agentID != 0 {
		err := tx.QueryRowContext(ctx, `SELECT a.name FROM agents a
			JOIN department_members m ON m.agent_id = a.id AND m.department_id = ? AND m.tickets = 1
			WHERE a.id = ? AND a.removed_at IS NULL AND a.status = 'active'`, t.departmentID, agentID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return RuleError{RuleAssigneeNotMember}
		}
		if err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tickets SET assignee_id = ? WHERE id = ?`, nullID(agentID), t.id); err != nil {
		return fmt.Errorf("assign ticket %d: %w", t.id, err)
	}
	t.assigneeID = agentID
	if err := addMessage(ctx, tx, t.id, by.event(EventAssigned, EventDetails{Name: name}), now); err != nil {
		return err
	}
	// After the event, which an email of the notification is about.
	if agentID != 0 && agentID != by.agentID {
		return notify(ctx, tx, agentID, t.id, NotifyAssigned, by.agentID, now)
	}
	return nil
}

// Transfer moves a ticket to another department; its assignee is cleared
// (they may not work there), and the history names whom it cleared.
func (s *Store) Transfer(ctx context.Context, v authz.Viewer, code string, departmentID int64) error {
	return s.act(ctx, v, code, "transfer", func(tx *sql.Tx, t *ticketState, now int64) error {
		return transfer(ctx, tx, t, departmentID, author{agentID: v.ID}, now)
	})
}

func transfer(ctx context.Context, tx *sql.Tx, t *ticketState, departmentID int64, by author, now int64) error {
	if departmentID == t.departmentID {
		return RuleError{RuleSameDepartment}
	}
	var from, to, cleared string
	err := tx.QueryRowContext(ctx, `SELECT (SELECT name FROM departments WHERE id = ?), name,
			coalesce((SELECT name FROM agents WHERE id = ?), '') FROM departments WHERE id = ?`,
		t.departmentID, t.assigneeID, departmentID).Scan(&from, &to, &cleared)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tickets SET department_id = ?, assignee_id = NULL WHERE id = ?`, departmentID, t.id); err != nil {
		return err
	}
	t.departmentID, t.assigneeID = departmentID, 0
	return addMessage(ctx, tx, t.id, by.event(EventTransferred, EventDetails{From: from, To: to, Name: cleared}), now)
}

// NormalizeTag is how tags are stored: trimmed, lower case, inner spaces folded.
func NormalizeTag(tag string) string { return strings.ToLower(strings.Join(strings.Fields(tag), " ")) }

// AddTag tags a ticket (a tag it has already changes nothing).
func (s *Store) AddTag(ctx context.Context, v authz.Viewer, code, tag string) error {
	return s.act(ctx, v, code, "tag", func(tx *sql.Tx, t *ticketState, now int64) error {
		return addTag(ctx, tx, t.id, NormalizeTag(tag), author{agentID: v.ID}, now)
	})
}

func addTag(ctx context.Context, tx *sql.Tx, ticketID int64, tag string, by author, now int64) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO ticket_tags (ticket_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING`, ticketID, tag)
	if err != nil {
		return fmt.Errorf("tag ticket %d: %w", ticketID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return addMessage(ctx, tx, ticketID, by.event(EventTagAdded, EventDetails{Name: tag}), now)
}

// RemoveTag takes a tag off a ticket.
func (s *Store) RemoveTag(ctx context.Context, v authz.Viewer, code, tag string) error {
	return s.act(ctx, v, code, "untag", func(tx *sql.Tx, t *ticketState, now int64) error {
		tag = NormalizeTag(tag)
		res, err := tx.ExecContext(ctx, `DELETE FROM ticket_tags WHERE ticket_id = ? AND tag = ?`, t.id, tag)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return addMessage(ctx, tx, t.id, author{agentID: v.ID}.event(EventTagRemoved, EventDetails{Name: tag}), now)
	})
}

// BulkAction is one change applied to many selected tickets.
type BulkAction struct {
	AssignTo int64        // assign to this agent (when non-zero)
	Status   TicketStatus // set this status (one of SettableStatuses)
	Tag      string       // add this tag
}

// BulkResult says what a bulk action did.
type BulkResult struct {
	Changed int
	// NotTaken are the selected tickets the assignee could not take: they
	// do not work tickets in the ticket's department.
	NotTaken []BulkRefusal
}

// BulkRefusal is a selected ticket a bulk action left as it was, and the
// department that was why.
type BulkRefusal struct {
	Code       string
	Department string
}

// Bulk applies an action to the tickets with the given codes that the viewer
// may see; others are left alone, as if they did not exist. Tickets whose
// department the assignee does not work in are left too, and listed.
func (s *Store) Bulk(ctx context.Context, v authz.Viewer, codes []string, a BulkAction) (BulkResult, error) {
	if a.Status != "" && !settable(a.Status) {
		return BulkResult{}, fmt.Errorf("store: bulk status %s: %w", a.Status, RuleError{RuleStatusNotSettable})
	}
	tag := NormalizeTag(a.Tag)
	var res BulkResult
	err := s.write(ctx, func(tx *sql.Tx) error {
		res = BulkResult{}
		now := s.nowMs()
		by := author{agentID: v.ID}
		for _, code := range codes {
			t, err := s.lockTicket(ctx, tx, v, code)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			switch {
			case a.AssignTo != 0:
				err = assign(ctx, tx, &t, a.AssignTo, by, now)
				if IsRule(err, RuleAssigneeNotMember) {
					r := BulkRefusal{Code: code}
					if err := tx.QueryRowContext(ctx, `SELECT name FROM departments WHERE id = ?`, t.departmentID).Scan(&r.Department); err != nil {
						return err
					}
					res.NotTaken = append(res.NotTaken, r)
					continue
				}
			case a.Status != "":
				err = setStatus(ctx, tx, &t, a.Status, 0, by, now)
			case tag != "":
				err = addTag(ctx, tx, t.id, tag, by, now)
			}
			if err != nil {
				return err
			}
			if err := touch(ctx, tx, t.id, v.ID, now); err != nil {
				return err
			}
			res.Changed++
		}
		return nil
	})
	if err != nil {
		return BulkResult{}, fmt.Errorf("store: bulk action on %d tickets: %w", len(codes), err)
	}
	return res, nil
}

// postponedDueSQL asks whether any postponed ticket's time has come; it
// reads one entry of the tickets_postponed index at most.
const postponedDueSQL = `SELECT EXISTS (SELECT 1 FROM tickets t INDEXED BY tickets_postponed
	WHERE t.status = 'postponed' AND t.postponed_until <= ?)`

// ReturnPostponed brings back every postponed ticket whose time has come: to
// New if it was New, else to Open. It returns how many came back.
//
// It runs every few seconds whether or not anything is due, so it asks on
// the reader first and opens a write transaction only when there is work:
// every commit moves the generation on and empties every kept page.
func (s *Store) ReturnPostponed(ctx context.Context) (int, error) {
	var due bool
	if err := s.rd.QueryRowContext(ctx, postponedDueSQL, s.nowMs()).Scan(&due); err != nil {
		return 0, fmt.Errorf("store: any postponed ticket due: %w", err)
	}
	if !due {
		return 0, nil
	}
	n := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		n = 0
		now := s.nowMs()
		rows, err := tx.QueryContext(ctx, `SELECT `+stateColumns+` FROM tickets t INDEXED BY tickets_postponed
			WHERE t.status = 'postponed' AND t.postponed_until <= ? ORDER BY t.postponed_until LIMIT 1000`+s.forUpdate(true), now)
		if err != nil {
			return err
		}
		var due []ticketState
		for rows.Next() {
			var t ticketState
			if err := rows.Scan(&t.id, &t.status, &t.priority, &t.departmentID, &t.assigneeID, &t.contactID, &t.createdAt, &t.postponedFrom); err != nil {
				rows.Close()
				return err
			}
			due = append(due, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range due {
			to := TicketOpen
			if due[i].postponedFrom == TicketNew {
				to = TicketNew
			}
			// The system acts here: the event has no author, and the
			// ticket keeps its last human change.
			if err := setStatus(ctx, tx, &due[i], to, 0, author{}, now); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: return postponed tickets: %w", err)
	}
	return n, nil
}

// unassignOpenTickets leaves a removed agent's unfinished tickets unassigned
// in their departments (SPEC §1 rule 7), recording the change on each. It
// runs inside the removal's transaction.
func unassignOpenTickets(ctx context.Context, tx *sql.Tx, agentID, actorID int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+stateColumns+` FROM tickets t
		WHERE t.assignee_id = ? AND t.status IN ('new', 'open', 'answered', 'postponed')`, agentID)
	if err != nil {
		return fmt.Errorf("store: open tickets of agent %d: %w", agentID, err)
	}
	var open []ticketState
	for rows.Next() {
		var t ticketState
		if err := rows.Scan(&t.id, &t.status, &t.priority, &t.departmentID, &t.assigneeID, &t.contactID, &t.createdAt, &t.postponedFrom); err != nil {
			rows.Close()
			return err
		}
		open = append(open, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	now := time.Now().UnixMilli()
	for i := range open {
		if err := assign(ctx, tx, &open[i], 0, author{agentID: actorID}, now); err != nil {
			return fmt.Errorf("store: unassign ticket %d: %w", open[i].id, err)
		}
		if err := touch(ctx, tx, open[i].id, actorID, now); err != nil {
			return err
		}
	}
	return nil
}
