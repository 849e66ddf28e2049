package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

func TestTickets_AgentOutsideDepartmentGets404Everywhere(t *testing.T) {
	w := newTicketWorld(t)
	ann := w.as("ann@example.com")
	code := w.supportCode
	path := func(p string) string { return views.TicketActionPath(p, code) }
	ann.get(views.TicketPath(code)).wantStatus(http.StatusNotFound)
	ann.get(views.TicketPath("NOP-NOPNO-NOP")).wantStatus(http.StatusNotFound)
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{path(views.PathTicketMessages), url.Values{"body": {"hi"}}},
		{path(views.PathTicketMessages), url.Values{"kind": {"note"}, "body": {"hi"}}},
		{path(views.PathTicketDelete), nil},
		{path(views.PathTicketAssign), url.Values{"agent": {"0"}}},
		{path(views.PathTicketTransfer), url.Values{"department": {"1"}}},
		{path(views.PathTicketStatus), url.Values{"status": {"resolved"}}},
		{path(views.PathTicketPostpone), url.Values{"until": {time.Now().Add(time.Hour).Format("2006-01-02T15:04")}}},
		{path(views.PathTicketTags), url.Values{"tag": {"x"}}},
		{path(views.PathTicketTagRemove), url.Values{"tag": {"x"}}},
	} {
		for _, htmx := range []bool{false, true} {
			r := ann.do(http.MethodPost, tc.path, ann.withCSRF(tc.form), htmx)
			if r.status != http.StatusNotFound {
				t.Errorf("POST %s (htmx %v): status %d, want 404", tc.path, htmx, r.status)
			}
		}
	}
	tk := w.app.ticketAs(code)
	if tk.Status != store.TicketNew || len(tk.Tags) != 0 || tk.UpdatedByName != "Carla Customer" {
		t.Fatalf("the out-of-scope ticket changed: %+v", tk)
	}
	q := ann.get(views.PathTickets).wantStatus(http.StatusOK)
	if strings.Contains(q.body, code) || !strings.Contains(q.body, w.salesCode) {
		t.Fatal("Ann's queue shows Support's ticket or misses her own")
	}
	// Searching or filtering by the other department shows nothing either.
	for _, p := range []string{"?q=widget", "?department=" + idString(w.support), "?status=new&department=" + idString(w.support)} {
		if r := ann.get(views.PathTickets + p); strings.Contains(r.body, code) {
			t.Errorf("Ann's queue %s shows the Support ticket", p)
		}
	}
	w.as("bob@example.com").get(views.TicketPath(code)).wantStatus(http.StatusOK).wantContains("Widget is broken")
	w.as("adam@example.com").get(views.TicketPath(code)).wantStatus(http.StatusOK)
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

func TestBulk_LeavesOutOfScopeTicketsAlone(t *testing.T) {
	w := newTicketWorld(t)
	ann := w.as("ann@example.com")
	ann.get(views.PathTickets)
	sel := url.Values{"code": {w.salesCode, w.supportCode}, "back": {"/tickets?status=new"}}
	for _, form := range []url.Values{
		{"action": {"status"}, "status": {"resolved"}},
		{"action": {"tag"}, "tag": {"VIP"}},
		{"action": {"assign"}, "assign_to": {idString(w.ann.ID)}},
	} {
		for k, v := range sel {
			form[k] = v
		}
		ann.post(views.PathTicketBulk, form).wantRedirect("/tickets?status=new")
	}
	mine, theirs := w.app.ticketAs(w.salesCode), w.app.ticketAs(w.supportCode)
	if mine.Status != store.TicketResolved || len(mine.Tags) != 1 || mine.Tags[0] != "vip" || mine.AssigneeID != w.ann.ID {
		t.Fatalf("own ticket after bulk: %+v", mine)
	}
	if theirs.Status != store.TicketNew || len(theirs.Tags) != 0 || theirs.AssigneeID != 0 {
		t.Fatalf("out-of-scope ticket after bulk: %+v", theirs)
	}
	ann.get(views.PathTickets).wantContains("1 ticket was changed.")
}

