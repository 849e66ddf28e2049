package web

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// chooseRole picks the option labelled label in the role picker of row (a
// CSS selector of an agent's row), as a person does, and waits until the
// swapped row shows that role selected and the flash confirms it. It
// returns the option's value.
func chooseRole(t *testing.T, ctx context.Context, row, label, confirmation string) string {
	t.Helper()
	value := read(t, ctx, "find the option "+label+" in "+row, chromedp.Evaluate[string](`(() => {
		const o = [...document.querySelectorAll(`+strconv.Quote(row+` select[name="role"] option`)+`)]
			.find(o => o.textContent.trim() === `+strconv.Quote(label)+`);
		return o ? o.value : "";
	})()`))
	if value == "" {
		t.Fatalf("the picker of %s offers no %q", row, label)
	}
	// The choice goes to the picker on the page once htmx has finished
	// swapping the last answer in: set on a row about to be replaced, the
	// change would be sent from a detached form and never answered.
	run(t, ctx, "choose "+label+" in "+row,
		chromedp.Poll[chromedp.Void](`!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')`),
		chromedp.Evaluate[chromedp.Void](`void (() => {
			const s = document.querySelector(`+strconv.Quote(row+` select[name="role"]`)+`);
			s.value = `+strconv.Quote(value)+`;
			s.dispatchEvent(new Event('change', {bubbles: true}));
		})()`),
		chromedp.WaitReady(chromedp.CSS(row+` select[name="role"] option[value="`+value+`"][selected]`)),
		chromedp.WaitVisible(chromedp.Search(`//div[@id="flash"]/p[contains(., "`+confirmation+`")]`)),
	)
	return value
}

// locationPath is the path of the page the browser shows.
func locationPath(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc := read(t, ctx, "read the location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatalf("location %q: %v", loc, err)
	}
	return u.Path
}

// wantSignInAfterRoleChange checks the browser shows the sign-in page with
// the message that the role changed.
func wantSignInAfterRoleChange(t *testing.T, ctx context.Context) {
	t.Helper()
	if p := locationPath(t, ctx); p != views.PathSignIn {
		t.Fatalf("landed on %s, want %s", p, views.PathSignIn)
	}
	msg := read(t, ctx, "read the sign-in message", chromedp.Text(chromedp.CSS("#flash")))
	if !strings.Contains(msg, "Your role was changed; please sign in again") {
		t.Fatalf("sign-in page says %q", msg)
	}
}

