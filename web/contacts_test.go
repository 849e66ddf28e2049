package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"helpline/store"
	"helpline/views"
)

// contactOf is the id of the requester of a ticket.
func (w *ticketWorld) contactOf(code string) int64 { return w.app.ticketAs(code).ContactID }

func TestContacts_AgentsSeeOnlyTheirDepartmentsRequesters(t *testing.T) {
	w := newTicketWorld(t)
	ctx := context.Background()
	dora, err := w.app.st.CreateTicket(ctx, nil, store.NewTicketInput{Subject: "Broken lamp", Body: "It flickers", Channel: store.ChannelContactForm,
		DepartmentID: w.support, ContactName: "Dora Support", ContactEmail: "dora@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	ann, bob, adam := w.as("ann@example.com"), w.as("bob@example.com"), w.as("adam@example.com")
	list := ann.get(views.PathContacts).wantStatus(http.StatusOK).text("#contacts")
	if !strings.Contains(list, "Carla Customer") || strings.Contains(list, "Dora Support") {
		t.Fatalf("Ann's contacts: %q", list)
	}
	if got := adam.get(views.PathContacts + "?q=dora").wantStatus(http.StatusOK).text("#contacts"); !strings.Contains(got, "Dora Support") || strings.Contains(got, "Carla") {
		t.Fatalf("Adam's search for dora: %q", got)
	}
	doraID := w.contactOf(dora)
	ann.get(views.ContactPath(doraID)).wantStatus(http.StatusNotFound)
	ann.get(views.ContactEditPath(doraID)).wantStatus(http.StatusNotFound)
	ann.post(views.ContactPath(doraID), url.Values{"name": {"Hacked"}}).wantStatus(http.StatusNotFound)
	ann.get("/contacts/nonsense").wantStatus(http.StatusNotFound)
	// Carla wrote to Sales and Support: Bob sees her, with the Support ticket only.
	carla := w.contactOf(w.salesCode)
	page := bob.get(views.ContactPath(carla)).wantStatus(http.StatusOK)
	if got := page.text(".contact-tickets"); !strings.Contains(got, w.supportCode) || strings.Contains(got, w.salesCode) {
		t.Fatalf("Bob's view of Carla's tickets: %q", got)
	}
	if ann.get(views.PathTickets).doc().Find(`.mainnav a[href="`+views.PathContacts+`"]`).Length() != 1 {
		t.Fatal("no Contacts in the navigation")
	}
}

func TestContacts_EditRefusesBadInputAndSaves(t *testing.T) {
	w := newTicketWorld(t)
	ann := w.as("ann@example.com")
	id := w.contactOf(w.salesCode)
	ann.get(views.ContactEditPath(id)).wantStatus(http.StatusOK)
	r := ann.post(views.ContactPath(id), url.Values{"name": {" "}, "phone": {strings.Repeat("9", 41)}, "notes": {"ok"}}).wantStatus(http.StatusUnprocessableEntity)
	if r.text("#f-name-error") == "" || r.text("#f-phone-error") == "" {
		t.Fatal("no messages next to the fields")
	}
	if c := w.app.ticketAs(w.salesCode); c.ContactName != "Carla Customer" {
		t.Fatalf("a refused edit renamed the contact to %q", c.ContactName)
	}
	ann.post(views.ContactPath(id), url.Values{"name": {"Carla Nowak"}, "phone": {"+48 600 100 200"}, "company": {"Acme"}, "notes": {"Prefers email.\nVIP."}}).
		wantRedirect(views.ContactPath(id))
	page := ann.get(views.ContactPath(id)).wantContains("The contact was saved.")
	if got := page.text("#contact-card"); !strings.Contains(got, "+48 600 100 200") || !strings.Contains(got, "Acme") || !strings.Contains(got, "VIP.") {
		t.Fatalf("contact card: %q", got)
	}
	// Her tickets are found by the new name.
	if got := ann.get(views.PathTickets + "?q=Nowak").text("#queue"); !strings.Contains(got, w.salesCode) {
		t.Fatalf("search by the new name: %q", got)
	}
}

func TestTicketPage_ShowsTheRequestersOtherRecentTickets(t *testing.T) {
	w := newTicketWorld(t)
	other := w.app.ticket(w.sales, "Second question")
	got := w.as("ann@example.com").get(views.TicketPath(w.salesCode)).wantStatus(http.StatusOK).text("#requester-tickets")
	if !strings.Contains(got, other) || strings.Contains(got, w.supportCode) || strings.Contains(got, w.salesCode) {
		t.Fatalf("Ann's card of Carla's other tickets: %q", got)
	}
}

func TestContacts_MergeAndRemoveFromTheContactPage(t *testing.T) {
	w := newTicketWorld(t)
	ctx := context.Background()
	dup, err := w.app.st.CreateTicket(ctx, nil, store.NewTicketInput{Subject: "From home", Body: "Hi", Channel: store.ChannelContactForm,
		DepartmentID: w.sales, ContactName: "Carla at home", ContactEmail: "carla@home.example"})
	if err != nil {
		t.Fatal(err)
	}
	ann, adam := w.as("ann@example.com"), w.as("adam@example.com")
	from, keep := w.contactOf(dup), w.contactOf(w.salesCode)
	merge := views.ContactActionPath(views.PathContactMerge, from)
	for _, into := range []string{"not-an-email", "nobody@example.com", "carla@home.example"} {
		r := ann.post(merge, url.Values{"into": {into}}).wantStatus(http.StatusUnprocessableEntity)
		if r.text("#f-into-error") == "" {
			t.Errorf("merge into %q: no message next to the field", into)
		}
	}
	// Other emails: a bad address is refused next to the field.
	r := ann.post(views.ContactPath(keep), url.Values{"name": {"Carla Customer"}, "emails": {"carla@home.example"}}).wantStatus(http.StatusUnprocessableEntity)
	if !strings.Contains(r.text("#f-emails-error"), "belongs to another contact") {
		t.Fatalf("other email of another contact: %q", r.text("#f-emails-error"))
	}
	ann.post(merge, url.Values{"into": {"carla@example.com"}}).wantRedirect(views.ContactPath(keep))
	page := ann.get(views.ContactPath(keep)).wantContains("Carla at home was merged into this contact.")
	if got := page.text(".contact-tickets"); !strings.Contains(got, dup) || !strings.Contains(got, w.salesCode) {
		t.Fatalf("kept contact's tickets: %q", got)
	}
	if got := page.text("#contact-other-emails"); got != "carla@home.example" {
		t.Fatalf("kept contact's other emails: %q", got)
	}
	ann.get(views.ContactPath(from)).wantStatus(http.StatusNotFound)

	// Removing is for Administrators: Ann may not, Adam may.
	remove := views.ContactActionPath(views.PathContactRemove, keep)
	if page.doc().Find("#remove-contact").Length() != 0 {
		t.Fatal("an Agent is offered Remove contact")
	}
	ann.get(remove).wantStatus(http.StatusForbidden)
	ann.post(remove, url.Values{}).wantStatus(http.StatusForbidden)
	adam.get(remove).wantStatus(http.StatusOK)
	adam.post(remove, url.Values{}).wantRedirect(views.ContactPath(keep))
	card := adam.get(views.ContactPath(keep)).wantStatus(http.StatusOK)
	if body := card.text("main"); strings.Contains(body, "Carla") || strings.Contains(body, "carla@") {
		t.Fatalf("the removed contact's page still names her: %q", body)
	}
	// The ticket stays readable.
	ann.get(views.TicketPath(w.salesCode)).wantStatus(http.StatusOK).wantContains("Price list please")
}
