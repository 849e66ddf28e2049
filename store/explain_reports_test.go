package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"helpline/store/storetest"
)

// reportQueries are every query a report runs over the days before now,
// for each shape of filter: none, a department, an agent, a channel, all
// three.
func reportQueries(w *ticketWorld, days int) []query {
	now := time.Now()
	base := ReportFilter{From: now.AddDate(0, 0, -days), To: now}
	filters := map[string]ReportFilter{"no filter": base}
	dept, agent, channel, all := base, base, base, base
	dept.DepartmentID = w.sales
	agent.AgentID = w.ann.ID
	channel.Channel = ChannelEmail
	all.DepartmentID, all.AgentID, all.Channel = w.sales, w.ann.ID, ChannelEmail
	filters["department"], filters["agent"], filters["channel"], filters["all filters"] = dept, agent, channel, all
	var qs []query
	for name, f := range filters {
		add := func(what string, q string, args []any) {
			qs = append(qs, query{name: fmt.Sprintf("%s (%s)", what, name), sql: q, args: args})
		}
		q, args := reportDaysSQL(f)
		add("overview days", q, args)
		q, args = backlogSQL(f)
		add("backlog", q, args)
		q, args = firstAnswersSQL(f)
		add("first answer times", q, args)
		q, args = reportGroupSQL(f, "r.agent_id")
		add("performance by agent", q, args)
		q, args = reportGroupSQL(f, "r.department_id")
		add("performance by department", q, args)
		q, args = w.s.exportSQL(f)
		add("export tickets", q, args)
		from, to := hourOf(f.From), hourOf(f.To)
		q, args = queueBeforeSQL(f, from)
		add("ticket load queue before", q, args)
		q, args = queueHoursSQL(f, from, to)
		add("ticket load queue", q, args)
		q, args = signedInSQL(f, "report_signed_in", "at_hour", from, to)
		add("ticket load signed in", q, args)
		q, args = reportTagsSQL(f)
		add("tags", q, args)
		p := dayPeriod{from: dayNumber(f.From), to: dayNumber(f.To), loc: time.UTC}
		q, args = dayRollupSQL(f, p, "")
		add("overview days from the day rollups", q, args)
		q, args = dayRollupSQL(f, p, "agent_id")
		add("performance by agent from the day rollups", q, args)
		q, args = dayRollupSQL(f, p, "department_id")
		add("performance by department from the day rollups", q, args)
		q, args = replyHistogramSQL(f, p)
		add("first answer histogram", q, args)
		q, args = signedInSQL(f, "report_signed_in_days", "day", p.from, p.to)
		add("ticket load signed in per day", q, args)
	}
	return qs
}

// reportStats are statistics of a million-ticket desk's report tables,
// beside largeDeskStats.
const reportStats = `
	INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
	('report_hours', 'report_hours_agent', '2000000 10000 200'),
	('ticket_firsts', 'ticket_firsts_reply', '900000 2 1'),
	('ticket_firsts', 'ticket_firsts_resolve', '800000 2'),
	('tickets', 'tickets_created', '1000000 1')`

// TestExplain_ReportQueriesNeverScanTicketsOrMessages: every report reads
// the kept hours, the kept counts and the firsts' indexes; tickets and
// messages only by key or index range, never whole.
func TestExplain_ReportQueriesNeverScanTicketsOrMessages(t *testing.T) {
	for _, withStats := range []bool{false, true} {
		t.Run(map[bool]string{false: "fresh", true: "large desk statistics"}[withStats], func(t *testing.T) {
			w := newTicketWorldOn(t, newSQLiteStore(t))
			if withStats {
				for _, q := range []string{`ANALYZE`, `DELETE FROM sqlite_stat1`, largeDeskStats, reportStats} {
					if _, err := w.s.w.Exec(q); err != nil {
						t.Fatal(err)
					}
				}
				w.s.r.SetMaxIdleConns(0)
				w.s.r.SetMaxIdleConns(4)
			}
			checkSQLitePlans(t, w.s, reportQueries(w, 365))
		})
	}
}

func TestExplainPG_ReportQueriesNeverScanTicketsOrMessages(t *testing.T) {
	if !storetest.Postgres() {
		t.Skip("PostgreSQL's plans; TestExplain_ReportQueriesNeverScanTicketsOrMessages checks SQLite's")
	}
	w := newTicketWorld(t)
	loadPGDesk(t, w.s)
	ctx := context.Background()
	for _, q := range append(reportRebuildSQL, `VACUUM (ANALYZE) ticket_firsts, report_hours`) {
		if _, err := w.s.w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	// The desk holds six weeks of tickets: over a day the rows read by id
	// must come from the indexes (over weeks of them, reading the table
	// whole is the better plan, and PostgreSQL rightly takes it).
	for _, q := range reportQueries(w, 1) {
		plan := pgPlan(t, w.s, q.sql, q.args)
		for _, e := range plan.problems(true) {
			t.Errorf("%s %s:\n%s", q.name, e, plan.String())
		}
	}
}
