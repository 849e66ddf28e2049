package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"helpline/desk"
	"helpline/store"
	"helpline/views"
)

// location is where a response sends the browser, exactly.
func location(t *testing.T, r *response, status int) string {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body:\n%.1500s", r.status, status, r.body)
	}
	return r.header.Get("Location")
}

func TestTicketURL_AnyLetterCaseLeadsToTheTicket(t *testing.T) {
	w := newTicketWorld(t)
	ann := w.as("ann@example.com")
	code := w.salesCode
	lower := strings.ToLower(code)
	if to := location(t, ann.get("/tickets/"+lower+"?status=new"), http.StatusMovedPermanently); to != views.TicketPath(code)+"?status=new" {
		t.Fatalf("lower-case code goes to %q", to)
	}
	noDashes := strings.ReplaceAll(lower, "-", "")
	if strings.ContainsAny(noDashes, "23456789") {
		if to := location(t, ann.get("/tickets/"+noDashes), http.StatusMovedPermanently); to != views.TicketPath(code) {
			t.Fatalf("code without dashes goes to %q", to)
		}
	}
	ann.get(views.TicketPath(code)).wantStatus(http.StatusOK)
	// Actions take the code in any case too.
	ann.post("/tickets/"+lower+"/tags", url.Values{"tag": {"lower"}}).wantRedirect(views.TicketPath(code))
	if tk := w.app.ticketAs(code); len(tk.Tags) != 1 {
		t.Fatalf("tag by a lower-case URL: %v", tk.Tags)
	}
	// Another department's ticket is as missing in any case.
	ann.get("/tickets/" + strings.ToLower(w.supportCode)).wantStatus(http.StatusMovedPermanently)
	ann.get(views.TicketPath(w.supportCode)).wantStatus(http.StatusNotFound)
}

func TestSearch_TypedCodeOpensTheTicketAndNameOrEmailFindIt(t *testing.T) {
	w := newTicketWorld(t)
	dora, err := w.app.st.CreateTicket(t.Context(), nil, store.NewTicketInput{Subject: "Lost keys", Body: "Hello", Channel: store.ChannelEmail,
		DepartmentID: w.sales, ContactName: "Dora Explorer", ContactEmail: "dora@explore.example"})
	if err != nil {
		t.Fatal(err)
	}
	ann := w.as("ann@example.com")
	lower := strings.ToLower(dora)
	if to := location(t, ann.get(views.PathTickets+"?q="+lower), http.StatusSeeOther); to != views.TicketPath(dora) {
		t.Fatalf("a typed code goes to %q", to)
	}
	r := ann.do(http.MethodGet, views.PathTickets+"?q="+url.QueryEscape(" "+lower+" "), nil, true).wantStatus(http.StatusOK)
	if r.header.Get("HX-Redirect") != views.TicketPath(dora) {
		t.Fatalf("htmx search by code: HX-Redirect %q", r.header.Get("HX-Redirect"))
	}
	// A code Ann may not see is searched like words: nothing, no redirect.
	r = ann.get(views.PathTickets + "?q=" + strings.ToLower(w.supportCode)).wantStatus(http.StatusOK)
	if r.doc().Find("#ticket-"+w.supportCode).Length() != 0 {
		t.Fatal("Ann's search shows Support's ticket")
	}
	for _, q := range []string{"dora@explore.example", "DORA@explore.example", "explorer", "Dora Expl"} {
		r := ann.get(views.PathTickets + "?q=" + url.QueryEscape(q)).wantStatus(http.StatusOK)
		if r.doc().Find("#ticket-"+dora).Length() != 1 || r.doc().Find("#ticket-"+w.salesCode).Length() != 0 {
			t.Errorf("search %q does not find exactly Dora's ticket:\n%s", q, r.text("#queue"))
		}
	}
}

