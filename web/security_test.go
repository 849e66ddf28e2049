package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestSecurityHeaders_OnEveryKindOfResponse(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	for _, p := range []string{"/signin", "/nowhere", "/profile", "/healthz"} {
		r := c.get(p)
		csp := r.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Referrer-Policy") == "" {
			t.Errorf("%s: missing nosniff or Referrer-Policy", p)
		}
	}
}

func TestPages_HaveNoInlineScriptsOrStyles(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	c.signIn("owner@example.com", testPassword)
	for _, p := range []string{"/signin", "/profile", "/forgot-password", "/nowhere"} {
		doc := c.get(p).doc()
		doc.Find("script").Each(func(_ int, s *goquery.Selection) {
			if _, ok := s.Attr("src"); !ok {
				t.Errorf("%s: inline script", p)
			}
		})
		if doc.Find("[style], style").Length() > 0 {
			t.Errorf("%s: inline style", p)
		}
	}
}

func TestCSRF_PostWithoutValidTokenIsRefusedAndChangesNothing(t *testing.T) {
	app := newTestApp(t)
	owner := app.owner()
	c := app.client()
	c.signIn("owner@example.com", testPassword)
	for name, token := range map[string]string{"missing": "", "wrong": "not-the-token"} {
		t.Run(name, func(t *testing.T) {
			form := url.Values{"name": {"Hacked"}, "language": {"en"}}
			if token != "" {
				form.Set("_csrf", token)
			} else {
				form["_csrf"] = nil
			}
			r := c.do(http.MethodPost, "/profile", form, false)
			r.wantStatus(http.StatusForbidden)
			hx := c.do(http.MethodPost, "/profile", form, true)
			hx.wantStatus(http.StatusForbidden)
			a, _ := app.st.AgentByID(context.Background(), owner.ID)
			if a.Name != "Olivia Owner" {
				t.Fatalf("profile changed to %q", a.Name)
			}
		})
	}
	// Another browser's token does not work either.
	other := app.client()
	other.get("/signin")
	form := url.Values{"_csrf": {other.csrf}, "name": {"Hacked"}, "language": {"en"}}
	c.do(http.MethodPost, "/profile", form, false).wantStatus(http.StatusForbidden)
}

func TestErrorPages_LookLikeTheProduct(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	c.signIn("owner@example.com", testPassword)
	r := c.get("/no/such/page").wantStatus(http.StatusNotFound)
	if r.text("h1") != "Page not found" || r.doc().Find("header.topbar").Length() != 1 {
		t.Fatalf("404 page: %q", r.text("h1"))
	}
	hx := c.do(http.MethodGet, "/no/such/page", nil, true).wantStatus(http.StatusNotFound)
	if hx.header.Get("HX-Reswap") != "none" || !strings.Contains(hx.body, `id="flash"`) {
		t.Fatalf("htmx 404 does not go to the flash area: %s", hx.body)
	}
}

func TestStatic_HashedURLsAreCachedForAYear(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	doc := c.get("/signin").doc()
	href, _ := doc.Find(`link[rel="stylesheet"]`).Attr("href")
	src, _ := doc.Find(`script[src*="htmx"]`).Attr("src")
	for _, u := range []string{href, src} {
		r := c.get(u).wantStatus(http.StatusOK)
		if !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: Cache-Control %q", u, r.header.Get("Cache-Control"))
		}
	}
	c.get("/static/0000/css/nope.css").wantStatus(http.StatusNotFound)
}

func TestHealthz_AnswersOK(t *testing.T) {
	app := newTestApp(t)
	r := app.client().get("/healthz").wantStatus(http.StatusOK)
	if r.body != "ok" {
		t.Fatalf("healthz body %q", r.body)
	}
}
