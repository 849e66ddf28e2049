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

	_ "modernc.org/sqlite"
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
}

func openReadOnly(path string) (*sql.DB, error) {
	return sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
}

func loadFixtures(ctx context.Context, path string) (fixtures, error) {
	db, err := openReadOnly(path)
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
		{"an Agent with departments", `SELECT a.email, m.department_id FROM agents a JOIN department_members m ON m.agent_id = a.id
			WHERE a.role = 'agent' AND a.status = 'active' AND a.removed_at IS NULL ORDER BY a.id LIMIT 1`, []any{&fx.agentEmail, &fx.agentDepartment}},
		{"an Administrator", `SELECT email FROM agents WHERE role = 'admin' AND status = 'active' AND removed_at IS NULL ORDER BY id LIMIT 1`, []any{&fx.adminEmail}},
		{"a department", `SELECT id FROM departments ORDER BY id LIMIT 1`, []any{&fx.filterDepartment}},
		{"a tag", `SELECT tag FROM ticket_tags ORDER BY ticket_id, tag LIMIT 1`, []any{&fx.filterTag}},
	}
	for _, st := range steps {
		if err := db.QueryRowContext(ctx, st.query).Scan(st.dest...); err != nil {
			return fixtures{}, fmt.Errorf("find %s in %s: %w", st.what, path, err)
		}
	}
	// A ticket the Agent may open whose thread has six messages.
	err = db.QueryRowContext(ctx, `SELECT code FROM tickets WHERE department_id = ? AND message_count = 6 ORDER BY id DESC LIMIT 1`,
		fx.agentDepartment).Scan(&fx.sixMessageCode)
	if err != nil {
		return fixtures{}, fmt.Errorf("find a six-message ticket: %w", err)
	}
	fx.searchWord = "invoice"
	return fx, nil
}

type target struct {
	name, path, cookie string
}

var nextCursor = regexp.MustCompile(`[?&;]after=([0-9]+\.[0-9]+)`)

// pageTargets lists the measured pages; the deep page is found by following
// the queue's Next links, as a person paging would.
func pageTargets(base string, fx fixtures, agent, admin session) ([]target, error) {
	filtered := fmt.Sprintf("/tickets?department=%d&status=open&tag=%s", fx.filterDepartment, url.QueryEscape(fx.filterTag))
	deep, err := followNext(base, "/tickets", admin.cookie, 200)
	if err != nil {
		return nil, err
	}
	return []target{
		{nameHealth, "/healthz", ""},
		{"queue, Agent", "/tickets", agent.cookie},
		{"queue, Administrator", "/tickets", admin.cookie},
		{"filtered queue (dept+status+tag)", filtered, admin.cookie},
		{"deep page (200 pages in)", deep, admin.cookie},
		{"ticket page, 6 messages", "/tickets/" + fx.sixMessageCode, agent.cookie},
		{"text search", "/tickets?q=" + url.QueryEscape(fx.searchWord), admin.cookie},
		{"Configuration → Agents", "/config/agents", admin.cookie},
	}, nil
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

type creationResult struct {
	before, stored, acked, failed int
}

// createTickets sends the contact form from conns clients for d and compares
// acknowledged answers with the tickets the database gained.
func createTickets(ctx context.Context, base, dbPath string, fx fixtures, conns int, d time.Duration) (creationResult, error) {
	count := func() (int, error) {
		db, err := openReadOnly(dbPath)
		if err != nil {
			return 0, err
		}
		defer db.Close()
		var n int
		err = db.QueryRowContext(ctx, `SELECT max(id) FROM tickets`).Scan(&n)
		return n, err
	}
	countAll := func() (int, error) {
		db, err := openReadOnly(dbPath)
		if err != nil {
			return 0, err
		}
		defer db.Close()
		var n int
		err = db.QueryRowContext(ctx, `SELECT sum(n) FROM ticket_counts`).Scan(&n)
		return n, err
	}
	maxBefore, err := count()
	if err != nil {
		return creationResult{}, err
	}
	total, err := countAll()
	if err != nil {
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
	maxAfter, err := count()
	if err != nil {
		return creationResult{}, err
	}
	return creationResult{before: total, stored: maxAfter - maxBefore, acked: int(acked.Load()), failed: int(failed.Load())}, nil
}
