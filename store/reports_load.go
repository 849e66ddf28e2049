package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"helpline/authz"
)

// LoadHour is one hour of the Ticket load tab (SPEC §6.3).
type LoadHour struct {
	Hour    time.Time // the hour's start (UTC; shown in the desk's zone)
	Created int64     // tickets created in the hour
	// QueueHigh and QueueLow are the largest and smallest number of tickets
	// New or Open during the hour; QueueKnown is false for hours before the
	// queue was first kept (migration 0029 or a bulk load).
	QueueHigh, QueueLow int64
	QueueKnown          bool
	SignedIn            int64 // agents signed in during the hour
}

// ReportTicketLoad reads the Ticket load tab for f: every hour of the
// period with the tickets created (from report_hours), the queue's largest
// and smallest size (queue_hours, for exactly the filter's key) and the
// agents signed in (report_signed_in). Under an Agent filter the queue is
// the tickets assigned to them and "signed in" is whether they were; under
// a Department filter the agents signed in are its members. The agents
// signed in are not kept per channel: under a Channel filter they are all.
func (s *Store) ReportTicketLoad(ctx context.Context, v authz.Viewer, f ReportFilter) ([]LoadHour, error) {
	f, err := reportScope(v, f)
	if err != nil {
		return nil, fmt.Errorf("store: report ticket load: %w", err)
	}
	from, to := hourOf(f.From), hourOf(f.To.Add(time.Hour-time.Millisecond))
	hours := make([]LoadHour, 0, max(to-from, 0))
	for h := from; h < to; h++ {
		hours = append(hours, LoadHour{Hour: time.UnixMilli(h * 3600000).UTC()})
	}
	at := func(h int64) *LoadHour {
		if h < from || h >= to {
			return nil
		}
		return &hours[h-from]
	}
	// Tickets created.
	q, args := reportDaysSQL(f)
	if err := s.eachRow(ctx, q, args, func(rows scanner) error {
		var h int64
		var fig ReportFigures
		if err := rows.Scan(append([]any{&h}, fig.scanTargets()...)...); err != nil {
			return err
		}
		if lh := at(h); lh != nil {
			lh.Created = fig.Created
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("store: report ticket load: %w", err)
	}
	// The queue: the size the last hour before the period ended with, then
	// each hour's row, carried over the hours without one.
	// Hours before the queue was first kept are not known; a key without a
	// row before the period had no ticket in the queue.
	since := int64(math.MinInt64)
	if err := s.rd.QueryRowContext(ctx, `SELECT at_hour FROM queue_since WHERE id = 1`).Scan(&since); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: report ticket load: %w", err)
	}
	var carried int64
	q, args = queueBeforeSQL(f, from)
	if err := s.rd.QueryRowContext(ctx, q, args...).Scan(&carried); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: report ticket load: %w", err)
	}
	next := from
	fill := func(until int64) {
		for ; next < until; next++ {
			if next >= since {
				lh := at(next)
				lh.QueueHigh, lh.QueueLow, lh.QueueKnown = carried, carried, true
			}
		}
	}
	q, args = queueHoursSQL(f, from, to)
	if err := s.eachRow(ctx, q, args, func(rows scanner) error {
		var h, high, low, last int64
		if err := rows.Scan(&h, &high, &low, &last); err != nil {
			return err
		}
		fill(h)
		lh := at(h)
		lh.QueueHigh, lh.QueueLow, lh.QueueKnown = high, low, true
		carried = last
		next = h + 1
		return nil
	}); err != nil {
		return nil, fmt.Errorf("store: report ticket load: %w", err)
	}
	fill(to)
	// Agents signed in.
	q, args = signedInSQL(f, from, to)
	if err := s.eachRow(ctx, q, args, func(rows scanner) error {
		var h, n int64
		if err := rows.Scan(&h, &n); err != nil {
			return err
		}
		if lh := at(h); lh != nil {
			lh.SignedIn = n
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("store: report ticket load: %w", err)
	}
	return hours, nil
}

func (s *Store) eachRow(ctx context.Context, q string, args []any, fn func(scanner) error) error {
	rows, err := s.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// queueKey is the queue_hours key of f's filters (0 and ”: all).
func queueKey(f ReportFilter) (string, []any) {
	return "q.department_id = " + intArg + " AND q.agent_id = " + intArg + " AND q.channel = " + textArg,
		[]any{f.DepartmentID, f.AgentID, string(f.Channel)}
}

func queueBeforeSQL(f ReportFilter, from int64) (string, []any) {
	key, args := queueKey(f)
	return `SELECT q.last FROM queue_hours q WHERE ` + key + ` AND q.at_hour < ` + intArg + ` ORDER BY q.at_hour DESC LIMIT 1`,
		append(args, from)
}

func queueHoursSQL(f ReportFilter, from, to int64) (string, []any) {
	key, args := queueKey(f)
	return `SELECT q.at_hour, q.high, q.low, q.last FROM queue_hours q WHERE ` + key +
			` AND q.at_hour >= ` + intArg + ` AND q.at_hour < ` + intArg + ` ORDER BY q.at_hour`,
		append(args, from, to)
}

func signedInSQL(f ReportFilter, from, to int64) (string, []any) {
	where := []string{"s.at_hour >= " + intArg, "s.at_hour < " + intArg}
	args := []any{from, to}
	if f.AgentID != 0 {
		where = append(where, "s.agent_id = "+intArg)
		args = append(args, f.AgentID)
	}
	if f.DepartmentID != 0 {
		where = append(where, "s.agent_id IN (SELECT m.agent_id FROM department_members m WHERE m.department_id = "+intArg+")")
		args = append(args, f.DepartmentID)
	}
	return `SELECT s.at_hour, count(*) FROM report_signed_in s WHERE ` + strings.Join(where, " AND ") + ` GROUP BY s.at_hour`, args
}

// markSignedIn notes agentID signed in during every hour from fromMs to
// toMs: a session used at both ends was open in between. A longer gap than
// an ordinary session lasts idle (a remembered session left for days)
// counts only its ends.
func markSignedIn(ctx context.Context, tx *sql.Tx, agentID, fromMs, toMs int64) error {
	from, to := fromMs/3600000, toMs/3600000
	if toMs-fromMs > IdleTimeout.Milliseconds() || from > to {
		from = to
	}
	for h := from; h <= to; h++ {
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_signed_in (at_hour, agent_id) VALUES (?, ?)
			ON CONFLICT (at_hour, agent_id) DO NOTHING`, h, agentID); err != nil {
			return fmt.Errorf("mark agent %d signed in: %w", agentID, err)
		}
	}
	return nil
}

// queueRebuildSQL sets what messages_queue_keep keeps (migrations/*/0029)
// from the tickets now, on either engine, after a bulk load: the queue's
// history starts at the load's last message; the Tags tab's creation time
// and replies of each ticket.
var queueRebuildSQL = []string{
	`UPDATE ticket_firsts SET
		q_in = (SELECT CASE WHEN t.status IN ('new', 'open') THEN 1 ELSE 0 END FROM tickets t WHERE t.id = ticket_firsts.ticket_id),
		q_department = (SELECT t.department_id FROM tickets t WHERE t.id = ticket_firsts.ticket_id),
		q_agent = (SELECT coalesce(t.assignee_id, 0) FROM tickets t WHERE t.id = ticket_firsts.ticket_id),
		created_at = (SELECT t.created_at FROM tickets t WHERE t.id = ticket_firsts.ticket_id),
		answers = (SELECT count(*) FROM messages m WHERE m.ticket_id = ticket_firsts.ticket_id AND m.kind = 'reply')`,
	`DELETE FROM queue_levels`,
	`INSERT INTO queue_levels (department_id, agent_id, channel, n)
		SELECT department_id, agent_id, channel, -sum(n) FROM queue_moves WHERE n = -1 GROUP BY department_id, agent_id, channel`,
	`DELETE FROM queue_hours`,
	`DELETE FROM queue_since`,
	`INSERT INTO queue_since (id, at_hour) SELECT 1, (SELECT coalesce(max(created_at), 0) FROM messages) / 3600000 WHERE EXISTS (SELECT 1 FROM tickets)`,
	`INSERT INTO queue_hours (department_id, agent_id, channel, at_hour, high, low, last)
		SELECT department_id, agent_id, channel, (SELECT coalesce(max(created_at), 0) FROM messages) / 3600000, n, n, n FROM queue_levels`,
}

// scanner is a row being read.
type scanner interface{ Scan(...any) error }
