package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"helpline/authz"
	"helpline/store"
	"helpline/views"

	"github.com/PuerkitoBio/goquery"
)

// customRole creates a custom role as the account creator.
func (a *testApp) customRole(ownerID int64, name string, perms ...authz.Perm) authz.Role {
	a.t.Helper()
	r, err := a.st.CreateCustomRole(context.Background(), ownerID, store.CustomRoleInput{Name: name, Perms: authz.SetOf(perms...)}, "")
	if err != nil {
		a.t.Fatal(err)
	}
	return r
}

// TestCustomRoles_EachPermissionAloneGrantsExactlyItsRoutes gives an agent a
// custom role of the Agent's permissions and one more, for every permission
// a custom role may hold, and walks the route table: what the route needs
// and the role lacks answers 403 and changes nothing; what it grants opens.
func TestCustomRoles_EachPermissionAloneGrantsExactlyItsRoutes(t *testing.T) {
	w := newWalkWorld(t)
	base := authz.AgentBase()
	n := 0
	for _, in := range authz.Catalogue() {
		if !authz.Offerable().Has(in.Perm) || base.Has(in.Perm) {
			continue
		}
		n++
		t.Run(in.Name, func(t *testing.T) {
			role := w.app.customRole(w.tm.creator.ID, "Only "+in.Name, in.Perm)
			holder := w.app.addAgent(w.tm.creator.ID, "Holder "+strings.NewReplacer(":", " ", "_", " ").Replace(in.Name), role)
			c := w.app.signedIn(holder)
			perms := base.With(in.Perm)
			before := w.snapshot(t)
			var opened []route
			for _, rt := range w.app.srv.routes() {
				if rt.perm.public {
					continue
				}
				if rt.perm.allows(perms) {
					if rt.method == http.MethodGet {
						opened = append(opened, rt)
					}
					continue
				}
				var r *response
				if rt.method == http.MethodGet {
					r = c.get(w.fill(rt.path))
				} else {
					r = c.post(w.fill(rt.path), w.everyField())
				}
				if r.status != http.StatusForbidden {
					t.Errorf("%s %s: status %d, want 403", rt.method, rt.path, r.status)
				}
			}
			if after := w.snapshot(t); after != before {
				t.Fatalf("a refused request changed data:\nbefore %s\nafter  %s", before, after)
			}
			granted := 0
			for _, rt := range opened {
				r := c.get(w.fill(rt.path))
				if r.status == http.StatusForbidden || strings.HasPrefix(r.header.Get("Location"), views.PathSignIn) {
					t.Errorf("GET %s: status %d, but %s grants it", rt.path, r.status, in.Name)
				}
				if rt.perm.allows(authz.SetOf(in.Perm)) {
					granted++
				}
			}
			if granted == 0 && in.Perm != authz.TicketsReadAll && in.Perm != authz.AgentsDepartments && in.Perm != authz.AgentsRole && in.Perm != authz.AgentsPassword &&
				in.Perm != authz.CannedManageDepartments && // shared answers, on the screen every role opens
				in.Perm != authz.TicketFiltersManage { // shares views on the queue's own pages
				t.Errorf("%s opens no page of its own", in.Name)
			}
		})
	}
	if n < 5 {
		t.Fatalf("only %d permissions walked", n)
	}
}

