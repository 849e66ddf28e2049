package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

func countAgents(t *testing.T, app *testApp) int {
	t.Helper()
	page, err := app.st.ListAgents(context.Background(), store.AgentFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Agents)
}

func TestConfigPosts_WithoutCSRFAreRefusedAndChangeNothing(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	c := app.signedIn(tm.creator)
	before := countAgents(t, app)
	posts := []struct {
		path string
		form url.Values
	}{
		{views.PathAgents, agentForm("Sneaky", "sneaky@example.com", authz.RoleAdmin)},
		{views.WithID(views.PathAgentRole, tm.admin.ID), url.Values{"role": {"agent"}}},
		{views.WithID(views.PathAgentRemove, tm.agent.ID), url.Values{}},
		{views.WithID(views.PathAgentStatus, tm.agent.ID), url.Values{"status": {"disabled"}}},
		{views.WithID(views.PathAgentPassword, tm.agent.ID), url.Values{}},
		{views.PathDepartments, url.Values{"name": {"Sneaky"}}},
	}
	for _, p := range posts {
		for _, htmx := range []bool{false, true} {
			c.do(http.MethodPost, p.path, p.form, htmx).wantStatus(http.StatusForbidden)
			bad := url.Values{"_csrf": {"forged"}}
			for k, v := range p.form {
				bad[k] = v
			}
			c.do(http.MethodPost, p.path, bad, htmx).wantStatus(http.StatusForbidden)
		}
	}
	if n := countAgents(t, app); n != before {
		t.Fatalf("%d agents after refused posts, want %d", n, before)
	}
	for _, a := range []store.Agent{tm.admin, tm.agent} {
		got, _ := app.st.AgentByID(context.Background(), a.ID)
		if got.Role != a.Role || got.Status != store.StatusActive || got.Removed || got.PasswordHash == "" {
			t.Fatalf("%s changed by a refused post: %+v", a.Name, got)
		}
	}
	if deps, _ := app.st.Departments(context.Background()); len(deps) != 1 { // the first one, from sign-up
		t.Fatal("department created without CSRF token")
	}
}

func TestAgentForm_BadInputIs422NextToTheFieldAndStoresNothing(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	dep, _ := app.st.CreateDepartment(context.Background(), tm.creator.ID, store.DepartmentInput{Name: "Sales"})
	c := app.signedIn(tm.creator)
	valid := func() url.Values {
		v := agentForm("Nina New", "nina@example.com", authz.RoleAgent)
		v.Set("departments", itoa(dep))
		return v
	}
	cases := []struct {
		name, field, value, wantMsg string
	}{
		{"empty name", "name", "  ", "Please fill this in."},
		{"malformed email", "email", "nina@", "Please enter an email address like name@example.com."},
		{"email with display name", "email", "Nina <nina@example.com>", "Please enter an email address like name@example.com."},
		{"duplicate email in other case", "email", "ADAM.ADMIN@Example.COM", "An agent with this email already exists."},
		{"unknown role", "role", "superuser", "Please choose one of the offered options."},
		{"unknown gender", "gender", "robot", "Please choose one of the offered options."},
		{"unknown status", "status", "sleeping", "Please choose one of the offered options."},
		{"department that does not exist", "departments", "4242", "Please choose from the listed departments."},
		{"department that is not a number", "departments", "sales", "Please choose from the listed departments."},
	}
	before := countAgents(t, app)
	for _, tc := range cases {
		for _, path := range []string{views.PathAgents, views.WithID(views.PathAgent, tm.agent.ID)} {
			form := valid()
			form.Set(tc.field, tc.value)
			r := c.post(path, form).wantStatus(http.StatusUnprocessableEntity)
			if got := r.text("#f-" + tc.field + "-error"); got != tc.wantMsg {
				t.Errorf("%s at %s: message %q next to %s, want %q", tc.name, path, got, tc.field, tc.wantMsg)
			}
		}
	}
	if n := countAgents(t, app); n != before {
		t.Fatalf("%d agents after refused creates, want %d", n, before)
	}
	got, _ := app.st.AgentByID(context.Background(), tm.agent.ID)
	if got.Name != tm.agent.Name || got.Email != tm.agent.Email {
		t.Fatalf("refused edit stored: %+v", got)
	}
	if ids, _ := app.st.AgentDepartmentIDs(context.Background(), tm.agent.ID); len(ids) != 0 {
		t.Fatalf("refused edit stored departments %v", ids)
	}
	// The valid form goes through, departments included.
	r := c.post(views.PathAgents, valid()).wantStatus(http.StatusOK)
	if !strings.Contains(r.doc().Find("#f-link").AttrOr("value", ""), "/set-password/") {
		t.Fatal("no set-password link after create")
	}
	nina, err := app.st.AgentByEmail(context.Background(), "nina@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if ids, _ := app.st.AgentDepartmentIDs(context.Background(), nina.ID); len(ids) != 1 || ids[0] != dep {
		t.Fatalf("departments of new agent %v", ids)
	}
}

