package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"helpline/billing"
)

// SeatChange is one line of the seat history.
type SeatChange struct {
	At        time.Time
	ActorName string
	AgentName string
	Change    AuditAction // the agent change that moved the seats
	From, To  int
}

// seatsChanged brings the subscription's seats up to the team after an
// agent was created, enabled, disabled or removed in tx, with actorID's
// name in the seat history. A seat more than the period has been charged
// for is charged pro rata for the days left; a seat less is not refunded
// and lowers the next renewal. The agent changes call it last, in their
// own transaction.
func (s *Store) seatsChanged(ctx context.Context, tx *sql.Tx, actorID, agentID int64, change AuditAction) error {
	sub, err := s.lockSubscription(ctx, tx)
	if err != nil {
		return err
	}
	var seats int
	if err := tx.QueryRowContext(ctx, seatsSQL).Scan(&seats); err != nil {
		return err
	}
	if seats == sub.Seats {
		return nil
	}
	now := s.now().UTC()
	if _, err := tx.ExecContext(ctx, `INSERT INTO seat_history (at, actor_id, agent_id, change, seats_from, seats_to) VALUES (?, ?, ?, ?, ?, ?)`,
		now.UnixMilli(), nullID(actorID), nullID(agentID), string(change), sub.Seats, seats); err != nil {
		return fmt.Errorf("seat history: %w", err)
	}
	sub.Seats = seats
	var charge billing.Money
	if sub.charged(now) && seats > sub.SeatsCharged {
		charge = billing.ProRata(billing.PeriodPrice(sub.Plan, sub.Cycle, seats-sub.SeatsCharged), sub.Period.DaysLeft(now), sub.Period.Days())
	}
	sub.SeatsCharged = max(sub.SeatsCharged, seats)
	if err := s.addCharge(ctx, tx, &sub, charge, actorID, now); err != nil {
		return err
	}
	// The agent change's own audit entry records who changed the team; the
	// seat history beside it and any invoice raised (billing.invoice) carry
	// the billing side.
	return saveSubscription(ctx, tx, sub)
}

// SeatHistory lists the seat changes, newest first.
func (s *Store) SeatHistory(ctx context.Context, limit int) ([]SeatChange, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT h.at, coalesce(a.name, ''), coalesce(g.name, ''), h.change, h.seats_from, h.seats_to
		FROM seat_history h LEFT JOIN agents a ON a.id = h.actor_id LEFT JOIN agents g ON g.id = h.agent_id
		ORDER BY h.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: seat history: %w", err)
	}
	defer rows.Close()
	var out []SeatChange
	for rows.Next() {
		var c SeatChange
		var at int64
		if err := rows.Scan(&at, &c.ActorName, &c.AgentName, &c.Change, &c.From, &c.To); err != nil {
			return nil, fmt.Errorf("store: seat history: %w", err)
		}
		c.At = msToTime(at)
		out = append(out, c)
	}
	return out, rows.Err()
}