func TestEditor_OneFormSendsAReplyOrANote(t *testing.T) {
	w := newTicketWorld(t)
	ann := w.as("ann@example.com")
	code := w.salesCode
	page := ann.get(views.TicketPath(code)).wantStatus(http.StatusOK)
	doc := page.doc()
	forms := doc.Find(`form[action="` + views.TicketActionPath(views.PathTicketMessages, code) + `"][method="post"]`)
	if forms.Length() != 1 || doc.Find("textarea").Length() != 1 {
		t.Fatalf("want one editor form with one text area, got %d forms, %d text areas", forms.Length(), doc.Find("textarea").Length())
	}
	if forms.Find(`input[type="radio"][name="kind"][value="reply"][checked]`).Length() != 1 ||
		forms.Find(`input[type="radio"][name="kind"][value="note"]`).Length() != 1 {
		t.Fatal("the editor's tabs are not a reply/note choice with Reply chosen")
	}
	if forms.Find(`button[name="then"][value="next"]`).Length() != 1 || forms.AttrOr("data-send-shortcut", "x") != "" {
		t.Fatal("no Send and next, or the form is not marked for Ctrl+Enter")
	}
	path := views.TicketActionPath(views.PathTicketMessages, code)
	r := ann.post(path, url.Values{"kind": {"note"}, "body": {""}}).wantStatus(http.StatusUnprocessableEntity)
	if r.doc().Find(`input[name="kind"][value="note"][checked]`).Length() != 1 || r.doc().Find("#f-body-error").Length() != 1 {
		t.Fatal("an empty note comes back without its tab or its message")
	}
	ann.post(path, url.Values{"kind": {"gossip"}, "body": {"x"}}).wantStatus(http.StatusUnprocessableEntity)
	ann.post(path, url.Values{"kind": {"note"}, "body": {"Reseller, check the discount"}}).wantRedirect(views.TicketPath(code))
	page = ann.get(views.TicketPath(code))
	if page.text(".flash") != "Internal note added; only agents see it." || page.text("#ticket-status") != "New" {
		t.Fatalf("after a note: flash %q, status %q", page.text(".flash"), page.text("#ticket-status"))
	}
	ann.post(path, url.Values{"kind": {"reply"}, "body": {"Here it is"}}).wantRedirect(views.TicketPath(code))
	page = ann.get(views.TicketPath(code))
	if page.text(".flash") != "Reply sent to Carla Customer; the ticket is now Answered." {
		t.Fatalf("after a reply: flash %q", page.text(".flash"))
	}
	if page.doc().Find(".msg-note").Length() != 1 || page.doc().Find(".msg-reply").Length() != 1 {
		t.Fatal("the note and the reply are not both in the thread")
	}
}

func TestEditor_SendAndNextOpensTheFollowingTicketOfTheView(t *testing.T) {
	w := newTicketWorld(t)
	second := w.app.ticket(w.sales, "Second")
	third := w.app.ticket(w.sales, "Third")
	ann := w.as("ann@example.com")
	view := views.QueueFilterValues{Status: string(store.TicketNew)}
	// The queue links to tickets within its view.
	q := ann.get(view.QueueURL()).wantStatus(http.StatusOK)
	if href, _ := q.doc().Find("#ticket-" + w.salesCode + " .queue-subject a").Attr("href"); href != view.TicketURL(w.salesCode) {
		t.Fatalf("the queue links to %q, want the ticket in its view %q", href, view.TicketURL(w.salesCode))
	}
	page := ann.get(view.TicketURL(w.salesCode)).wantStatus(http.StatusOK)
	action, _ := page.doc().Find("form[data-send-shortcut]").Attr("action")
	if action != view.TicketActionURL(views.PathTicketMessages, w.salesCode) {
		t.Fatalf("the editor posts to %q, without the view", action)
	}
	if back, _ := page.doc().Find(".ticket-crumbs a").Attr("href"); back != view.QueueURL() {
		t.Fatalf("the page leads back to %q", back)
	}
	next := func(code, kind string) string {
		t.Helper()
		r := ann.post(view.TicketActionURL(views.PathTicketMessages, code), url.Values{"kind": {kind}, "body": {"Text"}, "then": {"next"}})
		return location(t, r, http.StatusSeeOther)
	}
	// A reply takes the ticket out of the New view; the next is the one after where it stood.
	if to := next(w.salesCode, views.EditorReply); to != view.TicketURL(second) {
		t.Fatalf("Send and next from the first goes to %q, want %q", to, view.TicketURL(second))
	}
	// A note leaves the ticket in the view; the next is the one after it.
	if to := next(second, views.EditorNote); to != view.TicketURL(third) {
		t.Fatalf("a note with Send and next goes to %q, want %q", to, view.TicketURL(third))
	}
	if to := next(third, views.EditorReply); to != view.QueueURL() {
		t.Fatalf("after the last ticket of the view: %q, want the view %q (first %s second %s third %s)", to, view.QueueURL(), w.salesCode, second, third)
	}
	if msg := ann.get(view.QueueURL()).text("#flash"); !strings.Contains(msg, "That was the last ticket in this view.") {
		t.Fatalf("the queue says %q", msg)
	}
}