func TestQueue_FiltersLiveInTheURLAndHtmxGetsTheTable(t *testing.T) {
	w := newTicketWorld(t)
	adam := w.as("adam@example.com")
	if r := adam.get(views.PathHome); r.header.Get("Location") != views.PathTickets {
		t.Fatalf("home redirects to %q, want the queue", r.header.Get("Location"))
	}
	page := adam.get(views.PathTickets).wantStatus(http.StatusOK)
	if page.text(`.status-count[href="/tickets?status=new"] .status-count-n`) != "2" {
		t.Fatalf("New count reads %q", page.text(`.status-count[href="/tickets?status=new"] .status-count-n`))
	}
	if page.doc().Find(`form.queue-filters[hx-push-url="true"][method="get"]`).Length() != 1 {
		t.Fatal("the filter form is not a GET form that htmx pushes to the URL")
	}
	r := adam.do(http.MethodGet, views.PathTickets+"?department="+idString(w.support), nil, true).wantStatus(http.StatusOK)
	if strings.Contains(r.body, "<html") || !strings.Contains(r.body, `id="queue"`) {
		t.Fatalf("htmx answer is not the results fragment:\n%.500s", r.body)
	}
	if !strings.Contains(r.body, w.supportCode) || strings.Contains(r.body, w.salesCode) {
		t.Fatal("department filter not applied")
	}
	if r.text(`.status-count[href="/tickets?department=`+idString(w.support)+`&status=new"] .status-count-n`) != "1" {
		t.Fatalf("counts in the fragment do not follow the department filter:\n%s", r.text(".status-counts"))
	}
}

func TestQueue_NextAndPreviousPagesByKey(t *testing.T) {
	w := newTicketWorld(t)
	for i := 0; i < 55; i++ {
		w.app.ticket(w.sales, "Bulk ticket")
	}
	adam := w.as("adam@example.com")
	first := adam.get(views.PathTickets).wantStatus(http.StatusOK)
	next, ok := first.doc().Find(`a[rel="next"]`).Attr("href")
	if !ok || !strings.Contains(next, "after=") || first.doc().Find(`a[rel="prev"]`).Length() != 0 {
		t.Fatalf("first page: next %q, prev links %d", next, first.doc().Find(`a[rel="prev"]`).Length())
	}
	second := adam.get(next).wantStatus(http.StatusOK)
	if n := second.doc().Find("tbody tr").Length(); n != 7 {
		t.Fatalf("second page has %d rows, want 7", n)
	}
	prev, ok := second.doc().Find(`a[rel="prev"]`).Attr("href")
	if !ok || !strings.Contains(prev, "before=") {
		t.Fatalf("second page has no Previous link")
	}
	back := adam.get(prev)
	if back.doc().Find("tbody tr").Length() != 50 || back.text("tbody tr td.queue-subject a") != first.text("tbody tr td.queue-subject a") {
		t.Fatal("Previous does not lead back to the first page")
	}
}

