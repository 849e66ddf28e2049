package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"helpline/store"
	"helpline/views"
)

func TestPresence_PollShowsWhoElseIsOnTheTicketAndWhoIsReplying(t *testing.T) {
	w := newTicketWorld(t)
	ann, adam, bob := w.as("ann@example.com"), w.as("adam@example.com"), w.as("bob@example.com")
	poll := views.TicketActionPath(views.PathTicketPresence, w.salesCode)
	page := ann.get(views.TicketPath(w.salesCode)).wantStatus(http.StatusOK)
	if page.doc().Find(`#presence[hx-trigger*="every 2s"]`).Length() != 1 {
		t.Fatal("the ticket page does not poll presence every 2 seconds")
	}
	if got := strings.TrimSpace(ann.hxPost(poll, url.Values{"replying": {"0"}}).wantStatus(http.StatusOK).body); got != "" {
		t.Fatalf("Ann alone sees %q", got)
	}
	adam.hxPost(poll, url.Values{"replying": {"1"}}).wantStatus(http.StatusOK).wantContains("Ann Sales")
	r := ann.hxPost(poll, url.Values{"replying": {"0"}}).wantStatus(http.StatusOK)
	if got := r.text(".presence-viewers"); !strings.Contains(got, "Adam Admin") {
		t.Fatalf("Ann sees %q", got)
	}
	if got := r.text(".presence-replying"); got != "Adam Admin is replying…" {
		t.Fatalf("replying line %q", got)
	}
	adam.post(views.TicketActionPath(views.PathTicketLeave, w.salesCode), url.Values{}).wantStatus(http.StatusNoContent)
	if got := strings.TrimSpace(ann.hxPost(poll, url.Values{}).body); got != "" {
		t.Fatalf("after Adam closed the page Ann sees %q", got)
	}
	// Out of scope looks like missing.
	bob.hxPost(poll, url.Values{}).wantStatus(http.StatusNotFound)
	bob.post(views.TicketActionPath(views.PathTicketLeave, w.salesCode), url.Values{}).wantStatus(http.StatusNotFound)
}

func TestReplyCollision_AsksBeforeSendingOverAnotherAgentsReply(t *testing.T) {
	w := newTicketWorld(t)
	ann, adam := w.as("ann@example.com"), w.as("adam@example.com")
	send := views.TicketActionPath(views.PathTicketMessages, w.salesCode)
	page := ann.get(views.TicketPath(w.salesCode)).wantStatus(http.StatusOK)
	seen := page.doc().Find(`#reply input[name="seen"]`).AttrOr("value", "")
	if seen == "" || seen == "0" {
		t.Fatalf("the editor does not carry what the page showed: %q", seen)
	}
	adam.post(send, url.Values{"kind": {"reply"}, "body": {"We sent the price list."}}).wantStatus(http.StatusSeeOther)
	before := len(w.app.thread(w.salesCode))

	r := ann.post(send, url.Values{"kind": {"reply"}, "body": {"Here is the price list."}, "seen": {seen}}).wantStatus(http.StatusConflict)
	prompt := r.text("#collision")
	if !strings.Contains(prompt, "Adam Admin replied") || !strings.Contains(prompt, "ago. Send anyway?") {
		t.Fatalf("prompt %q", prompt)
	}
	if !strings.Contains(prompt, "We sent the price list.") {
		t.Fatalf("the prompt does not show Adam's reply: %q", prompt)
	}
	if got := r.doc().Find("#f-body").Text(); got != "Here is the price list." {
		t.Fatalf("the editor lost Ann's text: %q", got)
	}
	if n := len(w.app.thread(w.salesCode)); n != before {
		t.Fatalf("the reply went out before Ann answered the question (%d new)", n-before)
	}
	// A note is not a reply to the customer: it is never asked about.
	ann.post(send, url.Values{"kind": {"note"}, "body": {"FYI"}, "seen": {seen}}).wantStatus(http.StatusSeeOther)
	ann.post(send, url.Values{"kind": {"reply"}, "body": {"Here is the price list."}, "seen": {seen}, "anyway": {"1"}}).wantRedirect(views.TicketPath(w.salesCode))
	var replies int
	for _, m := range w.app.thread(w.salesCode) {
		if m.Kind == store.KindReply {
			replies++
		}
	}
	if replies != 2 {
		t.Fatalf("%d replies after Send anyway, want 2", replies)
	}
}
