package web

import (
	"net/http"
	"net/url"
	"testing"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// signUpForm is what the first person types into Create your free account.
func signUpForm(company string) url.Values {
	return url.Values{"company": {company}, "name": {"Ann Founder"}, "email": {"ann@example.com"}, "password": {testPassword}}
}

func TestFirstRun_FreshSignUpReceivesAContactFormTicketAtOnce(t *testing.T) {
	app := newTestApp(t)
	owner := app.client()
	owner.post(views.PathSignUp, signUpForm("Acme Support")).wantRedirect(views.PathHome)

	// The customer finds a department ready to send to, and nothing else to choose.
	cust := app.client()
	form := cust.get(views.PathContact).wantStatus(http.StatusOK).doc()
	dept, ok := form.Find(`#f-department option[selected]`).Attr("value")
	if !ok || dept == "" {
		t.Fatalf("the contact form of a fresh desk has no department chosen:\n%s", form.Find("#contact-form").Text())
	}
	cust.post(views.PathContact, url.Values{"name": {"Carla Customer"}, "email": {"carla@example.com"}, "department": {dept},
		"subject": {"First question"}, "message": {"Hello, is anyone there?"}}).wantRedirect(views.PathContactSent)

	ann, err := app.st.AgentByEmail(t.Context(), "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	page, err := app.st.Queue(t.Context(), ann.Viewer(), store.QueueFilter{})
	if err != nil || len(page.Tickets) != 1 || page.Tickets[0].Subject != "First question" || page.Tickets[0].DepartmentName != "General" {
		t.Fatalf("queue of the Owner after the first contact = %+v, %v", page.Tickets, err)
	}
	owner.get(views.PathTickets).wantStatus(http.StatusOK).wantContains("First question")
}

func TestFirstRun_FirstDepartmentIsNamedInTheSignUpLanguage(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	c.acceptLanguage = "pl"
	c.post(views.PathSignUp, signUpForm("Acme")).wantRedirect(views.PathHome)
	depts, err := app.st.Departments(t.Context())
	if err != nil || len(depts) != 1 || depts[0].Name != "Ogólny" {
		t.Fatalf("departments after a Polish sign-up = %+v, %v", depts, err)
	}
	members, _ := app.st.DepartmentMembers(t.Context(), depts[0].ID)
	if len(members) != 1 || members[0].Role != authz.RoleOwner || !members[0].Tickets {
		t.Fatalf("members = %+v, want the Owner serving tickets", members)
	}
}

func TestCompanyName_ShownInTheTopBarAndOnTheContactForm(t *testing.T) {
	app := newTestApp(t)
	if got := app.client().get(views.PathSignUp).text(".auth-brand"); got != "Helpline" {
		t.Fatalf("before sign-up the brand reads %q, want Helpline", got)
	}
	owner := app.client()
	owner.post(views.PathSignUp, signUpForm("Acme Support")).wantRedirect(views.PathHome)
	for _, path := range []string{views.PathTickets, views.PathProfile, views.PathAgents} {
		if got := owner.get(path).text(".topbar .brand-company"); got != "Acme Support" {
			t.Errorf("top bar of %s names the company %q", path, got)
		}
	}
	if got := app.client().get(views.PathContact).text(".auth-brand"); got != "Acme Support" {
		t.Errorf("the contact form names the company %q", got)
	}
}
