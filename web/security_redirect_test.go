package web

import (
	"net/http"
	"net/url"
	"testing"

	"helpline/views"
)

func TestSignIn_NextNeverLeavesTheSite(t *testing.T) {
	for _, next := range []string{
		"//evil.example", "https://evil.example", "/\\evil.example", "\\/evil.example",
		"/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\x00/evil.example",
		"/\x7f/evil.example", "javascript:alert(1)", " /profile",
	} {
		got := safeNext(next)
		if got != views.PathHome {
			t.Errorf("safeNext(%q) = %q, want home", next, got)
		}
		u, err := url.Parse(got)
		if err != nil || u.Host != "" || u.Scheme != "" {
			t.Errorf("safeNext(%q) = %q leaves the site", next, got)
		}
	}
}

func TestSignIn_ReturnsToTheLocalPageAskedFor(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	// A guarded page sends an anonymous user to sign in, then back.
	to := c.get(views.PathAgents + "?q=ol").wantRedirect(views.PathSignIn).header.Get("Location")
	doc := c.get(to).wantStatus(http.StatusOK).doc()
	action, _ := doc.Find("#signin form").Attr("action")
	r := c.post(action, url.Values{"email": {"owner@example.com"}, "password": {testPassword}})
	r.wantRedirect(views.PathAgents + "?q=ol")
}

func TestSignIn_HostileNextFromALinkGoesHome(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	for _, next := range []string{"/\t/evil.example", "//evil.example", "https://evil.example/"} {
		c := app.client()
		doc := c.get(views.PathSignIn + "?next=" + url.QueryEscape(next)).wantStatus(http.StatusOK).doc()
		action, _ := doc.Find("#signin form").Attr("action")
		if action != views.PathSignIn {
			t.Errorf("next %q: form action %q", next, action)
		}
		r := c.post(views.PathSignIn+"?next="+url.QueryEscape(next), url.Values{"email": {"owner@example.com"}, "password": {testPassword}})
		if loc := r.header.Get("Location"); r.status != http.StatusSeeOther || loc != views.PathHome {
			t.Errorf("next %q: status %d Location %q, want 303 to /", next, r.status, loc)
		}
		hx := app.client()
		hx.get(views.PathSignIn)
		r = hx.hxPost(views.PathSignIn+"?next="+url.QueryEscape(next), url.Values{"email": {"owner@example.com"}, "password": {testPassword}})
		if got := r.header.Get("HX-Redirect"); got != views.PathHome {
			t.Errorf("next %q over htmx: HX-Redirect %q", next, got)
		}
	}
}
