package store

import (
	"strings"
	"testing"
	"time"

	"helpline/authz"
	"helpline/store/storetest"
)

// TestExplainPG_SearchStatements checks PostgreSQL's plans of a text
// search's two statements (queue_pg_search.go), on the desk of
// TestExplainPG_HotQueriesUseIndexes: no scan of a table that grows with
// the desk, in any span, filter or direction, for a rare word and a common
// one; a span's bound is a condition of ticket_search's key, so a walked
// span never reads past it, whichever way the planner takes the words (in
// order by the key, or from the GIN index and sorted); the page's rows are
// read by their tickets' keys.
func TestExplainPG_SearchStatements(t *testing.T) {
	if !storetest.Postgres() {
		t.Skip("PostgreSQL's plans of its own search")
	}
	w := newTicketWorld(t)
	start := time.Now()
	loadPGDesk(t, w.s)
	t.Logf("loaded %d tickets in %v", pgDeskTickets, time.Since(start).Round(time.Millisecond))
	var top int64
	if err := w.s.r.QueryRow(`SELECT max(id) + 1 FROM tickets`).Scan(&top); err != nil {
		t.Fatal(err)
	}
	cur := Cursor{ID: top - 5000}
	filters := map[string]QueueFilter{
		"newest":        {},
		"unassigned":    {Assignee: AssigneeUnassigned},
		"status":        {Status: TicketOpen},
		"department":    {DepartmentID: w.sales},
		"next page":     {After: cur},
		"previous page": {Before: cur},
	}
	for name, f := range filters {
		for _, word := range []string{"hello", "invoice"} {
			f.Search, f.Limit, f.Sort = word, 50, SortPriority
			for _, v := range []authz.Viewer{w.annV, w.adminV} {
				for _, span := range pgSearchSpans {
					var win idWindow
					switch {
					case span.ids == 0:
					case f.Before.ID != 0:
						win.hi = f.Before.ID + span.ids
					case f.After.ID != 0:
						win.lo = f.After.ID - span.ids
					default:
						win.lo = top - span.ids
					}
					q, args := pgSearchIDsSQL(v, f, win, span.walk)
					plan := pgPlan(t, w.s, q, args)
					label := word + " " + name + " " + viewerLabel(v)
					for _, e := range plan.problems(true) {
						t.Errorf("search ids %s span %d: %s:\n%s", label, span.ids, e, plan)
					}
					if span.walk && !strings.Contains(plan.String(), "using ticket_search_pkey (rows=") {
						t.Errorf("search ids %s span %d: the span is not read by ticket_search's key:\n%s", label, span.ids, plan)
					}
				}
				q, args := pgSearchRowsSQL(v, f, []int64{top - 1, top - 2, top - 3})
				plan := pgPlan(t, w.s, q, args)
				for _, e := range plan.problems(false) {
					t.Errorf("search rows %s %s: %s:\n%s", name, viewerLabel(v), e, plan)
				}
				if !strings.Contains(plan.String(), "on tickets t using tickets_pkey") {
					t.Errorf("search rows %s %s: tickets not read by their key:\n%s", name, viewerLabel(v), plan)
				}
			}
		}
	}
}
