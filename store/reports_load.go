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
	// Day is set on the rows of a period longer than loadHourlyDays: the
	// row is the whole local day starting at Hour (local midnight), its
	// queue the largest and smallest of its hours, its agents those signed
	// in during the day.
	Day bool
}

// End is when the row's hour or day ends.
func (h LoadHour) End() time.Time {
	if h.Day {
		return h.Hour.AddDate(0, 0, 1)
	}
	return h.Hour.Add(time.Hour)
}

// loadHourlyDays is the longest period the Ticket load draws hour by hour
// (a week: 168 rows); a longer one, of whole days, draws days, read from
// the day rollups (the hours of 30 days on a million-ticket desk are some
// 180,000 rows of report_hours).
const loadHourlyDays = 7

// ReportTicketLoad reads the Ticket load tab for f: hour by hour up to
// loadHourlyDays, day by day (from the day rollups) beyond.
func (s *Store) ReportTicketLoad(ctx context.Context, v authz.Viewer, f ReportFilter) ([]LoadHour, error) {
	f, err := reportScope(v, f)
	if err != nil {
		return nil, fmt.Errorf("store: report ticket load: %w", err)
	}
	p, whole, err := s.reportDayPeriod(ctx, f)
	if err != nil {
		return nil, err
	}
	if !whole || p.to-p.from <= loadHourlyDays {
		return s.ticketLoadHours(ctx, f, true)
	}
	return s.ticketLoadDays(ctx, f, p)
}

// ticketLoadDays folds the hours' queue into days and reads the tickets
// created and the agents signed in per day.
func (s *Store) ticketLoadDays(ctx context.Context, f ReportFilter, p dayPeriod) ([]LoadHour, error) {
	hours, err := s.ticketLoadHours(ctx, f, false)
	if err != nil {
		return nil, err
	}
	days := make([]LoadHour, 0, p.to-p.from)
	for d := p.from; d < p.to; d++ {
		days = append(days, LoadHour{Hour: dayOfNumber(d, p.loc), Day: true})
	}
	at := func(d int64) *LoadHour {
		if d < p.from || d >= p.to {
			return nil
		}
		return &days[d-p.from]
	}
	for _, h := range hours {
		ld := at(dayNumber(h.Hour.In(p.loc)))
		if ld == nil || !h.QueueKnown {
			continue
		}
		if !ld.QueueKnown {
			ld.QueueHigh, ld.QueueLow, ld.QueueKnown = h.QueueHigh, h.QueueLow, true
		}
		ld.QueueHigh, ld.QueueLow = max(ld.QueueHigh, h.QueueHigh), min(ld.QueueLow, h.QueueLow)
	}
	q, args := dayRollupSQL(f, p, "")
	if err := s.eachRow(ctx, q, args, func(rows scanner) error {
		var d int64
		var fig ReportFigures
		if err := rows.Scan(append([]any{&d}, fig.scanTargets()...)...); err != nil {
			return err
		}
		if ld := at(d); ld != nil {
			ld.Created = fig.Created
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("store: report ticket load: %w", err)
	}
	q, args = signedInSQL(f, "report_signed_in_days", "day", p.from, p.to)
	if err := s.signedInInto(ctx, q, args, at); err != nil {
		return nil, err
	}
	return days, nil
}

// ticketLoadHours reads every hour of f's period with the tickets created (from report_hours), the queue's largest
// and smallest size (queue_hours, for exactly the filter's key) and the
// agents signed in (report_signed_in). Under an Agent filter the queue is
// the tickets assigned to them and "signed in" is whether they were; under
// a Department filter the agents signed in are its members. The agents
// signed in are not kept per channel: under a Channel filter they are all.
//
// Without created, only the queue: the days of a long period read the rest.
func (s *Store) ticketLoadHours(ctx context.Context, f ReportFilter, created bool) ([]LoadHour, error) {
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
	if !created {
		q = ""
	}
	if err := s.eachRowIf(ctx, q, args, func(rows scanner) error {
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
	// Agents signed in (a long period reads its days' agents instead).
	if created {
		q, args = signedInSQL(f, "report_signed_in", "at_hour", from, to)
		if err := s.signedInInto(ctx, q, args, at); err != nil {
			return nil, err
		}
	}
	return hours, nil
}

// signedInInto reads signedInSQL's (slot, agents) rows into the slots at
// finds (nil: outside the period).
func (s *Store) signedInInto(ctx context.Context, q string, args []any, at func(int64) *LoadHour) error {
	if err := s.eachRow(ctx, q, args, func(rows scanner) error {
		var slot, n int64
		if err := rows.Scan(&slot, &n); err != nil {
			return err
		}
		if l := at(slot); l != nil {
			l.SignedIn = n
		}
		return nil
	}); err != nil {
		return fmt.Errorf("store: report ticket load: %w", err)
	}
	return nil
}

// eachRowIf runs eachRow unless q is empty.
func (s *Store) eachRowIf(ctx context.Context, q string, args []any, fn func(scanner) error) error {
	if q == "" {
		return nil
	}
	return s.eachRow(ctx, q, args, fn)
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

// signedInSQL counts the agents signed in per slot of table (report_signed_in
// by at_hour, report_signed_in_days by day) from from to to, under f.
func signedInSQL(f ReportFilter, table, slot string, from, to int64) (string, []any) {
	where := []string{"s." + slot + " >= " + intArg, "s." + slot + " < " + intArg}
	args := []any{from, to}
	if f.AgentID != 0 {
		where = append(where, "s.agent_id = "+intArg)
		args = append(args, f.AgentID)
	}
	if f.DepartmentID != 0 {
		where = append(where, "s.agent_id IN (SELECT m.agent_id FROM department_members m WHERE m.department_id = "+intArg+")")
		args = append(args, f.DepartmentID)
	}
	return `SELECT s.` + slot + `, count(*) FROM ` + table + ` s WHERE ` + strings.Join(where, " AND ") + ` GROUP BY s.` + slot, args
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
		// And the local day, for the Ticket load of a long period.
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_signed_in_days (day, agent_id) VALUES (`+
			reportDayExpr("CAST(? AS BIGINT)")+`, ?) ON CONFLICT (day, agent_id) DO NOTHING`, h, h, agentID); err != nil {
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
