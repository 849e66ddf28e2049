package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/a-h/templ"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// Two Administrators see the same kept page of the queue, each with the
// CSRF token of their own session, and the token on the page works.
func TestQueue_KeptPageCarriesEachViewersOwnToken(t *testing.T) {
	w := newTicketWorld(t)
	adam, olivia := w.as("adam@example.com"), w.as("owner@example.com")
	seen := map[string]bool{}
	for _, c := range []*client{adam, olivia, adam, olivia} {
		for _, htmx := range []bool{false, true} {
			r := c.do(http.MethodGet, views.PathTickets, nil, htmx).wantStatus(http.StatusOK)
			tok, _ := r.doc().Find("form.bulk-form input[name=_csrf]").Attr("value")
			if tok == "" || tok != c.csrf {
				t.Fatalf("bulk form token %q, want the session's %q", tok, c.csrf)
			}
			seen[tok] = true
		}
	}
	if len(seen) != 2 {
		t.Fatalf("tokens on the pages: %v, want one per session", seen)
	}
	r := olivia.get(views.PathTickets)
	tok, _ := r.doc().Find("form.bulk-form input[name=_csrf]").Attr("value")
	olivia.post(views.PathTicketBulk, url.Values{"_csrf": {tok}, "action": {"tag"}, "tag": {"kept"}, "code": {w.salesCode}}).
		wantRedirect(views.PathTickets)
	if tags := w.app.ticketAs(w.salesCode).Tags; len(tags) != 1 || tags[0] != "kept" {
		t.Fatalf("tags after the bulk action: %v", tags)
	}
}

// A change shows on the next view of the queue, though the page was kept.
func TestQueue_ChangeShowsOnTheNextView(t *testing.T) {
	w := newTicketWorld(t)
	adam := w.as("adam@example.com")
	row := func() string {
		return adam.get(views.PathTickets).wantStatus(http.StatusOK).text("#ticket-" + w.salesCode)
	}
	if got := row(); !strings.Contains(got, "New") {
		t.Fatalf("row before the change: %q", got)
	}
	adam.post(views.TicketActionPath(views.PathTicketStatus, w.salesCode), url.Values{"status": {"resolved"}}).
		wantRedirect(views.TicketPath(w.salesCode))
	if got := row(); !strings.Contains(got, "Resolved") {
		t.Fatalf("row after resolving: %q", got)
	}
	code := w.app.ticket(w.sales, "Arrived after the page was kept")
	if got := adam.get(views.PathTickets).text("#ticket-" + code); !strings.Contains(got, "Arrived after the page was kept") {
		t.Fatalf("new ticket missing from the queue: %q", got)
	}
}

// An Agent's kept page is never shown to an Agent of other departments.
func TestQueue_AgentsDoNotShareKeptPages(t *testing.T) {
	w := newTicketWorld(t)
	ann, bob := w.as("ann@example.com"), w.as("bob@example.com")
	ann.get(views.PathTickets).wantContains(w.salesCode)
	r := bob.get(views.PathTickets).wantContains(w.supportCode)
	if strings.Contains(r.body, w.salesCode) {
		t.Fatal("Bob sees a Sales ticket from Ann's page")
	}
}

