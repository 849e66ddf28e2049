package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// demoPassword is what `make bench` passes to `helpline demo`.
const demoPassword = "demo-password-1m"

const nameHealth = "/healthz (ceiling)"

// fixtures are the accounts and records the measured pages show, read from
// the database so the run needs no knowledge of how the demo was made.
type fixtures struct {
	agentEmail, adminEmail string
	agentDepartment        int64
	filterDepartment       int64
	filterTag              string
	sixMessageCode         string
	searchWord             string
	// spread are the places of every ticket of the Agent's department, for
	// pages seldom asked for twice: queue cursors ("key.id") and codes.
	spreadCursors, spreadCodes []string
	busy                       busyFixtures
}

func loadFixtures(ctx context.Context, e engine) (fixtures, error) {
	db, err := e.open()
	if err != nil {
		return fixtures{}, err
	}
	defer db.Close()
	var fx fixtures
	steps := []struct {
		what  string
		query string
		dest  []any
	}{
		// An Agent in two departments, as the busy rows want (loadBusy);
		// on the demo the first Agent is.
		{"an Agent with departments", `SELECT a.email, m.department_id FROM agents a JOIN department_members m ON m.agent_id = a.id
			WHERE a.role = 'agent' AND a.status = 'active' AND a.removed_at IS NULL
			ORDER BY (SELECT count(*) FROM department_members x WHERE x.agent_id = a.id) = 2 DESC, a.id, m.department_id LIMIT 1`,
			[]any{&fx.agentEmail, &fx.agentDepartment}},
		{"an Administrator", `SELECT email FROM agents WHERE role = 'admin' AND status = 'active' AND removed_at IS NULL ORDER BY id LIMIT 1`, []any{&fx.adminEmail}},
		{"a department", `SELECT id FROM departments ORDER BY id LIMIT 1`, []any{&fx.filterDepartment}},
		{"a tag", `SELECT tag FROM ticket_tags ORDER BY ticket_id, tag LIMIT 1`, []any{&fx.filterTag}},
	}
	for _, st := range steps {
		if err := db.QueryRowContext(ctx, st.query).Scan(st.dest...); err != nil {
			return fixtures{}, fmt.Errorf("find %s in %s: %w", st.what, e.name, err)
		}
	}
	// A ticket the Agent may open whose thread has six messages.
	err = db.QueryRowContext(ctx, e.rebind(`SELECT code FROM tickets WHERE department_id = ? AND message_count = 6 ORDER BY id DESC LIMIT 1`),
		fx.agentDepartment).Scan(&fx.sixMessageCode)
	if err != nil {
		return fixtures{}, fmt.Errorf("find a six-message ticket: %w", err)
	}
	fx.searchWord = "invoice"
	if err := loadSpread(ctx, e, db, &fx); err != nil {
		return fixtures{}, err
	}
	if err := loadBusy(ctx, e, db, &fx); err != nil {
		return fixtures{}, err
	}
	return fx, nil
}