func TestPostpone_QuickChoicesAreWorkedOutByTheServer(t *testing.T) {
	w := newTicketWorld(t)
	ann := w.as("ann@example.com")
	code := w.salesCode
	page := ann.get(views.TicketPath(code))
	for _, p := range desk.PostponePresets {
		if page.doc().Find(`form[action$="/postpone"] button[name="preset"][value="`+p+`"][formnovalidate]`).Length() != 1 {
			t.Fatalf("no quick choice %q beside the date field", p)
		}
	}
	if !strings.Contains(page.text("#f-until-zone"), "desk's time zone: UTC") {
		t.Fatalf("the postpone form does not say whose time zone: %q", page.text("#f-until-zone"))
	}
	path := views.TicketActionPath(views.PathTicketPostpone, code)
	ann.post(path, url.Values{"preset": {"someday"}}).wantStatus(http.StatusBadRequest)
	ann.post(path, url.Values{"preset": {desk.PostponeTomorrow}}).wantRedirect(views.TicketPath(code))
	want, _ := desk.PostponeAt(desk.PostponeTomorrow, time.Now().UTC()) // the desk's zone, UTC until changed
	if tk := w.app.ticketAs(code); tk.Status != store.TicketPostponed || !tk.PostponedUntil.Equal(want) {
		t.Fatalf("after Tomorrow 9:00: %s until %s, want %s", tk.Status, tk.PostponedUntil, want)
	}
	if msg := ann.get(views.TicketPath(code)).text(".flash"); !strings.HasPrefix(msg, "Postponed until "+want.Format("2006-01-02 15:04")+" (UTC)") {
		t.Fatalf("the message says %q", msg)
	}
}

