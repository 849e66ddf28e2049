package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// The busy-desk rows (issue 20): tickets keep arriving while twenty agents
// open twenty different pages, so almost every page is built from the
// database. Each is measured against the ceiling and against the in-memory
// bound of the same run.

const (
	// busyArrivals is how many tickets a second arrive during those rows.
	busyArrivals = 10
	// busyTickets is at least how many different ticket pages are asked for.
	busyTickets = 4000
	// busyQueuePages is how many pages of the queue, followed by Next from
	// the first, the queue rows ask for.
	busyQueuePages = 80
	// busyWords is how many different words the search row looks for.
	busyWords = 200
	// busyTicketPaths caps the ticket pages written into wrk's script.
	busyTicketPaths = 20000
)

// nameProbe is the row of the in-memory bound; benchProbeEnv starts the
// server with the route that serves it (web/bench_probe.go).
const (
	nameProbe     = "in-memory bound: queue page of 50 rows, no database"
	benchProbeEnv = "HELPLINE_BENCH_PROBE=1"
	probePath     = "/_bench/queue-rows"
)

// busyFixtures are the pages the busy rows pick from at random.
type busyFixtures struct {
	departments []int64  // the Agent's, two on the demo
	ticketPaths []string // ticket pages of the Agent's departments
	words       []string // words found in subjects, messages and names
}

// loadBusy reads the Agent's departments, tickets spread over both, and
// the words the search row looks for.
func loadBusy(ctx context.Context, e engine, db *sql.DB, fx *fixtures) error {
	ids, err := queryInts(ctx, db, e.rebind(`SELECT m.department_id FROM department_members m JOIN agents a ON a.id = m.agent_id
		WHERE a.email = ? ORDER BY m.department_id`), fx.agentEmail)
	if err != nil {
		return fmt.Errorf("departments of %s: %w", fx.agentEmail, err)
	}
	if len(ids) != 2 {
		return fmt.Errorf("the Agent %s is in %d departments; the busy rows want one in two", fx.agentEmail, len(ids))
	}
	fx.busy.departments = ids
	rows, err := db.QueryContext(ctx, e.rebind(`SELECT code FROM tickets WHERE department_id IN (?, ?) ORDER BY id`), ids[0], ids[1])
	if err != nil {
		return fmt.Errorf("tickets of departments %v: %w", ids, err)
	}
	var codes []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return err
		}
		codes = append(codes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(codes) < busyTickets {
		return fmt.Errorf("only %d tickets in departments %v; the busy rows want %d", len(codes), ids, busyTickets)
	}
	fx.busy.ticketPaths = prefixed("/tickets/", spreadEvenly(codes, busyTicketPaths))
	words, err := deskWords(ctx, db)
	if err != nil {
		return err
	}
	fx.busy.words = words
	return nil
}

// spreadEvenly keeps at most n of xs, taken at even steps over all of them.
func spreadEvenly(xs []string, n int) []string {
	if len(xs) <= n {
		return xs
	}
	out := make([]string, n)
	for i := range out {
		out[i] = xs[i*len(xs)/n]
	}
	return out
}

var wordPattern = regexp.MustCompile(`\p{L}{3,}`)

// deskWords are busyWords words of at least three letters found in the
// desk's first tickets (their subjects and messages) and its requesters'
// names, all of which the search looks in: the first tickets, so tickets an
// earlier run added do not change the list.
func deskWords(ctx context.Context, db *sql.DB) ([]string, error) {
	seen := map[string]bool{}
	for _, q := range []string{
		`SELECT subject FROM tickets ORDER BY id LIMIT 20000`,
		`SELECT body FROM messages ORDER BY id LIMIT 20000`,
		`SELECT name FROM contacts ORDER BY id LIMIT 5000`,
	} {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("words of the desk: %w", err)
		}
		for rows.Next() {
			var text string
			if err := rows.Scan(&text); err != nil {
				rows.Close()
				return nil, err
			}
			for _, w := range wordPattern.FindAllString(strings.ToLower(text), -1) {
				seen[w] = true
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	words := make([]string, 0, len(seen))
	for w := range seen {
		words = append(words, w)
	}
	slices.Sort(words)
	if len(words) < busyWords {
		return nil, fmt.Errorf("only %d different words in the desk; the search row wants %d", len(words), busyWords)
	}
	return spreadEvenly(words, busyWords), nil
}

func queryInts(ctx context.Context, db *sql.DB, q string, args ...any) ([]int64, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// queuePages follows Next from the first page of the queue as cookie's
// viewer sees it, pages times, as someone paging would: the first page and
// the ones after it.
func queuePages(base, cookie string, pages int) ([]string, error) {
	paths := []string{"/tickets"}
	for len(paths) < pages {
		body, err := get(base, paths[len(paths)-1], cookie)
		if err != nil {
			return nil, err
		}
		m := nextCursor.FindStringSubmatch(strings.ReplaceAll(body, "&amp;", "&"))
		if m == nil {
			return nil, fmt.Errorf("no Next link on %s after %d pages", paths[len(paths)-1], len(paths))
		}
		paths = append(paths, "/tickets?after="+m[1])
	}
	return paths, nil
}

// busyTargets are the busy-desk rows and, first, the in-memory bound.
func busyTargets(base string, fx fixtures, agent, admin session) ([]target, error) {
	agentPages, err := queuePages(base, agent.cookie, busyQueuePages)
	if err != nil {
		return nil, fmt.Errorf("the Agent's queue pages: %w", err)
	}
	adminPages, err := queuePages(base, admin.cookie, busyQueuePages)
	if err != nil {
		return nil, fmt.Errorf("the Administrator's queue pages: %w", err)
	}
	searches := make([]string, len(fx.busy.words))
	for i, w := range fx.busy.words {
		searches[i] = "/tickets?q=" + url.QueryEscape(w)
	}
	busy := fmt.Sprintf("%d tickets/s arriving", busyArrivals)
	return []target{
		{name: nameProbe, path: probePath, cookie: admin.cookie},
		{name: fmt.Sprintf("ticket page, %s, one of %s tickets", busy, thousands(int64(len(fx.busy.ticketPaths)))), path: "/tickets/",
			cookie: agent.cookie, paths: fx.busy.ticketPaths, arrivals: busyArrivals},
		{name: fmt.Sprintf("queue, Agent, %s, one of %d pages", busy, len(agentPages)), path: "/tickets", cookie: agent.cookie,
			paths: agentPages, arrivals: busyArrivals},
		{name: fmt.Sprintf("queue, Administrator, %s, one of %d pages", busy, len(adminPages)), path: "/tickets", cookie: admin.cookie,
			paths: adminPages, arrivals: busyArrivals},
		{name: fmt.Sprintf("text search, %s, one of %d words", busy, len(searches)), path: "/tickets", cookie: admin.cookie,
			paths: searches, arrivals: busyArrivals},
	}, nil
}

// onlyBusy is the --only part that measures the busy rows alone.
const onlyBusy = "busy"

// onlyBusyTargets keeps the ceiling, the in-memory bound and the busy rows.
func onlyBusyTargets(all []target) []target {
	var out []target
	for _, tg := range all {
		if tg.name == nameHealth || tg.name == nameProbe || tg.arrivals == busyArrivals && len(tg.paths) > 0 {
			out = append(out, tg)
		}
	}
	return out
}

// deskSize counts the desk's tickets from the kept counts, as the creation
// check does, for a run that skips it.
func deskSize(ctx context.Context, e engine) (int, error) {
	db, err := e.open()
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, `SELECT CAST(sum(n) AS BIGINT) FROM ticket_counts`).Scan(&n)
	return n, err
}
