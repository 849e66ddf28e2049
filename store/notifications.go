package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"helpline/authz"
)

// Notifications tell an agent what concerns them: a ticket assigned to
// them by someone else, a customer's answer on a ticket assigned to them,
// a mention in a note (@alias or @Full Name). They are written in the
// transaction of what caused them. Every read joins the ticket in the
// agent's scope, so nobody is ever told about a ticket they may not see
// (one moved out of their departments since, say).
//
// Reading them (opening the ticket, Mark all as read) writes rows no kept
// page shows, so it moves no generation; the queue's kept pages name the
// agent's unread state in their key instead (UnreadState).

// NotificationKind is why an agent is told.
type NotificationKind string

const (
	NotifyAssigned      NotificationKind = "assigned"
	NotifyCustomerReply NotificationKind = "customer_reply"
	NotifyMention       NotificationKind = "mention"
)

// Notification is one entry of an agent's list.
type Notification struct {
	ID        int64
	Kind      NotificationKind
	Code      string
	Subject   string
	ActorName string // the agent who assigned or mentioned; "" for a customer's answer
	Contact   string // the ticket's requester
	CreatedAt time.Time
	Read      bool
}

func notify(ctx context.Context, tx *sql.Tx, agentID, ticketID int64, kind NotificationKind, actorID, now int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO notifications (agent_id, ticket_id, kind, actor_id, created_at) VALUES (?, ?, ?, ?, ?)`,
		agentID, ticketID, kind, nullID(actorID), now)
	if err != nil {
		return fmt.Errorf("notify agent %d of ticket %d: %w", agentID, ticketID, err)
	}
	return queueNoticeMail(ctx, tx, agentID, ticketID, kind, actorID, now)
}

// notifyAssignee tells a ticket's assignee that its customer answered.
func notifyAssignee(ctx context.Context, tx *sql.Tx, ticketID, now int64) error {
	var assignee sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT assignee_id FROM tickets WHERE id = ?`, ticketID).Scan(&assignee); err != nil {
		return fmt.Errorf("notify the assignee of ticket %d: %w", ticketID, err)
	}
	if !assignee.Valid {
		return nil
	}
	return notify(ctx, tx, assignee.Int64, ticketID, NotifyCustomerReply, 0, now)
}

// Mentionable is an agent a note can mention.
type Mentionable struct {
	ID    int64
	Name  string
	Alias string
}

// Handle is how a note mentions the agent: @alias when they have one.
func (m Mentionable) Handle() string {
	if m.Alias != "" {
		return "@" + m.Alias
	}
	return "@" + m.Name
}

