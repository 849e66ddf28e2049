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

// customerLinkFromContactForm sends the contact form as a customer and
// follows the confirmation page to the ticket's private link.
func customerLinkFromContactForm(t *testing.T, w *ticketWorld, cust *client, subject string) (code, path string) {
	t.Helper()
	cust.get(views.PathContact)
	r := cust.post(views.PathContact, url.Values{"name": {"Carla Customer"}, "email": {"carla@example.com"},
		"department": {itoa(w.sales)}, "subject": {subject}, "message": {"My parcel did not arrive."}})
	to := location(t, r, http.StatusSeeOther)
	if !strings.HasPrefix(to, views.PathContactSent+"?") {
		t.Fatalf("contact form goes to %q", to)
	}
	sent := cust.get(to).wantStatus(http.StatusOK)
	link, ok := sent.doc().Find("#customer-link").Attr("href")
	if !ok {
		t.Fatalf("the confirmation page has no customer link:\n%s", sent.body)
	}
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(u.Path, "/c/") || len(u.Path) < len("/c/")+40 {
		t.Fatalf("customer link %q is not a long private link", link)
	}
	code = sent.doc().Find(".flash").Text()
	for _, f := range strings.Fields(code) {
		if _, ok := store.NormalizeCode(strings.Trim(f, ".")); ok && strings.Count(f, "-") == 2 {
			code = strings.Trim(f, ".")
		}
	}
	return code, u.Path
}

// thread is a ticket's whole thread, as agents see it.
func (a *testApp) thread(code string) []store.Message {
	a.t.Helper()
	msgs, err := a.st.Thread(context.Background(), a.ticketAs(code).ID)
	if err != nil {
		a.t.Fatal(err)
	}
	return msgs
}

func TestCustomerPage_CustomerReadsTheReplyAndAnswersButNeverSeesNotes(t *testing.T) {
	w := newTicketWorld(t)
	cust := w.app.client()
	code, path := customerLinkFromContactForm(t, w, cust, "Parcel lost")
	ann := w.as("ann@example.com")
	ann.post(views.TicketActionPath(views.PathTicketMessages, code), url.Values{"kind": {"reply"}, "body": {"We are looking for it."}}).wantRedirect(views.TicketPath(code))
	ann.post(views.TicketActionPath(views.PathTicketMessages, code), url.Values{"kind": {"note"}, "body": {"Courier is hopeless"}}).wantRedirect(views.TicketPath(code))
	ann.post(views.TicketActionPath(views.PathTicketTags, code), url.Values{"tag": {"vip-secret"}}).wantRedirect(views.TicketPath(code))

	page := cust.get(path).wantStatus(http.StatusOK)
	thread := page.text("#customer-thread")
	if !strings.Contains(thread, "My parcel did not arrive.") || !strings.Contains(thread, "We are looking for it.") {
		t.Fatalf("the customer's page lacks the public thread: %q", thread)
	}
	for _, secret := range []string{"Courier is hopeless", "vip-secret", w.supportCode} {
		if strings.Contains(page.body, secret) {
			t.Fatalf("the customer's page shows %q", secret)
		}
	}
	if got := page.text("#customer-ticket-status"); got != "Answered" {
		t.Fatalf("status on the customer's page: %q", got)
	}
	// An empty reply is refused next to the field, and nothing is stored.
	before := len(w.app.thread(code))
	r := cust.post(path, url.Values{"body": {"  "}}).wantStatus(http.StatusUnprocessableEntity)
	if r.text("#f-body-error") == "" {
		t.Fatal("no message next to the empty reply")
	}
	if n := len(w.app.thread(code)); n != before {
		t.Fatalf("a refused reply stored %d messages", n-before)
	}
	cust.post(path, url.Values{"body": {"Still nothing here."}}).wantRedirect(path)
	if tk := w.app.ticketAs(code); tk.Status != store.TicketOpen {
		t.Fatalf("after the customer's answer the ticket is %s, want open", tk.Status)
	}
	cust.get(path).wantContains("Still nothing here.").wantContains("Your reply was added")
}

func TestCustomerPage_WrongOrResetLinkIsNotFound(t *testing.T) {
	w := newTicketWorld(t)
	cust := w.app.client()
	code, path := customerLinkFromContactForm(t, w, cust, "Parcel lost")
	cust.get("/c/not-a-token").wantStatus(http.StatusNotFound)
	cust.post("/c/not-a-token", url.Values{"body": {"hi"}}).wantStatus(http.StatusNotFound)
	cust.get(path[:len(path)-1] + "x").wantStatus(http.StatusNotFound)

	// Bob works in Support: the Sales ticket's link is not his to reset.
	bob := w.as("bob@example.com")
	bob.post(views.TicketActionPath(views.PathTicketCustomerLink, code), nil).wantStatus(http.StatusNotFound)
	cust.get(path).wantStatus(http.StatusOK)
	// Nobody signed in may not reset it either.
	anon := w.app.client()
	if r := anon.post(views.TicketActionPath(views.PathTicketCustomerLink, code), nil); r.status == http.StatusSeeOther && !strings.HasPrefix(r.header.Get("Location"), views.PathSignIn) {
		t.Fatalf("an anonymous reset goes to %q", r.header.Get("Location"))
	}
	cust.get(path).wantStatus(http.StatusOK)

	ann := w.as("ann@example.com")
	ann.get(views.TicketPath(code)).wantContains("Reset customer link")
	ann.post(views.TicketActionPath(views.PathTicketCustomerLink, code), nil).wantRedirect(views.TicketPath(code))
	cust.get(path).wantStatus(http.StatusNotFound)
	before := len(w.app.thread(code))
	cust.post(path, url.Values{"body": {"after reset"}}).wantStatus(http.StatusNotFound)
	if n := len(w.app.thread(code)); n != before {
		t.Fatal("a reset link still added a message")
	}
}

func TestCustomerPage_SpeaksTheBrowsersLanguage(t *testing.T) {
	w := newTicketWorld(t)
	cust := w.app.client()
	_, path := customerLinkFromContactForm(t, w, cust, "Paczka")
	cust.acceptLanguage = "pl-PL,pl;q=0.9"
	cust.get(path).wantStatus(http.StatusOK).wantContains("Twoja odpowiedź").wantContains("Wyślij odpowiedź")
	cust.acceptLanguage = "ro"
	cust.get(path).wantContains("Răspunsul dumneavoastră")
}
