package web

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"helpline/authz"
	"helpline/views"
)

const invalidTextMsg = "This text contains bytes that are not valid UTF-8; it was not saved."

func (w *ticketWorld) ticketCount(t *testing.T) (n int) {
	t.Helper()
	counts, err := w.app.st.StatusCounts(context.Background(), authz.Viewer{Perms: authz.BuiltinPerms(authz.RoleOwner)}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range counts {
		n += c
	}
	return n
}

func TestInvalidUTF8_MessagesRepliesNotesAndContactFormRefusedNextToTheField(t *testing.T) {
	w := newTicketWorld(t)
	cust := w.app.client()
	code, customerPath := customerLinkFromContactForm(t, w, cust, "Parcel lost")
	ann := w.as("ann@example.com")
	threadLen := len(w.app.thread(code))
	tickets := w.ticketCount(t)
	bad := "Hello \xff\xfe\xc3("

	for _, kind := range []string{"reply", "note"} {
		r := ann.post(views.TicketActionPath(views.PathTicketMessages, code), url.Values{"kind": {kind}, "body": {bad}})
		r.wantStatus(http.StatusUnprocessableEntity)
		if got := r.text("#f-body-error"); got != invalidTextMsg {
			t.Errorf("%s: message next to the body is %q", kind, got)
		}
	}
	r := cust.post(customerPath, url.Values{"body": {bad}}).wantStatus(http.StatusUnprocessableEntity)
	if got := r.text("#f-body-error"); got != invalidTextMsg {
		t.Errorf("customer reply: message next to the body is %q", got)
	}
	if n := len(w.app.thread(code)); n != threadLen {
		t.Fatalf("refused text stored %d messages", n-threadLen)
	}

	good := url.Values{"name": {"Dan Caller"}, "email": {"dan@example.com"}, "department": {idString(w.sales)},
		"subject": {"Prices"}, "message": {"Please send the price list."}}
	for _, field := range []string{"name", "subject", "message"} {
		for _, target := range []struct {
			path string
			c    *client
		}{{views.PathContact, cust}, {views.PathTicketNew, ann}} {
			form := url.Values{}
			for k, v := range good {
				form[k] = v
			}
			form.Set(field, bad)
			r := target.c.post(target.path, form).wantStatus(http.StatusUnprocessableEntity)
			if got := r.text("#f-" + field + "-error"); got != invalidTextMsg {
				t.Errorf("%s on %s: message next to the field is %q", field, target.path, got)
			}
		}
	}
	if n := w.ticketCount(t); n != tickets {
		t.Fatalf("refused text stored %d tickets", n-tickets)
	}
}

func TestInvalidUTF8_AnyOtherFieldIsRefusedBeforeTheHandlerRuns(t *testing.T) {
	w := newTicketWorld(t)
	ann := w.as("ann@example.com")
	adam := w.as("adam@example.com")
	threadLen := len(w.app.thread(w.salesCode))
	depts, _ := w.app.st.Departments(context.Background())

	// A field the reply form does not check itself, and a field name that
	// is not UTF-8, on a route whose text fields are checked.
	ann.post(views.TicketActionPath(views.PathTicketMessages, w.salesCode),
		url.Values{"kind": {"reply"}, "body": {"Fine text"}, "then": {"\xff"}}).
		wantStatus(http.StatusUnprocessableEntity).wantContains("not valid UTF-8")
	ann.post(views.TicketActionPath(views.PathTicketMessages, w.salesCode),
		url.Values{"kind": {"reply"}, "body": {"Fine text"}, "\xfe\xff": {"x"}}).
		wantStatus(http.StatusUnprocessableEntity)
	if n := len(w.app.thread(w.salesCode)); n != threadLen {
		t.Fatalf("refused request stored %d messages", n-threadLen)
	}
	// A description the departments form reads raw.
	adam.post(views.PathDepartments, url.Values{"name": {"Returns"}, "description": {"Bad \xff bytes"}}).
		wantStatus(http.StatusUnprocessableEntity)
	after, _ := w.app.st.Departments(context.Background())
	if len(after) != len(depts) {
		t.Fatal("a department with bytes that are not UTF-8 was stored")
	}
	// The same forms with clean text still work.
	ann.post(views.TicketActionPath(views.PathTicketMessages, w.salesCode), url.Values{"kind": {"note"}, "body": {"Fine text"}}).
		wantRedirect(views.TicketPath(w.salesCode))
}

func TestBidiOverrides_NeverReachThePageAsSent(t *testing.T) {
	w := newTicketWorld(t)
	cust := w.app.client()
	code, customerPath := customerLinkFromContactForm(t, w, cust, "Refund")
	ann := w.as("ann@example.com")
	// "Refund: 0001$" written backwards by an override reads as "$1000".
	body := "Refund: \u202e0001$\u202c and \u2066isolated\u2069"
	ann.post(views.TicketActionPath(views.PathTicketMessages, code), url.Values{"kind": {"reply"}, "body": {body}}).
		wantRedirect(views.TicketPath(code))
	// The queue's preview shows the first message: the customer's.
	cust2 := w.app.client()
	cust2.get(views.PathContact)
	cust2.post(views.PathContact, url.Values{"name": {"Eve"}, "email": {"eve@example.com"}, "department": {idString(w.sales)},
		"subject": {"Turned"}, "message": {body}}).wantStatus(http.StatusSeeOther)
	ann.post(views.PathTicketDensity, url.Values{"density": {"comfortable"}}) // rows with their preview
	pages := map[string]*response{"agent": ann.get(views.TicketPath(code)), "customer": cust.get(customerPath), "queue": ann.get(views.PathTickets)}
	for who, page := range pages {
		page.wantStatus(http.StatusOK).wantContains("Refund: 0001$ and isolated")
		for _, r := range []string{"\u202e", "\u202c", "\u2066", "\u2069"} {
			if strings.Contains(page.body, r) {
				t.Errorf("%s page carries the bidirectional control %U", who, []rune(r)[0])
			}
		}
	}
}

func TestCSRF_TokenOnlyFromTheBodyOrTheHeader(t *testing.T) {
	w := newTicketWorld(t)
	ann := w.as("ann@example.com")
	path := views.TicketActionPath(views.PathTicketMessages, w.salesCode)
	threadLen := len(w.app.thread(w.salesCode))

	// In the query string only: refused, nothing stored.
	r := ann.do(http.MethodPost, path+"?_csrf="+url.QueryEscape(ann.csrf), url.Values{"kind": {"note"}, "body": {"From the URL"}}, false)
	r.wantStatus(http.StatusForbidden)
	if n := len(w.app.thread(w.salesCode)); n != threadLen {
		t.Fatal("a token in the query string was accepted")
	}
	// In the query string with a wrong one in the body: still refused.
	r = ann.do(http.MethodPost, path+"?_csrf="+url.QueryEscape(ann.csrf), url.Values{"kind": {"note"}, "body": {"x"}, "_csrf": {"wrong"}}, false)
	r.wantStatus(http.StatusForbidden)

	// In the header: accepted.
	req, _ := http.NewRequest(http.MethodPost, w.app.ts.URL+path, strings.NewReader(url.Values{"kind": {"note"}, "body": {"From the header"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", ann.csrf)
	res, err := ann.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("token in the header: status %d, want 303", res.StatusCode)
	}
	// In the body: accepted.
	ann.post(path, url.Values{"kind": {"note"}, "body": {"From the body"}}).wantRedirect(views.TicketPath(w.salesCode))
	if n := len(w.app.thread(w.salesCode)); n != threadLen+2 {
		t.Fatalf("thread grew by %d, want 2", n-threadLen)
	}
}

func TestSlowBody_AnsweredAndLogged408(t *testing.T) {
	for _, contentType := range []string{"application/x-www-form-urlencoded", "multipart/form-data; boundary=zzz"} {
		app := newTestApp(t)
		app.owner()
		logs := app.captureLogs()
		ts := httptest.NewUnstartedServer(app.srv.Handler())
		ts.Config.ReadTimeout = 300 * time.Millisecond
		ts.Start()
		conn, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		// Promise 100 bytes, send a few, then wait.
		fmt.Fprintf(conn, "POST /signin HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: 100\r\n\r\n--zzz\r\nemail=a", contentType)
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		status, err := bufio.NewReader(conn).ReadString('\n')
		conn.Close()
		if err == nil && !strings.HasPrefix(status, "HTTP/1.1 408") {
			t.Errorf("%s: answered %q, want 408 or a closed connection", contentType, status)
		}
		deadline := time.Now().Add(2 * time.Second)
		for !strings.Contains(logs.String(), "status=408") && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if l := logs.String(); !strings.Contains(l, "path=/signin status=408") {
			t.Errorf("%s: log does not say 408:\n%s", contentType, l)
		}
		ts.Close()
	}
}