// MentionableAgents are the active agents who work tickets of a
// department, the suggestions for a note's mentions.
func (s *Store) MentionableAgents(ctx context.Context, departmentID int64) ([]Mentionable, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT a.id, a.name, a.alias FROM agents a
		JOIN department_members m ON m.agent_id = a.id AND m.department_id = ? AND m.tickets = 1
		WHERE a.removed_at IS NULL AND a.status = 'active' ORDER BY a.name, a.id`, departmentID)
	if err != nil {
		return nil, fmt.Errorf("store: mentionable agents: %w", err)
	}
	defer rows.Close()
	var out []Mentionable
	for rows.Next() {
		var m Mentionable
		if err := rows.Scan(&m.ID, &m.Name, &m.Alias); err != nil {
			return nil, fmt.Errorf("store: mentionable agents: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// notifyMentions tells every active agent a note names, by @alias or
// @Full Name in any letter case, except its author.
func notifyMentions(ctx context.Context, tx *sql.Tx, ticketID, authorID int64, body string, now int64) error {
	if !strings.Contains(body, "@") {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, name, alias FROM agents WHERE removed_at IS NULL AND status = 'active' AND id <> ?`, authorID)
	if err != nil {
		return err
	}
	var named []int64
	for rows.Next() {
		var m Mentionable
		if err := rows.Scan(&m.ID, &m.Name, &m.Alias); err != nil {
			rows.Close()
			return err
		}
		if mentions(body, m.Name) || m.Alias != "" && mentions(body, m.Alias) {
			named = append(named, m.ID)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range named {
		if err := notify(ctx, tx, id, ticketID, NotifyMention, authorID, now); err != nil {
			return err
		}
	}
	return nil
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// mentions reports whether text holds @who as a whole word: "@Ann" is not
// a mention of "An", nor "ann@example.com" one of "example".
func mentions(text, who string) bool {
	if who == "" {
		return false
	}
	lower, at := strings.ToLower(text), "@"+strings.ToLower(who)
	for i := 0; ; {
		j := strings.Index(lower[i:], at)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(at)
		before, _ := utf8.DecodeLastRuneInString(lower[:start])
		after, _ := utf8.DecodeRuneInString(lower[end:])
		if (start == 0 || !wordRune(before)) && (end == len(lower) || !wordRune(after)) {
			return true
		}
		i = end
	}
}

// Notifications returns the viewer's newest notifications about tickets
// they may see.
func (s *Store) Notifications(ctx context.Context, v authz.Viewer, limit int) ([]Notification, error) {
	scope, args := scopeSQL(v)
	rows, err := s.rd.QueryContext(ctx, `SELECT n.id, n.kind, t.code, t.subject, coalesce(a.name, ''), c.name, n.created_at, n.read_at IS NOT NULL
		FROM notifications n
		JOIN tickets t ON t.id = n.ticket_id
		JOIN contacts c ON c.id = t.contact_id
		LEFT JOIN agents a ON a.id = n.actor_id
		WHERE n.agent_id = ? AND `+scope+` ORDER BY n.id DESC LIMIT ?`, append(append([]any{v.ID}, args...), limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: notifications: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var created int64
		if err := rows.Scan(&n.ID, &n.Kind, &n.Code, &n.Subject, &n.ActorName, &n.Contact, &created, &n.Read); err != nil {
			return nil, fmt.Errorf("store: notifications: %w", err)
		}
		n.CreatedAt = msToTime(created)
		out = append(out, n)
	}
	return out, rows.Err()
}

// UnreadState is the viewer's unread notifications about tickets they may
// see: how many, and the newest. Together they change whenever the set of
// unread tickets does (reading lowers the count, a new one raises the
// newest), so kept pages that show it name it in their key.
type UnreadState struct {
	Count  int
	Newest int64
}

// Unread returns the viewer's UnreadState.
func (s *Store) Unread(ctx context.Context, v authz.Viewer) (UnreadState, error) {
	scope, args := scopeSQL(v)
	var u UnreadState
	err := s.rd.QueryRowContext(ctx, `SELECT count(*), coalesce(max(n.id), 0) FROM notifications n JOIN tickets t ON t.id = n.ticket_id
		WHERE n.agent_id = ? AND n.read_at IS NULL AND `+scope, append([]any{v.ID}, args...)...).Scan(&u.Count, &u.Newest)
	if err != nil {
		return u, fmt.Errorf("store: unread notifications: %w", err)
	}
	return u, nil
}

// UnreadTickets are the ids of the tickets with the viewer's unread
// notifications, which the queue shows in bold.
func (s *Store) UnreadTickets(ctx context.Context, v authz.Viewer) (map[int64]bool, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT DISTINCT ticket_id FROM notifications WHERE agent_id = ? AND read_at IS NULL`, v.ID)
	if err != nil {
		return nil, fmt.Errorf("store: unread tickets: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: unread tickets: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// ReadTicket marks the viewer's notifications about a ticket read, as they
// open it. Most views find none and write nothing.
func (s *Store) ReadTicket(ctx context.Context, v authz.Viewer, code string) error {
	var id int64
	err := s.rd.QueryRowContext(ctx, `SELECT n.ticket_id FROM notifications n JOIN tickets t ON t.id = n.ticket_id
		WHERE n.agent_id = ? AND t.code = ? AND n.read_at IS NULL LIMIT 1`, v.ID, code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: read notifications of %s: %w", code, err)
	}
	return s.writeUnkept(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = ? WHERE agent_id = ? AND ticket_id = ? AND read_at IS NULL`,
			s.nowMs(), v.ID, id)
		return err
	})
}

// ReadAllNotifications is Mark all as read.
func (s *Store) ReadAllNotifications(ctx context.Context, v authz.Viewer) error {
	return s.writeUnkept(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = ? WHERE agent_id = ? AND read_at IS NULL`, s.nowMs(), v.ID)
		return err
	})
}
