package store

import "time"

// SLADrill narrows the queue to the tickets behind one figure of the SLA
// compliance report: those with an outcome of Target, met or missed, in
// [From, To), stopped by Agent (0: anyone). It is off while To is zero.
// The queue's own department and channel filters give the report's.
type SLADrill struct {
	Target   SLATarget
	Met      bool
	From, To time.Time
	Agent    int64
}

// IsZero reports whether the drill-down narrows nothing.
func (d SLADrill) IsZero() bool { return d.To.IsZero() }

// slaDrillSQL adds the drill-down to the queue's WHERE, on tickets t.
func slaDrillSQL(d SLADrill, where []string, args []any) ([]string, []any) {
	if d.IsZero() {
		return where, args
	}
	q := "EXISTS (SELECT 1 FROM sla_outcomes o WHERE o.ticket_id = t.id AND o.target = " + textArg +
		" AND o.at >= " + intArg + " AND o.at < " + intArg + " AND o.met = " + intArg
	args = append(args, string(d.Target), d.From.UnixMilli(), d.To.UnixMilli(), boolInt(d.Met))
	if d.Agent != 0 {
		// + 0: the probe goes by the ticket's outcomes, never by the
		// agent's whole period (SQLite would take the agent's index).
		q += " AND o.agent_id + 0 = " + intArg
		args = append(args, d.Agent)
	}
	return append(where, q+")"), args
}
