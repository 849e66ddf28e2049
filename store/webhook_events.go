package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// The events webhooks tell of are written here, inside the transaction of
// the change that causes them: both commit, or neither. The body is made
// now, from the ticket as the change left it, so a delivery sent later (or
// again) tells what happened then.

// HookPayload is the JSON body of a delivery (docs/WEBHOOKS.md).
type HookPayload struct {
	ID        string       `json:"id"` // the event's id, the same on every delivery of it
	Event     WebhookEvent `json:"event"`
	CreatedAt time.Time    `json:"created_at"`
	Ticket    HookTicket   `json:"ticket"`
	Message   *HookMessage `json:"message,omitempty"` // ticket.created (the first message), message.added
	Change    *HookChange  `json:"change,omitempty"`  // status, assignment and transfer
}

// HookTicket is the ticket after the change.
type HookTicket struct {
	Code       string       `json:"code"`
	Subject    string       `json:"subject"`
	Status     TicketStatus `json:"status"`
	Priority   string       `json:"priority"` // low, normal, high or urgent
	Channel    Channel      `json:"channel"`
	Department HookRef      `json:"department"`
	Assignee   *HookRef     `json:"assignee"`
	Contact    HookContact  `json:"contact"`
	CreatedAt  time.Time    `json:"created_at"`
}

// HookRef names an agent or a department.
type HookRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// HookContact is the ticket's requester.
type HookContact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// HookMessage is a message of the thread. Kind is customer, reply or note
// (internal: receivers must not show it to the customer).
type HookMessage struct {
	ID     int64       `json:"id"`
	Kind   MessageKind `json:"kind"`
	Body   string      `json:"body"`
	Author HookAuthor  `json:"author"`
}

// HookAuthor is who wrote a message: an agent or the contact.
type HookAuthor struct {
	Type string `json:"type"` // agent or contact
	ID   int64  `json:"id,omitempty"`
	Name string `json:"name"`
}

// HookChange is what a status change, assignment or transfer changed:
// statuses, the assignee's name (To, "" when unassigned), department names.
type HookChange struct {
	From  string     `json:"from,omitempty"`
	To    string     `json:"to"`
	Until *time.Time `json:"until,omitempty"` // a postponement's end
}

// hookPriorities name the priorities for receivers, who should not need
// to know how the desk sorts them.
var hookPriorities = map[Priority]string{PriorityLow: "low", PriorityNormal: "normal", PriorityHigh: "high", PriorityUrgent: "urgent"}

// hookSubscribers are the active webhooks that want ev.
func hookSubscribers(ctx context.Context, tx *sql.Tx, ev WebhookEvent) ([]int64, error) {
	ids, err := queryIDs(ctx, tx, `SELECT id FROM webhooks WHERE active = 1 AND ',' || events || ',' LIKE ? ORDER BY id`, "%,"+string(ev)+",%")
	if err != nil {
		return nil, fmt.Errorf("webhooks of %s: %w", ev, err)
	}
	return ids, nil
}

func newEventID() string {
	b := make([]byte, 15)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return "evt_" + strings.ToLower(base32.StdEncoding.EncodeToString(b))
}

// hookTicket reads the ticket as the transaction has it now.
func hookTicket(ctx context.Context, tx *sql.Tx, ticketID int64) (HookTicket, error) {
	var t HookTicket
	var priority Priority
	var assigneeID int64
	var assignee string
	var created int64
	err := tx.QueryRowContext(ctx, `SELECT t.code, t.subject, t.status, t.priority, t.channel, d.id, d.name,
			coalesce(a.id, 0), coalesce(a.name, ''), c.name, c.email, t.created_at
		FROM tickets t
		JOIN departments d ON d.id = t.department_id
		JOIN contacts c ON c.id = t.contact_id
		LEFT JOIN agents a ON a.id = t.assignee_id
		WHERE t.id = ?`, ticketID).Scan(&t.Code, &t.Subject, &t.Status, &priority, &t.Channel, &t.Department.ID, &t.Department.Name,
		&assigneeID, &assignee, &t.Contact.Name, &t.Contact.Email, &created)
	if err != nil {
		return t, fmt.Errorf("ticket %d for webhooks: %w", ticketID, err)
	}
	if assigneeID != 0 {
		t.Assignee = &HookRef{ID: assigneeID, Name: assignee}
	}
	t.CreatedAt, t.Priority = msToTime(created).UTC(), hookPriorities[priority]
	return t, nil
}

