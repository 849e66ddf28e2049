package store_test

import (
	"context"
	"fmt"
	"helpline/authz"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"helpline/demo"
	"helpline/store"
)

// The benchmarks here time the store's hot reads against a demo desk, so a
// slower query shows in `go test -bench` without a load run. The desk is
// made once per test binary: HELPLINE_BENCH_TICKETS sets its size (20,000
// by default, a few seconds to make; `make gobench` uses 200,000). They are
// in package store_test: the desk comes from helpline/demo, which imports
// store.

const benchDefaultTickets = 20000

// benchDesk is the demo desk and what the benchmarks look up in it.
type benchDesk struct {
	s           *store.Store
	tickets     int
	agent       authz.Viewer // an Agent in three departments
	admin       authz.Viewer
	filter      store.QueueFilter // department + status + tag with rows to show
	deep        store.QueueFilter // about fifty pages into the Administrator's queue
	deepPages   int
	deepRows    int
	sixCode     string // a ticket the Agent sees with six messages
	contactDept int64
	// spread are tickets the Agent sees, all over the desk: places to page
	// from and tickets to open, a different one at each iteration.
	spread []store.Ticket
}

var (
	benchOnce sync.Once
	benchDir  string
	benchData *benchDesk
	benchErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchData != nil {
		benchData.s.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// sharedDesk returns the shared demo desk, making it on first use.
func sharedDesk(b *testing.B) *benchDesk {
	b.Helper()
	benchOnce.Do(func() { benchData, benchErr = makeBenchDesk() })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchData
}

func makeBenchDesk() (*benchDesk, error) {
	n := benchDefaultTickets
	if v := os.Getenv("HELPLINE_BENCH_TICKETS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1000 {
			return nil, fmt.Errorf("HELPLINE_BENCH_TICKETS=%q: want a number of at least 1000", v)
		}
	}
	dir, err := os.MkdirTemp("", "helpline-bench-")
	if err != nil {
		return nil, err
	}
	benchDir = dir
	s, err := store.Open(filepath.Join(dir, "bench.db"))
	if err != nil {
		return nil, err
	}
	d := &benchDesk{s: s, tickets: n}
	_, r := s.TestPools()
	ctx := context.Background()
	if err := s.Migrate(ctx); err != nil {
		return d, err
	}
	start := time.Now()
	if _, err := demo.Fill(ctx, s, demo.Options{Tickets: n, Departments: 20, Agents: 200, Admins: 2, PasswordHash: store.TestHash, Seed: 1}); err != nil {
		return d, err
	}
	fmt.Fprintf(os.Stderr, "store benchmarks: demo desk of %d tickets made in %v\n", n, time.Since(start).Round(time.Millisecond))

	var owner, agent int64
	one := func(what, q string, dest ...any) {
		if err == nil {
			if e := r.QueryRowContext(ctx, q).Scan(dest...); e != nil {
				err = fmt.Errorf("find %s: %w", what, e)
			}
		}
	}
	one("the Owner", `SELECT id FROM agents WHERE role = 'owner' ORDER BY id LIMIT 1`, &owner)
	one("an Administrator", `SELECT id FROM agents WHERE role = 'admin' ORDER BY id LIMIT 1`, &d.admin.ID)
	// The demo puts Agents in one or two departments; the one taken here
	// gets a third, as a busy Agent may have.
	one("an Agent in two departments", `SELECT agent_id FROM department_members GROUP BY agent_id HAVING count(*) = 2 ORDER BY agent_id LIMIT 1`, &agent)
	var third int64
	one("a third department", fmt.Sprintf(`SELECT id FROM departments WHERE id NOT IN (SELECT department_id FROM department_members WHERE agent_id = %d) ORDER BY id LIMIT 1`, agent), &third)
	if err != nil {
		return d, err
	}
	if err := s.SetMember(ctx, owner, third, agent, store.Channels{Tickets: true}); err != nil {
		return d, err
	}
	d.agent = authz.Viewer{ID: agent, Perms: authz.BuiltinPerms(authz.RoleAgent)}
	d.admin.Perms = authz.BuiltinPerms(authz.RoleAdmin)

	// The filter with the most open tickets of one department and tag.
	d.filter.Status = store.TicketOpen
	one("an open tagged ticket", `SELECT t.department_id, tt.tag FROM tickets t JOIN ticket_tags tt ON tt.ticket_id = t.id
		WHERE t.status = 'open' GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1`, &d.filter.DepartmentID, &d.filter.Tag)
	one("a six-message ticket", fmt.Sprintf(`SELECT code FROM tickets WHERE message_count = 6
		AND department_id IN (SELECT department_id FROM department_members WHERE agent_id = %d) ORDER BY id DESC LIMIT 1`, agent), &d.sixCode)
	one("a department", `SELECT id FROM departments ORDER BY id LIMIT 1`, &d.contactDept)
	if err != nil {
		return d, err
	}

	rows, err := r.QueryContext(ctx, fmt.Sprintf(`SELECT id, code, sort_key FROM tickets WHERE id %% 7 = 0
		AND department_id IN (SELECT department_id FROM department_members WHERE agent_id = %d) ORDER BY id LIMIT 2000`, agent))
	if err != nil {
		return d, err
	}
	for rows.Next() {
		var t store.Ticket
		if err := rows.Scan(&t.ID, &t.Code, &t.SortKey); err != nil {
			rows.Close()
			return d, err
		}
		d.spread = append(d.spread, t)
	}
	rows.Close()
	if len(d.spread) < 100 {
		return d, fmt.Errorf("only %d tickets spread over the Agent's departments", len(d.spread))
	}

	// Follow Next as someone paging would, up to fifty pages in.
	for d.deepPages < 50 {
		p, err := s.Queue(ctx, d.admin, d.deep)
		if err != nil {
			return d, err
		}
		if p.Next.IsZero() {
			break
		}
		d.deep.After = p.Next
		d.deepPages++
	}
	if d.deepPages == 0 {
		return d, fmt.Errorf("the Administrator's queue of %d tickets has a single page", n)
	}
	p, err := s.Queue(ctx, d.admin, d.deep)
	d.deepRows = len(p.Tickets)
	return d, err
}

// benchFresh makes the next reads go to the database: the store keeps some
// reads until the next commit, and a benchmark of a query must not time a
// memory hit instead.
func benchFresh(s *store.Store) { s.ForgetReads() }

func benchQueue(b *testing.B, v authz.Viewer, f store.QueueFilter, want int) {
	d := sharedDesk(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		benchFresh(d.s)
		p, err := d.s.Queue(ctx, v, f)
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Tickets) < want {
			b.Fatalf("%d tickets on the page, want at least %d", len(p.Tickets), want)
		}
	}
}

