package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Notifications by email: an agent who turned on Email me my notifications
// (Profile) also gets each notification as an email, when outgoing mail is
// configured. The email goes into the outbox in the transaction that writes
// the notification, so it exists exactly when the notification does, and
// the outbox worker sends it with the same retries as a reply. It is never
// about the agent's own action, and never about a ticket the agent may not
// see at that moment.

// queueNoticeMail puts the email of the notification just written for
// agentID in the outbox, if they asked for such emails and mail is on. The
// message the notification is about is the ticket's newest: callers write
// it first.
func queueNoticeMail(ctx context.Context, tx *sql.Tx, agentID, ticketID int64, kind NotificationKind, actorID, now int64) error {
	if agentID == actorID {
		return nil
	}
	var from string
	err := tx.QueryRowContext(ctx, `SELECT from_address FROM mail_settings WHERE id = 1`).Scan(&from)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // no mail: the top bar tells them
	}
	if err != nil {
		return err
	}
	a, err := scanAgent(tx.QueryRowContext(ctx, `SELECT `+agentColumns+` FROM agents a
		WHERE a.id = ? AND a.notify_email = 1 AND a.removed_at IS NULL AND a.status = 'active'`, agentID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	scope, args := scopeSQL(a.Viewer())
	var seen int
	err = tx.QueryRowContext(ctx, `SELECT count(*) FROM tickets t WHERE t.id = ? AND `+scope, append([]any{ticketID}, args...)...).Scan(&seen)
	if err != nil || seen == 0 {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO outbox (ticket_id, message_id, agent_id, notice, status, attempts, next_at, header_id, created_at)
		VALUES (?, (SELECT max(id) FROM messages WHERE ticket_id = ?), ?, ?, 'pending', 0, ?, ?, ?)`,
		ticketID, ticketID, agentID, string(kind), now, newHeaderID(from), now)
	if err != nil {
		return fmt.Errorf("queue notification email of ticket %d to agent %d: %w", ticketID, agentID, err)
	}
	return nil
}

// NoticeMail is a notification due to go out by email.
type NoticeMail struct {
	ID       int64
	Kind     NotificationKind
	Code     string
	Subject  string
	ToName   string
	ToEmail  string
	Lang     string // the agent's language, else the desk's default
	Actor    string // who assigned or mentioned; for a customer's answer, the customer
	HeaderID string
	Attempts int
}

// DueNoticeMail returns up to limit notification emails whose time to be
// tried has come, oldest first. An agent removed or disabled since is
// not written to.
func (s *Store) DueNoticeMail(ctx context.Context, limit int) ([]NoticeMail, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT o.id, o.notice, t.code, t.subject, a.name, a.email,
			coalesce(nullif(a.language, ''), (SELECT default_language FROM account WHERE id = 1), ''),
			coalesce(actor.name, c.name, ''), o.header_id, o.attempts
		FROM outbox o
		JOIN tickets t ON t.id = o.ticket_id
		JOIN agents a ON a.id = o.agent_id
		JOIN messages m ON m.id = o.message_id
		LEFT JOIN agents actor ON actor.id = m.agent_id
		LEFT JOIN contacts c ON c.id = m.contact_id
		WHERE o.status = 'pending' AND o.agent_id IS NOT NULL AND o.next_at <= ?
			AND a.removed_at IS NULL AND a.status = 'active'
		ORDER BY o.next_at, o.id LIMIT ?`, s.nowMs(), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due notification mail: %w", err)
	}
	defer rows.Close()
	var out []NoticeMail
	for rows.Next() {
		var m NoticeMail
		if err := rows.Scan(&m.ID, &m.Kind, &m.Code, &m.Subject, &m.ToName, &m.ToEmail, &m.Lang, &m.Actor, &m.HeaderID, &m.Attempts); err != nil {
			return nil, fmt.Errorf("store: due notification mail: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// NotifyByEmail reports whether the agent asked for their notifications by
// email.
func (s *Store) NotifyByEmail(ctx context.Context, agentID int64) (bool, error) {
	var on bool
	err := s.rd.QueryRowContext(ctx, `SELECT notify_email = 1 FROM agents WHERE id = ?`, agentID).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, ErrNotFound
	}
	if err != nil {
		return false, fmt.Errorf("store: notification emails of agent %d: %w", agentID, err)
	}
	return on, nil
}
