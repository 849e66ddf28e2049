package store

import (
	"strings"
	"testing"
)

// The Due order and the Overdue filter walk the sla_due index: no scan of
// the tickets and no sort outside the index, for an Agent and an
// Administrator, on the first page and after a cursor.
func TestExplain_DueOrderUsesItsIndex(t *testing.T) {
	w := newTicketWorldOn(t, newSQLiteStore(t))
	var qs []query
	for _, v := range []struct {
		name string
		f    QueueFilter
	}{
		{"due", QueueFilter{Sort: SortDue, Limit: 50}},
		{"due after", QueueFilter{Sort: SortDue, Limit: 50, After: Cursor{Key: 1, ID: 1}}},
		{"overdue", QueueFilter{Overdue: true, Limit: 50}},
		{"due in a department", QueueFilter{Sort: SortDue, DepartmentID: w.sales, Limit: 50}},
	} {
		for _, viewer := range []struct {
			name string
			f    func() (string, []any)
		}{
			{"agent", func() (string, []any) { return dueSQL(w.annV, v.f, 1, true) }},
			{"admin", func() (string, []any) { return dueSQL(w.adminV, v.f, 1, true) }},
		} {
			q, args := viewer.f()
			qs = append(qs, query{name: v.name + " " + viewer.name, sql: q, args: args, sqlite: func(plan []string) []string {
				var bad []string
				for _, line := range plan {
					if strings.Contains(line, "USE TEMP B-TREE FOR ORDER BY") {
						bad = append(bad, "sorts: "+line)
					}
					if strings.HasPrefix(line, "SCAN t") && !strings.Contains(line, "sla_due") {
						bad = append(bad, "scans: "+line)
					}
				}
				if !strings.Contains(strings.Join(plan, "\n"), "sla_due") {
					bad = append(bad, "does not use an sla_due index")
				}
				return bad
			}})
		}
	}
	checkSQLitePlans(t, w.s, qs)
}
