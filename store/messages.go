package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// MessageKind tells customer messages, replies, notes and events apart.
type MessageKind string

const (
	KindCustomer MessageKind = "customer"
	KindReply    MessageKind = "reply"
	KindNote     MessageKind = "note"
	KindEvent    MessageKind = "event"
)

// Event names what a system event in the thread records.
type Event string

const (
	EventCreated     Event = "created"     // To: channel
	EventStatus      Event = "status"      // From, To: statuses
	EventAssigned    Event = "assigned"    // Name: the assignee, "" when unassigned
	EventTransferred Event = "transferred" // From, To: department names; Name: the assignee it cleared, if any
	EventPostponed   Event = "postponed"   // Until
	EventTagAdded    Event = "tag_added"   // Name: the tag
	EventTagRemoved  Event = "tag_removed" // Name: the tag
)

// EventDetails are the facts of an event, names as they were at the time.
type EventDetails struct {
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
	Name  string `json:"name,omitempty"`
	Until int64  `json:"until,omitempty"`
	// Rule is the rule that made the entry, of any kind ("by rule NAME"),
	// its name as it was then; empty for people's.
	Rule string `json:"rule,omitempty"`
}

// UntilTime is Until as a time.
func (d EventDetails) UntilTime() time.Time { return msToTime(d.Until) }

// Message is one entry of a ticket's thread.
type Message struct {
	ID   int64
	Kind MessageKind
	// AuthorName is the agent (marked when removed) or the contact; empty
	// for events the system made on its own.
	AuthorName string
	ByContact  bool
	// RuleName is the rule that made the entry ("by rule NAME"), else "".
	RuleName  string
	Body      string
	Event     Event
	Details   EventDetails
	CreatedAt time.Time
	// Attachments are its files, when the caller asked for them
	// (WithAttachments).
	Attachments []Attachment
}

// message is a thread entry to write.
type message struct {
	kind      MessageKind
	agentID   int64
	contactID int64
	body      string
	event     Event
	details   EventDetails
	// first marks a ticket's first message, which ticket.created tells
	// of rather than message.added.
	first bool
	// ruleName is the rule that made the entry, "" for people.
	ruleName string
}

// addMessage appends to a ticket's thread. Messages other than events count
// and update the queue's preview; the search index follows by trigger, and
// the webhooks' events are written with it.
func addMessage(ctx context.Context, tx *sql.Tx, ticketID int64, m message, now int64) error {
	details := ""
	if m.kind == KindEvent || m.ruleName != "" {
		m.details.Rule = m.ruleName
		b, err := json.Marshal(m.details)
		if err != nil {
			return err
		}
		details = string(b)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO messages (ticket_id, kind, agent_id, contact_id, body, event, details, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, ticketID, m.kind, nullID(m.agentID), nullID(m.contactID), m.body, m.event, details, now)
	if err != nil {
		return fmt.Errorf("add %s to ticket %d: %w", m.kind, ticketID, err)
	}
	if m.kind == KindCustomer {
		// The customer answered: the assignee, if any, is told.
		if err := notifyAssignee(ctx, tx, ticketID, now); err != nil {
			return err
		}
	}
	switch m.kind {
	case KindCustomer, KindReply:
		_, err = tx.ExecContext(ctx, `UPDATE tickets SET message_count = message_count + 1, preview = ? WHERE id = ?`, preview(m.body), ticketID)
	case KindNote:
		_, err = tx.ExecContext(ctx, `UPDATE tickets SET message_count = message_count + 1 WHERE id = ?`, ticketID)
	}
	if err != nil {
		return fmt.Errorf("count message of ticket %d: %w", ticketID, err)
	}
	if tr, ok := triggerOf(m); ok {
		noteTrigger(tx, ticketID, tr)
	}
	return queueHookForMessage(ctx, tx, ticketID, m, now)
}

// Thread returns a ticket's messages and events, oldest first (by time:
// the threads of merged tickets interleave). The caller
// has found the ticket through TicketByCode, which applies the scope.
func (s *Store) Thread(ctx context.Context, ticketID int64) ([]Message, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT m.id, m.kind, coalesce(a.name, c.name, ''), a.removed_at IS NOT NULL,
			m.agent_id IS NULL AND m.contact_id IS NOT NULL, m.body, m.event, m.details, m.created_at
		FROM messages m
		LEFT JOIN agents a ON a.id = m.agent_id
		LEFT JOIN contacts c ON c.id = m.contact_id
		WHERE m.ticket_id = `+intArg+` ORDER BY m.created_at, m.id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("store: thread of ticket %d: %w", ticketID, err)
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		var m Message
		var removed bool
		var details string
		var created int64
		if err := rows.Scan(&m.ID, &m.Kind, &m.AuthorName, &removed, &m.ByContact, &m.Body, &m.Event, &details, &created); err != nil {
			return nil, fmt.Errorf("store: thread of ticket %d: %w", ticketID, err)
		}
		if removed {
			m.AuthorName += removedMark
		}
		if details != "" {
			if err := json.Unmarshal([]byte(details), &m.Details); err != nil {
				return nil, fmt.Errorf("store: event %d of ticket %d: %w", m.ID, ticketID, err)
			}
		}
		m.CreatedAt, m.RuleName = msToTime(created), m.Details.Rule
		out = append(out, m)
	}
	return out, rows.Err()
}