func BenchmarkQueue_AgentFirstPage(b *testing.B) {
	d := sharedDesk(b)
	benchQueue(b, d.agent, store.QueueFilter{}, 50)
}

func BenchmarkQueue_AdministratorFirstPage(b *testing.B) {
	d := sharedDesk(b)
	benchQueue(b, d.admin, store.QueueFilter{}, 50)
}

func BenchmarkQueue_DepartmentStatusTag(b *testing.B) {
	d := sharedDesk(b)
	benchQueue(b, d.admin, d.filter, 1)
}

func BenchmarkQueue_DeepPage(b *testing.B) {
	d := sharedDesk(b)
	b.ReportMetric(float64(d.deepPages), "pages-in")
	benchQueue(b, d.admin, d.deep, d.deepRows)
}

// BenchmarkQueue_AgentSpreadPages pages from a different place each time,
// as many people paging through their queues do: nothing read for one page
// helps the next.
func BenchmarkQueue_AgentSpreadPages(b *testing.B) {
	d := sharedDesk(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		t := d.spread[i%len(d.spread)]
		i++
		if _, err := d.s.Queue(ctx, d.agent, store.QueueFilter{After: store.Cursor{Key: t.SortKey, ID: t.ID}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkQueue_AgentByUpdated(b *testing.B) {
	d := sharedDesk(b)
	benchQueue(b, d.agent, store.QueueFilter{Sort: store.SortUpdated}, 50)
}

func BenchmarkQueue_AdministratorByUpdated(b *testing.B) {
	d := sharedDesk(b)
	benchQueue(b, d.admin, store.QueueFilter{Sort: store.SortUpdated}, 50)
}

func BenchmarkQueue_AgentByCreated(b *testing.B) {
	d := sharedDesk(b)
	benchQueue(b, d.agent, store.QueueFilter{Sort: store.SortCreated}, 50)
}

func BenchmarkQueue_AdministratorByCreated(b *testing.B) {
	d := sharedDesk(b)
	benchQueue(b, d.admin, store.QueueFilter{Sort: store.SortCreated}, 50)
}

// BenchmarkQueue_AgentMyOpenByUpdated is the Agent's "My open" view sorted
// by the latest change: the assignee's index in that order.
func BenchmarkQueue_AgentMyOpenByUpdated(b *testing.B) {
	d := sharedDesk(b)
	benchQueue(b, d.agent, store.ViewMine.Apply(store.QueueFilter{Sort: store.SortUpdated}), 1)
}

func BenchmarkQueue_AdministratorUnassigned(b *testing.B) {
	d := sharedDesk(b)
	benchQueue(b, d.admin, store.ViewUnassigned.Apply(store.QueueFilter{}), 50)
}

// BenchmarkQueue_DeepPageByUpdated follows Next about fifty pages into the
// Administrator's queue by the latest change, then times that page.
func BenchmarkQueue_DeepPageByUpdated(b *testing.B) {
	d := sharedDesk(b)
	ctx := context.Background()
	f := store.QueueFilter{Sort: store.SortUpdated}
	pages := 0
	for ; pages < 50; pages++ {
		p, err := d.s.Queue(ctx, d.admin, f)
		if err != nil {
			b.Fatal(err)
		}
		if p.Next.IsZero() {
			break
		}
		f.After = p.Next
	}
	b.ReportMetric(float64(pages), "pages-in")
	benchQueue(b, d.admin, f, 1)
}

// BenchmarkQueueCounts reads what the views and the queue's total show.
func BenchmarkQueueCounts(b *testing.B) {
	d := sharedDesk(b)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		v    authz.Viewer
	}{{"Agent", d.agent}, {"Administrator", d.admin}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchFresh(d.s)
				counts, err := d.s.QueueCounts(ctx, c.v, 0)
				if err != nil {
					b.Fatal(err)
				}
				if counts.View(store.ViewResolved) == 0 {
					b.Fatalf("counts %v: no resolved tickets", counts)
				}
			}
		})
	}
}

