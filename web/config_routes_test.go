package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// fixture is what one scenario acts on: a fresh target agent and department.
type fixture struct {
	target store.Agent
	dep    int64
}

type configRoute struct {
	name   string
	method string
	path   func(f fixture) string
	form   func(f fixture) url.Values
	ok     int  // status for a user who may do it
	touch  bool // refused (403) when an Administrator's target is an Owner
	// creator routes answer 409 for a target that is not an Owner.
	creator bool
	// agentOK, when set, is an Agent's status: the index leads everyone to
	// their own predefined answers.
	agentOK int
}

func roleForm(f fixture) url.Values {
	next := map[authz.Role]string{authz.RoleAgent: "admin", authz.RoleAdmin: "agent", authz.RoleOwner: "admin"}
	return url.Values{"role": {next[f.target.Role]}}
}

func agentForm(name, email string, role authz.Role) url.Values {
	return url.Values{"name": {name}, "email": {email}, "gender": {""}, "role": {string(role)}, "status": {"active"}}
}

var configRoutes = []configRoute{
	{name: "config index", method: "GET", path: func(fixture) string { return views.PathConfig }, ok: http.StatusSeeOther, agentOK: http.StatusSeeOther},
	{name: "agents list", method: "GET", path: func(fixture) string { return views.PathAgents + "?q=a" }, ok: 200},
	{name: "agent new", method: "GET", path: func(fixture) string { return views.PathAgentNew }, ok: 200},
	{name: "agent create", method: "POST", path: func(fixture) string { return views.PathAgents }, touch: true, ok: 200,
		form: func(f fixture) url.Values {
			return agentForm("New One", fmt.Sprintf("new%d@example.com", f.target.ID), f.target.Role)
		}},
	{name: "agent edit", method: "GET", path: func(f fixture) string { return views.WithID(views.PathAgentEdit, f.target.ID) }, touch: true, ok: 200},
	{name: "agent update", method: "POST", path: func(f fixture) string { return views.WithID(views.PathAgent, f.target.ID) }, touch: true, ok: 303,
		form: func(f fixture) url.Values { return agentForm(f.target.Name+" B", f.target.Email, f.target.Role) }},
	{name: "agent role", method: "POST", path: func(f fixture) string { return views.WithID(views.PathAgentRole, f.target.ID) }, touch: true, ok: 303, form: roleForm},
	{name: "agent remove confirm", method: "GET", path: func(f fixture) string { return views.WithID(views.PathAgentRemove, f.target.ID) }, touch: true, ok: 200},
	{name: "agent remove", method: "POST", path: func(f fixture) string { return views.WithID(views.PathAgentRemove, f.target.ID) }, touch: true, ok: 303},
	{name: "agent disable", method: "POST", path: func(f fixture) string { return views.WithID(views.PathAgentStatus, f.target.ID) }, touch: true, ok: 303,
		form: func(fixture) url.Values { return url.Values{"status": {"disabled"}} }},
	{name: "agent reset password", method: "POST", path: func(f fixture) string { return views.WithID(views.PathAgentPassword, f.target.ID) }, touch: true, ok: 200},
	{name: "agent make creator", method: "POST", path: func(f fixture) string { return views.WithID(views.PathAgentCreator, f.target.ID) }, creator: true, ok: 303},
	{name: "roles", method: "GET", path: func(fixture) string { return views.PathRoles }, ok: 200},
	{name: "audit", method: "GET", path: func(fixture) string { return views.PathAudit }, ok: 200},
	{name: "banned ips", method: "GET", path: func(fixture) string { return views.PathBans }, ok: 200},
	{name: "ban create", method: "POST", path: func(fixture) string { return views.PathBans }, ok: 303,
		form: func(f fixture) url.Values {
			return url.Values{"address": {fmt.Sprintf("2001:db8::%x", f.target.ID)}, "valid_until": {"1d"}}
		}},
	{name: "general", method: "GET", path: func(fixture) string { return views.PathGeneral }, ok: 200},
	{name: "general save", method: "POST", path: func(fixture) string { return views.PathGeneral }, ok: 303,
		form: func(f fixture) url.Values {
			return url.Values{"company": {fmt.Sprintf("Acme %d", f.target.ID)}, "time_zone": {"Europe/Bucharest"}}
		}},
	{name: "departments", method: "GET", path: func(fixture) string { return views.PathDepartments }, ok: 200},
	{name: "department new", method: "GET", path: func(fixture) string { return views.PathDepartmentNew }, ok: 200},
	{name: "department create", method: "POST", path: func(fixture) string { return views.PathDepartments }, ok: 303,
		form: func(f fixture) url.Values { return url.Values{"name": {fmt.Sprintf("Dept %d", f.target.ID)}} }},
	{name: "department edit", method: "GET", path: func(f fixture) string { return views.WithID(views.PathDepartment, f.dep) }, ok: 200},
	{name: "department update", method: "POST", path: func(f fixture) string { return views.WithID(views.PathDepartment, f.dep) }, ok: 303,
		form: func(f fixture) url.Values {
			return url.Values{"name": {fmt.Sprintf("Renamed %d", f.dep)}, "description": {"Line 1\r\nLine 2"}}
		}},
	{name: "department members", method: "POST", path: func(f fixture) string { return views.WithID(views.PathDepartmentMembers, f.dep) }, ok: 303,
		form: func(f fixture) url.Values {
			id := fmt.Sprint(f.target.ID)
			return url.Values{"member": {id}, "chats": {id}}
		}},
	{name: "department remove confirm", method: "GET", path: func(f fixture) string { return views.WithID(views.PathDepartmentRemove, f.dep) }, ok: 200},
	{name: "department remove", method: "POST", path: func(f fixture) string { return views.WithID(views.PathDepartmentRemove, f.dep) }, ok: 303},
}

