package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"helpline/authz"
	"helpline/demo"
	"helpline/store"
	"helpline/views"
)

// benchTickets sizes the desk of the page benchmarks: enough for full pages
// and a deep search; the store's own benchmarks time queries at scale.
const benchTickets = 3000

// benchSite is a demo desk behind the server with an Agent and an
// Administrator signed in.
type benchSite struct {
	app                      *testApp
	agentCookie, adminCookie string
	agentFirst, adminFirst   string // codes on the first page of each one's queue
	agentUpdated             string // the Agent's first ticket by the latest change
	adminUnassigned          string // the first of the Administrator's Unassigned view
	searchFirst              string // a code on the first page of a search for "invoice"
	sixCode, sixSubject      string // a ticket of the Agent's with six messages
	firstAgent               string // the first name of Configuration → Agents
}

func newBenchSite(b *testing.B) *benchSite {
	b.Helper()
	app := newTestApp(b)
	ctx := context.Background()
	if _, err := demo.Fill(ctx, app.st, demo.Options{Tickets: benchTickets, Departments: 20, Agents: 200, Admins: 2,
		PasswordHash: passwordHash(b), Seed: 1}); err != nil {
		b.Fatal(err)
	}
	site := &benchSite{app: app}
	signIn := func(email string) (string, authz.Viewer) { return benchSignIn(b, app, email, testPassword) }
	var agent, admin authz.Viewer
	site.agentCookie, agent = signIn("agent1@demo.example")
	site.adminCookie, admin = signIn("admin1@demo.example")

	first := func(v authz.Viewer, f store.QueueFilter) string {
		p, err := app.st.Queue(ctx, v, f)
		if err != nil || len(p.Tickets) == 0 {
			b.Fatalf("queue of %+v with %+v: %d tickets, %v", v, f, len(p.Tickets), err)
		}
		return p.Tickets[0].Code
	}
	site.agentFirst, site.adminFirst = first(agent, store.QueueFilter{}), first(admin, store.QueueFilter{})
	site.agentUpdated = first(agent, store.QueueFilter{Sort: store.SortUpdated})
	site.adminUnassigned = first(admin, store.ViewUnassigned.Apply(store.QueueFilter{}))
	site.searchFirst = first(admin, store.QueueFilter{Search: "invoice"})
	for f := (store.QueueFilter{Limit: 200}); site.sixCode == ""; {
		p, err := app.st.Queue(ctx, agent, f)
		if err != nil {
			b.Fatal(err)
		}
		for _, t := range p.Tickets {
			if t.MessageCount == 6 {
				site.sixCode, site.sixSubject = t.Code, t.Subject
				break
			}
		}
		if p.Next.IsZero() && site.sixCode == "" {
			b.Fatal("the Agent has no ticket with six messages")
		}
		f.After = p.Next
	}
	agents, err := app.st.ListAgents(ctx, store.AgentFilter{Limit: agentsPerPage})
	if err != nil || len(agents.Agents) == 0 {
		b.Fatalf("agents: %d, %v", len(agents.Agents), err)
	}
	site.firstAgent = agents.Agents[0].Name
	return site
}

// get serves one request through the whole server, middleware included.
func (s *benchSite) get(b *testing.B, path, cookie, want string) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Cookie", cookie)
	rec := httptest.NewRecorder()
	s.app.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: status %d; body:\n%.2000s", path, rec.Code, rec.Body.String())
	}
	if !strings.Contains(rec.Body.String(), want) {
		b.Fatalf("GET %s does not show %q:\n%.3000s", path, want, rec.Body.String())
	}
}

// BenchmarkPage times whole pages. "built" drops the pages the server keeps
// between changes before each request, as the first view after a change
// finds them: it times the store's reads and the render. "kept" times a
// page served again before anything changed.
func BenchmarkPage(b *testing.B) {
	s := newBenchSite(b)
	pages := []struct {
		name, path, cookie, want string
	}{
		{"queue-Agent", views.PathTickets, s.agentCookie, s.agentFirst},
		{"queue-Administrator", views.PathTickets, s.adminCookie, s.adminFirst},
		{"queue-Agent-by-updated", views.PathTickets + "?sort=updated", s.agentCookie, s.agentUpdated},
		{"queue-Administrator-unassigned", views.PathTickets + "?status=all-open&assignee=unassigned", s.adminCookie, s.adminUnassigned},
		{"ticket-6-messages", views.TicketPath(s.sixCode), s.agentCookie, s.sixSubject},
		{"search", views.PathTickets + "?q=invoice", s.adminCookie, s.searchFirst},
		{"config-agents", views.PathAgents, s.adminCookie, s.firstAgent},
	}
	for _, p := range pages {
		b.Run(p.name+"/built", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.app.srv.fragments.forget()
				s.get(b, p.path, p.cookie, p.want)
			}
		})
		b.Run(p.name+"/kept", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.get(b, p.path, p.cookie, p.want)
			}
		})
	}
}

// benchSignIn signs email in on app and answers the session's cookie header
// and the agent as a viewer.
func benchSignIn(b *testing.B, app *testApp, email, password string) (string, authz.Viewer) {
	b.Helper()
	c := app.client()
	c.signIn(email, password)
	u, _ := url.Parse(app.ts.URL)
	var parts []string
	for _, ck := range c.http.Jar.Cookies(u) {
		parts = append(parts, ck.String())
	}
	a, err := app.st.AgentByEmail(context.Background(), email)
	if err != nil {
		b.Fatal(err)
	}
	return strings.Join(parts, "; "), a.Viewer()
}
