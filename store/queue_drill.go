package store

import "time"

// QueueDrill narrows the queue to the tickets behind a report's figure
// (SPEC §6.3): each range is [From, To) and is off while To is zero; an
// agent of 0 is anyone. The kept firsts (ticket_firsts) answer resolved and
// first answered, as they do for the reports, so the queue lists exactly
// the tickets a report counted.
type QueueDrill struct {
	CreatedFrom, CreatedTo time.Time
	// Resolved for the first time in the range, by ResolvedBy.
	ResolvedFrom, ResolvedTo time.Time
	ResolvedBy               int64
	// First answered in the range, by FirstAnsweredBy.
	FirstAnsweredFrom, FirstAnsweredTo time.Time
	FirstAnsweredBy                    int64
	// Given a reply in the range, by AnsweredBy.
	AnsweredFrom, AnsweredTo time.Time
	AnsweredBy               int64
}

// IsZero reports whether the drill-down narrows nothing.
func (d QueueDrill) IsZero() bool {
	return d.CreatedTo.IsZero() && d.ResolvedTo.IsZero() && d.FirstAnsweredTo.IsZero() && d.AnsweredTo.IsZero()
}

// drillSQL is the drill-down's part of the queue's WHERE, on tickets t.
func drillSQL(d QueueDrill) ([]string, []any) {
	var where []string
	var args []any
	if !d.CreatedTo.IsZero() {
		where = append(where, "t.created_at >= "+intArg, "t.created_at < "+intArg)
		args = append(args, d.CreatedFrom.UnixMilli(), d.CreatedTo.UnixMilli())
	}
	first := func(col, byCol string, from, to time.Time, by int64) {
		if to.IsZero() {
			return
		}
		q := "EXISTS (SELECT 1 FROM ticket_firsts f WHERE f.ticket_id = t.id AND f." + col + " >= " + intArg + " AND f." + col + " < " + intArg
		args = append(args, from.UnixMilli(), to.UnixMilli())
		if by != 0 {
			q += " AND f." + byCol + " = " + intArg
			args = append(args, by)
		}
		where = append(where, q+")")
	}
	first("first_resolve_at", "first_resolve_by", d.ResolvedFrom, d.ResolvedTo, d.ResolvedBy)
	first("first_reply_at", "first_reply_by", d.FirstAnsweredFrom, d.FirstAnsweredTo, d.FirstAnsweredBy)
	if !d.AnsweredTo.IsZero() {
		q := "EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'reply' AND m.created_at >= " + intArg + " AND m.created_at < " + intArg
		args = append(args, d.AnsweredFrom.UnixMilli(), d.AnsweredTo.UnixMilli())
		if d.AnsweredBy != 0 {
			q += " AND m.agent_id = " + intArg
			args = append(args, d.AnsweredBy)
		}
		where = append(where, q+")")
	}
	return where, args
}
