package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"helpline/store/storetest"
)

// slaReportQueries are the SLA compliance report's query for each shape
// of filter, over the days before now.
func slaReportQueries(w *ticketWorld, days int) []query {
	now := time.Now()
	base := ReportFilter{From: now.AddDate(0, 0, -days), To: now}
	dept, agent, channel, all := base, base, base, base
	dept.DepartmentID = w.sales
	agent.AgentID = w.ann.ID
	channel.Channel = ChannelEmail
	all.DepartmentID, all.AgentID, all.Channel = w.sales, w.ann.ID, ChannelEmail
	var qs []query
	for name, f := range map[string]ReportFilter{"no filter": base, "department": dept, "agent": agent, "channel": channel, "all filters": all} {
		q, args := slaReportSQL(f)
		qs = append(qs, query{name: "SLA compliance (" + name + ")", sql: q, args: args})
	}
	return qs
}

// slaOutcomeStats are statistics of a million-ticket desk's outcomes,
// beside largeDeskStats.
const slaOutcomeStats = `
	INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
	('sla_outcomes', 'sla_outcomes_at', '2500000 2'),
	('sla_outcomes', 'sla_outcomes_agent_at', '2400000 12000 2'),
	('sla_outcomes', 'sla_outcomes_ticket', '2500000 3 2 1')`

// TestExplain_SLAReportReadsOutcomesNotTickets: the report reads the
// period's outcomes from their index and each ticket by its key, and the
// queue's SLA drill-down probes a ticket's outcomes by their index; no
// scan of the tickets, with and without a large desk's statistics.
func TestExplain_SLAReportReadsOutcomesNotTickets(t *testing.T) {
	for _, withStats := range []bool{false, true} {
		t.Run(map[bool]string{false: "fresh", true: "large desk statistics"}[withStats], func(t *testing.T) {
			w := newTicketWorldOn(t, newSQLiteStore(t))
			if withStats {
				for _, q := range []string{`ANALYZE`, `DELETE FROM sqlite_stat1`, largeDeskStats, reportStats, slaOutcomeStats} {
					if _, err := w.s.w.Exec(q); err != nil {
						t.Fatal(err)
					}
				}
				w.s.r.SetMaxIdleConns(0)
				w.s.r.SetMaxIdleConns(4)
			}
			var qs []query
			for _, q := range slaReportQueries(w, 365) {
				q.sqlite = func(plan []string) []string {
					var bad []string
					joined := strings.Join(plan, "\n")
					if !strings.Contains(joined, "SEARCH o USING INDEX sla_outcomes_at") && !strings.Contains(joined, "SEARCH o USING INDEX sla_outcomes_agent_at") {
						bad = append(bad, "does not read the period's outcomes by their index")
					}
					if !strings.Contains(joined, "SEARCH t USING INTEGER PRIMARY KEY") {
						bad = append(bad, "does not read tickets by key")
					}
					for _, line := range plan {
						if fullScan.MatchString(line) || strings.HasPrefix(line, "SCAN o") {
							bad = append(bad, "scans: "+line)
						}
					}
					return bad
				}
				qs = append(qs, q)
			}
			now := time.Now()
			for _, o := range []QueueSort{SortPriority, SortUpdated, SortDue} {
				f := QueueFilter{Sort: o, SLA: SLADrill{Target: TargetFirstAnswer, Met: false, From: now.AddDate(0, 0, -7), To: now, Agent: w.ann.ID}}
				for _, q := range queueQueries(w, f, "SLA drill-down by "+string(o), Cursor{}) {
					q.sqlite = func(plan []string) []string {
						var bad []string
						for _, line := range plan {
							if fullScan.MatchString(line) || strings.HasPrefix(line, "SCAN o") {
								bad = append(bad, "scans: "+line)
							}
							if strings.HasPrefix(line, "SEARCH o") && !strings.Contains(line, "sla_outcomes_ticket (ticket_id=?") {
								bad = append(bad, "probes outcomes by another index than the ticket's: "+line)
							}
						}
						return bad
					}
					qs = append(qs, q)
				}
			}
			checkSQLitePlans(t, w.s, qs)
		})
	}
}

func TestExplainPG_SLAReportReadsOutcomesNotTickets(t *testing.T) {
	if !storetest.Postgres() {
		t.Skip("PostgreSQL's plans; TestExplain_SLAReportReadsOutcomesNotTickets checks SQLite's")
	}
	w := newTicketWorld(t)
	loadPGDesk(t, w.s)
	ctx := context.Background()
	// Outcomes for a share of the large desk's tickets, spread over its
	// six weeks, as replies and resolutions would have written them.
	for _, q := range []string{
		`INSERT INTO sla_outcomes (ticket_id, target, agent_id, at, met)
			SELECT id, 'first_answer', ` + fmt.Sprint(w.ann.ID) + `, created_at + 60000, (id % 3 <> 0)::int FROM tickets WHERE id % 4 = 0`,
		`VACUUM (ANALYZE) sla_outcomes`,
	} {
		if _, err := w.s.w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	for _, q := range slaReportQueries(w, 1) {
		plan := pgPlan(t, w.s, q.sql, q.args)
		for _, e := range plan.problems(true) {
			t.Errorf("%s %s:\n%s", q.name, e, plan.String())
		}
		if bad := pgTicketsNotByKey(plan); bad != "" {
			t.Errorf("%s reads tickets otherwise than by key (%s):\n%s", q.name, bad, plan.String())
		}
		if testing.Verbose() {
			t.Logf("%s:\n%s", q.name, plan.String())
		}
	}
	// The queue's SLA drill-down walks the queue's indexes as its other
	// filters do, probing each ticket's outcomes.
	now := time.Now()
	for _, o := range []QueueSort{SortPriority, SortUpdated, SortDue} {
		f := QueueFilter{Sort: o, SLA: SLADrill{Target: TargetFirstAnswer, From: now.AddDate(0, 0, -7), To: now, Agent: w.ann.ID}}
		for _, q := range queueQueries(w, f, "SLA drill-down by "+string(o), Cursor{}) {
			plan := pgPlan(t, w.s, q.sql, q.args)
			for _, e := range plan.problems(q.sorted) {
				t.Errorf("%s %s:\n%s", q.name, e, plan.String())
			}
		}
	}
}

// pgTicketsNotByKey names the first node that reads tickets other than by
// their primary key.
func pgTicketsNotByKey(n pgPlanNode) string {
	if n.Relation == "tickets" && n.Index != "tickets_pkey" {
		return n.NodeType + " " + n.Index
	}
	for _, c := range n.Plans {
		if bad := pgTicketsNotByKey(c); bad != "" {
			return bad
		}
	}
	return ""
}