// TestConfigRoutes_RoleByRouteByTarget walks every Configuration route as
// each role (and anonymously) against a target of each role.
func TestConfigRoutes_RoleByRouteByTarget(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	clients := map[string]*client{
		"anonymous": app.client(),
		"agent":     app.signedIn(tm.agent),
		"admin":     app.signedIn(tm.admin),
		"owner":     app.signedIn(tm.creator),
	}
	n := 0
	for _, actor := range []string{"anonymous", "agent", "admin", "owner"} {
		for _, rt := range configRoutes {
			for _, targetRole := range authz.BuiltinRoles {
				n++
				target := app.addAgent(tm.creator.ID, fmt.Sprintf("Target %d", n), targetRole)
				dep, err := app.st.CreateDepartment(context.Background(), tm.creator.ID, store.DepartmentInput{Name: fmt.Sprintf("Scenario %d", n)})
				if err != nil {
					t.Fatal(err)
				}
				f := fixture{target: target, dep: dep}
				want := rt.ok
				switch {
				case actor == "anonymous":
					want = http.StatusSeeOther
				case actor == "agent" && rt.agentOK != 0:
					want = rt.agentOK
				case actor == "agent":
					want = http.StatusForbidden
				case rt.creator && actor == "admin":
					want = http.StatusForbidden
				case rt.creator && targetRole != authz.RoleOwner:
					want = http.StatusConflict
				case rt.touch && actor == "admin" && targetRole == authz.RoleOwner:
					want = http.StatusForbidden
				}
				name := fmt.Sprintf("%s %s on %s", actor, rt.name, targetRole)
				c := clients[actor]
				var r *response
				if rt.method == "GET" {
					r = c.get(rt.path(f))
				} else {
					var form url.Values
					if rt.form != nil {
						form = rt.form(f)
					}
					r = c.post(rt.path(f), form)
				}
				if r.status != want {
					t.Errorf("%s: status %d, want %d\n%.600s", name, r.status, want, r.body)
					continue
				}
				if actor == "anonymous" && !strings.HasPrefix(r.header.Get("Location"), views.PathSignIn) {
					t.Errorf("%s: redirected to %q, want sign-in", name, r.header.Get("Location"))
				}
			}
		}
	}
}

