package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"helpline/authz"
	"helpline/store/storetest"
)

// The queue filtered by a Dropdown's value, and the counts of saved views,
// at the size of a large desk: they use an index and never read tickets
// whole, on both engines.

// fieldQueries are the queries of the queue filtered by field's value
// common (probed per ticket while the queue walks its order) and rare (read
// from the values' index), and of a saved view's bounded count.
func fieldQueries(w *ticketWorld, field int64, common, rare string) []query {
	cur := Cursor{Key: 12345, ID: 7}
	var qs []query
	for name, f := range map[string]QueueFilter{
		"value":             {Fields: []FieldMatch{{field, common}}},
		"open value":        {Open: true, Fields: []FieldMatch{{field, common}}},
		"value next page":   {After: cur, Fields: []FieldMatch{{field, common}}},
		"status with value": {Status: TicketOpen, Fields: []FieldMatch{{field, common}}},
	} {
		for _, o := range QueueSorts {
			f.Sort = o
			for _, q := range queueQueries(w, f, name+" by "+string(o), cur) {
				// As for a common tag, PostgreSQL may join a department's
				// range to the value's tickets and sort the few that match.
				q.sorted = w.s.pg
				qs = append(qs, q)
			}
		}
	}
	for name, f := range map[string]QueueFilter{
		"rare value":           {Fields: []FieldMatch{{field, rare}}},
		"open rare value":      {Open: true, Fields: []FieldMatch{{field, rare}}, Sort: SortCreated},
		"rare value next page": {After: cur, Fields: []FieldMatch{{field, rare}}},
		"rare value by update": {Sort: SortUpdated, Before: cur, Fields: []FieldMatch{{field, rare}}},
		"two values":           {Fields: []FieldMatch{{field, rare}, {field + 1, desk0}}},
	} {
		f.Limit = 50
		for _, depts := range [][]int64{nil, {w.sales}, {w.sales, w.support}} {
			q, a := rareFieldSQL(w.adminV, f, f.Fields[0], depts, !f.Before.IsZero())
			qs = append(qs, query{name: fmt.Sprintf("queue %s in %d departments", name, len(depts)), sql: q, args: a, sorted: true,
				sqlite: func(plan []string) []string {
					var errs []string
					if len(plan) == 0 || !strings.HasPrefix(plan[0], "SEARCH rf USING COVERING INDEX ticket_field_values_value (field_id=? AND value=?)") {
						errs = append(errs, "does not start from the values' index")
					}
					return append(errs, scans(plan)...)
				}})
		}
	}
	for _, value := range []string{common, rare} {
		qs = append(qs, query{name: "field value rarity " + value, sql: `SELECT count(*) FROM (SELECT 1 FROM ticket_field_values WHERE field_id = ? AND value = ? ORDER BY ticket_id LIMIT ?) AS few`,
			args: []any{field, value, defaultRareTagRows}})
	}
	for name, f := range map[string]QueueFilter{
		"value":         {Fields: []FieldMatch{{field, common}}},
		"status value":  {Status: TicketOpen, Fields: []FieldMatch{{field, rare}}},
		"tag":           {Tag: "vip"},
		"channel":       {Channel: ChannelCall},
		"channel mine":  {Channel: ChannelCall, Assignee: AssigneeMe},
		"open channel":  {Open: true, Channel: ChannelEmail, DepartmentID: w.sales},
		"tag and value": {Tag: "vip", Fields: []FieldMatch{{field, common}}},
	} {
		for _, v := range []authz.Viewer{w.annV, w.adminV} {
			q, a := viewCountSQL(v, f, viewCountBound)
			qs = append(qs, query{name: "saved view count " + name + " " + viewerLabel(v), sql: q, args: a})
		}
	}
	return qs
}

// desk0 is a second field's value in the two-value filter.
const desk0 = "1"

func TestExplain_FieldFiltersUseIndexes(t *testing.T) {
	for _, withStats := range []bool{false, true} {
		t.Run(map[bool]string{false: "fresh", true: "large desk statistics"}[withStats], func(t *testing.T) {
			w := newTicketWorldOn(t, newSQLiteStore(t))
			field := addField(t, w.s, w.admin.ID, productField)
			addField(t, w.s, w.admin.ID, TicketFieldInput{Name: "Urgent", Code: "urgent", Type: FieldCheckbox})
			if withStats {
				for _, q := range []string{`ANALYZE`, `DELETE FROM sqlite_stat1`, largeDeskStats, `INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
					('ticket_field_values', 'ticket_field_values_value', '1200000 600000 200000 1'),
					('ticket_field_values', 'ticket_field_values', '1200000 2 1')`} {
					if _, err := w.s.w.Exec(q); err != nil {
						t.Fatal(err)
					}
				}
				w.s.r.SetMaxIdleConns(0)
				w.s.r.SetMaxIdleConns(4)
			}
			checkSQLitePlans(t, w.s, fieldQueries(w, field, "Widget", "Spanner"))
		})
	}
}

func TestExplainPG_FieldFiltersUseIndexes(t *testing.T) {
	if !storetest.Postgres() {
		t.Skip("PostgreSQL's plans; TestExplain_FieldFiltersUseIndexes checks SQLite's")
	}
	w := newTicketWorld(t)
	field := addField(t, w.s, w.admin.ID, productField)
	urgent := addField(t, w.s, w.admin.ID, TicketFieldInput{Name: "Urgent", Code: "urgent", Type: FieldCheckbox})
	start := time.Now()
	loadPGDesk(t, w.s)
	// Half the tickets are about a Widget, a third a Gadget, one in 200 a
	// Spanner (a rare value); one in ten is ticked Urgent.
	ctx := context.Background()
	for _, q := range []string{
		fmt.Sprintf(`INSERT INTO ticket_field_values (ticket_id, field_id, value)
			SELECT id, %d, CASE WHEN r < 0.005 THEN 'Spanner' WHEN r < 0.5 THEN 'Widget' WHEN r < 0.83 THEN 'Gadget' END
			FROM (SELECT id, random() AS r FROM tickets WHERE id >= 1000000) x WHERE r < 0.83`, field),
		fmt.Sprintf(`INSERT INTO ticket_field_values (ticket_id, field_id, value)
			SELECT id, %d, '1' FROM tickets WHERE id >= 1000000 AND random() < 0.1`, urgent),
		`VACUUM (ANALYZE) ticket_field_values`,
	} {
		if _, err := w.s.w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	t.Logf("loaded in %v", time.Since(start).Round(time.Millisecond))
	for _, q := range fieldQueries(w, field, "Widget", "Spanner") {
		plan := pgPlan(t, w.s, q.sql, q.args)
		for _, e := range plan.problems(q.sorted) {
			t.Errorf("%s %s:\n%s", q.name, e, plan.String())
		}
		if testing.Verbose() {
			t.Logf("%s:\n%s", q.name, plan.String())
		}
	}
}
