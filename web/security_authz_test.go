package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// TestRoutes_AgentIsRefusedEveryRouteItsRoleLacks walks the route table as
// an Agent with a valid token: every route guarded by a permission the
// Agent does not hold answers 403 and changes nothing.
func TestRoutes_AgentIsRefusedEveryRouteItsRoleLacks(t *testing.T) {
	w := newWalkWorld(t)
	agent := w.app.signedIn(w.tm.agent)
	before := w.snapshot(t)
	n := 0
	for _, rt := range w.app.srv.routes() {
		if rt.perm.allows(authz.BuiltinPerms(authz.RoleAgent)) {
			continue
		}
		n++
		path := w.fill(rt.path)
		var r *response
		if rt.method == http.MethodGet {
			r = agent.get(path)
		} else {
			r = agent.post(path, w.everyField())
		}
		if r.status != http.StatusForbidden {
			t.Errorf("agent %s %s: status %d, want 403", rt.method, rt.path, r.status)
		}
	}
	if after := w.snapshot(t); after != before {
		t.Fatalf("an Agent changed data:\nbefore %s\nafter  %s", before, after)
	}
	if n < 10 {
		t.Fatalf("only %d routes walked", n)
	}
}

// TestRemovedAgent_EveryActionOnThemIs404 changes the ID in the URL to a
// removed agent: nothing acts on them, and they look like nobody.
func TestRemovedAgent_EveryActionOnThemIs404(t *testing.T) {
	w := newWalkWorld(t)
	if err := w.app.st.RemoveAgent(context.Background(), w.tm.creator.ID, w.target.ID, ""); err != nil {
		t.Fatal(err)
	}
	owner := w.app.signedIn(w.tm.creator)
	before := w.snapshot(t)
	for _, rt := range w.app.srv.routes() {
		if !strings.HasPrefix(rt.path, "/config/agents/:id") {
			continue
		}
		path := w.fill(rt.path)
		var r *response
		if rt.method == http.MethodGet {
			r = owner.get(path)
		} else {
			r = owner.post(path, w.everyField())
		}
		if r.status != http.StatusNotFound {
			t.Errorf("%s %s on a removed agent: status %d, want 404", rt.method, rt.path, r.status)
		}
	}
	if after := w.snapshot(t); after != before {
		t.Fatalf("acting on a removed agent changed data:\nbefore %s\nafter  %s", before, after)
	}
}

// TestAdmin_CannotReachOwnerRoleOrThemselvesThroughFormFields posts the
// fields the admin's form does not offer.
func TestAdmin_CannotReachOwnerRoleOrThemselvesThroughFormFields(t *testing.T) {
	w := newWalkWorld(t)
	tm := w.tm
	admin := w.app.signedIn(tm.admin)
	for _, tc := range []struct {
		name, path string
		form       map[string][]string
		want       int
	}{
		{"promote an agent to Owner by the picker", views.WithID(views.PathAgentRole, tm.agent.ID), map[string][]string{"role": {"owner"}}, http.StatusForbidden},
		{"promote an agent to Owner by the edit form", views.WithID(views.PathAgent, tm.agent.ID), agentForm(tm.agent.Name, tm.agent.Email, authz.RoleOwner), http.StatusForbidden},
		{"create an Owner", views.PathAgents, agentForm("Sneaky Owner", "sneaky@example.com", authz.RoleOwner), http.StatusForbidden},
		{"edit an Owner", views.WithID(views.PathAgent, tm.owner.ID), agentForm("Hacked", tm.owner.Email, authz.RoleOwner), http.StatusForbidden},
		{"reset an Owner's password", views.WithID(views.PathAgentPassword, tm.owner.ID), nil, http.StatusForbidden},
		{"disable an Owner", views.WithID(views.PathAgentStatus, tm.owner.ID), map[string][]string{"status": {"disabled"}}, http.StatusForbidden},
		{"promote themselves", views.WithID(views.PathAgentRole, tm.admin.ID), map[string][]string{"role": {"owner"}}, http.StatusConflict},
		{"change own role", views.WithID(views.PathAgentRole, tm.admin.ID), map[string][]string{"role": {"agent"}}, http.StatusConflict},
		{"disable themselves", views.WithID(views.PathAgentStatus, tm.admin.ID), map[string][]string{"status": {"disabled"}}, http.StatusConflict},
		{"remove themselves", views.WithID(views.PathAgentRemove, tm.admin.ID), nil, http.StatusConflict},
		{"reset own password", views.WithID(views.PathAgentPassword, tm.admin.ID), nil, http.StatusConflict},
		{"take the account creator mark", views.WithID(views.PathAgentCreator, tm.admin.ID), nil, http.StatusForbidden},
	} {
		if r := admin.post(tc.path, tc.form); r.status != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, r.status, tc.want)
		}
	}
	// The admin's own edit form ignores role and status it does not offer.
	admin.post(views.WithID(views.PathAgent, tm.admin.ID), agentForm(tm.admin.Name, tm.admin.Email, authz.RoleOwner)).wantRedirect(views.PathAgents)
	a, _ := w.app.st.AgentByID(context.Background(), tm.admin.ID)
	if a.Role != authz.RoleAdmin || a.Status != store.StatusActive {
		t.Fatalf("admin is now %s/%s", a.Role, a.Status)
	}
	o, _ := w.app.st.AgentByID(context.Background(), tm.owner.ID)
	if o.Name != tm.owner.Name || o.Status != store.StatusActive || o.PasswordHash != passwordHash(t) {
		t.Fatalf("the Owner was changed: %+v", o)
	}
	if _, err := w.app.st.AgentByEmail(context.Background(), "sneaky@example.com"); err == nil {
		t.Fatal("an Administrator created an Owner")
	}
}

// tokenText matches a CSRF token or a link's key: 43 URL-safe characters.
var tokenText = regexp.MustCompile(`[A-Za-z0-9_-]{40,}`)

func TestErrors_ServerErrorShowsNoGoOrSQLDetail(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	c.signIn("owner@example.com", testPassword)
	logs := app.captureLogs()
	app.st.Close()
	for _, htmx := range []bool{false, true} {
		r := c.do(http.MethodGet, views.PathAgents, nil, htmx)
		if r.status != http.StatusInternalServerError {
			t.Fatalf("status %d, want 500", r.status)
		}
		// The page's random tokens (CSRF) may spell "sql" by chance.
		body := strings.ToLower(tokenText.ReplaceAllString(r.body, ""))
		for _, leak := range []string{"sql", "store:", "closed", "goroutine", ".go:"} {
			if strings.Contains(body, leak) {
				t.Errorf("htmx %v: the page shows %q:\n%s", htmx, leak, r.body)
			}
		}
	}
	if !strings.Contains(logs.String(), "is closed") {
		t.Fatalf("the cause was not logged for the operator:\n%s", logs.String())
	}
}
