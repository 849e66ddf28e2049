package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"helpline/mail/mailtest"
	"helpline/views"
)

func mailboxForm(srv *mailtest.IMAP, dept int64) url.Values {
	return url.Values{"mb_department": {itoa(dept)}, "mb_host": {srv.Host}, "mb_port": {strconv.Itoa(srv.Port)}, "mb_security": {"none"},
		"mb_username": {srv.User}, "mb_password": {srv.Password}, "mb_folder": {"INBOX"}}
}

func TestMailboxes_CheckNowFilesEmailIntoTheDepartment(t *testing.T) {
	w := newTicketWorld(t)
	srv := mailtest.StartIMAP(t, "support@acme.example", "imap-pass")
	adam := w.as("adam@example.com")
	ann := w.as("ann@example.com")

	// Agents may not touch mailboxes.
	ann.post(views.PathMailboxes, mailboxForm(srv, w.support)).wantStatus(http.StatusForbidden)
	// Bad input: 422, the message next to the field, nothing stored.
	bad := mailboxForm(srv, w.support)
	bad.Set("mb_port", "imap")
	if got := adam.post(views.PathMailboxes, bad).wantStatus(http.StatusUnprocessableEntity).text("#f-mb_port-error"); got != "Please enter a port from 1 to 65535." {
		t.Fatalf("port message %q", got)
	}
	bad = mailboxForm(srv, 999999)
	adam.post(views.PathMailboxes, bad).wantStatus(http.StatusUnprocessableEntity)
	if boxes, _ := w.app.st.Mailboxes(context.Background()); len(boxes) != 0 {
		t.Fatal("refused input stored a mailbox")
	}
	adam.post(views.PathMailboxes, mailboxForm(srv, w.support)).wantRedirect(views.PathEmail)
	boxes, _ := w.app.st.Mailboxes(context.Background())
	if len(boxes) != 1 {
		t.Fatal("no mailbox")
	}
	page := adam.get(views.PathEmail).wantStatus(http.StatusOK)
	if strings.Contains(page.body, "imap-pass") {
		t.Fatal("the page shows the mailbox's password")
	}
	if got := page.text("#" + views.MailboxRowID(boxes[0].ID)); !strings.Contains(got, "Not checked yet.") {
		t.Fatalf("row before a check: %q", got)
	}
	srv.Deliver(t, "From: Dora <dora@explore.example>\nSubject: Broken widget\nMessage-ID: <w-1@explore.example>\n\nIt broke.\n")
	ann.post(views.WithID(views.PathMailboxCheck, boxes[0].ID), nil).wantStatus(http.StatusForbidden)
	adam.post(views.WithID(views.PathMailboxCheck, boxes[0].ID), nil).wantRedirect(views.PathEmail)
	row := adam.get(views.PathEmail).text("#" + views.MailboxRowID(boxes[0].ID))
	if !strings.Contains(row, "new tickets: 1") {
		t.Fatalf("row after the check: %q", row)
	}
	// Bob works in Support, where the mailbox files: he finds the ticket.
	bob := w.as("bob@example.com")
	if q := bob.get(views.PathTickets + "?q=" + url.QueryEscape("Broken widget")).text("#queue"); !strings.Contains(q, "Broken widget") {
		t.Fatalf("Support's queue lacks the email's ticket: %q", q)
	}
	if q := ann.get(views.PathTickets + "?q=" + url.QueryEscape("Broken widget")).text("#queue"); strings.Contains(q, "Broken widget") {
		t.Fatal("Sales sees Support's email ticket")
	}

	// A wrong password is said in plain words on the page, never a 500.
	adam.post(views.WithID(views.PathMailboxRemove, boxes[0].ID), nil).wantRedirect(views.PathEmail)
	wrong := mailboxForm(srv, w.support)
	wrong.Set("mb_password", "nope")
	adam.post(views.PathMailboxes, wrong).wantRedirect(views.PathEmail)
	boxes, _ = w.app.st.Mailboxes(context.Background())
	r := adam.post(views.WithID(views.PathMailboxCheck, boxes[0].ID), nil)
	if r.status != http.StatusSeeOther {
		t.Fatalf("check with a wrong password: status %d", r.status)
	}
	if got := adam.get(views.PathEmail).text("#" + views.MailboxRowID(boxes[0].ID)); !strings.Contains(got, "refused the user name or password") {
		t.Fatalf("row after a refused login: %q", got)
	}
}
