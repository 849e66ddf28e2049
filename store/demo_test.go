package store

import (
	"context"
	"errors"
	"fmt"
	"helpline/authz"
	"os"
	"strings"
	"testing"
)

// TestFillDemo_WritesWhatTheAppWrites fills a small desk on the fast path
// and checks it is indistinguishable from one the ticket actions wrote:
// valid references, counts equal to counting, a working search index, and
// the dropped indexes and triggers back in place.
func TestFillDemo_WritesWhatTheAppWrites(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	schema := func() map[string]string {
		out := map[string]string{}
		rows, _ := s.r.Query(`SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL`)
		defer rows.Close()
		for rows.Next() {
			var n, q string
			rows.Scan(&n, &q)
			out[n] = q
		}
		return out
	}
	before := schema()
	accounts, err := s.FillDemo(ctx, DemoOptions{Tickets: 600, Departments: 4, Agents: 12, Admins: 2, PasswordHash: testHash, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if len(accounts) != 15 || accounts[0].Role != authz.RoleOwner || accounts[3].Role != authz.RoleAgent || len(accounts[3].Departments) == 0 {
		t.Fatalf("accounts = %+v", accounts[:4])
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
	rows, err := s.r.Query(`SELECT k, v FROM ticket_search_config WHERE k IN ('hashsize', 'automerge', 'crisismerge')`)
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
	s.r.QueryRow(`SELECT count(DISTINCT segid) FROM ticket_search_idx`).Scan(&segments)
	if settings["hashsize"] != 1<<20 || settings["automerge"] != 4 || settings["crisismerge"] != 16 || segments != 1 {
		t.Fatalf("search index settings %v in %d segments; want SQLite's defaults in one", settings, segments)
	}
	// Every ticket is found by the words of its subject and its messages,
	// and the index is whole; the file it was built in is gone.
	if _, err := s.w.Exec(`INSERT INTO ticket_search (ticket_search, rank) VALUES ('integrity-check', 0)`); err != nil {
		t.Fatalf("search index: %v", err)
	}
	var tickets, documents, unfound int
	s.r.QueryRow(`SELECT count(*) FROM tickets`).Scan(&tickets)
	s.r.QueryRow(`SELECT count(*) FROM ticket_search_docsize`).Scan(&documents)
	probe, err := s.r.Query(`SELECT t.id, t.subject, m.body FROM tickets t JOIN messages m ON m.ticket_id = t.id AND m.kind = 'customer'
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
		s.r.QueryRow(`SELECT count(*) FROM ticket_search WHERE ticket_search MATCH ? AND rowid = ?`,
			fmt.Sprintf(`subject:"%s" AND body:"%s"`, p[1], p[2]), p[0]).Scan(&n)
		if n != 1 {
			unfound++
		}
	}
	var dbFile string
	s.r.QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&dbFile)
	if _, err := os.Stat(dbFile + ".search"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the search index's build file is left behind: %v", err)
	}
	if documents != tickets || len(probes) < 10 || unfound != 0 {
		t.Fatalf("%d search documents for %d tickets; %d of %d tickets not found by their words", documents, tickets, unfound, len(probes))
	}
	var broken int
	s.r.QueryRow(`SELECT count(*) FROM pragma_foreign_key_check`).Scan(&broken)
	if broken != 0 {
		t.Fatalf("%d broken references", broken)
	}
	var mismatched, statuses, channels, noEvent int
	s.r.QueryRow(`SELECT count(*) FROM (SELECT department_id, status, count(*) AS n FROM tickets GROUP BY 1, 2) c
		LEFT JOIN ticket_counts k USING (department_id, status) WHERE k.n IS NOT c.n`).Scan(&mismatched)
	s.r.QueryRow(`SELECT count(DISTINCT status) FROM tickets`).Scan(&statuses)
	s.r.QueryRow(`SELECT count(DISTINCT channel) FROM tickets`).Scan(&channels)
	s.r.QueryRow(`SELECT count(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id AND m.event = 'created')`).Scan(&noEvent)
	if mismatched != 0 || statuses != 7 || channels != 5 || noEvent != 0 {
		t.Fatalf("counts off in %d rows; %d statuses, %d channels, %d tickets without a created event", mismatched, statuses, channels, noEvent)
	}
	var bad int
	s.r.QueryRow(`SELECT count(*) FROM tickets t WHERE t.sort_key <> ((CASE t.status WHEN 'new' THEN 0 WHEN 'open' THEN 0 WHEN 'answered' THEN 1
		WHEN 'postponed' THEN 2 WHEN 'resolved' THEN 3 WHEN 'spam' THEN 4 ELSE 5 END) * 4 + 3 - t.priority) * 4398046511104 + t.created_at
		OR t.message_count <> (SELECT count(*) FROM messages m WHERE m.ticket_id = t.id AND m.kind <> 'event')`).Scan(&bad)
	if bad != 0 {
		t.Fatalf("%d tickets with a wrong sort key or message count", bad)
	}
	admin := authz.Viewer{ID: 2, Perms: authz.BuiltinPerms(authz.RoleAdmin)}
	page, err := s.Queue(ctx, admin, QueueFilter{Search: "invoice"})
	if err != nil || len(page.Tickets) == 0 {
		t.Fatalf("search after the demo: %d tickets, %v", len(page.Tickets), err)
	}
	// The restored triggers keep working for new tickets.
	code, err := s.CreateTicket(ctx, nil, NewTicketInput{Subject: "Zanzibar", Body: "b", Channel: ChannelAPI, DepartmentID: 1, ContactName: "Z", ContactEmail: "z@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if page, _ := s.Queue(ctx, admin, QueueFilter{Search: "zanzibar"}); len(page.Tickets) != 1 || page.Tickets[0].Code != code {
		t.Fatal("a new ticket is not found by search after the demo")
	}
	if _, err := s.FillDemo(ctx, DemoOptions{Tickets: 1, PasswordHash: testHash}); !errors.Is(err, ErrDemoNotEmpty) {
		t.Fatalf("second fill: %v, want ErrDemoNotEmpty", err)
	}
}