// loadSpread reads a queue cursor and a ticket code for every ticket of the
// Agent's department (tens of thousands in a million tickets, and the
// Administrator sees them too), so a 10 s run seldom asks for the same page
// twice and nearly every request is built from the store rather than served
// from a kept page.
func loadSpread(ctx context.Context, e engine, db *sql.DB, fx *fixtures) error {
	rows, err := db.QueryContext(ctx, e.rebind(`SELECT sort_key, id, code FROM tickets WHERE department_id = ?`), fx.agentDepartment)
	if err != nil {
		return fmt.Errorf("spread tickets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key, id int64
		var code string
		if err := rows.Scan(&key, &id, &code); err != nil {
			return err
		}
		fx.spreadCursors = append(fx.spreadCursors, fmt.Sprintf("%d.%d", key, id))
		fx.spreadCodes = append(fx.spreadCodes, code)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(fx.spreadCursors) < 100 {
		return fmt.Errorf("spread tickets: only %d found in department %d", len(fx.spreadCursors), fx.agentDepartment)
	}
	return nil
}

type target struct {
	name, path, cookie string
	// auth, when set, is sent as the Authorization header (an API token)
	// instead of the cookie.
	auth string
	// paths, when set, are asked for in random order instead of path: one
	// page each, so nothing is served from what was kept for an earlier view.
	paths []string
	// arrivals is how many tickets a second arrive through the contact form
	// while the page is loaded: every arrival commits a change, so the page
	// kept in memory is dropped and built again, as on a busy desk.
	arrivals int
}

var nextCursor = regexp.MustCompile(`[?&;]after=([0-9]+\.[0-9]+)`)

// pageTargets lists the measured pages; the deep page is found by following
// the queue's Next links, as a person paging would.
func pageTargets(base string, fx fixtures, agent, admin session, agentToken string) ([]target, error) {
	filtered := fmt.Sprintf("/tickets?department=%d&status=open&tag=%s", fx.filterDepartment, url.QueryEscape(fx.filterTag))
	deep, err := followNext(base, "/tickets", admin.cookie, 200)
	if err != nil {
		return nil, err
	}
	busy, err := busyTargets(base, fx, agent, admin)
	if err != nil {
		return nil, err
	}
	return append([]target{
		{name: nameHealth, path: "/healthz"},
		{name: "queue, Agent", path: "/tickets", cookie: agent.cookie},
		// The same queue as JSON, a page of 50, beside the console's in the same run.
		{name: "API GET /api/v1/tickets, Agent (50)", path: "/api/v1/tickets?limit=50", auth: "Bearer " + agentToken},
		{name: "queue, Administrator", path: "/tickets", cookie: admin.cookie},
		{name: "filtered queue (dept+status+tag)", path: filtered, cookie: admin.cookie},
		{name: "deep page (200 pages in)", path: deep, cookie: admin.cookie},
		{name: "ticket page, 6 messages", path: "/tickets/" + fx.sixMessageCode, cookie: agent.cookie},
		{name: "text search", path: "/tickets?q=" + url.QueryEscape(fx.searchWord), cookie: admin.cookie},
		{name: "Configuration → Agents", path: "/config/agents", cookie: admin.cookie},
		{name: "queue, Agent, 20 tickets/s arriving", path: "/tickets", cookie: agent.cookie, arrivals: 20},
		{name: "queue, Administrator, 20 tickets/s arriving", path: "/tickets", cookie: admin.cookie, arrivals: 20},
		{name: "text search, 20 tickets/s arriving", path: "/tickets?q=" + url.QueryEscape(fx.searchWord), cookie: admin.cookie, arrivals: 20},
		{name: "queue, Agent, a different page each time", path: "/tickets", cookie: agent.cookie, paths: prefixed("/tickets?after=", fx.spreadCursors)},
		{name: "queue, Administrator, a different page each time", path: "/tickets", cookie: admin.cookie, paths: prefixed("/tickets?after=", fx.spreadCursors)},
		{name: "API GET /api/v1/tickets, Agent (50), a different page each time", path: "/api/v1/tickets", auth: "Bearer " + agentToken,
			paths: prefixed("/api/v1/tickets?limit=50&after=", fx.spreadCursors)},
		{name: "ticket page, a different ticket each time", path: "/tickets/", cookie: agent.cookie, paths: prefixed("/tickets/", fx.spreadCodes)},
	}, append(reportTargets(admin), busy...)...), nil
}

func prefixed(prefix string, xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = prefix + x
	}
	return out
}

func get(base, path, cookie string) (string, error) {
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	req.Header.Set("Cookie", cookie)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: status %d", path, res.StatusCode)
	}
	return string(b), nil
}

func followNext(base, start, cookie string, pages int) (string, error) {
	path := start
	for i := 0; i < pages; i++ {
		body, err := get(base, path, cookie)
		if err != nil {
			return "", err
		}
		m := nextCursor.FindStringSubmatch(strings.ReplaceAll(body, "&amp;", "&"))
		if m == nil {
			return "", fmt.Errorf("no Next link on %s after %d pages", path, i)
		}
		path = start + "?after=" + m[1]
	}
	// Every measured page must answer 200.
	_, err := get(base, path, cookie)
	return path, err
}