func BenchmarkQueue_TextSearch(b *testing.B) {
	d := sharedDesk(b)
	benchQueue(b, d.admin, store.QueueFilter{Search: "invoice"}, 50)
}

func BenchmarkQueue_AgentTextSearch(b *testing.B) {
	d := sharedDesk(b)
	benchQueue(b, d.agent, store.QueueFilter{Search: "invoice"}, 50)
}

func BenchmarkStatusCounts(b *testing.B) {
	d := sharedDesk(b)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		v    authz.Viewer
	}{{"Agent", d.agent}, {"Administrator", d.admin}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchFresh(d.s)
				counts, err := d.s.StatusCounts(ctx, c.v, 0)
				if err != nil {
					b.Fatal(err)
				}
				if counts[store.TicketResolved] == 0 {
					b.Fatalf("counts %v: no resolved tickets", counts)
				}
			}
		})
	}
}

// BenchmarkTicketWithThread reads what the ticket page shows: the ticket
// with its tags, then its thread.
func BenchmarkTicketWithThread(b *testing.B) {
	d := sharedDesk(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		benchFresh(d.s)
		tk, err := d.s.TicketByCode(ctx, d.agent, d.sixCode)
		if err != nil {
			b.Fatal(err)
		}
		thread, err := d.s.Thread(ctx, tk.ID)
		if err != nil {
			b.Fatal(err)
		}
		if tk.MessageCount != 6 || len(thread) < 6 {
			b.Fatalf("ticket %s: %d messages, thread of %d", tk.Code, tk.MessageCount, len(thread))
		}
	}
}

// BenchmarkTicketWithThread_Spread opens a different ticket each time.
func BenchmarkTicketWithThread_Spread(b *testing.B) {
	d := sharedDesk(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		code := d.spread[i%len(d.spread)].Code
		i++
		tk, err := d.s.TicketByCode(ctx, d.agent, code)
		if err != nil {
			b.Fatal(err)
		}
		thread, err := d.s.Thread(ctx, tk.ID)
		if err != nil || len(thread) == 0 {
			b.Fatalf("ticket %s: thread of %d, %v", code, len(thread), err)
		}
	}
}

// BenchmarkListAgents reads the first page of Configuration → Agents.
func BenchmarkListAgents(b *testing.B) {
	d := sharedDesk(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		benchFresh(d.s)
		p, err := d.s.ListAgents(ctx, store.AgentFilter{Limit: 50})
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Agents) != 50 || p.Next == 0 {
			b.Fatalf("%d agents, next %d; want a full page and more", len(p.Agents), p.Next)
		}
	}
}

// BenchmarkCreateTicket_ContactForm stores tickets as the public contact
// form does, one write transaction each.
func BenchmarkCreateTicket_ContactForm(b *testing.B) {
	d := sharedDesk(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		code, err := d.s.CreateTicket(ctx, nil, store.NewTicketInput{Subject: "Benchmark ticket", Body: "Measuring how fast tickets are stored.",
			Channel: store.ChannelContactForm, Priority: store.PriorityNormal, DepartmentID: d.contactDept,
			ContactName: "Bench Customer", ContactEmail: fmt.Sprintf("bench%d@customer.example", i%100)})
		if err != nil {
			b.Fatal(err)
		}
		if code == "" {
			b.Fatal("no ticket code")
		}
	}
}
