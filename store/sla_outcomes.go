package store

import (
	"context"
	"database/sql"
	"fmt"
)

// slaOutcomes records, in the transaction of a status change, the targets
// the change stops (docs/SLA.md, SLA compliance): an agent's reply stops
// First answer and Next answer, Resolved stops Resolution. st is the
// clocks before the change. A running clock is met when it stops by its
// due time; a paused one (the ticket was Postponed or Resolved) when it
// kept some business time, since a target missed before its pause keeps
// none.
func slaOutcomes(ctx context.Context, tx *sql.Tx, st slaState, to TicketStatus, by author, now int64) error {
	var stops []int
	if to == TicketAnswered && by.agentID != 0 {
		stops = append(stops, 0, 1)
	}
	if to == TicketResolved {
		stops = append(stops, 2)
	}
	for _, i := range stops {
		c := st.clocks[i]
		var met bool
		switch {
		case c.running():
			met = now <= c.due.Int64
		case c.paused():
			met = c.left.Int64 > 0
		default:
			continue
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sla_outcomes (ticket_id, target, agent_id, at, met) VALUES (?, ?, ?, ?, ?)`,
			st.ticketID, string(SLATargets[i]), nullID(by.agentID), now, boolInt(met))
		if err != nil {
			return fmt.Errorf("SLA outcome of ticket %d: %w", st.ticketID, err)
		}
	}
	return nil
}
