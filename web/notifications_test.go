package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"helpline/views"
)

func TestNotifications_TopBarCountListUnreadInBoldAndMarkAllAsRead(t *testing.T) {
	w := newTicketWorld(t)
	ann, adam, bob := w.as("ann@example.com"), w.as("adam@example.com"), w.as("bob@example.com")
	code := w.salesCode
	row := "#ticket-" + code
	queue := ann.get(views.PathTickets).wantStatus(http.StatusOK)
	if queue.doc().Find("#notifications-count").Length() != 0 || queue.doc().Find(row).HasClass("queue-row-unread") {
		t.Fatal("Ann has something unread before anything happened")
	}
	adam.post(views.TicketActionPath(views.PathTicketAssign, code), url.Values{"agent": {itoa(w.ann.ID)}}).wantStatus(http.StatusSeeOther)

	queue = ann.get(views.PathTickets).wantStatus(http.StatusOK)
	if got := queue.text("#notifications-count"); got != "1" {
		t.Fatalf("top bar count %q, want 1", got)
	}
	if !queue.doc().Find(row).HasClass("queue-row-unread") {
		t.Fatal("the assigned ticket is not bold in Ann's queue")
	}
	list := ann.get(views.PathNotifications).wantStatus(http.StatusOK)
	if got := list.text("#notifications .notification-unread"); !strings.Contains(got, code) || !strings.Contains(got, "Adam Admin assigned it to you") {
		t.Fatalf("Ann's list: %q", got)
	}
	// Opening the ticket reads it.
	if ann.get(views.TicketPath(code)).wantStatus(http.StatusOK).doc().Find("#notifications-count").Length() != 0 {
		t.Fatal("the count stays after Ann opened the ticket")
	}
	if ann.get(views.PathTickets).doc().Find(row).HasClass("queue-row-unread") {
		t.Fatal("the ticket stays bold after Ann opened it")
	}

	// The customer answers, Adam mentions Ann: two more; Mark all as read.
	if err := w.app.st.CustomerReply(context.Background(), code, "Any news?"); err != nil {
		t.Fatal(err)
	}
	adam.post(views.TicketActionPath(views.PathTicketMessages, code), url.Values{"kind": {"note"}, "body": {"@Ann Sales can you call her?"}}).wantStatus(http.StatusSeeOther)
	list = ann.get(views.PathNotifications).wantStatus(http.StatusOK)
	if got := list.text("#notifications-count"); got != "2" {
		t.Fatalf("count %q after an answer and a mention, want 2", got)
	}
	why := list.doc().Find("#notifications .notification-unread").Text()
	if !strings.Contains(why, "Carla Customer answered") || !strings.Contains(why, "Adam Admin mentioned you in a note") {
		t.Fatalf("Ann's unread: %q", why)
	}
	ann.post(views.PathNotificationsRead, url.Values{}).wantRedirect(views.PathNotifications)
	list = ann.get(views.PathNotifications).wantContains("All notifications are marked as read.")
	if list.doc().Find(".notification-unread").Length() != 0 || list.doc().Find("#notifications-count").Length() != 0 {
		t.Fatal("unread notifications after Mark all as read")
	}
	// Bob works in Support: he hears nothing of Sales.
	if got := bob.get(views.PathNotifications).wantStatus(http.StatusOK).doc().Find(".notification").Length(); got != 0 {
		t.Fatalf("Bob has %d notifications", got)
	}
}

func TestMentions_TheNoteEditorSuggestsTheDepartmentsAgents(t *testing.T) {
	w := newTicketWorld(t)
	got := w.as("ann@example.com").get(views.TicketPath(w.salesCode)).wantStatus(http.StatusOK).text("#mention-hint")
	if !strings.Contains(got, "@Ann Sales") || strings.Contains(got, "Bob Support") {
		t.Fatalf("mention suggestions on a Sales ticket: %q", got)
	}
}
