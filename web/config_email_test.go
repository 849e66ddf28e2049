package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"helpline/jobs"
	"helpline/mail/mailtest"
	"helpline/store"
	"helpline/views"
)

// smtpForm is the outgoing mail form pointed at srv.
func smtpForm(srv *mailtest.SMTP, password string) url.Values {
	return url.Values{"host": {srv.Host}, "port": {strconv.Itoa(srv.Port)}, "security": {"none"}, "username": {"desk"},
		"password": {password}, "from_name": {"Acme Support"}, "from_address": {"help@acme.example"}}
}

func TestEmailSettings_OnlyAdministratorsAndOwnersOpenThem(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	agent := app.signedIn(tm.agent)
	agent.get(views.PathEmail).wantStatus(http.StatusForbidden)
	agent.post(views.PathEmail, smtpForm(mailtest.StartSMTP(t), "x")).wantStatus(http.StatusForbidden)
	agent.post(views.PathEmailTest, url.Values{"to": {"a@example.com"}}).wantStatus(http.StatusForbidden)
	if _, err := app.st.MailSettings(context.Background()); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("an Agent's post stored mail settings: %v", err)
	}
	for _, who := range []store.Agent{tm.admin, tm.owner} {
		app.signedIn(who).get(views.PathEmail).wantStatus(http.StatusOK).wantContains("Outgoing mail (SMTP)")
	}
	app.client().get(views.PathEmail).wantRedirect(views.PathSignIn)
}

func TestEmailSettings_BadInputIsRefusedAndThePasswordNeverShown(t *testing.T) {
	app := newTestApp(t)
	admin := app.signedIn(app.team().admin)
	srv := mailtest.StartSMTP(t)
	for _, tc := range []struct{ field, value, want string }{
		{"port", "smtp", "Please enter a port from 1 to 65535."},
		{"port", "70000", "Please enter a port from 1 to 65535."},
		{"host", "", "Please fill this in."},
		{"host", "smtp.example.com:587", "Please enter a server name like smtp.example.com, without a port."},
		{"from_address", "not-an-address", "Please enter an email address like name@example.com."},
		{"security", "ssl3", "Please choose one of the offered options."},
	} {
		form := smtpForm(srv, "s3cret")
		form.Set(tc.field, tc.value)
		r := admin.post(views.PathEmail, form).wantStatus(http.StatusUnprocessableEntity)
		if got := r.text("#f-" + tc.field + "-error"); got != tc.want {
			t.Errorf("%s=%q: message %q, want %q", tc.field, tc.value, got, tc.want)
		}
		if strings.Contains(r.body, "s3cret") {
			t.Fatal("the refused form shows the password back")
		}
	}
	if _, err := app.st.MailSettings(context.Background()); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("refused input stored settings: %v", err)
	}
	admin.post(views.PathEmail, smtpForm(srv, "s3cret")).wantRedirect(views.PathEmail)
	page := admin.get(views.PathEmail).wantStatus(http.StatusOK).wantContains("Outgoing mail settings saved.")
	if strings.Contains(page.body, "s3cret") {
		t.Fatal("the page shows the saved password")
	}
	// Saving again without a password keeps it.
	form := smtpForm(srv, "")
	form.Set("from_name", "Acme Help")
	admin.post(views.PathEmail, form).wantRedirect(views.PathEmail)
	m, err := app.st.MailSettings(context.Background())
	if err != nil || m.Password != "s3cret" || m.FromName != "Acme Help" {
		t.Fatalf("settings after a save without password: %+v, %v", m, err)
	}
}