func TestDepartmentForm_DuplicateNameInOtherCaseIs422(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	c := app.signedIn(tm.admin)
	c.post(views.PathDepartments, url.Values{"name": {"Sales"}, "description": {"Selling"}}).wantStatus(http.StatusSeeOther)
	r := c.post(views.PathDepartments, url.Values{"name": {"sALES"}}).wantStatus(http.StatusUnprocessableEntity)
	if got := r.text("#f-name-error"); got != "A department with this name already exists." {
		t.Fatalf("message %q", got)
	}
	r = c.post(views.PathDepartments, url.Values{"name": {""}}).wantStatus(http.StatusUnprocessableEntity)
	if got := r.text("#f-name-error"); got != "Please fill this in." {
		t.Fatalf("message %q", got)
	}
	if deps, _ := app.st.Departments(context.Background()); len(deps) != 2 {
		t.Fatalf("%d departments, want 2 (General from sign-up and Sales)", len(deps))
	}
}

func TestDepartmentMembers_SavedWithChannelsFromTheDepartmentPage(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	dep, _ := app.st.CreateDepartment(context.Background(), tm.creator.ID, store.DepartmentInput{Name: "Sales"})
	c := app.signedIn(tm.creator)
	path := views.WithID(views.PathDepartmentMembers, dep)
	r := c.hxPost(path, url.Values{"member": {itoa(tm.agent.ID), itoa(tm.owner.ID)}, "tickets": {itoa(tm.agent.ID)}, "calls": {itoa(tm.agent.ID)}}).wantStatus(200)
	if r.doc().Find(`#members-form input[name=calls][value="`+itoa(tm.agent.ID)+`"]`).AttrOr("checked", "no") == "no" {
		t.Fatal("swapped members form does not show the saved channel")
	}
	ms, _ := app.st.DepartmentMembers(context.Background(), dep)
	if len(ms) != 2 || ms[0].AgentID != tm.agent.ID || !ms[0].Tickets || !ms[0].Calls || ms[0].Chats || ms[1].Tickets {
		t.Fatalf("members %+v", ms)
	}
	c.post(path, url.Values{"member": {"999999"}}).wantStatus(http.StatusUnprocessableEntity)
	if ms, _ := app.st.DepartmentMembers(context.Background(), dep); len(ms) != 2 {
		t.Fatalf("refused members change stored: %+v", ms)
	}
	d := c.get(views.PathDepartments).wantStatus(200)
	if !strings.Contains(d.text("#"+views.DepartmentRowID(dep)), "2 members") {
		t.Fatalf("list row: %q", d.text("#"+views.DepartmentRowID(dep)))
	}
}

func linkFrom(t *testing.T, r *response) string {
	t.Helper()
	link := r.doc().Find("#f-link").AttrOr("value", "")
	i := strings.Index(link, "/set-password/")
	if i < 0 {
		t.Fatalf("no set-password link in page:\n%.2000s", r.body)
	}
	return link[i:]
}

