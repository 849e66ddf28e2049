package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// walkWorld is an account with something for every route parameter to name.
type walkWorld struct {
	app    *testApp
	tm     team
	dep    int64
	token  string
	target store.Agent
}

func newWalkWorld(t *testing.T) *walkWorld {
	app := newTestApp(t)
	tm := app.team()
	ctx := context.Background()
	dep, err := app.st.CreateDepartment(ctx, tm.creator.ID, store.DepartmentInput{Name: "Support"})
	if err != nil {
		t.Fatal(err)
	}
	if err := app.st.SetDepartmentMembers(ctx, tm.creator.ID, dep, map[int64]store.Channels{tm.agent.ID: {Tickets: true}}); err != nil {
		t.Fatal(err)
	}
	target := app.addAgent(tm.creator.ID, "Terry Target", authz.RoleAgent)
	token, err := app.st.ResetPassword(ctx, tm.creator.ID, target.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	return &walkWorld{app: app, tm: tm, dep: dep, token: token, target: target}
}

// fill puts real IDs and tokens into a route pattern.
func (w *walkWorld) fill(pattern string) string {
	p := pattern
	if strings.HasPrefix(p, "/config/departments/") {
		p = strings.Replace(p, ":id", fmt.Sprint(w.dep), 1)
	}
	p = strings.Replace(p, ":id", fmt.Sprint(w.target.ID), 1)
	p = strings.Replace(p, ":token", url.PathEscape(w.token), 1)
	return strings.Replace(p, "/static/*", "/static/x/css/app.css", 1)
}

// everyField is a form that would change something on any route.
func (w *walkWorld) everyField() url.Values {
	id := fmt.Sprint(w.target.ID)
	return url.Values{
		"company": {"Evil Corp"}, "name": {"Changed Name"}, "email": {"changed@example.com"}, "alias": {"x"},
		"role": {"owner"}, "status": {"disabled"}, "language": {"pl"}, "password": {"a brand new password"},
		"current_password": {testPassword}, "new_password": {"a brand new password"},
		"member": {id}, "tickets": {id}, "description": {"changed"}, "departments": {fmt.Sprint(w.dep)},
	}
}

// snapshot is everything a request could change that a person would notice.
func (w *walkWorld) snapshot(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	audit, err := w.app.st.AuditLog(ctx, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	agents, err := w.app.st.ListAgents(ctx, store.AgentFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	deps, err := w.app.st.Departments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	members, err := w.app.st.DepartmentMembers(ctx, w.dep)
	if err != nil {
		t.Fatal(err)
	}
	acct, err := w.app.st.Account(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, linkErr := w.app.st.PasswordLinkAgent(ctx, w.token)
	return fmt.Sprintf("audit=%d\nagents=%+v\ndeps=%+v\nmembers=%+v\naccount=%+v\nlink=%v", len(audit), agents, deps, members, acct, linkErr)
}

// TestCSRF_EveryStateChangingRouteRefusesAPostWithoutTheToken walks the
// route table: as a signed-in Owner, a post without the page's token, with
// a forged one, or with another browser's, is 403 and changes nothing; the
// same post with the token is not refused, so the 403 is the token's doing.
func TestCSRF_EveryStateChangingRouteRefusesAPostWithoutTheToken(t *testing.T) {
	probe := newWalkWorld(t)
	n := 0
	for _, rt := range probe.app.srv.routes() {
		if rt.method == http.MethodGet {
			continue
		}
		n++
		w := newWalkWorld(t)
		path := w.fill(rt.path)
		owner := w.app.signedIn(w.tm.creator)
		other := w.app.client()
		other.get(views.PathSignIn)
		before := w.snapshot(t)
		for name, token := range map[string]string{"no token": "", "forged token": "AAAA" + owner.csrf[4:], "another browser's token": other.csrf} {
			for _, htmx := range []bool{false, true} {
				form := w.everyField()
				if token != "" {
					form.Set("_csrf", token)
				}
				r := owner.do(rt.method, path, form, htmx)
				if r.status != http.StatusForbidden {
					t.Errorf("%s %s with %s (htmx %v): status %d, want 403", rt.method, rt.path, name, htmx, r.status)
				}
				req, _ := http.NewRequest(rt.method, w.app.ts.URL+path, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-CSRF-Token", token)
				if res, err := owner.http.Do(req); err == nil {
					res.Body.Close()
					if res.StatusCode != http.StatusForbidden {
						t.Errorf("%s %s with %s in the header: status %d, want 403", rt.method, rt.path, name, res.StatusCode)
					}
				}
			}
		}
		if after := w.snapshot(t); after != before {
			t.Errorf("%s %s without a valid token changed data:\nbefore %s\nafter  %s", rt.method, rt.path, before, after)
		}
		owner.get(views.PathProfile).wantStatus(http.StatusOK) // still signed in
		if r := owner.post(path, w.everyField()); r.status == http.StatusForbidden {
			t.Errorf("%s %s with the token: 403 too, so the walk proves nothing", rt.method, rt.path)
		}
	}
	if n < 15 {
		t.Fatalf("only %d state-changing routes walked", n)
	}
}

// TestGetRoutes_NeverChangeState opens every GET route as an Owner (and the
// set-password link anonymously) and checks nothing a person sees changed,
// the one-time link included.
func TestGetRoutes_NeverChangeState(t *testing.T) {
	w := newWalkWorld(t)
	owner := w.app.signedIn(w.tm.creator)
	anonymous := w.app.client()
	before := w.snapshot(t)
	for _, rt := range w.app.srv.routes() {
		if rt.method != http.MethodGet {
			continue
		}
		path := w.fill(rt.path)
		for _, c := range []*client{owner, anonymous} {
			if r := c.get(path); r.status >= 500 {
				t.Errorf("GET %s: status %d", rt.path, r.status)
			}
			c.do(http.MethodGet, path, nil, true)
			c.do(http.MethodHead, path, nil, false)
		}
	}
	if after := w.snapshot(t); after != before {
		t.Fatalf("GET requests changed data:\nbefore %s\nafter  %s", before, after)
	}
}
