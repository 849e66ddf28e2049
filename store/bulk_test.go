package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
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
	before := schemaOf(t, r)
	if _, err := demo.Fill(ctx, s, demo.Options{Tickets: 600, Departments: 4, Agents: 12, Admins: 2, PasswordHash: store.TestHash, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	after := schemaOf(t, r)
	for name, q := range before {
		if after[name] != q {
			t.Errorf("schema object %s not restored:\n%s\nwant\n%s", name, after[name], q)
		}
	}
	if storetest.Postgres() {
		checkBulkSearchPG(t, r)
	} else {
		checkBulkSearchSQLite(t, w, r)
	}
	// Every reference is valid: on PostgreSQL the foreign keys the load
	// put back were checked (schemaOf says so of each).
	if !storetest.Postgres() {
		var broken int
		r.QueryRow(`SELECT count(*) FROM pragma_foreign_key_check`).Scan(&broken)
		if broken != 0 {
			t.Fatalf("%d broken references", broken)
		}
	}
	var mismatched, statuses, channels, noEvent int
	r.QueryRow(`SELECT count(*) FROM (SELECT department_id, status, count(*) AS n FROM tickets GROUP BY 1, 2) c
		LEFT JOIN ticket_counts k USING (department_id, status) WHERE k.n IS NULL OR k.n <> c.n`).Scan(&mismatched)
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
	// The tickets per tag, which the paused triggers keep, are counted.
	var tagsOff, tags int
	r.QueryRow(`SELECT count(*) FROM (SELECT tag, count(*) AS n FROM ticket_tags GROUP BY tag) c
		FULL JOIN tags k ON k.name = c.tag WHERE coalesce(k.ticket_count, 0) <> coalesce(c.n, 0)`).Scan(&tagsOff)
	r.QueryRow(`SELECT count(*) FROM tags`).Scan(&tags)
	if tagsOff != 0 || tags == 0 {
		t.Fatalf("tag counts off in %d of %d tags", tagsOff, tags)
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
	before := schemaOf(t, w)
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
	if storetest.Postgres() {
		// The load's one transaction is rolled back: every index, foreign
		// key and trigger is as before, and the department is gone.
		if after := schemaOf(t, w); !maps.Equal(after, before) {
			t.Fatalf("schema after a load given up:\n%v\nwant\n%v", after, before)
		}
		var departments int
		w.QueryRow(`SELECT count(*) FROM departments`).Scan(&departments)
		if departments != 0 {
			t.Fatalf("%d departments after a load given up", departments)
		}
	} else {
		var foreignKeys, synchronous int
		w.QueryRow(`PRAGMA foreign_keys`).Scan(&foreignKeys)
		w.QueryRow(`PRAGMA synchronous`).Scan(&synchronous)
		if foreignKeys != 1 || synchronous != 1 {
			t.Fatalf("foreign_keys = %d, synchronous = %d after the load; want 1 (on), 1 (normal)", foreignKeys, synchronous)
		}
	}
	if _, err := s.SignUp(ctx, store.SignUpInput{Company: "Acme", Name: "Olivia Owner", Email: "o@example.com", PasswordHash: store.TestHash}); err != nil {
		t.Fatalf("a write after the load: %v", err)
	}
}

// schemaOf describes the database's indexes and triggers, and on
// PostgreSQL its constraints, whether each is checked and whether each
// trigger is on: what a bulk load takes apart and puts back.
func schemaOf(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	q := `SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL`
	if storetest.Postgres() {
		q = `SELECT 'index ' || indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
			UNION ALL SELECT 'constraint ' || conrelid::regclass::text || '.' || conname,
				pg_get_constraintdef(oid) || CASE WHEN convalidated THEN '' ELSE ' (not checked)' END
			FROM pg_constraint WHERE connamespace = 'public'::regnamespace
			UNION ALL SELECT 'trigger ' || tgname, pg_get_triggerdef(oid) || CASE tgenabled WHEN 'D' THEN ' (off)' ELSE '' END
			FROM pg_trigger WHERE NOT tgisinternal`
	}
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var n, q string
		if err := rows.Scan(&n, &q); err != nil {
			t.Fatal(err)
		}
		out[n] = q
	}
	if err := rows.Err(); err != nil || len(out) < 10 {
		t.Fatalf("schema: %d objects, %v", len(out), err)
	}
	return out
}

// searchProbes are every fiftieth ticket with the first word of its subject
// and of its first customer message.
func searchProbes(t *testing.T, r *sql.DB) (probes [][3]any) {
	t.Helper()
	rows, err := r.Query(`SELECT t.id, t.subject, (SELECT m.body FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'customer' ORDER BY m.id LIMIT 1)
		FROM tickets t WHERE t.id % 50 = 0`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var subject, body string
		if err := rows.Scan(&id, &subject, &body); err != nil {
			t.Fatal(err)
		}
		probes = append(probes, [3]any{id, strings.Fields(subject)[0], strings.Fields(body)[0]})
	}
	if len(probes) < 10 {
		t.Fatalf("%d tickets to look for", len(probes))
	}
	return probes
}

// checkBulkSearchSQLite: the search index works afterwards as in any desk:
// merged, with SQLite's own settings for the app's writes, whole, and every
// ticket is found by the words of its subject and its messages; the file it
// was built in is gone.
func checkBulkSearchSQLite(t *testing.T, w, r *sql.DB) {
	t.Helper()
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
	if _, err := w.Exec(`INSERT INTO ticket_search (ticket_search, rank) VALUES ('integrity-check', 0)`); err != nil {
		t.Fatalf("search index: %v", err)
	}
	var tickets, documents, unfound int
	r.QueryRow(`SELECT count(*) FROM tickets`).Scan(&tickets)
	r.QueryRow(`SELECT count(*) FROM ticket_search_docsize`).Scan(&documents)
	probes := searchProbes(t, r)
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
	if documents != tickets || unfound != 0 {
		t.Fatalf("%d search documents for %d tickets; %d of %d tickets not found by their words", documents, tickets, unfound, len(probes))
	}
}

// checkBulkSearchPG: every ticket has the search documents the triggers
// would have written, word for word, and is found by the words of its
// subject and its messages; the identity sequences are past the loaded ids.
func checkBulkSearchPG(t *testing.T, r *sql.DB) {
	t.Helper()
	var tickets, documents, refs, wrong, wrongRefs, unfound int
	r.QueryRow(`SELECT count(*) FROM tickets`).Scan(&tickets)
	r.QueryRow(`SELECT count(*) FROM ticket_search`).Scan(&documents)
	r.QueryRow(`SELECT count(*) FROM ticket_refs`).Scan(&refs)
	if err := r.QueryRow(`SELECT count(*) FROM tickets t LEFT JOIN ticket_search s ON s.rowid = t.id
		WHERE s.doc IS DISTINCT FROM to_tsvector('helpline', search_text(t.subject || ' ' ||
			(SELECT string_agg(m.body, ' ' ORDER BY m.id) FROM messages m WHERE m.ticket_id = t.id AND m.kind <> 'event')))`).Scan(&wrong); err != nil {
		t.Fatal(err)
	}
	if err := r.QueryRow(`SELECT count(*) FROM tickets t JOIN contacts c ON c.id = t.contact_id LEFT JOIN ticket_refs s ON s.rowid = t.id
		WHERE s.doc IS DISTINCT FROM to_tsvector('helpline', search_text(t.code || ' ' || c.name || ' ' || c.email))`).Scan(&wrongRefs); err != nil {
		t.Fatal(err)
	}
	probes := searchProbes(t, r)
	for _, p := range probes {
		var n int
		r.QueryRow(`SELECT count(*) FROM ticket_search WHERE doc @@ (plainto_tsquery('helpline', search_text(?)) && plainto_tsquery('helpline', search_text(?)))
			AND rowid = ?`, p[1], p[2], p[0]).Scan(&n)
		if n != 1 {
			unfound++
		}
	}
	if documents != tickets || refs != tickets || wrong != 0 || wrongRefs != 0 || unfound != 0 {
		t.Fatalf("%d search documents and %d of code and requester for %d tickets, %d and %d unlike the triggers'; %d of %d tickets not found by their words",
			documents, refs, tickets, wrong, wrongRefs, unfound, len(probes))
	}
	var behind int
	if err := r.QueryRow(`SELECT count(*) FROM (VALUES ('tickets', (SELECT max(id) FROM tickets)), ('messages', (SELECT max(id) FROM messages)),
			('contacts', (SELECT max(id) FROM contacts))) AS x (t, m)
		WHERE coalesce(pg_sequence_last_value(pg_get_serial_sequence(t, 'id')::regclass), 0) < m`).Scan(&behind); err != nil {
		t.Fatal(err)
	}
	if behind != 0 {
		t.Fatalf("%d identity sequences behind the loaded ids", behind)
	}
}