func TestSetPasswordLink_WorksOnceAndNotAfter72Hours(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	owner := app.signedIn(tm.creator)
	link := linkFrom(t, owner.post(views.PathAgents, agentForm("Nina New", "nina@example.com", authz.RoleAdmin)).wantStatus(200))

	nina := app.client()
	nina.get(link).wantStatus(200).wantContains("Nina New")
	r := nina.post(link, url.Values{"password": {"short"}}).wantStatus(http.StatusUnprocessableEntity)
	if r.text("#f-password-error") == "" {
		t.Fatal("short password has no message")
	}
	nina.post(link, url.Values{"password": {"nina's good password"}}).wantRedirect(views.PathHome)
	nina.get(views.PathProfile).wantStatus(200).wantContains("Nina New")

	again := app.client()
	again.get(link).wantStatus(http.StatusNotFound).wantContains("This link does not work")
	again.post(link, url.Values{"password": {"another password 123"}}).wantStatus(http.StatusNotFound)
	again.signIn("nina@example.com", "nina's good password")

	// A link older than 72 hours does not work.
	link2 := linkFrom(t, owner.post(views.PathAgents, agentForm("Late Larry", "larry@example.com", authz.RoleAgent)).wantStatus(200))
	app.st.SetClock(func() time.Time { return time.Now().Add(store.PasswordLinkValid + time.Minute) })
	app.client().get(link2).wantStatus(http.StatusNotFound)
	app.client().post(link2, url.Values{"password": {"larry's good password"}}).wantStatus(http.StatusNotFound)
}

func TestResetPassword_EndsSessionsAndGivesNewLink(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	agent := app.signedIn(tm.agent)
	admin := app.signedIn(tm.admin)
	link := linkFrom(t, admin.post(views.WithID(views.PathAgentPassword, tm.agent.ID), nil).wantStatus(200))
	agent.get(views.PathProfile).wantRedirect(views.PathSignIn)
	agent.get(views.PathSignIn).wantContains("Your password was reset; please sign in again.")
	r := app.client().post(views.PathSignIn, url.Values{"email": {tm.agent.Email}, "password": {testPassword}})
	if r.status == http.StatusSeeOther {
		t.Fatal("the old password still signs in after a reset")
	}
	app.client().post(link, url.Values{"password": {"brand new password"}}).wantRedirect(views.PathHome)
}

func TestRolePicker_SwapsRowAndSignsTheAgentOut(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	adminBrowser := app.signedIn(tm.admin)
	owner := app.signedIn(tm.creator)
	r := owner.hxPost(views.WithID(views.PathAgentRole, tm.admin.ID), url.Values{"role": {"agent"}}).wantStatus(200)
	// A bare <tr> only parses inside a table, as htmx does with it.
	d, err := goquery.NewDocumentFromReader(strings.NewReader("<table><tbody>" + r.body))
	if err != nil {
		t.Fatal(err)
	}
	row := d.Find("tr#" + views.AgentRowID(tm.admin.ID))
	if row.Length() != 1 || row.Find(`option[value="agent"]`).AttrOr("selected", "no") == "no" {
		t.Fatalf("answer is not the updated row:\n%s", r.body)
	}
	if !strings.Contains(d.Find("#flash").Text(), "Adam Admin is now Agent") {
		t.Fatalf("no confirmation in the flash area:\n%s", r.body)
	}
	adminBrowser.get(views.PathAgents).wantRedirect(views.PathSignIn)
	adminBrowser.get(views.PathSignIn).wantContains("Your role was changed; please sign in again.")
	// Without JavaScript the same form posts and returns to the table.
	owner.post(views.WithID(views.PathAgentRole, tm.admin.ID), url.Values{"role": {"admin"}}).wantRedirect(views.PathAgents)
	// An unknown role is refused.
	owner.post(views.WithID(views.PathAgentRole, tm.admin.ID), url.Values{"role": {"king"}}).wantStatus(http.StatusUnprocessableEntity)
	// A refusal by the rules comes back as a message in the flash area.
	r = owner.hxPost(views.WithID(views.PathAgentRole, tm.creator.ID), url.Values{"role": {"agent"}}).wantStatus(http.StatusConflict)
	if !strings.Contains(r.text("#flash"), "You cannot change your own role") {
		t.Fatalf("refusal message: %q", r.text("#flash"))
	}
	if got, _ := app.st.AgentByID(context.Background(), tm.creator.ID); got.Role != authz.RoleOwner {
		t.Fatal("own role changed")
	}
}