func TestTicketPage_ReplyNoteTagsAndLastChangedBy(t *testing.T) {
	w := newTicketWorld(t)
	ann := w.as("ann@example.com")
	code := w.salesCode
	page := ann.get(views.TicketPath(code)).wantStatus(http.StatusOK)
	if got := page.text("#last-changed"); got != "Last changed by Carla Customer, just now" {
		t.Fatalf("last changed line = %q", got)
	}
	ann.post(views.TicketActionPath(views.PathTicketMessages, code), url.Values{"body": {""}}).
		wantStatus(http.StatusUnprocessableEntity).wantContains("Please fill this in.")
	ann.post(views.TicketActionPath(views.PathTicketMessages, code), url.Values{"kind": {"reply"}, "body": {"We will send it.\r\nRegards"}}).
		wantRedirect(views.TicketPath(code))
	ann.post(views.TicketActionPath(views.PathTicketMessages, code), url.Values{"kind": {"note"}, "body": {"Customer is a reseller"}}).
		wantRedirect(views.TicketPath(code))
	r := ann.hxPost(views.TicketActionPath(views.PathTicketTags, code), url.Values{"tag": {"Reseller"}}).wantStatus(http.StatusOK)
	if r.doc().Find("#tags .tag").Length() != 1 || !strings.Contains(r.body, "reseller") || strings.Contains(r.body, "<html") {
		t.Fatalf("tag fragment:\n%s", r.body)
	}
	ann.hxPost(views.TicketActionPath(views.PathTicketTags, code), url.Values{"tag": {"<script>"}}).
		wantStatus(http.StatusUnprocessableEntity).wantContains("A tag has at most 40")
	page = ann.get(views.TicketPath(code)).wantStatus(http.StatusOK)
	if page.text("#ticket-status") != "Answered" || page.text("#last-changed") != "Last changed by Ann Sales, just now" {
		t.Fatalf("after reply: status %q, %q", page.text("#ticket-status"), page.text("#last-changed"))
	}
	doc := page.doc()
	if doc.Find(".msg-customer").Length() != 1 || doc.Find(".msg-reply").Length() != 1 || doc.Find(".msg-note").Length() != 1 {
		t.Fatal("customer message, reply and note are not each shown once and apart")
	}
	if !strings.Contains(page.text(".thread"), "Ann Sales changed the status from New to Answered") {
		t.Fatalf("history lacks the status change:\n%s", page.text(".thread"))
	}
	r = ann.hxPost(views.TicketActionPath(views.PathTicketTagRemove, code), url.Values{"tag": {"reseller"}}).wantStatus(http.StatusOK)
	if r.doc().Find("#tags .tag").Length() != 0 {
		t.Fatal("tag not removed")
	}
	ann.post(views.TicketActionPath(views.PathTicketPostpone, code), url.Values{"until": {"2001-01-01T10:00"}}).
		wantStatus(http.StatusUnprocessableEntity).wantContains("Please choose a time in the future.")
	ann.post(views.TicketActionPath(views.PathTicketPostpone, code), url.Values{"until": {time.Now().Add(48 * time.Hour).Format("2006-01-02T15:04")}}).
		wantRedirect(views.TicketPath(code))
	if tk := w.app.ticketAs(code); tk.Status != store.TicketPostponed {
		t.Fatalf("status after postpone = %s", tk.Status)
	}
	ann.post(views.TicketActionPath(views.PathTicketAssign, code), url.Values{"agent": {idString(w.bob.ID)}}).
		wantStatus(http.StatusUnprocessableEntity).wantContains("only be assigned to agents of their department")
	ann.post(views.TicketActionPath(views.PathTicketStatus, code), url.Values{"status": {"resolved"}}).wantRedirect(views.TicketPath(code))
	// Transferring away sends the Agent back to the queue: the ticket is no longer hers.
	ann.post(views.TicketActionPath(views.PathTicketTransfer, code), url.Values{"department": {idString(w.support)}}).wantRedirect(views.PathTickets)
	ann.get(views.TicketPath(code)).wantStatus(http.StatusNotFound)
}

func TestNewTicket_AgentLogsACallIntoOwnDepartmentOnly(t *testing.T) {
	w := newTicketWorld(t)
	ann := w.as("ann@example.com")
	form := ann.get(views.PathTicketNew).wantStatus(http.StatusOK)
	if form.doc().Find(`select[name="department"] option[value="`+idString(w.support)+`"]`).Length() != 0 {
		t.Fatal("Ann is offered Support")
	}
	if form.doc().Find(`input[name="channel"]`).Length() != 3 {
		t.Fatal("the channel choice is not Call, Chat, Email")
	}
	good := url.Values{"channel": {"call"}, "department": {idString(w.sales)}, "priority": {"2"}, "name": {"Dan Caller"},
		"email": {"dan@example.com"}, "subject": {"Called about prices"}, "message": {"He wants the 2025 price list."}}
	bad := url.Values{}
	for k, v := range good {
		bad[k] = v
	}
	bad.Set("department", idString(w.support))
	bad.Set("channel", "api")
	r := ann.post(views.PathTicketNew, bad).wantStatus(http.StatusUnprocessableEntity)
	if r.doc().Find(".field-error").Length() != 2 {
		t.Fatalf("want messages on channel and department:\n%s", r.text("form"))
	}
	r = ann.post(views.PathTicketNew, good)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/tickets/") {
		t.Fatalf("create: %d %q", r.status, r.header.Get("Location"))
	}
	ann.get(r.header.Get("Location")).wantStatus(http.StatusOK).wantContains("Called about prices").wantContains("Ann Sales created the ticket (Call)")
}

