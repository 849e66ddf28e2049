package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"helpline/authz"
)

// Who else has a ticket open. Each open ticket page says every
// PresencePoll that it is still there (and whether its agent is writing a
// reply); a page that has not said so for PresenceTimeout was closed or
// lost its connection. The rows live in the database, so agents on
// different instances see each other. They are written as unkept rows: a
// page polling must not throw away the kept pages of everyone else.
const (
	PresencePoll    = 2 * time.Second
	PresenceTimeout = 3 * PresencePoll
)

// Presence is another agent on a ticket.
type Presence struct {
	AgentID  int64
	Name     string
	Replying bool
}

// TouchPresence records that the viewer has the ticket open (replying:
// writing a reply now) and returns the others who have it open, by name.
// A ticket outside the viewer's scope is ErrNotFound.
func (s *Store) TouchPresence(ctx context.Context, v authz.Viewer, code string, replying bool) ([]Presence, error) {
	id, err := s.visibleTicketID(ctx, v, code)
	if err != nil {
		return nil, err
	}
	now := s.nowMs()
	err = s.writeUnkept(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_presence (ticket_id, agent_id, replying, seen_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (ticket_id, agent_id) DO UPDATE SET replying = excluded.replying, seen_at = excluded.seen_at`,
			id, v.ID, boolInt(replying), now); err != nil {
			return err
		}
		// Those who left are cleared as others arrive, so the table holds
		// only pages open now (and a few seconds of the closed).
		_, err := tx.ExecContext(ctx, `DELETE FROM ticket_presence WHERE ticket_id = ? AND seen_at < ?`, id, now-PresenceTimeout.Milliseconds())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: presence on ticket %s: %w", code, err)
	}
	rows, err := s.rd.QueryContext(ctx, `SELECT a.id, a.name, p.replying FROM ticket_presence p JOIN agents a ON a.id = p.agent_id
		WHERE p.ticket_id = ? AND p.agent_id <> ? AND p.seen_at >= ? ORDER BY a.name, a.id`, id, v.ID, now-PresenceTimeout.Milliseconds())
	if err != nil {
		return nil, fmt.Errorf("store: presence on ticket %s: %w", code, err)
	}
	defer rows.Close()
	var out []Presence
	for rows.Next() {
		var p Presence
		var replying int
		if err := rows.Scan(&p.AgentID, &p.Name, &replying); err != nil {
			return nil, fmt.Errorf("store: presence on ticket %s: %w", code, err)
		}
		p.Replying = replying != 0
		out = append(out, p)
	}
	return out, rows.Err()
}

// LeaveTicket clears the viewer's presence on a ticket at once (the page
// was closed); without it the presence runs out after PresenceTimeout.
func (s *Store) LeaveTicket(ctx context.Context, v authz.Viewer, code string) error {
	id, err := s.visibleTicketID(ctx, v, code)
	if err != nil {
		return err
	}
	return s.writeUnkept(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM ticket_presence WHERE ticket_id = ? AND agent_id = ?`, id, v.ID)
		return err
	})
}

// visibleTicketID is the id of a ticket in the viewer's scope.
func (s *Store) visibleTicketID(ctx context.Context, v authz.Viewer, code string) (int64, error) {
	scope, args := scopeSQL(v)
	var id int64
	err := s.rd.QueryRowContext(ctx, `SELECT t.id FROM tickets t WHERE t.code = ? AND `+scope, append([]any{code}, args...)...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("store: ticket %s: %w", code, err)
	}
	return id, nil
}

// LatestReply is the newest agent reply on a ticket.
type LatestReply struct {
	ID        int64
	AgentName string
	Body      string
	At        time.Time
}

// ReplySince returns the newest reply to the ticket by another agent than
// the viewer written after message afterID (the newest the viewer's page
// showed), or ErrNotFound when there is none: nobody answered meanwhile.
func (s *Store) ReplySince(ctx context.Context, v authz.Viewer, code string, afterID int64) (LatestReply, error) {
	id, err := s.visibleTicketID(ctx, v, code)
	if err != nil {
		return LatestReply{}, err
	}
	var r LatestReply
	var at int64
	err = s.rd.QueryRowContext(ctx, `SELECT m.id, coalesce(a.name, ''), m.body, m.created_at FROM messages m
		LEFT JOIN agents a ON a.id = m.agent_id
		WHERE m.ticket_id = ? AND m.kind = 'reply' AND m.id > ? AND m.agent_id <> ?
		ORDER BY m.id DESC LIMIT 1`, id, afterID, v.ID).Scan(&r.ID, &r.AgentName, &r.Body, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return LatestReply{}, ErrNotFound
	}
	if err != nil {
		return LatestReply{}, fmt.Errorf("store: reply since %d on ticket %s: %w", afterID, code, err)
	}
	r.At = msToTime(at)
	return r, nil
}