func TestFragments_StaleBuildIsNotKept(t *testing.T) {
	f := newFragments(&fakeChanges{})
	ctx := views.WithEnv(context.Background(), &views.Env{Lang: "en", CSRFToken: "tok"})
	builds := 0
	build := func(text string) func(context.Context) (piece, error) {
		return func(context.Context) (piece, error) {
			builds++
			return piece{Body: templ.Raw(text)}, nil
		}
	}
	render := func(c piece) string {
		var b bytes.Buffer
		if err := c.Body.Render(ctx, &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	c, _ := getAt(f, ctx, pageKey{Search: "k"}, 2, build("new"))
	if render(c) != "new" {
		t.Fatal("first build not served")
	}
	// A build that read under an older generation is served to its own
	// request but must not replace the newer one.
	c, _ = getAt(f, ctx, pageKey{Search: "other"}, 1, build("old"))
	if render(c) != "old" {
		t.Fatal("old build not served to its request")
	}
	c, _ = getAt(f, ctx, pageKey{Search: "other"}, 2, build("fresh"))
	if render(c) != "fresh" || builds != 3 {
		t.Fatalf("stale fragment kept: %q after %d builds", render(c), builds)
	}
	c, _ = getAt(f, ctx, pageKey{Search: "k"}, 2, build("again"))
	if render(c) != "new" || builds != 3 {
		t.Fatalf("kept fragment not reused: %q after %d builds", render(c), builds)
	}
	c, _ = getAt(f, ctx, pageKey{Search: "k"}, 3, build("after a change"))
	if render(c) != "after a change" {
		t.Fatal("fragment of an older generation served")
	}
}

func TestFragments_PlaceholderBecomesTheToken(t *testing.T) {
	f := newFragments(&fakeChanges{})
	build := func(context.Context) (piece, error) {
		return piece{Body: templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
			_, err := io.WriteString(w, `<input value="`+views.CSRF(ctx)+`"><input value="`+views.CSRF(ctx)+`">`)
			return err
		})}, nil
	}
	for _, tok := range []string{"first-session", "second-session"} {
		ctx := views.WithEnv(context.Background(), &views.Env{Lang: "en", CSRFToken: tok})
		c, err := getAt(f, ctx, pageKey{Search: "k"}, 1, build)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := c.Body.Render(ctx, &b); err != nil {
			t.Fatal(err)
		}
		if want := `<input value="` + tok + `"><input value="` + tok + `">`; b.String() != want {
			t.Fatalf("got %s, want %s", b.String(), want)
		}
	}
}

// A kept ticket page is not shown to an Agent who has since left the
// ticket's department, and shows a reply at once.
func TestTicketPage_KeptPageFollowsAccessAndChanges(t *testing.T) {
	w := newTicketWorld(t)
	ann := w.as("ann@example.com")
	page := views.TicketPath(w.salesCode)
	ann.get(page).wantStatus(http.StatusOK)
	ann.post(views.TicketActionPath(views.PathTicketMessages, w.salesCode), url.Values{"body": {"Here is the price list."}}).
		wantRedirect(page)
	ann.get(page).wantStatus(http.StatusOK).wantContains("Here is the price list.")
	if err := w.app.st.RemoveMember(context.Background(), w.adam.ID, w.sales, w.ann.ID); err != nil {
		t.Fatal(err)
	}
	ann.get(page).wantStatus(http.StatusNotFound)
}

func TestFragments_ConcurrentMissesBuildOnce(t *testing.T) {
	f := newFragments(&fakeChanges{})
	ctx := views.WithEnv(context.Background(), &views.Env{Lang: "en", CSRFToken: "tok"})
	var builds atomic.Int32
	release := make(chan struct{})
	build := func(context.Context) (piece, error) {
		builds.Add(1)
		<-release
		return piece{Body: templ.Raw("page")}, nil
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := getAt(f, ctx, pageKey{Search: "k"}, 1, build); err != nil {
				t.Error(err)
			}
		})
	}
	time.Sleep(50 * time.Millisecond) // let every request reach the miss
	close(release)
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Fatalf("%d builds for 20 concurrent requests of one page, want 1", n)
	}
}