// TestCustomRoles_ScopeNavigationAndAgentsFollowTheRole is the scenario table
// for a custom role with tickets:read_all and agent management, and one
// with neither.
func TestCustomRoles_ScopeNavigationAndAgentsFollowTheRole(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	ctx := context.Background()
	sales, err := app.st.CreateDepartment(ctx, tm.creator.ID, store.DepartmentInput{Name: "Sales"})
	if err != nil {
		t.Fatal(err)
	}
	support, err := app.st.CreateDepartment(ctx, tm.creator.ID, store.DepartmentInput{Name: "Support"})
	if err != nil {
		t.Fatal(err)
	}
	lead := app.customRole(tm.creator.ID, "Team lead", authz.TicketsReadAll, authz.AgentsManage, authz.AgentsRole)
	helper := app.customRole(tm.creator.ID, "Helper")
	l := app.addAgent(tm.creator.ID, "Lena Lead", lead)
	h := app.addAgent(tm.creator.ID, "Hugo Helper", helper)
	for _, a := range []store.Agent{l, h} {
		if err := app.st.SetAgentDepartments(ctx, tm.creator.ID, a.ID, []int64{sales}); err != nil {
			t.Fatal(err)
		}
	}
	elsewhere := app.ticket(support, "Printer on fire")
	clients := map[string]*client{"lead": app.signedIn(l), "helper": app.signedIn(h)}

	for _, tc := range []struct {
		name, who, path string
		wantStatus      int
		wantContains    string
		wantMissing     string
	}{
		{"lead sees Configuration", "lead", views.PathTickets, 200, `href="/config"`, ""},
		{"helper's Configuration is their predefined answers", "helper", views.PathAnswers, 200, "", `href="/config/agents"`},
		{"lead's queue has other departments", "lead", views.PathTickets, 200, "Printer on fire", ""},
		{"helper's queue has only their own", "helper", views.PathTickets, 200, "", "Printer on fire"},
		{"lead opens another department's ticket", "lead", views.TicketPath(elsewhere), 200, "Printer on fire", ""},
		{"helper gets 404 for it", "helper", views.TicketPath(elsewhere), 404, "", "Printer on fire"},
		{"lead opens Configuration → Agents", "lead", views.PathAgents, 200, "Alice Agent", ""},
		{"helper is refused Configuration → Agents", "helper", views.PathAgents, 403, "", "Alice Agent"},
		{"lead may not open the Roles page", "lead", views.PathRoles, 403, "", ""},
		{"lead may not create roles", "lead", views.PathRoleNew, 403, "", ""},
	} {
		r := clients[tc.who].get(tc.path)
		if r.status != tc.wantStatus {
			t.Errorf("%s: status %d, want %d", tc.name, r.status, tc.wantStatus)
			continue
		}
		if tc.wantContains != "" && !strings.Contains(r.body, tc.wantContains) {
			t.Errorf("%s: page lacks %q", tc.name, tc.wantContains)
		}
		if tc.wantMissing != "" && strings.Contains(r.body, tc.wantMissing) {
			t.Errorf("%s: page shows %q", tc.name, tc.wantMissing)
		}
	}

	// On Configuration → Agents the lead's picker offers Agent and the
	// custom roles within their own permissions; Administrators' and
	// Owners' rows offer nothing.
	d := clients["lead"].get(views.PathAgents).doc()
	var offered []string
	d.Find("#" + views.AgentRowID(tm.agent.ID) + ` select[name="role"] option`).Each(func(_ int, s *goquery.Selection) {
		offered = append(offered, s.AttrOr("value", ""))
	})
	if strings.Join(offered, ",") != "agent,"+string(helper)+","+string(lead) {
		t.Errorf("picker on an Agent's row offers %v", offered)
	}
	for _, a := range []store.Agent{tm.admin, tm.owner, tm.creator} {
		if row := d.Find("#" + views.AgentRowID(a.ID)); row.Find("select, button").Length() != 0 {
			t.Errorf("lead has actions on %s's row", a.Name)
		}
	}
	// And the server refuses what the page does not offer.
	c := clients["lead"]
	c.post(views.WithID(views.PathAgentRole, tm.agent.ID), url.Values{"role": {"admin"}}).wantStatus(http.StatusForbidden)
	c.post(views.WithID(views.PathAgentStatus, tm.admin.ID), url.Values{"status": {"disabled"}}).wantStatus(http.StatusForbidden)
	c.post(views.WithID(views.PathAgentRole, tm.agent.ID), url.Values{"role": {string(helper)}}).wantStatus(http.StatusSeeOther)
	if got, _ := app.st.AgentByID(ctx, tm.agent.ID); got.Role != helper {
		t.Fatalf("the lead's role change was not stored: %s", got.Role)
	}
	if got, _ := app.st.AgentByID(ctx, tm.admin.ID); got.Status != store.StatusActive {
		t.Fatal("the lead disabled an Administrator")
	}
}