// hookMessage reads a message of the thread with its author.
func hookMessage(ctx context.Context, tx *sql.Tx, messageID int64) (*HookMessage, error) {
	m := &HookMessage{ID: messageID}
	var agentID, contactID int64
	err := tx.QueryRowContext(ctx, `SELECT m.kind, m.body, coalesce(m.agent_id, 0), coalesce(m.contact_id, 0), coalesce(a.name, c.name, '')
		FROM messages m LEFT JOIN agents a ON a.id = m.agent_id LEFT JOIN contacts c ON c.id = m.contact_id
		WHERE m.id = ?`, messageID).Scan(&m.Kind, &m.Body, &agentID, &contactID, &m.Author.Name)
	if err != nil {
		return nil, fmt.Errorf("message %d for webhooks: %w", messageID, err)
	}
	switch {
	case agentID != 0:
		m.Author.Type, m.Author.ID = "agent", agentID
	case contactID != 0:
		m.Author.Type = "contact"
	}
	return m, nil
}

// queueHook writes one event for every webhook that wants it, inside the
// transaction of the change. messageID (the message told of) and change
// are what the event carries besides the ticket.
func queueHook(ctx context.Context, tx *sql.Tx, ticketID int64, ev WebhookEvent, messageID int64, change *HookChange, now int64) error {
	hooks, err := hookSubscribers(ctx, tx, ev)
	if err != nil || len(hooks) == 0 {
		return err
	}
	p := HookPayload{ID: newEventID(), Event: ev, CreatedAt: msToTime(now).UTC(), Change: change}
	if p.Ticket, err = hookTicket(ctx, tx, ticketID); err != nil {
		return err
	}
	if messageID != 0 {
		if p.Message, err = hookMessage(ctx, tx, messageID); err != nil {
			return err
		}
	}
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	for _, id := range hooks {
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries (webhook_id, ticket_id, event, event_id, payload, status, next_at, created_at)
			VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`, id, ticketID, ev, p.ID, string(body), now, now); err != nil {
			return fmt.Errorf("queue %s for webhook %d: %w", ev, id, err)
		}
	}
	return nil
}

// queueHookForMessage writes the events of a message just added by
// addMessage (the newest of its kind on the ticket): message.added for
// what people write, and the status, assignment and transfer events.
// Tags and the creation event (written by the intake) tell nothing here.
func queueHookForMessage(ctx context.Context, tx *sql.Tx, ticketID int64, m message, now int64) error {
	var ev WebhookEvent
	var change *HookChange
	switch {
	case m.first:
		return nil // told by ticket.created
	case m.kind == KindCustomer || m.kind == KindReply || m.kind == KindNote:
		ev = HookMessageAdded
	case m.event == EventStatus:
		ev, change = HookStatusChanged, &HookChange{From: m.details.From, To: m.details.To}
	case m.event == EventPostponed:
		until := msToTime(m.details.Until).UTC()
		ev, change = HookStatusChanged, &HookChange{From: m.details.From, To: m.details.To, Until: &until}
	case m.event == EventAssigned:
		ev, change = HookTicketAssigned, &HookChange{To: m.details.Name}
	case m.event == EventTransferred:
		ev, change = HookTicketTransferred, &HookChange{From: m.details.From, To: m.details.To}
	default:
		return nil
	}
	var messageID int64
	if ev == HookMessageAdded {
		hooks, err := hookSubscribers(ctx, tx, ev)
		if err != nil || len(hooks) == 0 {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT max(id) FROM messages WHERE ticket_id = ? AND kind = ?`, ticketID, m.kind).Scan(&messageID); err != nil {
			return err
		}
	}
	return queueHook(ctx, tx, ticketID, ev, messageID, change, now)
}

// queueHookCreated writes ticket.created for a ticket just written, with
// its first customer message.
func queueHookCreated(ctx context.Context, tx *sql.Tx, ticketID int64, now int64) error {
	hooks, err := hookSubscribers(ctx, tx, HookTicketCreated)
	if err != nil || len(hooks) == 0 {
		return err
	}
	var first int64
	if err := tx.QueryRowContext(ctx, `SELECT min(id) FROM messages WHERE ticket_id = ? AND kind = 'customer'`, ticketID).Scan(&first); err != nil {
		return err
	}
	return queueHook(ctx, tx, ticketID, HookTicketCreated, first, nil, now)
}

// queueHooksCreated writes ticket.created for each ticket of an intake
// batch; with no webhook wanting it, that costs one query per batch.
func queueHooksCreated(ctx context.Context, tx *sql.Tx, rows []newTicketRow) error {
	hooks, err := hookSubscribers(ctx, tx, HookTicketCreated)
	if err != nil || len(hooks) == 0 {
		return err
	}
	for _, r := range rows {
		if err := queueHookCreated(ctx, tx, r.id, r.now); err != nil {
			return err
		}
	}
	return nil
}
