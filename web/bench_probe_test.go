package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"helpline/store"
)

// The in-memory bound of the load runs answers only on a server started
// for them, only to someone who may read the queue, and shows a whole
// queue page of fifty rows.
func TestBenchProbe_OnlyWhenStartedForItAndOnlyForQueueReaders(t *testing.T) {
	// A server as everyone runs it: no such page, signed in or not.
	app := newTestApp(t)
	app.owner()
	owner := app.client()
	owner.signIn("owner@example.com", testPassword)
	if r := owner.get(benchProbePath); r.status != http.StatusNotFound {
		t.Fatalf("a normal server answers %s with %d, want 404", benchProbePath, r.status)
	}
	for _, rt := range app.srv.Echo().Routes() {
		if strings.HasPrefix(rt.Path, "/_bench") {
			t.Errorf("a normal server registers %s %s", rt.Method, rt.Path)
		}
	}

	// The same desk served for a load run.
	st, err := store.Open(app.path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sec := newSecrets()
	srv, err := New(Config{SessionSecret: sec.session, CSRFSecret: sec.csrf, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BenchProbe: true}, st)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	bench := &testApp{t: t, path: app.path, st: st, srv: srv, ts: ts}

	anon := bench.client()
	if r := anon.get(benchProbePath); r.status != http.StatusSeeOther && r.status != http.StatusUnauthorized {
		t.Errorf("signed out: status %d, want the way to sign in", r.status)
	}
	c := bench.client()
	c.signIn("owner@example.com", testPassword)
	r := c.get(benchProbePath).wantStatus(http.StatusOK)
	if n := strings.Count(r.body, `<tr id="ticket-`); n != 50 {
		t.Errorf("%d queue rows, want 50", n)
	}
	r.wantContains(`<h1>Tickets</h1>`).wantContains(`ABC-00049-XYZ`)
}
