package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"helpline/store"
	"helpline/views"
)

func TestEditTicket_BadInputIsRefusedNextToTheFieldAndTheHistoryNamesWhoChanged(t *testing.T) {
	w := newTicketWorld(t)
	ann := w.as("ann@example.com")
	code := w.salesCode
	edit := views.TicketActionPath(views.PathTicketEdit, code)
	page := ann.get(edit).wantStatus(http.StatusOK)
	if got := page.doc().Find("#f-subject").AttrOr("value", ""); got != "Price list please" {
		t.Fatalf("edit form subject %q", got)
	}
	for _, c := range []struct {
		name, field string
		form        url.Values
	}{
		{"blank subject", "subject", url.Values{"subject": {" "}, "priority": {"2"}, "requester": {"carla@example.com"}}},
		{"priority not offered", "priority", url.Values{"subject": {"New"}, "priority": {"9"}, "requester": {"carla@example.com"}}},
		{"not an email", "requester", url.Values{"subject": {"New"}, "priority": {"2"}, "requester": {"carla"}}},
		{"nobody Ann can see", "requester", url.Values{"subject": {"New"}, "priority": {"2"}, "requester": {"nobody@example.com"}}},
	} {
		r := ann.post(edit, c.form).wantStatus(http.StatusUnprocessableEntity)
		if r.text("#f-"+c.field+"-error") == "" {
			t.Errorf("%s: no message next to %s", c.name, c.field)
		}
	}
	if tk := w.app.ticketAs(code); tk.Subject != "Price list please" || tk.Priority != store.PriorityLow {
		t.Fatalf("refused edits stored %q, %d", tk.Subject, tk.Priority)
	}
	ann.post(edit, url.Values{"subject": {"Price list for 2027"}, "priority": {"3"}, "requester": {"carla@example.com"}}).wantRedirect(views.TicketPath(code))
	p := ann.get(views.TicketPath(code)).wantStatus(http.StatusOK).wantContains("The ticket was saved.")
	history := p.text("#thread")
	for _, want := range []string{"Ann Sales changed the subject from “Price list please” to “Price list for 2027”", "Ann Sales changed the priority from Low to Urgent"} {
		if !strings.Contains(history, want) {
			t.Errorf("history lacks %q:\n%s", want, history)
		}
	}
	if p.doc().Find("#edit-ticket").Length() != 1 || p.doc().Find("#merge-ticket").Length() != 1 {
		t.Error("the ticket page has no Edit ticket or Merge into… for an agent")
	}
}

func TestEditAndMerge_OutsideTheDepartmentsIsNotFound(t *testing.T) {
	w := newTicketWorld(t)
	bob := w.as("bob@example.com")
	for _, path := range []string{views.PathTicketEdit, views.PathTicketMerge} {
		p := views.TicketActionPath(path, w.salesCode)
		bob.get(p).wantStatus(http.StatusNotFound)
		bob.post(p, url.Values{"subject": {"x"}, "priority": {"1"}, "requester": {"carla@example.com"}, "into": {w.supportCode}}).wantStatus(http.StatusNotFound)
	}
	// Ann may merge her tickets, but never into one outside her departments.
	ann := w.as("ann@example.com")
	ann.post(views.TicketActionPath(views.PathTicketMerge, w.salesCode), url.Values{"into": {w.supportCode}}).wantStatus(http.StatusNotFound)
	if msgs := w.app.thread(w.salesCode); len(msgs) < 2 {
		t.Fatalf("a refused merge moved the thread: %d entries left", len(msgs))
	}
}

func TestMergeTicket_OldTicketPointsAndTheCustomersAnswersLandInTheNewOne(t *testing.T) {
	w := newTicketWorld(t)
	cust := w.app.client()
	old, path := customerLinkFromContactForm(t, w, cust, "Parcel lost")
	ann := w.as("ann@example.com")
	merge := views.TicketActionPath(views.PathTicketMerge, old)
	ann.get(merge).wantStatus(http.StatusOK)
	for form, field := range map[string]string{"": "into", "nonsense": "into", old: "into"} {
		r := ann.post(merge, url.Values{"into": {form}}).wantStatus(http.StatusUnprocessableEntity)
		if r.text("#f-"+field+"-error") == "" {
			t.Errorf("merge into %q: no message next to the field", form)
		}
	}
	ann.post(merge, url.Values{"into": {strings.ToLower(w.salesCode)}}).wantRedirect(views.TicketPath(w.salesCode))
	ann.get(views.TicketPath(w.salesCode)).wantContains(old + " was merged into " + w.salesCode).
		wantContains("My parcel did not arrive.").wantContains("Ann Sales merged " + old + " into this ticket")

	pointer := ann.get(views.TicketPath(old)).wantStatus(http.StatusOK)
	link := pointer.doc().Find("#merged-notice a").AttrOr("href", "")
	if link != views.TicketPath(w.salesCode) {
		t.Fatalf("merged ticket links to %q", link)
	}
	if pointer.doc().Find("#reply").Length() != 0 {
		t.Fatal("a merged ticket still offers the editor")
	}
	ann.get(merge).wantStatus(http.StatusNotFound)

	// The customer's old link shows the conversation they continue in.
	cust.get(path).wantStatus(http.StatusOK).wantContains("Price list please")
	cust.post(path, url.Values{"body": {"Any news?"}}).wantRedirect(path)
	msgs := w.app.thread(w.salesCode)
	if last := msgs[len(msgs)-1]; last.Body != "Any news?" && !strings.Contains(msgs[len(msgs)-2].Body, "Any news?") {
		t.Fatalf("the customer's answer did not land in the new ticket: %+v", last)
	}
}