func TestCustomRoleForm_BadInputIs422NextToTheFieldAndNothingStored(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	owner := app.signedIn(tm.creator)
	owner.post(views.PathRoles, url.Values{"name": {"Team lead"}, "perms": {"agents:manage"}}).wantRedirect(views.PathRoles)
	roles, _ := app.st.Roles(context.Background())
	for _, tc := range []struct {
		name  string
		form  url.Values
		field string
		msg   string
	}{
		{"empty name", url.Values{"name": {" "}}, "#f-name-error", "Please fill this in."},
		{"name taken in another case", url.Values{"name": {"TEAM LEAD"}}, "#f-name-error", "A role with this name already exists."},
		{"Owner-only permission", url.Values{"name": {"Boss"}, "perms": {"owners:manage"}}, "#f-perms-error", ""},
		{"unknown permission", url.Values{"name": {"Boss"}, "perms": {"billing:manage"}}, "#f-perms-error", ""},
	} {
		r := owner.post(views.PathRoles, tc.form).wantStatus(http.StatusUnprocessableEntity)
		if got := r.text(tc.field); got == "" || (tc.msg != "" && got != tc.msg) {
			t.Errorf("%s: message %q next to %s", tc.name, got, tc.field)
		}
	}
	if after, _ := app.st.Roles(context.Background()); len(after) != len(roles) {
		t.Fatalf("a refused role was stored: %d roles, want %d", len(after), len(roles))
	}
	// Administrators see the roles but do not manage them.
	admin := app.signedIn(tm.admin)
	admin.get(views.PathRoles).wantStatus(200).wantContains("Team lead")
	if strings.Contains(admin.get(views.PathRoles).body, views.PathRoleNew) {
		t.Error("an Administrator is offered Create custom role")
	}
	admin.post(views.PathRoles, url.Values{"name": {"Sneaky"}}).wantStatus(http.StatusForbidden)

	// A role an agent holds is not removed: 409, and it stays.
	id := roles[len(roles)-1].Role
	app.addAgent(tm.creator.ID, "Hal Holder", id)
	owner.post(views.WithID(views.PathRoleRemove, id.CustomID()), nil).wantStatus(http.StatusConflict)
	if _, err := app.st.CustomRole(context.Background(), id.CustomID()); err != nil {
		t.Fatalf("held role removed: %v", err)
	}
}

// TestCustomRole_AgentManagementWithoutRoleChangesEditsButKeepsTheRole: the
// edit form shows the role as text to someone who may not change roles, and
// saving it keeps the role.
func TestCustomRole_AgentManagementWithoutRoleChangesEditsButKeepsTheRole(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	keeper := app.addAgent(tm.creator.ID, "Kim Keeper", app.customRole(tm.creator.ID, "Keeper", authz.AgentsManage))
	c := app.signedIn(keeper)
	edit := c.get(views.WithID(views.PathAgentEdit, tm.agent.ID)).wantStatus(200).doc()
	if edit.Find(`input[name="role"]`).Length() != 0 {
		t.Fatal("the edit form offers roles to someone without agents:change_role")
	}
	c.post(views.WithID(views.PathAgent, tm.agent.ID), url.Values{"name": {"Alice Renamed"}, "email": {tm.agent.Email},
		"role": {"admin"}, "status": {"active"}}).wantRedirect(views.PathAgents)
	got, _ := app.st.AgentByID(context.Background(), tm.agent.ID)
	if got.Name != "Alice Renamed" || got.Role != authz.RoleAgent {
		t.Fatalf("after the keeper's edit: %s, %s", got.Name, got.Role)
	}
	c.post(views.WithID(views.PathAgentRole, tm.agent.ID), url.Values{"role": {"agent"}}).wantStatus(http.StatusForbidden)
}

// TestRolePicker_OwnerGrantIsConfirmedFirst: without the picker's script the
// post answers a confirmation page that sends the grant again confirmed; an
// htmx post without the confirmation changes nothing.
func TestRolePicker_OwnerGrantIsConfirmedFirst(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	owner := app.signedIn(tm.creator)
	path := views.WithID(views.PathAgentRole, tm.agent.ID)
	d := owner.post(path, url.Values{"role": {"owner"}}).wantStatus(200).wantContains("Make Alice Agent an Owner?").doc()
	form := d.Find(`form[action="` + path + `"]`)
	if form.Find(`input[name="role"]`).AttrOr("value", "") != "owner" || form.Find(`input[name="confirm"]`).AttrOr("value", "") != "1" {
		t.Fatal("the confirmation does not send the grant again")
	}
	owner.hxPost(path, url.Values{"role": {"owner"}}).wantStatus(http.StatusUnprocessableEntity)
	if got, _ := app.st.AgentByID(context.Background(), tm.agent.ID); got.Role != authz.RoleAgent {
		t.Fatalf("an unconfirmed grant made them %s", got.Role)
	}
	owner.post(path, url.Values{"role": {"owner"}, "confirm": {"1"}}).wantRedirect(views.PathAgents)
	if got, _ := app.st.AgentByID(context.Background(), tm.agent.ID); got.Role != authz.RoleOwner {
		t.Fatalf("the confirmed grant left them %s", got.Role)
	}
	// Someone who may not grant Owner is refused, not asked.
	app.signedIn(tm.admin).post(views.WithID(views.PathAgentRole, tm.owner.ID), url.Values{"role": {"owner"}}).wantStatus(http.StatusForbidden)
}
