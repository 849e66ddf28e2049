package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"helpline/authz"
)

// Events of Edit ticket: each change is one entry of the history, by the
// agent who made it.
const (
	EventSubjectChanged   Event = "subject_changed"   // From, To: the subjects
	EventPriorityChanged  Event = "priority_changed"  // From, To: priorities as numbers
	EventRequesterChanged Event = "requester_changed" // From, To: "Name <email>" of the contacts
)

// RuleRequesterNotVisible: the requester is a contact the agent may see
// (one of a ticket in their departments), so a picker cannot be used to
// learn which addresses the desk knows.
const RuleRequesterNotVisible Rule = "requester_not_visible"

// TicketEdit is what Edit ticket changes. The caller has checked the
// subject's text and the priority's range (desk's intake rules).
type TicketEdit struct {
	Subject        string
	Priority       Priority
	RequesterEmail string
}

// EditTicket changes a ticket's subject, priority and requester, all or
// nothing; only what differs is written and recorded.
func (s *Store) EditTicket(ctx context.Context, v authz.Viewer, code string, in TicketEdit) error {
	return s.act(ctx, v, code, "edit", func(tx *sql.Tx, t *ticketState, now int64) error {
		by := author{agentID: v.ID}
		var subject string
		if err := tx.QueryRowContext(ctx, `SELECT subject FROM tickets WHERE id = ?`, t.id).Scan(&subject); err != nil {
			return err
		}
		contactID, err := s.visibleContact(ctx, tx, v, NormalizeEmail(in.RequesterEmail))
		if err != nil {
			return err
		}
		if in.Subject != subject {
			if _, err := tx.ExecContext(ctx, `UPDATE tickets SET subject = ? WHERE id = ?`, in.Subject, t.id); err != nil {
				return err
			}
			if err := addMessage(ctx, tx, t.id, by.event(EventSubjectChanged, EventDetails{From: subject, To: in.Subject}), now); err != nil {
				return err
			}
			if err := s.reindexTicket(ctx, tx, t.id); err != nil {
				return err
			}
		}
		if in.Priority != t.priority {
			if _, err := tx.ExecContext(ctx, `UPDATE tickets SET priority = ?, sort_key = ? WHERE id = ?`,
				in.Priority, sortKey(t.status, in.Priority, t.createdAt), t.id); err != nil {
				return err
			}
			d := EventDetails{From: strconv.Itoa(int(t.priority)), To: strconv.Itoa(int(in.Priority))}
			if err := addMessage(ctx, tx, t.id, by.event(EventPriorityChanged, d), now); err != nil {
				return err
			}
			t.priority = in.Priority
		}
		if contactID != t.contactID {
			from, err := contactLabel(ctx, tx, t.contactID)
			if err != nil {
				return err
			}
			to, err := contactLabel(ctx, tx, contactID)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE tickets SET contact_id = ? WHERE id = ?`, contactID, t.id); err != nil {
				return err
			}
			if err := s.reindexRefs(ctx, tx, t.id); err != nil {
				return err
			}
			if err := addMessage(ctx, tx, t.id, by.event(EventRequesterChanged, EventDetails{From: from, To: to}), now); err != nil {
				return err
			}
			t.contactID = contactID
		}
		return nil
	})
}

// visibleContact finds the contact with that email among those the viewer
// may see: every contact with tickets:read_all, else the requesters of
// tickets in their departments.
func (s *Store) visibleContact(ctx context.Context, q querier, v authz.Viewer, email string) (int64, error) {
	scope, args := scopeSQL(v)
	var id int64
	err := q.QueryRowContext(ctx, `SELECT c.id FROM contacts c
		WHERE (c.email = ? OR c.id = (SELECT contact_id FROM contact_emails WHERE email = ?))
		AND EXISTS (SELECT 1 FROM tickets t WHERE t.contact_id = c.id AND `+scope+`)`, append([]any{email, email}, args...)...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, RuleError{RuleRequesterNotVisible}
	}
	return id, err
}

// VisibleContactByEmail finds the contact with that email, first or
// other, among those the viewer may see (ErrNotFound otherwise).
func (s *Store) VisibleContactByEmail(ctx context.Context, v authz.Viewer, email string) (int64, error) {
	id, err := s.visibleContact(ctx, s.rd, v, NormalizeEmail(email))
	if IsRule(err, RuleRequesterNotVisible) {
		return 0, ErrNotFound
	}
	return id, err
}

// contactLabel is a contact as the history names it: "Name <email>".
func contactLabel(ctx context.Context, q querier, id int64) (string, error) {
	var name, email string
	if err := q.QueryRowContext(ctx, `SELECT name, email FROM contacts WHERE id = ?`, id).Scan(&name, &email); err != nil {
		return "", fmt.Errorf("contact %d: %w", id, err)
	}
	return name + " <" + email + ">", nil
}

// reindexTicket writes a ticket's search document again from its subject
// and messages, as the messages' trigger does (migrations 0005 and 0007).
func (s *Store) reindexTicket(ctx context.Context, tx *sql.Tx, id int64) error {
	q := `INSERT OR REPLACE INTO ticket_search (rowid, subject, body)
		SELECT t.id, t.subject, coalesce((SELECT group_concat(m.body, char(10)) FROM messages m WHERE m.ticket_id = t.id AND m.kind <> 'event'), '')
		FROM tickets t WHERE t.id = ?`
	if s.pg {
		q = `INSERT INTO ticket_search (rowid, doc)
			SELECT t.id, to_tsvector('helpline', search_text(t.subject || ' ' ||
				coalesce((SELECT string_agg(m.body, ' ' ORDER BY m.id) FROM messages m
				          WHERE m.ticket_id = t.id AND m.kind <> 'event'), '')))
			FROM tickets t WHERE t.id = ?
			ON CONFLICT (rowid) DO UPDATE SET doc = excluded.doc`
	}
	if _, err := tx.ExecContext(ctx, q, id); err != nil {
		return fmt.Errorf("search document of ticket %d: %w", id, err)
	}
	return nil
}

// reindexRefs writes the document of a ticket's code and requester again.
func (s *Store) reindexRefs(ctx context.Context, tx *sql.Tx, id int64) error {
	q := `INSERT OR REPLACE INTO ticket_refs (rowid, code, requester)
		SELECT t.id, t.code, c.name || ' ' || c.email FROM tickets t JOIN contacts c ON c.id = t.contact_id WHERE t.id = ?`
	if s.pg {
		q = `INSERT INTO ticket_refs (rowid, doc)
			SELECT t.id, to_tsvector('helpline', search_text(t.code || ' ' || c.name || ' ' || c.email))
			FROM tickets t JOIN contacts c ON c.id = t.contact_id WHERE t.id = ?
			ON CONFLICT (rowid) DO UPDATE SET doc = excluded.doc`
	}
	if _, err := tx.ExecContext(ctx, q, id); err != nil {
		return fmt.Errorf("requester document of ticket %d: %w", id, err)
	}
	return nil
}
