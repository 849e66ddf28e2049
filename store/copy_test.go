package store

import (
	"context"
	"errors"
	"slices"
	"testing"

	"helpline/store/storetest"
)

// Only a desk with every migration of this program applied, and none it
// does not know, is copied: the rows must be the data model the target has.
func TestCopyDesk_RefusesASourceNotMigratedAsThisProgramMigrates(t *testing.T) {
	ctx := context.Background()
	s := newSQLiteStore(t)
	if err := s.checkCurrent(ctx); err != nil {
		t.Fatalf("a migrated desk: %v", err)
	}
	if _, err := s.w.ExecContext(ctx, `DELETE FROM goose_db_version WHERE version_id = 8`); err != nil {
		t.Fatal(err)
	}
	var nc ErrNotCurrent
	if err := s.checkCurrent(ctx); !errors.As(err, &nc) || !slices.Equal(nc.Missing, []int64{8}) {
		t.Fatalf("a desk without migration 8: %v", err)
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (8, 1), (99, 1)`); err != nil {
		t.Fatal(err)
	}
	var um ErrUnknownMigrations
	if err := s.checkCurrent(ctx); !errors.As(err, &um) || !slices.Equal(um.Versions, []int64{99}) {
		t.Fatalf("a desk a newer Helpline migrated: %v", err)
	}
	if _, err := CopyDesk(ctx, s, s, CopyOptions{}); err == nil {
		t.Fatal("a copy into SQLite was accepted")
	}
}

// A copy that fails part way leaves the target as it found it: no rows,
// its triggers, indexes and references in place, and ready for a copy
// that then succeeds.
func TestCopyDesk_AFailedCopyLeavesTheTargetEmpty(t *testing.T) {
	if !storetest.Postgres() {
		t.Skip("copying a desk into PostgreSQL needs a PostgreSQL server: this test runs with HELPLINE_TEST_ENGINE=postgres (make test-postgres)")
	}
	ctx := context.Background()
	w := newTicketWorldOn(t, newSQLiteStore(t))
	code := contactTicket(t, w.s, w.sales, "Printer on fire", "The zanzibar printer smokes")
	if err := w.s.Assign(ctx, w.adminV, code, w.ann.ID); err != nil {
		t.Fatal(err)
	}
	to := newTestStore(t)

	schema := func() (out [3]int64) {
		t.Helper()
		for i, q := range []string{
			`SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'O'`,
			`SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()`,
			`SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace`,
		} {
			if err := to.w.QueryRowContext(ctx, q).Scan(&out[i]); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	before := schema()
	// The rules' version is a row of the schema itself, made by its
	// migration: it is there before the copy and stays.
	made := map[string]int{"rules_version": 1}
	// The reports' fixed rows: the first answer buckets and the months.
	for _, tbl := range []string{"report_buckets", "report_months"} {
		var n int
		if err := to.w.QueryRowContext(ctx, `SELECT count(*) FROM `+tbl).Scan(&n); err != nil || n == 0 {
			t.Fatalf("%s: %d rows, %v", tbl, n, err)
		}
		made[tbl] = n
	}

	failing, cancel := context.WithCancel(ctx)
	defer cancel()
	_, err := CopyDesk(failing, w.s, to, CopyOptions{MovedFrom: "test.db", Progress: func(table string, _ int64) {
		if table == "messages" {
			cancel()
		}
	}})
	if err == nil {
		t.Fatal("the copy went on after its context ended")
	}
	var tables []string
	for _, c := range copyOrder {
		tables = append(tables, c.name)
	}
	for _, r := range rebuilt {
		tables = append(tables, r.name)
	}
	for _, tbl := range tables {
		var n int
		if err := to.w.QueryRowContext(ctx, `SELECT count(*) FROM `+tbl).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != made[tbl] {
			t.Errorf("after a failed copy %s has %d rows, want %d", tbl, n, made[tbl])
		}
	}
	if after := schema(); after != before {
		t.Fatalf("triggers, indexes, references: %v after a failed copy, %v before", after, before)
	}

	copied, err := CopyDesk(ctx, w.s, to, CopyOptions{MovedFrom: "test.db"})
	if err != nil {
		t.Fatalf("a copy after the failed one: %v", err)
	}
	for _, ct := range copied {
		if ct.Source != ct.Target-ct.Added {
			t.Errorf("%s: %d rows, want %d", ct.Name, ct.Target, ct.Source)
		}
	}
	if after := schema(); after != before {
		t.Fatalf("triggers, indexes, references: %v after the copy, %v before", after, before)
	}
	// The triggers work again: a new message updates the search document.
	if err := to.Reply(ctx, w.adminV, code, "Try the quokka reset"); err != nil {
		t.Fatal(err)
	}
	page, err := to.Queue(ctx, w.adminV, QueueFilter{Search: "quokka", Limit: 5})
	if err != nil || len(page.Tickets) != 1 {
		t.Fatalf("searching a word replied after the copy: %d tickets, %v", len(page.Tickets), err)
	}
	if _, err := CopyDesk(ctx, w.s, to, CopyOptions{}); !errors.As(err, new(ErrTargetNotEmpty)) {
		t.Fatalf("a copy into a desk: %v, want ErrTargetNotEmpty", err)
	}
}
