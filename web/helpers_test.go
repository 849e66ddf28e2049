package web

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpline/store"
	"helpline/store/storetest"
)

// testApp is a real server (router, middleware, store on a fresh database)
// behind httptest, for scenario tests.
type testApp struct {
	t    testing.TB
	path string // the database: a file, or a PostgreSQL address
	st   *store.Store
	srv  *Server
	ts   *httptest.Server
}

const testPassword = "correct horse battery"

func init() { storetest.UseSchema(store.PostgresSchemaKey(), store.PrepareSchema) }

func newTestApp(t testing.TB) *testApp {
	t.Helper()
	return newTestAppOn(t, storetest.DSN(t), newSecrets())
}

// secrets are the session and CSRF keys of a server; instances of one desk
// share them, as they read them from the database.
type secrets struct{ session, csrf []byte }

func newSecrets() secrets {
	key := func() []byte {
		b := make([]byte, 32)
		rand.Read(b)
		return b
	}
	return secrets{session: key(), csrf: key()}
}

// newTestAppOn is a server on the database at path with the keys sec.
func newTestAppOn(t testing.TB, path string, sec secrets) *testApp {
	t.Helper()
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{SessionSecret: sec.session, CSRFSecret: sec.csrf, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, st)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &testApp{t: t, path: path, st: st, srv: srv, ts: ts}
}

// owner signs up the account through the store and returns its creator.
func (a *testApp) owner() store.Agent {
	a.t.Helper()
	hash, err := store.HashPassword(testPassword)
	if err != nil {
		a.t.Fatal(err)
	}
	ag, err := a.st.SignUp(context.Background(), store.SignUpInput{Company: "Acme", Name: "Olivia Owner", Email: "owner@example.com", PasswordHash: hash})
	if err != nil {
		a.t.Fatal(err)
	}
	return ag
}

// client is one browser: its own cookies and the CSRF token of the last
// page it saw. It does not follow redirects, so tests see them.
type client struct {
	app            *testApp
	http           *http.Client
	csrf           string
	acceptLanguage string
}

func (a *testApp) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{app: a, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type response struct {
	status int
	header http.Header
	body   string
	t      testing.TB
}

func (r *response) doc() *goquery.Document {
	d, err := goquery.NewDocumentFromReader(strings.NewReader(r.body))
	if err != nil {
		r.t.Fatal(err)
	}
	return d
}

// text returns the whitespace-folded text of the first element matching sel.
func (r *response) text(sel string) string {
	return strings.Join(strings.Fields(r.doc().Find(sel).First().Text()), " ")
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (c *client) do(method, path string, form url.Values, htmx bool) *response {
	c.app.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.app.ts.URL+path, body)
	if err != nil {
		c.app.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	if c.acceptLanguage != "" {
		req.Header.Set("Accept-Language", c.acceptLanguage)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.app.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if m := csrfInput.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return &response{status: res.StatusCode, header: res.Header, body: string(b), t: c.app.t}
}

func (c *client) get(path string) *response { return c.do(http.MethodGet, path, nil, false) }

// post sends a form with the client's CSRF token (fetching a page first if
// it has none yet).
func (c *client) post(path string, form url.Values) *response {
	c.app.t.Helper()
	return c.do(http.MethodPost, path, c.withCSRF(form), false)
}

// hxPost sends a form as htmx does.
func (c *client) hxPost(path string, form url.Values) *response {
	c.app.t.Helper()
	return c.do(http.MethodPost, path, c.withCSRF(form), true)
}

func (c *client) withCSRF(form url.Values) url.Values {
	if c.csrf == "" {
		c.get("/signin")
	}
	if c.csrf == "" { // before sign-up every page but this one redirects
		c.get("/signup")
	}
	out := url.Values{}
	for k, v := range form {
		out[k] = v
	}
	if _, set := out["_csrf"]; !set {
		out.Set("_csrf", c.csrf)
	}
	return out
}

// signIn signs the client in and fails the test if that does not work.
func (c *client) signIn(email, password string) {
	c.app.t.Helper()
	r := c.post("/signin", url.Values{"email": {email}, "password": {password}})
	if r.status != http.StatusSeeOther {
		c.app.t.Fatalf("sign in %s: status %d, want 303; body: %s", email, r.status, r.body)
	}
	c.get("/profile") // pick up the new CSRF token
}

func (r *response) wantStatus(want int) *response {
	r.t.Helper()
	if r.status != want {
		r.t.Fatalf("status %d, want %d; body:\n%.2000s", r.status, want, r.body)
	}
	return r
}

func (r *response) wantContains(s string) *response {
	r.t.Helper()
	if !strings.Contains(r.body, s) {
		r.t.Fatalf("body does not contain %q:\n%.3000s", s, r.body)
	}
	return r
}

func (r *response) wantRedirect(to string) *response {
	r.t.Helper()
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), to) {
		r.t.Fatalf("status %d location %q, want 303 to %q", r.status, r.header.Get("Location"), to)
	}
	return r
}
