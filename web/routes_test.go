package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"helpline/authz"
	"helpline/views"
)

// concretePath fills route parameters so a route can be requested.
func concretePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		switch {
		case strings.HasPrefix(s, ":"):
			parts[i] = "1"
		case s == "*":
			parts[i] = "x"
		}
	}
	return strings.Join(parts, "/")
}

func TestRoutes_EveryRegisteredRouteIsInTheTable(t *testing.T) {
	app := newTestApp(t)
	table := map[string]bool{}
	for _, r := range app.srv.routes() {
		table[r.method+" "+r.path] = true
	}
	// The HTTP API has its own table, each operation with its permission.
	for _, op := range app.srv.apiOps() {
		table[op.method+" "+apiPrefix+op.path] = true
	}
	table[http.MethodGet+" "+apiPrefix+"/openapi.json"] = true
	for _, r := range app.srv.Echo().Routes() {
		if !table[r.Method+" "+r.Path] {
			t.Errorf("route %s %s is served but not in the route table", r.Method, r.Path)
		}
	}
}

func TestRoutes_AnonymousIsSentToSignInUnlessPublic(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	for _, r := range app.srv.routes() {
		if r.perm.public {
			continue
		}
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			c := app.client()
			var form url.Values
			if r.method != http.MethodGet {
				form = url.Values{}
			}
			var res *response
			if form != nil {
				res = c.post(concretePath(r.path), form)
			} else {
				res = c.get(concretePath(r.path))
			}
			if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), views.PathSignIn) {
				t.Fatalf("anonymous %s %s: status %d location %q, want 303 to sign-in", r.method, r.path, res.status, res.header.Get("Location"))
			}
			// htmx requests get 401 and a client-side redirect.
			hx := c.do(r.method, concretePath(r.path), c.withCSRF(url.Values{}), true)
			if hx.status != http.StatusUnauthorized || hx.header.Get("HX-Redirect") == "" {
				t.Fatalf("anonymous htmx %s %s: status %d HX-Redirect %q", r.method, r.path, hx.status, hx.header.Get("HX-Redirect"))
			}
		})
	}
}

func TestRoutes_RouteWithoutPermissionFailsAtStart(t *testing.T) {
	app := newTestApp(t)
	err := app.srv.register([]route{{http.MethodGet, "/oops", func(echo.Context) error { return nil }, access{}}})
	if err == nil || !strings.Contains(err.Error(), "declares no permission") {
		t.Fatalf("register without permission: %v", err)
	}
}

func TestRoutes_PathConstantsAreRegistered(t *testing.T) {
	app := newTestApp(t)
	served := map[string]bool{}
	for _, r := range app.srv.Echo().Routes() {
		served[r.Path] = true
	}
	for _, p := range []string{views.PathHome, views.PathSignUp, views.PathSignIn, views.PathSignOut, views.PathForgot,
		views.PathProfile, views.PathPassword, views.PathHealth} {
		if !served[p] {
			t.Errorf("path %s has no route", p)
		}
	}
}

func TestNavigation_ShowsOnlyRegisteredRoutesTheRoleMayOpen(t *testing.T) {
	app := newTestApp(t)
	guarded := map[string]access{}
	for _, r := range app.srv.routes() {
		if r.method == http.MethodGet {
			guarded[r.path] = r.perm
		}
	}
	for _, n := range navigation {
		perm, ok := guarded[n.path]
		if !ok {
			t.Errorf("navigation item %s leads to %s, which is not a GET route", n.labelID, n.path)
		}
		if perm.String() != n.perm.String() {
			t.Errorf("navigation item %s is shown for %s but its route needs %s", n.labelID, n.perm, perm)
		}
	}
	for _, role := range authz.BuiltinRoles {
		for _, item := range navFor(&views.CurrentUser{Role: role, Perms: authz.BuiltinPerms(role)}) {
			if !guarded[item.Path].allows(authz.BuiltinPerms(role)) {
				t.Errorf("%s sees %s but may not open it", role, item.Path)
			}
		}
	}
}