func TestRemoveAgent_RowRemovedInPlaceAndHistoryKeepsName(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	agentBrowser := app.signedIn(tm.agent)
	admin := app.signedIn(tm.admin)
	// Without JavaScript the trash can leads to a confirmation page.
	admin.get(views.WithID(views.PathAgentRemove, tm.agent.ID)).wantStatus(200).wantContains("Remove Alice Agent?")
	r := admin.hxPost(views.WithID(views.PathAgentRemove, tm.agent.ID), nil).wantStatus(200)
	d := r.doc()
	if d.Find("tr").Length() != 0 || !strings.Contains(d.Find("#flash").Text(), "Alice Agent was removed.") {
		t.Fatalf("answer should be empty with a confirmation:\n%s", r.body)
	}
	if admin.get(views.PathAgents).doc().Find("#"+views.AgentRowID(tm.agent.ID)).Length() != 0 {
		t.Fatal("removed agent still listed")
	}
	agentBrowser.get(views.PathProfile).wantRedirect(views.PathSignIn)
	agentBrowser.get(views.PathSignIn).wantContains("Your account was removed.")
	audit := admin.get(views.PathAudit).wantStatus(200)
	if !strings.Contains(audit.body, "Alice Agent (removed)") {
		t.Fatal("audit log does not show the removed agent's name marked (removed)")
	}
	if got := audit.text("table.audit tbody tr td:nth-child(3)"); got != "Removed an agent" {
		t.Fatalf("newest audit entry %q", got)
	}
	// The email is free again.
	admin.post(views.PathAgents, agentForm("Alice Again", tm.agent.Email, authz.RoleAgent)).wantStatus(200)
}

func TestEditAgent_DisableEnableAndAccountCreator(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	owner := app.signedIn(tm.creator)
	agentBrowser := app.signedIn(tm.agent)
	d := owner.get(views.WithID(views.PathAgentEdit, tm.agent.ID)).wantStatus(200).doc()
	if d.Find(`form[action$="/status"] button`).Text() != "Disable" || d.Find(`form[action$="/password"] button`).Text() != "Reset password" {
		t.Fatal("edit page lacks Disable or Reset password")
	}
	if d.Find(`form[action$="/creator"]`).Length() != 0 {
		t.Fatal("Make account creator offered on an Agent")
	}
	owner.post(views.WithID(views.PathAgentStatus, tm.agent.ID), url.Values{"status": {"disabled"}}).wantStatus(303)
	agentBrowser.get(views.PathProfile).wantRedirect(views.PathSignIn)
	r := app.client().post(views.PathSignIn, url.Values{"email": {tm.agent.Email}, "password": {testPassword}})
	if r.status == http.StatusSeeOther {
		t.Fatal("a disabled agent signed in")
	}
	d = owner.get(views.WithID(views.PathAgentEdit, tm.agent.ID)).doc()
	if d.Find(`form[action$="/status"] button`).Text() != "Enable" {
		t.Fatal("no Enable for a disabled agent")
	}
	owner.post(views.WithID(views.PathAgentStatus, tm.agent.ID), url.Values{"status": {"active"}}).wantStatus(303)
	app.signedIn(tm.agent)

	d = owner.get(views.WithID(views.PathAgentEdit, tm.owner.ID)).doc()
	if d.Find(`form[action$="/creator"] button`).Text() != "Make account creator" {
		t.Fatal("no Make account creator on an Owner's page for the account creator")
	}
	otto := app.signedIn(tm.owner)
	if otto.get(views.WithID(views.PathAgentEdit, tm.creator.ID)).doc().Find(`form[action$="/status"]`).Length() != 0 {
		t.Fatal("the account creator can be disabled from the edit page")
	}
	otto.post(views.WithID(views.PathAgentCreator, tm.owner.ID), nil).wantStatus(http.StatusForbidden)
	owner.post(views.WithID(views.PathAgentCreator, tm.owner.ID), nil).wantStatus(303)
	if acc, _ := app.st.Account(context.Background()); acc.CreatorID != tm.owner.ID {
		t.Fatal("account creator did not move")
	}
}

