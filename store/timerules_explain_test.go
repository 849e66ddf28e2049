package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"helpline/automation"
	"helpline/store/storetest"
)

// timeRuleIndex is the index each Apply when's candidate reads must walk.
var timeRuleIndex = map[automation.TimeKind]string{
	automation.OlderThan:         "tickets_created",
	automation.StatusUnchanged:   "tickets_status_since",
	automation.DueInLessThan:     "tickets_sla_due",
	automation.OverdueByMoreThan: "tickets_sla_due",
}

// timeRuleQueries are the minute's candidate reads of every Apply when:
// a minute's window one hour back from at, and the read of one instant's
// ties; for Due in less than, the hour of due times ahead not yet looked at.
func timeRuleQueries(at int64) []query {
	var qs []query
	for _, k := range automation.TimeKinds {
		lo, hi := k.BaseRange(msToTime(at-time.Minute.Milliseconds()), msToTime(at), time.Hour)
		if k == automation.DueInLessThan {
			qs = append(qs, query{name: string(k) + " due soon", sql: dueSoonSQL,
				args: []any{at, hi.UnixMilli(), int64(1), time.Hour.Milliseconds(), timeRuleBatch}})
			continue
		}
		qs = append(qs,
			query{name: string(k) + " window", sql: timeCandidatesSQL(k), args: []any{lo.UnixMilli(), hi.UnixMilli(), timeRuleBatch}},
			query{name: string(k) + " ties", sql: timeTiesSQL(k), args: []any{lo.UnixMilli()}})
	}
	return qs
}

// The time rules' candidate reads are index ranges on SQLite: no scan of
// the tickets and no sort outside the index.
func TestExplain_TimeRuleCandidatesUseIndexes(t *testing.T) {
	w := newTicketWorldOn(t, newSQLiteStore(t))
	contactTicket(t, w.s, w.sales, "Hello", "world")
	var qs []query
	for _, q := range timeRuleQueries(time.Now().UnixMilli()) {
		kind := automation.TimeKind(strings.Fields(q.name)[0])
		q.sqlite = func(plan []string) []string {
			var bad []string
			all := strings.Join(plan, "\n")
			if !strings.Contains(all, "USING INDEX "+timeRuleIndex[kind]) {
				bad = append(bad, "does not use "+timeRuleIndex[kind])
			}
			for _, line := range plan {
				if strings.Contains(line, "USE TEMP B-TREE") {
					bad = append(bad, "sorts: "+line)
				}
				if strings.HasPrefix(line, "SCAN") {
					bad = append(bad, "scans: "+line)
				}
			}
			return bad
		}
		qs = append(qs, q)
	}
	checkSQLitePlans(t, w.s, qs)
}

// PostgreSQL's twin, on the large desk of TestExplainPG_HotQueriesUseIndexes
// with due times on the open tickets: no sequential scan of the tickets,
// and no sort of more than a batch.
func TestExplainPG_TimeRuleCandidatesUseIndexes(t *testing.T) {
	if !storetest.Postgres() {
		t.Skip("PostgreSQL's plans; TestExplain_TimeRuleCandidatesUseIndexes checks SQLite's")
	}
	w := newTicketWorld(t)
	loadPGDesk(t, w.s)
	ctx := context.Background()
	for _, q := range []string{
		`UPDATE tickets SET sla_due = created_at + 8 * 3600000 WHERE status IN ('new', 'open')`,
		`UPDATE tickets SET status_changed_at = created_at + 600000 WHERE status IN ('answered', 'resolved')`,
		// A rule that has looked at every ticket once: its record is as
		// large as the desk, and must be probed, not read whole.
		`INSERT INTO time_rules (id, position, active, name, apply_when, after_min, definition, checked_until, created_at, updated_at)
			VALUES (1, 1, 1, 'Bench', 'due_in_less_than', 60, '{}', 0, 0, 0)`,
		`INSERT INTO time_rule_hits (rule_id, ticket_id, moment) SELECT 1, id, created_at FROM tickets`,
		`VACUUM (ANALYZE) tickets, time_rule_hits`,
	} {
		if _, err := w.s.w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	var newest int64
	if err := w.s.r.QueryRowContext(ctx, `SELECT max(created_at) FROM tickets`).Scan(&newest); err != nil {
		t.Fatal(err)
	}
	for _, q := range timeRuleQueries(newest) {
		plan := pgPlan(t, w.s, q.sql, q.args)
		for _, e := range plan.problems(true) {
			t.Errorf("%s %s:\n%s", q.name, e, plan.String())
		}
		kind := automation.TimeKind(strings.Fields(q.name)[0])
		if !strings.Contains(plan.String(), timeRuleIndex[kind]) {
			t.Errorf("%s does not use %s:\n%s", q.name, timeRuleIndex[kind], plan.String())
		}
		// The rule's record is probed ticket by ticket, never read whole
		// into a hash; once vacuumed the probe reads the index alone.
		probed := strings.Contains(plan.String(), "Index Scan on time_rule_hits") || strings.Contains(plan.String(), "Index Only Scan on time_rule_hits")
		if kind == automation.DueInLessThan && (strings.Contains(plan.String(), "Hash") || !probed) {
			t.Errorf("%s reads the rule's record whole:\n%s", q.name, plan.String())
		}
		if testing.Verbose() {
			t.Logf("%s:\n%s", q.name, plan.String())
		}
	}
}