func TestConfigNavigation_OnlyForThoseWhoMayOpenIt(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	// An Agent's Configuration is their own predefined answers alone.
	agent := app.signedIn(tm.agent)
	agent.get(views.PathConfig).wantRedirect(views.PathAnswers)
	var agentSections []string
	agent.get(views.PathAnswers).wantStatus(200).doc().Find(".subnav a").Each(func(_ int, s *goquery.Selection) { agentSections = append(agentSections, s.Text()) })
	if strings.Join(agentSections, ",") != "Predefined answers" {
		t.Fatalf("an Agent's sub-navigation %v", agentSections)
	}
	c := app.signedIn(tm.admin)
	d := c.get(views.PathProfile).doc()
	if d.Find(`.mainnav a[href="/config"]`).Text() != "Configuration" {
		t.Fatal("an Administrator does not see Configuration")
	}
	c.get(views.PathConfig).wantRedirect(views.PathAgents)
	var sections []string
	c.get(views.PathRoles).doc().Find(".subnav a").Each(func(_ int, s *goquery.Selection) { sections = append(sections, s.Text()) })
	if strings.Join(sections, ",") != "Agents,Departments,Roles,Predefined answers,Tags,Ticket fields,General,Languages,Security,Banned IPs,Plugins,Email,Webhooks,Audit log,API tokens,SLA,Rules,Time rules" {
		t.Fatalf("sub-navigation %v", sections)
	}
}

// TestConfigPaths_AreRegisteredWithTheirSectionPermission checks the path
// constants, the sub-navigation and the navigation against the router and
// the route table.
func TestConfigPaths_AreRegisteredWithTheirSectionPermission(t *testing.T) {
	app := newTestApp(t)
	registered := map[string]bool{}
	for _, r := range app.srv.Echo().Routes() {
		registered[r.Method+" "+r.Path] = true
	}
	for _, p := range []string{views.PathConfig, views.PathAgents, views.PathAgentNew, views.PathAgentEdit, views.PathAgentRemove,
		views.PathSetPassword, views.PathRoles, views.PathRoleNew, views.PathRole, views.PathRoleRemove, views.PathAudit,
		views.PathGeneral, views.PathDepartments, views.PathDepartmentNew, views.PathDepartment, views.PathDepartmentRemove} {
		if !registered["GET "+p] {
			t.Errorf("GET %s is not registered", p)
		}
	}
	for _, p := range []string{views.PathAgents, views.PathAgent, views.PathAgentRole, views.PathAgentRemove, views.PathAgentStatus,
		views.PathAgentPassword, views.PathAgentCreator, views.PathSetPassword, views.PathDepartments, views.PathDepartment,
		views.PathDepartmentMembers, views.PathDepartmentRemove, views.PathRoles, views.PathRole, views.PathRoleRemove, views.PathGeneral} {
		if !registered["POST "+p] {
			t.Errorf("POST %s is not registered", p)
		}
	}
	perms := map[string]access{}
	for _, r := range app.srv.routes() {
		if r.method == http.MethodGet {
			perms[r.path] = r.perm
		}
	}
	for _, n := range append(append([]navItem{}, navigation...), configSections...) {
		if p, ok := perms[n.path]; !ok || p.String() != n.perm.String() {
			t.Errorf("navigation %s: route permission %q, item permission %q", n.path, p, n.perm)
		}
	}
}

func TestRolesPage_MatrixIsThePermissionTable(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	d := app.signedIn(tm.admin).get(views.PathRoles).wantStatus(200).doc()
	rows := d.Find("table.matrix tbody tr:not(.group-row)")
	cat := authz.Catalogue()
	if rows.Length() != len(cat) {
		t.Fatalf("%d rows, want one per permission (%d)", rows.Length(), len(cat))
	}
	rows.Each(func(i int, row *goquery.Selection) {
		in := cat[i]
		if got := row.Find(".perm-name").Text(); got != in.Name {
			t.Errorf("row %d is %q, want %q", i, got, in.Name)
		}
		if desc := row.Find(".perm-desc").Text(); desc == "" || desc == in.DescID {
			t.Errorf("%s has no translated description (%q)", in.Name, desc)
		}
		row.Find("td").Each(func(j int, td *goquery.Selection) {
			granted := td.Find(".granted").Length() == 1
			if want := authz.BuiltinPerms(authz.BuiltinRoles[j]).Has(in.Perm); granted != want {
				t.Errorf("%s for %s: page shows %v, table says %v", in.Name, authz.BuiltinRoles[j], granted, want)
			}
		})
	})
	for _, in := range cat {
		for _, lang := range []string{"en", "pl", "ro"} {
			if views.TL(lang, in.DescID, nil) == in.DescID {
				t.Errorf("%s: no description in %s", in.Name, lang)
			}
		}
	}
	for _, id := range groupLabels {
		for _, lang := range []string{"en", "pl", "ro"} {
			if views.TL(lang, id, nil) == id {
				t.Errorf("group %s: no label in %s", id, lang)
			}
		}
	}
}