func itoa(id int64) string { return strconvFormat(id) }

// TestDepartmentMembers_AdministratorCannotChangeAnOwnersMembership: only an
// Owner edits an Owner, their departments included. The form shows an
// Owner's row locked to an Administrator and keeps it as it is whatever is
// posted; the store refuses the change on its own too.
func TestDepartmentMembers_AdministratorCannotChangeAnOwnersMembership(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	ctx := context.Background()
	dep, _ := app.st.CreateDepartment(ctx, tm.creator.ID, store.DepartmentInput{Name: "Sales"})
	path := views.WithID(views.PathDepartmentMembers, dep)
	admin := app.signedIn(tm.admin)
	page := admin.get(views.WithID(views.PathDepartment, dep)).wantStatus(200).doc()
	if page.Find(`input[name="member"][value="`+itoa(tm.owner.ID)+`"]`).AttrOr("disabled", "no") == "no" {
		t.Fatal("an Owner's row is open to an Administrator")
	}
	if page.Find(`input[name="member"][value="`+itoa(tm.agent.ID)+`"]`).AttrOr("disabled", "no") != "no" {
		t.Fatal("an Agent's row is locked to an Administrator")
	}
	members := func() map[int64]bool {
		ms, err := app.st.DepartmentMembers(ctx, dep)
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]bool{}
		for _, m := range ms {
			out[m.AgentID] = true
		}
		return out
	}
	// A posted Owner is not added...
	admin.post(path, url.Values{"member": {itoa(tm.agent.ID), itoa(tm.owner.ID)}, "tickets": {itoa(tm.agent.ID)}}).wantStatus(http.StatusSeeOther)
	if got := members(); !got[tm.agent.ID] || got[tm.owner.ID] {
		t.Fatalf("members after the Administrator's save: %v", got)
	}
	// ...and an Owner put in by an Owner is not taken out.
	app.signedIn(tm.creator).post(path, url.Values{"member": {itoa(tm.agent.ID), itoa(tm.owner.ID)}, "tickets": {itoa(tm.owner.ID)}}).wantStatus(http.StatusSeeOther)
	admin.post(path, url.Values{"member": {itoa(tm.agent.ID)}}).wantStatus(http.StatusSeeOther)
	if got := members(); !got[tm.owner.ID] {
		t.Fatalf("the Administrator's save took the Owner out: %v", got)
	}
	// The store refuses it however it is asked.
	if err := app.st.SetDepartmentMembers(ctx, tm.admin.ID, dep, map[int64]store.Channels{}); !store.IsRule(err, store.RuleOwnerOnly) {
		t.Fatalf("administrator empties a department with an Owner in it: %v", err)
	}
	if err := app.st.SetAgentDepartments(ctx, tm.admin.ID, tm.owner.ID, nil); !store.IsRule(err, store.RuleOwnerOnly) {
		t.Fatalf("administrator empties an owner's departments in the store: %v", err)
	}
	if err := app.st.RemoveMember(ctx, tm.admin.ID, dep, tm.owner.ID); !store.IsRule(err, store.RuleOwnerOnly) {
		t.Fatalf("administrator takes an owner out of a department in the store: %v", err)
	}
	if got := members(); !got[tm.owner.ID] {
		t.Fatal("a refused store call took the Owner out")
	}
}
