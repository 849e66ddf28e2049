package web

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"helpline/views"
)

// TestPresenceBrowser_TwoAgentsSeeEachOtherAndAreAskedBeforeReplyingOver
// is issue 21's collision flow in two browsers: Ann and Adam open one
// ticket and see each other; Adam writes and Ann sees him replying; Adam
// sends; Ann, whose page is older, is asked "Adam Admin replied … Send
// anyway?" with his reply, and sends anyway. Adam closes the ticket and
// Ann stops seeing him.
func TestPresenceBrowser_TwoAgentsSeeEachOtherAndAreAskedBeforeReplyingOver(t *testing.T) {
	annCtx, adamCtx := newBrowser(t), newBrowser(t)
	w := newTicketWorld(t)
	base := w.app.ts.URL
	ticket := base + views.TicketPath(w.salesCode)
	wait := chromedp.WithPollingTimeout(10 * time.Second)

	browserSignIn(t, annCtx, base, "ann@example.com", testPassword)
	browserSignIn(t, adamCtx, base, "adam@example.com", testPassword)
	run(t, annCtx, "Ann opens the ticket", chromedp.Navigate(ticket), chromedp.WaitVisible(css("#f-body")))
	run(t, adamCtx, "Adam opens the ticket and sees Ann",
		chromedp.Navigate(ticket),
		chromedp.WaitVisible(css("#f-body")),
		chromedp.Poll[chromedp.Void](`(document.querySelector('#presence-list') || {}).textContent.includes('Ann Sales')`, wait),
	)
	run(t, annCtx, "Ann sees Adam",
		chromedp.Poll[chromedp.Void](`document.querySelector('#presence-list').textContent.includes('Adam Admin')`, wait),
	)
	run(t, adamCtx, "Adam writes a reply", chromedp.SendKeys(css("#f-body"), "We sent the price list."))
	run(t, annCtx, "Ann sees Adam replying",
		chromedp.Poll[chromedp.Void](`document.querySelector('#presence-list').textContent.includes('Adam Admin is replying…')`, wait),
	)
	run(t, adamCtx, "Adam sends", chromedp.Click(css("[data-send]")), chromedp.WaitVisible(css(".msg-reply")))
	run(t, annCtx, "Ann sends over it and is asked first",
		chromedp.SendKeys(css("#f-body"), "Here is the price list."),
		chromedp.Click(css("[data-send]")),
		chromedp.WaitVisible(css("#collision")),
	)
	if got := text(t, annCtx, "#collision"); !containsAll(got, "Adam Admin replied", "ago. Send anyway?", "We sent the price list.") {
		t.Fatalf("the question reads %q", got)
	}
	run(t, annCtx, "Ann sends anyway", chromedp.Click(css("#send-anyway")))
	run(t, annCtx, "both replies are on the ticket",
		chromedp.WaitVisible(css(".flash-success")),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('.msg-reply').length === 2`, wait),
	)
	run(t, adamCtx, "Adam leaves the ticket", chromedp.Navigate(base+views.PathTickets), chromedp.WaitVisible(css("body")))
	run(t, annCtx, "Ann stops seeing Adam",
		chromedp.Poll[chromedp.Void](`!document.querySelector('#presence-list').textContent.includes('Adam Admin')`, wait),
	)
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