// TestRolesBrowser_TeamLeadManagesAgentsUntilTheRoleLosesIt is an Owner
// creating a custom role that manages Agents, a team lead holding it in a
// second browser, and the Owner taking agents:manage away again.
func TestRolesBrowser_TeamLeadManagesAgentsUntilTheRoleLosesIt(t *testing.T) {
	ownerCtx := newBrowser(t)
	leadCtx := newBrowser(t)
	app := newTestApp(t)
	base := app.ts.URL
	bg := context.Background()

	owner := app.owner()
	admin := app.addAgent(owner.ID, "Adam Admin", authz.RoleAdmin)
	pat := app.addAgent(owner.ID, "Pat Plain", authz.RoleAgent)
	lena, token, err := app.st.CreateAgent(bg, owner.ID, store.AgentInput{Name: "Lena Lead", Email: "lead@example.com", Role: authz.RoleAgent, Status: store.StatusActive}, "")
	if err != nil {
		t.Fatalf("create Lena: %v", err)
	}
	if _, err := app.st.SetPasswordWithLink(bg, token, passwordHash(t), ""); err != nil {
		t.Fatalf("Lena's password: %v", err)
	}
	lenaRow := "#" + views.AgentRowID(lena.ID)
	patRow := "#" + views.AgentRowID(pat.ID)
	configLink := `.mainnav a[href="` + views.PathConfig + `"]`

	// Lena is signed in as a plain Agent: her Configuration is her own
	// predefined answers, without Agents.
	agentsLink := `.subnav a[href="` + views.PathAgents + `"]`
	browserSignIn(t, leadCtx, base, lena.Email, testPassword)
	run(t, leadCtx, "open Configuration as a plain Agent",
		chromedp.Click(chromedp.CSS(configLink)),
		chromedp.WaitVisible(chromedp.CSS(`.subnav a[href="`+views.PathAnswers+`"]`)),
	)
	if n := read(t, leadCtx, "count Agents links", chromedp.Evaluate[int](`document.querySelectorAll('`+agentsLink+`').length`)); n != 0 {
		t.Fatal("an Agent sees Configuration → Agents")
	}

	// The Owner creates the Team lead role on Configuration → Roles.
	browserSignIn(t, ownerCtx, base, owner.Email, testPassword)
	run(t, ownerCtx, "create the Team lead role",
		chromedp.Click(chromedp.CSS(configLink)),
		chromedp.WaitVisible(chromedp.CSS(`.subnav a[href="`+views.PathRoles+`"]`)),
		chromedp.Click(chromedp.CSS(`.subnav a[href="`+views.PathRoles+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="`+views.PathRoleNew+`"]`)),
		chromedp.Click(chromedp.CSS(`a[href="`+views.PathRoleNew+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("#role-form #f-name")),
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Team lead"),
		chromedp.Click(chromedp.CSS(`input[name="perms"][value="tickets:read_all"]`)),
		chromedp.Click(chromedp.CSS(`input[name="perms"][value="agents:manage"]`)),
		chromedp.Click(chromedp.CSS(`input[name="perms"][value="agents:change_role"]`)),
		chromedp.Click(chromedp.CSS(`#role-form button.btn-primary`)),
		chromedp.WaitVisible(chromedp.Search(`//table[contains(@class, "matrix")]//thead//th[contains(., "Team lead")]`)),
	)
	if p := locationPath(t, ownerCtx); p != views.PathRoles {
		t.Fatalf("after saving the Owner is on %s, want %s", p, views.PathRoles)
	}
	roles, err := app.st.Roles(bg)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(roles, func(r store.RoleInfo) bool { return r.Name == "Team lead" })
	if i < 0 {
		t.Fatalf("no Team lead role in the store: %+v", roles)
	}
	lead := roles[i]
	leadID := lead.Role.CustomID()
	if lead.Role != authz.CustomRoleKey(leadID) || leadID <= 0 {
		t.Fatalf("Team lead is role %q", lead.Role)
	}
	for _, p := range []authz.Perm{authz.TicketsReadAll, authz.AgentsManage, authz.AgentsRole} {
		if !lead.Perms.Has(p) {
			t.Fatalf("Team lead lacks %s: %s", p, lead.Perms)
		}
	}
	if lead.Perms.Has(authz.AgentsManageAdmins) || lead.Perms.Has(authz.RolesManage) {
		t.Fatalf("Team lead holds more than was ticked: %s", lead.Perms)
	}
	roleLink := `table.matrix thead a[href="` + views.WithID(views.PathRole, leadID) + `"]`
	if got := strings.TrimSpace(read(t, ownerCtx, "read the column link", chromedp.TextContent(chromedp.CSS(roleLink)))); got != "Team lead" {
		t.Fatalf("the Team lead column links as %q", got)
	}

	// The Owner makes Lena a team lead with the picker on her row.
	run(t, ownerCtx, "open Configuration → Agents",
		chromedp.Click(chromedp.CSS(`.subnav a[href="`+views.PathAgents+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(lenaRow+` select[name="role"]`)),
	)
	if v := chooseRole(t, ownerCtx, lenaRow, "Team lead", "Lena Lead is now Team lead"); v != string(lead.Role) {
		t.Fatalf("the Team lead option has value %q, want %q", v, lead.Role)
	}
	got, err := app.st.AgentByEmail(bg, "lead@example.com")
	if err != nil || got.Role != lead.Role || got.Role.CustomID() != leadID {
		t.Fatalf("Lena after the picker: role %q, %v; want %q", got.Role, err, lead.Role)
	}

	// Lena's next click lands on sign-in; signed in again she has Configuration.
	run(t, leadCtx, "next click after the role change",
		chromedp.Click(chromedp.CSS("a.brand")),
		chromedp.WaitVisible(chromedp.CSS("#f-email")),
	)
	wantSignInAfterRoleChange(t, leadCtx)
	browserSignIn(t, leadCtx, base, lena.Email, testPassword)
	run(t, leadCtx, "open Configuration → Agents as team lead",
		chromedp.WaitVisible(chromedp.CSS(configLink)),
		chromedp.Click(chromedp.CSS(configLink)),
		chromedp.WaitVisible(chromedp.CSS(`.subnav a[href="`+views.PathAgents+`"]`)),
		chromedp.Click(chromedp.CSS(`.subnav a[href="`+views.PathAgents+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("#agents-table")),
		chromedp.WaitVisible(chromedp.CSS(patRow+` select[name="role"]`)),
	)
	offered := read(t, leadCtx, "read the roles offered for Pat", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('`+patRow+` select[name="role"] option')].map(o => o.textContent.trim() + "=" + o.value)`))
	if want := []string{"Agent=agent", "Team lead=" + string(lead.Role)}; !slices.Equal(offered, want) {
		t.Fatalf("the team lead is offered %q for Pat, want %q", offered, want)
	}
	for _, ag := range []store.Agent{admin, owner} {
		row := "#" + views.AgentRowID(ag.ID)
		n := read(t, leadCtx, "count controls on "+ag.Name+"'s row",
			chromedp.Evaluate[int](`(() => { const r = document.querySelector('`+row+`'); return r ? r.querySelectorAll('select, button, a.btn').length : -1 })()`))
		if n != 0 {
			t.Fatalf("the team lead has %d controls on %s's row (-1: no row)", n, ag.Name)
		}
	}

	// Lena makes Pat a team lead and then an Agent again.
	chooseRole(t, leadCtx, patRow, "Team lead", "Pat Plain is now Team lead")
	if got, _ := app.st.AgentByID(bg, pat.ID); got.Role != lead.Role {
		t.Fatalf("Pat's role after the team lead's change: %q, want %q", got.Role, lead.Role)
	}
	chooseRole(t, leadCtx, patRow, "Agent", "Pat Plain is now Agent")
	if got, _ := app.st.AgentByID(bg, pat.ID); got.Role != authz.RoleAgent {
		t.Fatalf("Pat's role after the change back: %q, want agent", got.Role)
	}

	// The Owner takes agents:manage away from Team lead.
	run(t, ownerCtx, "edit the Team lead role",
		chromedp.Click(chromedp.CSS(`.subnav a[href="`+views.PathRoles+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(roleLink)),
		chromedp.Click(chromedp.CSS(roleLink)),
		chromedp.WaitVisible(chromedp.CSS("#role-form #f-name")),
	)
	ticked := read(t, ownerCtx, "read the ticked permissions", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('#role-form input[name="perms"]:checked')].map(c => c.value)`))
	if want := []string{"tickets:read_all", "agents:manage", "agents:change_role"}; !slices.Equal(ticked, want) {
		t.Fatalf("the edit form ticks %q, want %q", ticked, want)
	}
	run(t, ownerCtx, "untick agents:manage and save",
		chromedp.Click(chromedp.CSS(`input[name="perms"][value="agents:manage"]`)),
		chromedp.Click(chromedp.CSS(`#role-form button.btn-primary`)),
		chromedp.WaitVisible(chromedp.CSS("table.matrix")),
	)
	if p := locationPath(t, ownerCtx); p != views.PathRoles {
		t.Fatalf("after saving the edit the Owner is on %s, want %s", p, views.PathRoles)
	}
	edited, err := app.st.CustomRole(bg, leadID)
	if err != nil {
		t.Fatal(err)
	}
	if edited.Perms.Has(authz.AgentsManage) || !edited.Perms.Has(authz.AgentsRole) || !edited.Perms.Has(authz.TicketsReadAll) {
		t.Fatalf("Team lead after the edit: %s", edited.Perms)
	}

	// Lena's next click lands on sign-in; signed in again, Agents is
	// forbidden and Configuration is gone.
	run(t, leadCtx, "next click after the role lost agents:manage",
		chromedp.Navigate(base+views.PathAgents),
		chromedp.WaitVisible(chromedp.CSS("#f-email")),
	)
	wantSignInAfterRoleChange(t, leadCtx)
	browserSignIn(t, leadCtx, base, lena.Email, testPassword)
	run(t, leadCtx, "open Agents without agents:manage",
		chromedp.Navigate(base+views.PathAgents),
		chromedp.WaitVisible(chromedp.CSS(".error-card")),
	)
	code := read(t, leadCtx, "read the error code", chromedp.Text(chromedp.CSS(".error-card .error-code")))
	title := read(t, leadCtx, "read the error title", chromedp.Text(chromedp.CSS(".error-card h1")))
	if strings.TrimSpace(code) != "403" || strings.TrimSpace(title) != "Not allowed" {
		t.Fatalf("Agents answers %q %q, want the Forbidden page", code, title)
	}
	tables := read(t, leadCtx, "count agents tables", chromedp.Evaluate[int](`document.querySelectorAll('#agents-table').length`))
	run(t, leadCtx, "open Configuration without agents:manage",
		chromedp.Navigate(base+views.PathConfig),
		chromedp.WaitVisible(chromedp.CSS(`.subnav a[href="`+views.PathAnswers+`"]`)),
	)
	links := read(t, leadCtx, "count Agents links", chromedp.Evaluate[int](`document.querySelectorAll('`+agentsLink+`').length`))
	if tables != 0 || links != 0 {
		t.Fatalf("without agents:manage the team lead sees %d agents tables and %d Agents links", tables, links)
	}
}
