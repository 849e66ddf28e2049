package web

import (
	"net/http"
	"strings"
	"testing"

	"helpline/authz"
	"helpline/views"
)

// The set-password link is built on the configured base URL when there is
// one (behind a proxy the request's own address is not what people open),
// else on the address of the request.
func TestPasswordLink_UsesTheBaseURL(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	c.signIn("owner@example.com", testPassword)
	link := func(name, email string) string {
		r := c.post(views.PathAgents, agentForm(name, email, authz.RoleAgent)).wantStatus(http.StatusOK)
		return r.doc().Find("#f-link").AttrOr("value", "")
	}
	if got := link("Nina New", "nina@example.com"); !strings.HasPrefix(got, app.ts.URL+"/set-password/") {
		t.Fatalf("link without a base URL: %q, want it on %s", got, app.ts.URL)
	}
	app.srv.cfg.BaseURL = "https://help.example.com"
	if got := link("Otto Other", "otto@example.com"); !strings.HasPrefix(got, "https://help.example.com/set-password/") {
		t.Fatalf("link with a base URL: %q", got)
	}
}
