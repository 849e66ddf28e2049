package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// SLA rules (SPEC §6.6): rules on ticket creation choose the level with
// Change SLA level, and may test whether the ticket came in within
// business hours. A new ticket already has the desk's default level when
// the rules run, so a rule that picks none leaves it there.

// EventSLALevel records a change of a ticket's SLA level (Name: the new
// level's name).
const EventSLALevel Event = "sla_level"

// changeSLALevel is the rules' Change SLA level: the ticket's clocks start
// again with the new level's targets (setTicketSLALevel); a ticket that
// already has the level is left alone, so its clocks do not restart.
func changeSLALevel(ctx context.Context, tx *sql.Tx, t *ticketState, levelID int64, by author, now int64) error {
	var current sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT sla_level_id FROM tickets WHERE id = ?`, t.id).Scan(&current); err != nil {
		return err
	}
	if current.Valid && current.Int64 == levelID {
		return nil
	}
	var name string
	err := tx.QueryRowContext(ctx, `SELECT name FROM sla_levels WHERE id = ?`, levelID).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if err := setTicketSLALevel(ctx, tx, t.id, t.status, levelID, now); err != nil {
		return err
	}
	return addMessage(ctx, tx, t.id, by.event(EventSLALevel, EventDetails{Name: name}), now)
}

// createdInHours tells whether an instant (Unix ms) falls within the
// business hours of the desk's default SLA level; without a default level
// the desk keeps no hours and nothing is within them.
func createdInHours(ctx context.Context, q querier, createdAt int64) (bool, error) {
	l, err := scanSLALevel(q.QueryRowContext(ctx, `SELECT `+slaLevelColumns+` FROM sla_levels WHERE is_default = 1`))
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return l.Schedule().Open(time.UnixMilli(createdAt)), nil
}