func TestEmailSettings_TestEmailArrivesOrSaysWhyInPlainWords(t *testing.T) {
	app := newTestApp(t)
	admin := app.signedIn(app.team().admin)
	srv := mailtest.StartSMTP(t)
	srv.User, srv.Password = "desk", "s3cret"
	admin.post(views.PathEmail, smtpForm(srv, "s3cret")).wantRedirect(views.PathEmail)
	admin.post(views.PathEmailTest, url.Values{"to": {"me@example.com"}}).wantRedirect(views.PathEmail)
	got := srv.WaitFor(1, 0)
	if got[0].To[0] != "me@example.com" || !strings.Contains(string(got[0].Data), "Your outgoing mail settings work.") {
		t.Fatalf("test email %+v", got[0])
	}
	admin.post(views.PathEmailTest, url.Values{"to": {"nobody"}}).wantStatus(http.StatusUnprocessableEntity)

	for _, tc := range []struct {
		name   string
		change func(url.Values)
		want   string
	}{
		{"wrong password", func(f url.Values) { f.Set("password", "wrong") }, "The mail server refused the user name or password."},
		{"TLS to a plain server", func(f url.Values) { f.Set("security", "tls") }, "A secure connection could not be made."},
		{"STARTTLS the server lacks", func(f url.Values) { f.Set("security", "starttls") }, "A secure connection could not be made."},
		{"unknown host", func(f url.Values) { f.Set("host", "no-such-host.invalid") }, "The mail server's name could not be found."},
		{"nothing listening", func(f url.Values) { f.Set("port", strconv.Itoa(freePort(t))) }, "Nothing answered at that host and port"},
	} {
		form := smtpForm(srv, "s3cret")
		tc.change(form)
		admin.post(views.PathEmail, form).wantRedirect(views.PathEmail)
		r := admin.post(views.PathEmailTest, url.Values{"to": {"me@example.com"}}).wantStatus(http.StatusUnprocessableEntity)
		if msg := r.text("#test-form .form-error"); !strings.Contains(msg, tc.want) {
			t.Errorf("%s: the page says %q, want %q", tc.name, msg, tc.want)
		}
	}
}

func TestTicketPage_ReplyShowsSendingThenNotDeliveredWithRetry(t *testing.T) {
	w := newTicketWorld(t)
	srv := mailtest.StartSMTP(t)
	form := smtpForm(srv, "")
	form.Set("username", "")
	w.as("adam@example.com").post(views.PathEmail, form).wantRedirect(views.PathEmail)
	code, err := w.app.st.CreateTicket(context.Background(), nil, store.NewTicketInput{Subject: "Refused", Body: "Hello", Channel: store.ChannelContactForm,
		DepartmentID: w.sales, ContactName: "Rita", ContactEmail: "reject-rita@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	deliver := func() {
		t.Helper()
		if _, err := jobs.DeliverOutbox(context.Background(), w.app.st, "http://desk.example", slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
			t.Fatal(err)
		}
	}
	ann := w.as("ann@example.com")
	ann.post(views.TicketActionPath(views.PathTicketMessages, code), url.Values{"kind": {"note"}, "body": {"Only for us"}}).wantRedirect(views.TicketPath(code))
	if ann.get(views.TicketPath(code)).doc().Find("#deliveries").Length() != 0 {
		t.Fatal("a note is waiting to be emailed")
	}
	ann.post(views.TicketActionPath(views.PathTicketMessages, code), url.Values{"kind": {"reply"}, "body": {"Here is the price list."}}).wantRedirect(views.TicketPath(code))
	if got := ann.get(views.TicketPath(code)).text("#deliveries"); !strings.Contains(got, "Sending…") {
		t.Fatalf("after the reply: %q", got)
	}
	deliver()
	page := ann.get(views.TicketPath(code))
	got := page.text("#deliveries")
	if !strings.Contains(got, "Not delivered") || !strings.Contains(got, "The mail server refused the message or its recipient.") {
		t.Fatalf("after a refusal: %q", got)
	}
	retry, ok := page.doc().Find("#deliveries form").Attr("action")
	if !ok {
		t.Fatal("no Retry")
	}
	// Bob works in Support: the Sales ticket's email is not his to retry.
	w.as("bob@example.com").post(retry, nil).wantStatus(http.StatusNotFound)
	ann.post(retry, nil).wantRedirect(views.TicketPath(code))
	if got := ann.get(views.TicketPath(code)).text("#deliveries"); !strings.Contains(got, "Sending…") {
		t.Fatalf("after Retry: %q", got)
	}
	if srv.Received() != nil {
		t.Fatal("the server took a refused email")
	}
}

// freePort is a loopback port nothing listens on.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}