func TestDelete_AsksFirstAndADeletedTicketTakesNoReply(t *testing.T) {
	w := newTicketWorld(t)
	ann := w.as("ann@example.com")
	code := w.salesCode
	view := views.QueueFilterValues{Assignee: store.AssigneeUnassigned}
	page := ann.get(view.TicketURL(code))
	doc := page.doc()
	ask := doc.Find(`form[method="get"][action="` + views.TicketActionPath(views.PathTicketDelete, code) + `"][data-confirm]`)
	if ask.Length() != 1 || ask.Find(`input[type="hidden"][name="assignee"][value="unassigned"]`).Length() != 1 {
		t.Fatal("Delete is not a form that asks first, keeping the view")
	}
	dialog := doc.Find("dialog#" + ask.AttrOr("data-confirm", ""))
	if dialog.Find(`form[method="post"]`).Length() != 1 || !strings.Contains(dialog.Text(), "Delete ticket "+code+"?") {
		t.Fatal("no dialog that asks and then deletes")
	}
	if doc.Find(`button[name="status"][value="deleted"]`).Length() != 0 {
		t.Fatal("a button still deletes without asking")
	}
	// An old form that sends the status is asked too.
	ann.post(views.TicketActionPath(views.PathTicketStatus, code), url.Values{"status": {"deleted"}}).
		wantRedirect(views.TicketActionPath(views.PathTicketDelete, code))
	confirm := ann.get(view.TicketActionURL(views.PathTicketDelete, code)).wantStatus(http.StatusOK)
	if confirm.text("h1") != "Delete ticket "+code+"?" || confirm.doc().Find(`form[method="post"] button.btn-danger`).Length() != 1 {
		t.Fatalf("confirmation page: %q", confirm.text("main"))
	}
	if w.app.ticketAs(code).Status == store.TicketDeleted {
		t.Fatal("the ticket was deleted before anyone confirmed")
	}
	r := ann.post(view.TicketActionURL(views.PathTicketDelete, code), nil)
	if to := location(t, r, http.StatusSeeOther); to != view.TicketURL(code) {
		t.Fatalf("after deleting: %q", to)
	}
	page = ann.get(view.TicketURL(code))
	if page.text(".flash") != "Ticket "+code+" was deleted. Reopen brings it back." {
		t.Fatalf("flash %q", page.text(".flash"))
	}
	if page.doc().Find("textarea").Length() != 0 || !strings.Contains(page.text("#reply"), "Reopen it to write again") {
		t.Fatal("a deleted ticket still shows a reply box")
	}
	if page.doc().Find(`form[data-confirm]`).Length() != 0 {
		t.Fatal("a deleted ticket offers Delete again")
	}
	ann.post(views.TicketActionPath(views.PathTicketMessages, code), url.Values{"body": {"hello?"}}).
		wantStatus(http.StatusConflict).wantContains("This ticket is deleted.")
	// Another department's ticket cannot be asked about or deleted.
	ann.get(views.TicketActionPath(views.PathTicketDelete, w.supportCode)).wantStatus(http.StatusNotFound)
}

func TestActions_SayWhatTheyDidAndTheHistorySaysSoToo(t *testing.T) {
	w := newTicketWorld(t)
	adam := w.as("adam@example.com")
	code := w.salesCode
	flashAfter := func(r *response) string {
		t.Helper()
		to := location(t, r, http.StatusSeeOther)
		return adam.get(to).text(".flash")
	}
	act := func(pattern string, form url.Values) string {
		t.Helper()
		return flashAfter(adam.post(views.TicketActionPath(pattern, code), form))
	}
	for _, tc := range []struct {
		pattern string
		form    url.Values
		want    string
	}{
		{views.PathTicketAssign, url.Values{"agent": {idString(w.ann.ID)}}, "Assigned to Ann Sales."},
		{views.PathTicketAssign, url.Values{"agent": {idString(w.ann.ID)}}, "Nothing changed: Ann Sales was already the assignee."},
		{views.PathTicketStatus, url.Values{"status": {"resolved"}}, "Status changed from New to Resolved."},
		{views.PathTicketStatus, url.Values{"status": {"open"}}, "Status changed from Resolved to Open."},
		{views.PathTicketTransfer, url.Values{"department": {idString(w.support)}}, "Transferred to Support; the assignee Ann Sales was cleared."},
		{views.PathTicketTransfer, url.Values{"department": {idString(w.sales)}}, "Transferred to Sales."},
		{views.PathTicketAssign, url.Values{"agent": {"0"}}, "Nothing changed: the ticket was already unassigned."},
	} {
		if got := act(tc.pattern, tc.form); got != tc.want {
			t.Errorf("%s %v says %q, want %q", tc.pattern, tc.form, got, tc.want)
		}
	}
	if thread := adam.get(views.TicketPath(code)).text("#thread"); !strings.Contains(thread, "Adam Admin transferred the ticket from Sales to Support; the assignee Ann Sales was cleared") {
		t.Fatalf("the history does not say the assignee was cleared:\n%s", thread)
	}
	// An Agent who transfers a ticket out of sight is told so, in the queue.
	ann := w.as("ann@example.com")
	r := ann.post(views.TicketActionPath(views.PathTicketTransfer, code), url.Values{"department": {idString(w.support)}})
	if to := location(t, r, http.StatusSeeOther); to != views.PathTickets {
		t.Fatalf("transferred away: %q", to)
	}
	if msg := ann.get(views.PathTickets).text(".flash"); msg != "Transferred to Support. You no longer see it: it is outside your departments." {
		t.Fatalf("flash %q", msg)
	}
}

