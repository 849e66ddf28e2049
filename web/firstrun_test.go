package web

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// signUpForm is what the first person types into Create your free account.
func signUpForm(company string) url.Values {
	return url.Values{"company": {company}, "name": {"Ann Founder"}, "email": {"owner@example.com"}, "password": {testPassword}}
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

	founder, err := app.st.AgentByEmail(t.Context(), "owner@example.com")
	if err != nil {
		t.Fatal(err)
	}
	page, err := app.st.Queue(t.Context(), founder.Viewer(), store.QueueFilter{})
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

// setupLinks lists the next steps' links on a page.
func setupLinks(r *response) []string {
	var hrefs []string
	r.doc().Find(".setup .setup-steps a").Each(func(_ int, a *goquery.Selection) {
		hrefs = append(hrefs, a.AttrOr("href", ""))
	})
	return hrefs
}

func TestEmptyQueue_SaysWhatToDoNextWithLinksTheViewerMayOpen(t *testing.T) {
	app := newTestApp(t)
	owner := app.client()
	owner.post(views.PathSignUp, signUpForm("Acme")).wantRedirect(views.PathHome)
	contact := app.ts.URL + views.PathContact

	// Alone on a fresh desk the Owner is asked to create agents and share the
	// contact form; General exists, so no department is asked for.
	r := owner.get(views.PathTickets).wantStatus(http.StatusOK)
	if got := r.text(".setup h2"); got != "No tickets yet" {
		t.Fatalf("empty queue heading %q", got)
	}
	if got, want := setupLinks(r), []string{views.PathAgentNew, contact}; !slices.Equal(got, want) {
		t.Fatalf("next steps link to %q, want %q", got, want)
	}
	// The results htmx swaps in when a filter changes say the same.
	if got := setupLinks(owner.do(http.MethodGet, views.PathTickets+"?status=new", nil, true)); !slices.Equal(got, []string{views.PathAgentNew, contact}) {
		t.Fatalf("filtered results link to %q", got)
	}
	// Behind a proxy the address to share is the configured one.
	app.srv.cfg.BaseURL = "https://help.example.com"
	if got := setupLinks(owner.get(views.PathTickets)); !slices.Contains(got, "https://help.example.com/contact") {
		t.Fatalf("with a base URL the contact form is at %q", got)
	}
	app.srv.cfg.BaseURL = ""

	// Without any department: who may create one is asked to, and the
	// contact form, which could not be sent, is not offered.
	ownerID := app.ownerID()
	depts, _ := app.st.Departments(t.Context())
	if err := app.st.RemoveDepartment(t.Context(), ownerID, depts[0].ID); err != nil {
		t.Fatal(err)
	}
	adam := app.addAgent(ownerID, "Adam Admin", authz.RoleAdmin)
	alice := app.addAgent(ownerID, "Alice Agent", authz.RoleAgent)
	if got := setupLinks(app.signedIn(adam).get(views.PathTickets)); !slices.Equal(got, []string{views.PathDepartmentNew}) {
		t.Fatalf("the Administrator's next steps link to %q, want only a new department", got)
	}
	r = app.signedIn(alice).get(views.PathTickets).wantStatus(http.StatusOK)
	if r.text(".setup h2") != "No tickets yet" || len(setupLinks(r)) != 0 {
		t.Fatalf("an Agent, who may open no Configuration, is offered %q", setupLinks(r))
	}

	// Once a ticket has arrived the queue is an ordinary queue.
	sales := app.department("Sales")
	app.ticket(sales, "First question")
	r = owner.get(views.PathTickets + "?status=resolved").wantStatus(http.StatusOK)
	if r.doc().Find(".setup").Length() != 0 || r.text(".empty") != "No tickets match these filters." {
		t.Fatalf("after the first ticket the empty queue reads %q", r.text("#queue"))
	}
}

func TestConfiguration_SaysWhatToDoNextOnItsSections(t *testing.T) {
	app := newTestApp(t)
	owner := app.client()
	owner.post(views.PathSignUp, signUpForm("Acme")).wantRedirect(views.PathHome)
	contact := app.ts.URL + views.PathContact
	for _, path := range []string{views.PathAgents, views.PathDepartments, views.PathRoles} {
		r := owner.get(path).wantStatus(http.StatusOK)
		if r.text(".setup h2") != "Next steps" || !slices.Equal(setupLinks(r), []string{views.PathAgentNew, contact}) {
			t.Errorf("%s: next steps %q link to %q", path, r.text(".setup h2"), setupLinks(r))
		}
	}
	// Not on the forms, where the person is already doing something.
	if owner.get(views.PathAgentNew).doc().Find(".setup").Length() != 0 {
		t.Error("the Create agent form shows the next steps")
	}
	// Done steps go away, and with them the card.
	app.addAgent(app.ownerID(), "Alice Agent", authz.RoleAgent)
	if got := setupLinks(owner.get(views.PathAgents)); !slices.Equal(got, []string{contact}) {
		t.Errorf("with a second agent the next steps link to %q", got)
	}
	depts, _ := app.st.Departments(t.Context())
	app.ticket(depts[0].ID, "First question")
	if owner.get(views.PathAgents).doc().Find(".setup").Length() != 0 {
		t.Error("a desk with agents and a ticket still shows next steps")
	}
}