// trickle sends the contact form perSecond times a second until stop is
// called, which returns how many tickets were acknowledged. Each arrival is
// sent on time whether or not the ones before it were answered, as
// customers do not wait for each other; arrivals go to each instance in turn.
func trickle(ctx context.Context, bases []string, fx fixtures, perSecond int) (stop func() (int, error)) {
	ctx, cancel := context.WithCancel(ctx)
	var acked atomic.Int64
	done := make(chan error, 1)
	go func() {
		c := newClient()
		c.Timeout = 10 * time.Second
		toks := make([]string, len(bases))
		for i, base := range bases {
			tok, err := fetchCSRF(c, base, "/contact")
			if err != nil {
				done <- err
				return
			}
			toks[i] = tok
		}
		var inFlight sync.WaitGroup
		defer func() {
			inFlight.Wait()
			done <- nil
		}()
		tick := time.NewTicker(time.Second / time.Duration(perSecond))
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			base, tok := bases[i%len(bases)], toks[i%len(bases)]
			form := url.Values{"_csrf": {tok}, "name": {"Steady Customer"}, "email": {"steady@example.com"},
				"department": {fmt.Sprint(fx.agentDepartment)}, "subject": {fmt.Sprintf("Arriving while pages load %d", i)},
				"message": {"A ticket that arrives while agents read the queue."}}
			inFlight.Add(1)
			go func() {
				defer inFlight.Done()
				res, err := c.PostForm(base+"/contact", form)
				if err != nil {
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == http.StatusSeeOther {
					acked.Add(1)
				}
			}()
		}
	}()
	return func() (int, error) {
		cancel()
		err := <-done
		return int(acked.Load()), err
	}
}

type creationResult struct {
	before, stored, acked, failed int
}

// createTickets sends the contact form from conns clients for d, spread
// over the instances at bases, and compares acknowledged answers with the
// tickets the database gained.
func createTickets(ctx context.Context, bases []string, e engine, fx fixtures, conns int, d time.Duration) (creationResult, error) {
	db, err := e.open()
	if err != nil {
		return creationResult{}, err
	}
	defer db.Close()
	var maxBefore, total int
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM tickets`).Scan(&maxBefore); err != nil {
		return creationResult{}, err
	}
	if err := db.QueryRowContext(ctx, `SELECT CAST(sum(n) AS BIGINT) FROM ticket_counts`).Scan(&total); err != nil {
		return creationResult{}, err
	}
	var acked, failed atomic.Int64
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	errc := make(chan error, conns)
	for w := 0; w < conns; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := newClient()
			c.Transport = &http.Transport{MaxIdleConnsPerHost: 1}
			base := bases[w%len(bases)]
			tok, err := fetchCSRF(c, base, "/contact")
			if err != nil {
				errc <- err
				return
			}
			for i := 0; time.Now().Before(stop) && ctx.Err() == nil; i++ {
				form := url.Values{"_csrf": {tok}, "name": {fmt.Sprintf("Load Client %d", w)},
					"email": {fmt.Sprintf("load%d@example.com", w)}, "department": {fmt.Sprint(fx.filterDepartment)},
					"subject": {fmt.Sprintf("Load test %d-%d", w, i)}, "message": {"Measuring how many tickets the desk takes in."}}
				res, err := c.PostForm(base+"/contact", form)
				if err != nil {
					failed.Add(1)
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == http.StatusSeeOther {
					acked.Add(1)
				} else {
					failed.Add(1)
				}
			}
		}(w)
	}
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return creationResult{}, err
	}
	// Counted rather than read off the ids: PostgreSQL's identity leaves gaps
	// where a transaction rolled back, which would pass for stored tickets.
	var stored int
	if err := db.QueryRowContext(ctx, e.rebind(`SELECT count(*) FROM tickets WHERE id > ?`), maxBefore).Scan(&stored); err != nil {
		return creationResult{}, err
	}
	return creationResult{before: total, stored: stored, acked: int(acked.Load()), failed: int(failed.Load())}, nil
}