func TestTags_ChangeShowsAMessageAndTheHistoryWithoutAReload(t *testing.T) {
	w := newTicketWorld(t)
	ann := w.as("ann@example.com")
	code := w.salesCode
	r := ann.hxPost(views.TicketActionPath(views.PathTicketTags, code), url.Values{"tag": {"Reseller"}}).wantStatus(http.StatusOK)
	doc := r.doc()
	if doc.Find("#tags .tag").Length() != 1 {
		t.Fatal("the tag editor does not show the tag")
	}
	thread := doc.Find(`#thread[hx-swap-oob="true"]`)
	if thread.Length() != 1 || !strings.Contains(thread.Text(), "Ann Sales added the tag reseller") {
		t.Fatalf("no history swapped in out of band:\n%s", r.body)
	}
	if doc.Find(`#last-changed[hx-swap-oob="true"]`).Length() != 1 {
		t.Fatal("the last-changed line is not updated")
	}
	if msg := strings.TrimSpace(doc.Find(`#flash[hx-swap-oob="true"]`).Text()); msg != "Tag reseller added." {
		t.Fatalf("flash %q", msg)
	}
	r = ann.hxPost(views.TicketActionPath(views.PathTicketTags, code), url.Values{"tag": {"reseller"}}).wantStatus(http.StatusOK)
	if msg := strings.TrimSpace(r.doc().Find(`#flash`).Text()); msg != "The ticket already has the tag reseller." {
		t.Fatalf("flash %q", msg)
	}
	r = ann.hxPost(views.TicketActionPath(views.PathTicketTagRemove, code), url.Values{"tag": {"reseller"}}).wantStatus(http.StatusOK)
	if !strings.Contains(r.doc().Find("#thread").Text(), "Ann Sales removed the tag reseller") || strings.TrimSpace(r.doc().Find("#flash").Text()) != "Tag reseller removed." {
		t.Fatalf("removing a tag:\n%s", r.body)
	}
	// An invalid tag keeps the history as it is.
	r = ann.hxPost(views.TicketActionPath(views.PathTicketTags, code), url.Values{"tag": {"<b>"}}).wantStatus(http.StatusUnprocessableEntity)
	if r.doc().Find("#thread").Length() != 0 {
		t.Fatal("a refused tag swaps the history")
	}
}

func TestBulkAssign_SaysPerTicketWhyOneWasNotChanged(t *testing.T) {
	w := newTicketWorld(t)
	adam := w.as("adam@example.com")
	other := w.app.ticket(w.support, "Another")
	form := url.Values{"action": {"assign"}, "assign_to": {idString(w.ann.ID)}, "code": {w.salesCode, w.supportCode, other}, "back": {"/tickets"}}
	adam.post(views.PathTicketBulk, form).wantRedirect("/tickets")
	page := adam.get(views.PathTickets)
	if ok := page.text(".flash-success"); ok != "1 ticket was changed." {
		t.Fatalf("success says %q", ok)
	}
	want := "2 tickets were not changed: Ann Sales is not in Support (" + w.supportCode + ", " + other + ")."
	if got := page.text(".flash-error"); got != want {
		t.Fatalf("refusal says %q, want %q", got, want)
	}
	if w.app.ticketAs(w.supportCode).AssigneeID != 0 || w.app.ticketAs(w.salesCode).AssigneeID != w.ann.ID {
		t.Fatal("the assignment went wrong")
	}
}
