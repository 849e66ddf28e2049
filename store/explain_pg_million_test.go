package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"helpline/store/storetest"
)

// pgMillionCopies is how many times the large desk's tickets are copied on
// top of themselves to reach about a million tickets (150 000 × 7).
const pgMillionCopies = 6

// TestExplainPG_QueueByDropdownAndTagAtAMillionTickets checks the plans of
// the queue filtered by a Dropdown's value and by a tag, common and rare
// values alike, and of a saved view's bounded count, on PostgreSQL holding
// about a million tickets with their tags and values: an index, never a
// read of a whole table that grows with the desk.
func TestExplainPG_QueueByDropdownAndTagAtAMillionTickets(t *testing.T) {
	if !storetest.Postgres() {
		t.Skip("PostgreSQL's plans; TestExplain_FieldFiltersUseIndexes and TestExplain_HotQueriesUseIndexes check SQLite's with a million tickets' statistics")
	}
	if testing.Short() {
		t.Skip("loads a million tickets")
	}
	w := newTicketWorld(t)
	field := addField(t, w.s, w.admin.ID, productField)
	addField(t, w.s, w.admin.ID, TicketFieldInput{Name: "Urgent", Code: "urgent", Type: FieldCheckbox})
	start := time.Now()
	loadPGDesk(t, w.s)
	ctx := context.Background()
	// Half the tickets are about a Widget, a third a Gadget, one in 200 a
	// Spanner (a rare value); one in ten is ticked Urgent.
	for _, q := range []string{
		fmt.Sprintf(`INSERT INTO ticket_field_values (ticket_id, field_id, value)
			SELECT id, %d, CASE WHEN r < 0.005 THEN 'Spanner' WHEN r < 0.5 THEN 'Widget' ELSE 'Gadget' END
			FROM (SELECT id, random() AS r FROM tickets WHERE id >= 1000000) x WHERE r < 0.83`, field),
		fmt.Sprintf(`INSERT INTO ticket_field_values (ticket_id, field_id, value)
			SELECT id, %d, '1' FROM tickets WHERE id >= 1000000 AND random() < 0.1`, field+1),
	} {
		if _, err := w.s.w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	copyPGDesk(t, w.s, pgMillionCopies)
	var n int
	if err := w.s.r.QueryRowContext(ctx, `SELECT count(*) FROM tickets`).Scan(&n); err != nil || n < 1_000_000 {
		t.Fatalf("the desk holds %d tickets (%v), want a million", n, err)
	}
	t.Logf("loaded %d tickets in %v", n, time.Since(start).Round(time.Millisecond))

	qs := fieldQueries(w, field, "Widget", "Spanner")
	for _, q := range hotQueries(t, w) {
		if strings.Contains(q.name, "tag") {
			qs = append(qs, q)
		}
	}
	var tagQueries int
	for _, q := range qs {
		if strings.Contains(q.name, "tag") {
			tagQueries++
		}
		plan := pgPlan(t, w.s, q.sql, q.args)
		for _, e := range plan.problems(q.sorted) {
			t.Errorf("%s %s:\n%s", q.name, e, plan.String())
		}
	}
	if tagQueries < 10 {
		t.Fatalf("only %d queries of the queue by a tag checked", tagQueries)
	}
}

// copyPGDesk copies the large desk's tickets (ids from 1 000 000), with
// their tags and field values, copies times on top of themselves under new
// ids and codes, then gathers statistics. The copies need no messages or
// search documents: the queue by a tag or a value does not read them. Rows
// go in as loadPGDesk's do, with the triggers off (the kept counts are not
// what these plans read) and the indexes made again afterwards.
func copyPGDesk(t *testing.T, s *Store, copies int) {
	t.Helper()
	ctx := context.Background()
	var cols []string
	rows, err := s.r.QueryContext(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_name = 'tickets' AND table_schema = current_schema() ORDER BY ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	var span int64
	if err := s.r.QueryRowContext(ctx, `SELECT max(id) - 1000000 + 1 FROM tickets WHERE id >= 1000000`).Scan(&span); err != nil {
		t.Fatal(err)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	exec := func(q string) {
		t.Helper()
		if _, err := tx.ExecContext(ctx, q); err != nil {
			t.Fatalf("copy the large desk: %v\n%s", err, q)
		}
	}
	var super bool
	if err := tx.QueryRowContext(ctx, `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&super); err != nil {
		t.Fatal(err)
	}
	tables := []string{"tickets", "ticket_tags", "ticket_field_values"}
	if super {
		exec(`SET LOCAL session_replication_role = replica`)
	} else {
		for _, tb := range tables {
			exec(`ALTER TABLE ` + tb + ` DISABLE TRIGGER USER`)
		}
	}
	// As loadPGDesk: the indexes that are not constraints are made again
	// once the rows are in, many times faster than growing them row by row.
	idx, err := tx.QueryContext(ctx, `SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
		FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
		WHERE c.relname = ANY ($1) AND pg_table_is_visible(c.oid)
		AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`, tables)
	if err != nil {
		t.Fatal(err)
	}
	var drop, create []string
	for idx.Next() {
		var name, def string
		if err := idx.Scan(&name, &def); err != nil {
			t.Fatal(err)
		}
		drop, create = append(drop, `DROP INDEX `+name), append(create, def)
	}
	idx.Close()
	for _, q := range drop {
		exec(q)
	}
	for k := 1; k <= copies; k++ {
		off := int64(k) * span
		sel := make([]string, len(cols))
		for i, c := range cols {
			switch c {
			case "id":
				sel[i] = fmt.Sprintf("id + %d", off)
			case "code":
				sel[i] = fmt.Sprintf("code || '-%d'", k)
			default:
				sel[i] = c
			}
		}
		exec(`INSERT INTO tickets (` + strings.Join(cols, ", ") + `) SELECT ` + strings.Join(sel, ", ") +
			fmt.Sprintf(` FROM tickets WHERE id BETWEEN 1000000 AND %d`, 1000000+span-1))
		exec(fmt.Sprintf(`INSERT INTO ticket_tags (ticket_id, tag) SELECT ticket_id + %d, tag FROM ticket_tags
			WHERE ticket_id BETWEEN 1000000 AND %d`, off, 1000000+span-1))
		exec(fmt.Sprintf(`INSERT INTO ticket_field_values (ticket_id, field_id, value) SELECT ticket_id + %d, field_id, value
			FROM ticket_field_values WHERE ticket_id BETWEEN 1000000 AND %d`, off, 1000000+span-1))
	}
	exec(`SET LOCAL maintenance_work_mem = '256MB'`)
	for _, q := range create {
		exec(q)
	}
	if !super {
		for _, tb := range tables {
			exec(`ALTER TABLE ` + tb + ` ENABLE TRIGGER USER`)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `VACUUM (ANALYZE) tickets, ticket_tags, ticket_field_values`); err != nil {
		t.Fatal(err)
	}
}
