package web

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"

	"helpline/authz"
	"helpline/demo"
	"helpline/store"
	"helpline/views"
)

// builtSite is a desk where every page asked for is a different one, as on
// a busy desk where twenty agents open twenty different pages: the queue
// from the place of one of the Agent's tickets, or one of those tickets.
type builtSite struct {
	app                      *testApp
	agentCookie, adminCookie string
	cursors                  []string // queue places of the Agent's tickets
	codes                    []string // and their codes
	words                    []string // words of their subjects and requesters
}

// builtSpread is at most how many places the benchmarks pick from.
const builtSpread = 4000

// newBuiltSite opens the desk of the built-page benchmarks: by default a
// fresh demo of benchTickets tickets; HELPLINE_BENCH_DB names a copy of a
// bigger demo desk instead (it is written to: sessions are stored), whose
// accounts have the password HELPLINE_BENCH_PASSWORD (demo-password-1m by
// default, as `make bench` makes them).
func newBuiltSite(b *testing.B) *builtSite {
	b.Helper()
	ctx := context.Background()
	password := testPassword
	var app *testApp
	if path := os.Getenv("HELPLINE_BENCH_DB"); path != "" {
		app = newTestAppOn(b, path, newSecrets())
		password = os.Getenv("HELPLINE_BENCH_PASSWORD")
		if password == "" {
			password = "demo-password-1m"
		}
	} else {
		app = newTestApp(b)
		if _, err := demo.Fill(ctx, app.st, demo.Options{Tickets: benchTickets, Departments: 20, Agents: 200, Admins: 2,
			PasswordHash: passwordHash(b), Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	site := &builtSite{app: app}
	signIn := func(email string) (string, authz.Viewer) { return benchSignIn(b, app, email, password) }
	// agent1 of the demo works in two departments.
	var agent authz.Viewer
	site.agentCookie, agent = signIn("agent1@demo.example")
	site.adminCookie, _ = signIn("admin1@demo.example")
	for f := (store.QueueFilter{Limit: 200}); len(site.codes) < 4*builtSpread; {
		p, err := app.st.Queue(ctx, agent, f)
		if err != nil {
			b.Fatal(err)
		}
		for _, t := range p.Tickets {
			site.cursors = append(site.cursors, views.CursorParam(store.Cursor{Key: t.SortKey, ID: t.ID}))
			site.codes = append(site.codes, t.Code)
			for _, w := range strings.FieldsFunc(strings.ToLower(t.Subject+" "+t.ContactName), func(r rune) bool { return !unicode.IsLetter(r) }) {
				if len(w) >= 3 && !slices.Contains(site.words, w) {
					site.words = append(site.words, w)
				}
			}
		}
		if p.Next.IsZero() {
			break
		}
		f.After = p.Next
	}
	if len(site.codes) < 100 {
		b.Fatalf("the Agent sees %d tickets; the benchmarks want at least 100", len(site.codes))
	}
	// Every fourth, so neighbouring pages overlap less.
	for i := 0; i*4 < len(site.codes) && i < builtSpread; i++ {
		site.cursors[i], site.codes[i] = site.cursors[i*4], site.codes[i*4]
	}
	n := min(builtSpread, (len(site.codes)+3)/4)
	site.cursors, site.codes = site.cursors[:n], site.codes[:n]
	return site
}

// BenchmarkBuiltPage times pages built for the request: a different one at
// each iteration (the queue from the place of one of the Agent's tickets,
// that ticket's page), with the kept pages dropped before each, as a change
// committed since the last view drops them. Allocations per page are the
// figure to compare between changes: they do not move with the machine's
// load.
func BenchmarkBuiltPage(b *testing.B) {
	s := newBuiltSite(b)
	pages := []struct {
		name, cookie, prefix string
		from                 []string
		want                 string
	}{
		{"queue-Agent", s.agentCookie, views.PathTickets + "?after=", s.cursors, `class="queue-table"`},
		{"queue-Administrator", s.adminCookie, views.PathTickets + "?after=", s.cursors, `class="queue-table"`},
		{"ticket", s.agentCookie, views.PathTickets + "/", s.codes, `class="thread`},
		{"search-a-different-word", s.adminCookie, views.PathTickets + "?q=", s.words, `id="queue"`},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				s.app.srv.fragments.forget()
				path := p.prefix + p.from[i%len(p.from)]
				i++
				(&benchSite{app: s.app}).get(b, path, p.cookie, p.want)
			}
		})
	}
}