// However many different pages are asked for, what is kept stays under the
// bound, each kept page holds no more memory than its own size, and pages
// past the bound are still served.
func TestFragments_KeptBytesStayBounded(t *testing.T) {
	f := newFragments(&fakeChanges{})
	ctx := views.WithEnv(context.Background(), &views.Env{Lang: "en", CSRFToken: "tok"})
	page := strings.Repeat("x", 100<<10)
	for i := range 2 * maxFragmentBytes / len(page) {
		c, err := getAt(f, ctx, pageKey{Search: fmt.Sprint("page-", i)}, 1, func(context.Context) (piece, error) {
			// Written in small pieces, as templ writes a page.
			return piece{Body: templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
				for i := 0; i < len(page); i += 1000 {
					if _, err := io.WriteString(w, page[i:min(i+1000, len(page))]); err != nil {
						return err
					}
				}
				return nil
			})}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := c.Body.Render(ctx, &b); err != nil || b.Len() != len(page) {
			t.Fatalf("page %d: %d bytes served, err %v", i, b.Len(), err)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.size > maxFragmentBytes || len(f.m) == 0 {
		t.Fatalf("%d bytes kept in %d pages; bound %d", f.size, len(f.m), maxFragmentBytes)
	}
	for key, k := range f.m {
		if held := cap(k.parts[0]); held > len(page)+len(page)/8 {
			t.Fatalf("%v holds %d bytes for a %d-byte page", key, held, len(page))
		}
	}
}

// serveAs runs one request for path through the whole server as c's
// browser, on ctx: the request ends when ctx does, as when a browser hangs up.
func (c *client) serveAs(ctx context.Context, path string) *httptest.ResponseRecorder {
	base, err := url.Parse(c.app.ts.URL)
	if err != nil {
		panic(err)
	}
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, path, nil)
	for _, ck := range c.http.Jar.Cookies(base) {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	c.app.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// A kept page is built once for everyone asking for it at that moment. The
// one whose request started the build hanging up stops their own wait, and
// nobody else's: the others get the page.
func TestTicketPage_FirstViewerHangingUpDoesNotFailTheOthers(t *testing.T) {
	w := newTicketWorld(t)
	// Both see every department, so they share the kept page.
	adam, olivia := w.as("adam@example.com"), w.as("owner@example.com")
	f := w.app.srv.fragments
	release, waiting := make(chan struct{}), make(chan struct{}, 2)
	f.beforeBuild = func() { <-release }
	f.waiting = func() { waiting <- struct{}{} }
	page := views.TicketPath(w.salesCode)

	hangUp, cancel := context.WithCancel(context.Background())
	defer cancel()
	first, second := make(chan int, 1), make(chan *httptest.ResponseRecorder, 1)
	go func() { first <- adam.serveAs(hangUp, page).Code }()
	<-waiting // Adam's request started the build
	go func() { second <- olivia.serveAs(context.Background(), page) }()
	<-waiting // Olivia waits for the same build
	cancel()
	select {
	case <-first:
	case <-time.After(5 * time.Second):
		t.Fatal("Adam's request still waits for the build after he hung up")
	}
	close(release)
	select {
	case r := <-second:
		if r.Code != http.StatusOK || !strings.Contains(r.Body.String(), "Price list please") {
			t.Fatalf("Olivia got %d:\n%.2000s", r.Code, r.Body.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Olivia's request never got the page")
	}
}

// "Assigned to me" is each viewer's own list: two people of one department,
// each with their own tickets, never see the other's kept page, whether
// they see only their departments (Agents) or every one (Administrators).
func TestQueue_AssignedToMeIsPerViewerEvenWhenKept(t *testing.T) {
	w := newTicketWorld(t)
	app, ctx := w.app, context.Background()
	assign := func(code string, to store.Agent) {
		t.Helper()
		if err := app.st.Assign(ctx, w.adam.Viewer(), code, to.ID); err != nil {
			t.Fatal(err)
		}
	}
	for _, pair := range []struct {
		name string
		a, b store.Agent
	}{
		{"agents", w.ann, app.agent("Amy Sales", "amy@example.com", authz.RoleAgent, w.sales)},
		{"administrators", app.agent("Alma Admin", "alma@example.com", authz.RoleAdmin, w.sales),
			app.agent("Abe Admin", "abe@example.com", authz.RoleAdmin, w.sales)},
	} {
		t.Run(pair.name, func(t *testing.T) {
			aCode, bCode := app.ticket(w.sales, pair.a.Name+"'s ticket"), app.ticket(w.sales, pair.b.Name+"'s ticket")
			assign(aCode, pair.a)
			assign(bCode, pair.b)
			a, b := app.signedIn(pair.a), app.signedIn(pair.b)
			mine := views.PathTickets + "?assignee=" + store.AssigneeMe
			for i, step := range []struct {
				c            *client
				want, notYou string
			}{{a, aCode, bCode}, {b, bCode, aCode}, {a, aCode, bCode}, {b, bCode, aCode}} {
				for _, htmx := range []bool{false, true} {
					d := step.c.do(http.MethodGet, mine, nil, htmx).wantStatus(http.StatusOK).doc()
					if d.Find("#ticket-"+step.want).Length() != 1 {
						t.Fatalf("step %d (htmx %v): own assigned ticket missing", i, htmx)
					}
					if d.Find("#ticket-"+step.notYou).Length() != 0 || d.Find("#ticket-"+w.salesCode).Length() != 0 {
						t.Fatalf("step %d (htmx %v): \"assigned to me\" shows a ticket assigned to someone else or nobody", i, htmx)
					}
				}
			}
		})
	}
}

// fakeChanges is a store's generation and ticket topics, moved by hand.
type fakeChanges struct {
	mu     sync.Mutex
	gen    uint64
	tick   uint64
	stamps map[store.Topic]uint64
}

func (c *fakeChanges) Generation() uint64 { c.mu.Lock(); defer c.mu.Unlock(); return c.gen }
func (c *fakeChanges) Tick() uint64       { c.mu.Lock(); defer c.mu.Unlock(); return c.tick }

func (c *fakeChanges) UnchangedSince(t uint64, topics []store.Topic) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, tp := range topics {
		if c.stamps[tp] > t {
			return false
		}
	}
	return true
}

// change stamps topics as a commit of new tickets does.
func (c *fakeChanges) change(topics ...store.Topic) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tick++
	if c.stamps == nil {
		c.stamps = map[store.Topic]uint64{}
	}
	for _, tp := range topics {
		c.stamps[tp] = c.tick
	}
}

// getAt asks f for key as a request does while the store's generation is gen.
func getAt(f *fragments, ctx context.Context, key pageKey, gen uint64, build func(context.Context) (piece, error)) (piece, error) {
	fc := f.st.(*fakeChanges)
	fc.mu.Lock()
	fc.gen = gen
	fc.mu.Unlock()
	return f.get(ctx, key, build)
}

// A kept page goes when a ticket topic it read changes, and stays when
// others change: a new ticket in one department leaves the pages built
// from another's tickets.
func TestFragments_OnlyChangedTopicsDropPages(t *testing.T) {
	fc := &fakeChanges{}
	f := newFragments(fc)
	ctx := views.WithEnv(context.Background(), &views.Env{Lang: "en", CSRFToken: "tok"})
	sales, support := store.Topic{Kind: store.TopicDepartment, ID: 1}, store.Topic{Kind: store.TopicDepartment, ID: 2}
	builds := 0
	get := func(key string, topic store.Topic) {
		t.Helper()
		if _, err := f.get(ctx, pageKey{Search: key}, func(context.Context) (piece, error) {
			builds++
			return piece{Body: templ.Raw(key), Topics: []store.Topic{topic}}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	get("sales", sales)
	get("support", support)
	fc.change(support, store.Topic{Kind: store.TopicAllTickets})
	get("sales", sales)
	if builds != 2 {
		t.Fatalf("%d builds: a change of Support's tickets dropped Sales' page", builds)
	}
	get("support", support)
	if builds != 3 {
		t.Fatalf("%d builds: Support's page was served after its tickets changed", builds)
	}
	fc.mu.Lock()
	fc.gen++
	fc.mu.Unlock()
	get("sales", sales)
	if builds != 4 {
		t.Fatalf("%d builds: a page was served after the generation moved", builds)
	}
}
