package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"helpline/authz"
	"helpline/demo"
	"helpline/store"
	"helpline/store/storetest"
)

// newStore opens a migrated store on a fresh database of the run's engine
// (storetest) and returns it with
// its writer and reader pools.
func newStore(t testing.TB) (s *store.Store, w, r *sql.DB) {
	t.Helper()
	s, err := store.Open(storetest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	w, r = s.TestPools()
	return s, w, r
}

// TestBulk_WritesWhatTheAppWrites fills a small demo desk through the bulk
// loader and checks it is indistinguishable from one the ticket actions
// wrote: valid references, counts equal to counting, a working search
// index, and the dropped indexes and triggers back in place.
func TestBulk_WritesWhatTheAppWrites(t *testing.T) {
	s, w, r := newStore(t)
	ctx := context.Background()
	schema := func() map[string]string {
		out := map[string]string{}
		rows, _ := r.Query(`SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL`)
		defer rows.Close()
		for rows.Next() {
			var n, q string
			rows.Scan(&n, &q)
			out[n] = q
		}
		return out
	}
	before := schema()
	if _, err := demo.Fill(ctx, s, demo.Options{Tickets: 600, Departments: 4, Agents: 12, Admins: 2, PasswordHash: store.TestHash, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	after := schema()
	for name, q := range before {
		if after[name] != q {
			t.Errorf("schema object %s not restored:\n%s\nwant\n%s", name, after[name], q)
		}
	}
	// The search index works afterwards as in any desk: merged, with
	// SQLite's own settings for the app's writes.
	settings := map[string]int{}
	rows, err := r.Query(`SELECT k, v FROM ticket_search_config WHERE k IN ('hashsize', 'automerge', 'crisismerge')`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		var v int
		rows.Scan(&k, &v)
		settings[k] = v
	}
	rows.Close()
	var segments int
	r.QueryRow(`SELECT count(DISTINCT segid) FROM ticket_search_idx`).Scan(&segments)
	if settings["hashsize"] != 1<<20 || settings["automerge"] != 4 || settings["crisismerge"] != 16 || segments != 1 {
		t.Fatalf("search index settings %v in %d segments; want SQLite's defaults in one", settings, segments)
	}
	// Every ticket is found by the words of its subject and its messages,
	// and the index is whole; the file it was built in is gone.
	if _, err := w.Exec(`INSERT INTO ticket_search (ticket_search, rank) VALUES ('integrity-check', 0)`); err != nil {
		t.Fatalf("search index: %v", err)
	}
	var tickets, documents, unfound int
	r.QueryRow(`SELECT count(*) FROM tickets`).Scan(&tickets)
	r.QueryRow(`SELECT count(*) FROM ticket_search_docsize`).Scan(&documents)
	probe, err := r.Query(`SELECT t.id, t.subject, m.body FROM tickets t JOIN messages m ON m.ticket_id = t.id AND m.kind = 'customer'
		WHERE t.id % 50 = 0 GROUP BY t.id`)
	if err != nil {
		t.Fatal(err)
	}
	var probes [][3]any
	for probe.Next() {
		var id int64
		var subject, body string
		probe.Scan(&id, &subject, &body)
		probes = append(probes, [3]any{id, strings.Fields(subject)[0], strings.Fields(body)[0]})
	}
	probe.Close()
	for _, p := range probes {
		var n int
		r.QueryRow(`SELECT count(*) FROM ticket_search WHERE ticket_search MATCH ? AND rowid = ?`,
			fmt.Sprintf(`subject:"%s" AND body:"%s"`, p[1], p[2]), p[0]).Scan(&n)
		if n != 1 {
			unfound++
		}
	}
	var dbFile string
	r.QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&dbFile)
	if _, err := os.Stat(dbFile + ".search"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the search index's build file is left behind: %v", err)
	}
	if documents != tickets || len(probes) < 10 || unfound != 0 {
		t.Fatalf("%d search documents for %d tickets; %d of %d tickets not found by their words", documents, tickets, unfound, len(probes))
	}
	var broken int
	r.QueryRow(`SELECT count(*) FROM pragma_foreign_key_check`).Scan(&broken)
	if broken != 0 {
		t.Fatalf("%d broken references", broken)
	}
	var mismatched, statuses, channels, noEvent int
	r.QueryRow(`SELECT count(*) FROM (SELECT department_id, status, count(*) AS n FROM tickets GROUP BY 1, 2) c
		LEFT JOIN ticket_counts k USING (department_id, status) WHERE k.n IS NOT c.n`).Scan(&mismatched)
	// The kept counts of the queue's views (My open, Unassigned): per
	// assignee, and of every assignee (0).
	var perAssignee, assigned int
	r.QueryRow(`SELECT count(*) FROM (SELECT assignee_id, department_id, status, count(*) AS n FROM tickets WHERE assignee_id IS NOT NULL GROUP BY 1, 2, 3
			UNION ALL SELECT 0, department_id, status, count(*) FROM tickets WHERE assignee_id IS NOT NULL GROUP BY 2, 3) c
		FULL JOIN ticket_assigned_counts k USING (assignee_id, department_id, status) WHERE coalesce(k.n, 0) <> coalesce(c.n, 0)`).Scan(&perAssignee)
	r.QueryRow(`SELECT count(*) FROM ticket_assigned_counts WHERE assignee_id <> 0`).Scan(&assigned)
	if perAssignee != 0 || assigned == 0 {
		t.Fatalf("assigned counts off in %d rows (%d rows of assignees)", perAssignee, assigned)
	}
	r.QueryRow(`SELECT count(DISTINCT status) FROM tickets`).Scan(&statuses)
	r.QueryRow(`SELECT count(DISTINCT channel) FROM tickets`).Scan(&channels)
	r.QueryRow(`SELECT count(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id AND m.event = 'created')`).Scan(&noEvent)
	if mismatched != 0 || statuses != 7 || channels != 5 || noEvent != 0 {
		t.Fatalf("counts off in %d rows; %d statuses, %d channels, %d tickets without a created event", mismatched, statuses, channels, noEvent)
	}
	var bad int
	r.QueryRow(`SELECT count(*) FROM tickets t WHERE t.sort_key <> ((CASE t.status WHEN 'new' THEN 0 WHEN 'open' THEN 0 WHEN 'answered' THEN 1
		WHEN 'postponed' THEN 2 WHEN 'resolved' THEN 3 WHEN 'spam' THEN 4 ELSE 5 END) * 4 + 3 - t.priority) * 4398046511104 + t.created_at
		OR t.message_count <> (SELECT count(*) FROM messages m WHERE m.ticket_id = t.id AND m.kind <> 'event')`).Scan(&bad)
	if bad != 0 {
		t.Fatalf("%d tickets with a wrong sort key or message count", bad)
	}
	admin := authz.Viewer{ID: 2, Perms: authz.BuiltinPerms(authz.RoleAdmin)}
	page, err := s.Queue(ctx, admin, store.QueueFilter{Search: "invoice"})
	if err != nil || len(page.Tickets) == 0 {
		t.Fatalf("search after the demo: %d tickets, %v", len(page.Tickets), err)
	}
	// Every loaded ticket is found by its requester and its code too.
	var name, email, someCode string
	r.QueryRow(`SELECT c.name, c.email, t.code FROM tickets t JOIN contacts c ON c.id = t.contact_id ORDER BY t.id LIMIT 1`).Scan(&name, &email, &someCode)
	for _, q := range []string{strings.Fields(name)[0], someCode} {
		page, err := s.Queue(ctx, admin, store.QueueFilter{Search: q, Limit: 200})
		if err != nil || !slices.ContainsFunc(page.Tickets, func(tk store.Ticket) bool { return tk.Code == someCode }) {
			t.Errorf("search %q after the demo misses %s (%v)", q, someCode, err)
		}
	}
	// The restored triggers keep working for new tickets.
	code, err := s.CreateTicket(ctx, nil, store.NewTicketInput{Subject: "Zanzibar", Body: "b", Channel: store.ChannelAPI, DepartmentID: 1, ContactName: "Z", ContactEmail: "z@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if page, _ := s.Queue(ctx, admin, store.QueueFilter{Search: "zanzibar"}); len(page.Tickets) != 1 || page.Tickets[0].Code != code {
		t.Fatal("a new ticket is not found by search after the demo")
	}
	// A second load would replace the search index of these tickets.
	if b, err := s.StartBulk(ctx, store.BulkOptions{}); !errors.Is(err, store.ErrBulkNotEmpty) {
		if b != nil {
			b.Close()
		}
		t.Fatalf("second bulk load: %v, want ErrBulkNotEmpty", err)
	}
}

// TestBulk_CloseWithoutFinishGivesTheWriterBack: a load given up leaves its
// rows, but the writer connection returns with the store's settings.
func TestBulk_CloseWithoutFinishGivesTheWriterBack(t *testing.T) {
	s, w, _ := newStore(t)
	ctx := context.Background()
	b, err := s.StartBulk(ctx, store.BulkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddDepartment(ctx, store.BulkDepartment{Name: "Sales"}); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	var foreignKeys, synchronous int
	w.QueryRow(`PRAGMA foreign_keys`).Scan(&foreignKeys)
	w.QueryRow(`PRAGMA synchronous`).Scan(&synchronous)
	if foreignKeys != 1 || synchronous != 1 {
		t.Fatalf("foreign_keys = %d, synchronous = %d after the load; want 1 (on), 1 (normal)", foreignKeys, synchronous)
	}
	if _, err := s.SignUp(ctx, store.SignUpInput{Company: "Acme", Name: "Olivia Owner", Email: "o@example.com", PasswordHash: store.TestHash}); err != nil {
		t.Fatalf("a write after the load: %v", err)
	}
}