func TestContactForm_ValidatesHoneypotAndCSRF(t *testing.T) {
	w := newTicketWorld(t)
	count := func() int {
		counts, err := w.app.st.StatusCounts(t.Context(), authz.Viewer{Perms: authz.BuiltinPerms(authz.RoleOwner)}, 0)
		if err != nil {
			t.Fatal(err)
		}
		return counts[store.TicketNew]
	}
	before := count()
	cust := w.app.client()
	cust.get(views.PathContact).wantStatus(http.StatusOK).wantContains("Contact us")
	r := cust.post(views.PathContact, url.Values{"name": {""}, "email": {"not-an-email"}, "department": {"999"}, "subject": {"Hi"}, "message": {""}}).
		wantStatus(http.StatusUnprocessableEntity)
	for _, field := range []string{"name", "email", "department", "message"} {
		if r.doc().Find("#f-"+field+"-error").Length() != 1 {
			t.Errorf("no message for %s", field)
		}
	}
	good := url.Values{"name": {"Eve Customer"}, "email": {"eve@example.com"}, "department": {idString(w.support)},
		"subject": {"My order"}, "message": {"Where is order 12?\nThanks"}}
	bot := url.Values{"website": {"http://spam.example"}}
	for k, v := range good {
		bot[k] = v
	}
	cust.post(views.PathContact, bot).wantRedirect(views.PathContactSent)
	noCSRF := w.app.client()
	noCSRF.do(http.MethodPost, views.PathContact, good, false).wantStatus(http.StatusForbidden)
	if count() != before {
		t.Fatal("bad input, the honeypot or a post without CSRF token stored a ticket")
	}
	cust.post(views.PathContact, good).wantRedirect(views.PathContactSent)
	sent := cust.get(views.PathContactSent).wantStatus(http.StatusOK)
	msg := sent.text(".flash")
	if !strings.Contains(msg, "Your ticket number is") || count() != before+1 {
		t.Fatalf("sent page says %q; %d new tickets", msg, count()-before)
	}
	code := strings.TrimSuffix(msg[strings.LastIndex(msg, " ")+1:], ".")
	if tk := w.app.ticketAs(code); tk.Channel != store.ChannelContactForm || tk.DepartmentID != w.support || tk.ContactEmail != "eve@example.com" {
		t.Fatalf("stored ticket = %+v", tk)
	}
}

func TestContactForm_RateLimitedPerAddress(t *testing.T) {
	w := newTicketWorld(t)
	w.app.srv.contactIP = newLimiter(2, time.Minute)
	cust := w.app.client()
	good := url.Values{"name": {"Eve"}, "email": {"eve@example.com"}, "department": {idString(w.sales)}, "subject": {"S"}, "message": {"M"}}
	cust.post(views.PathContact, good).wantRedirect(views.PathContactSent)
	cust.post(views.PathContact, good).wantRedirect(views.PathContactSent)
	cust.post(views.PathContact, good).wantStatus(http.StatusTooManyRequests).wantContains("many messages in a short time")
}

func TestTicketRoutes_NeedSignInAndPermission(t *testing.T) {
	w := newTicketWorld(t)
	anon := w.app.client()
	anon.get(views.PathTickets).wantRedirect(views.PathSignIn)
	anon.get(views.TicketPath(w.salesCode)).wantRedirect(views.PathSignIn)
	anon.get(views.PathTicketNew).wantRedirect(views.PathSignIn)
	anon.post(views.TicketActionPath(views.PathTicketMessages, w.salesCode), url.Values{"body": {"x"}}).wantRedirect(views.PathSignIn)
	// A signed-in user without the CSRF token is refused before anything happens.
	ann := w.as("ann@example.com")
	ann.do(http.MethodPost, views.TicketActionPath(views.PathTicketMessages, w.salesCode), url.Values{"body": {"x"}}, false).wantStatus(http.StatusForbidden)
	if tk := w.app.ticketAs(w.salesCode); tk.MessageCount != 1 {
		t.Fatal("a post without the CSRF token was stored")
	}
}
