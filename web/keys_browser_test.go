package web

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"helpline/views"
)

// TestKeysBrowser_QueueAndTicketWithoutAMouse walks the queue with j and
// k, opens a ticket with Enter, starts a reply with r and a note with n,
// shows the list with ?, and checks that letters typed into the editor
// stay there.
func TestKeysBrowser_QueueAndTicketWithoutAMouse(t *testing.T) {
	ctx := newBrowser(t)
	w := newTicketWorld(t)
	second := w.app.ticket(w.sales, "Second question")
	base := w.app.ts.URL
	wait := chromedp.WithPollingTimeout(5 * time.Second)
	browserSignIn(t, ctx, base, "ann@example.com", testPassword)
	run(t, ctx, "open the queue", chromedp.Navigate(base+views.PathTickets), chromedp.WaitVisible(css("#queue tr.queue-row")))
	run(t, ctx, "j moves down, k back up",
		chromedp.KeyEvent("j"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#queue tr.queue-row')[0].classList.contains('kb-current')`, wait),
		chromedp.KeyEvent("j"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#queue tr.queue-row')[1].classList.contains('kb-current')`, wait),
		chromedp.KeyEvent("k"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#queue tr.queue-row')[0].classList.contains('kb-current') && !document.querySelectorAll('#queue tr.queue-row')[1].classList.contains('kb-current')`, wait),
	)
	first := read(t, ctx, "the chosen row", chromedp.Evaluate[string](`document.querySelector('#queue tr.kb-current .queue-code').textContent`))
	if first != w.salesCode && first != second {
		t.Fatalf("the chosen row is %q", first)
	}
	run(t, ctx, "Enter opens it", chromedp.KeyEvent(kb.Enter))
	run(t, ctx, "on the ticket", chromedp.WaitVisible(css("#f-body")),
		chromedp.Poll[chromedp.Void](`document.querySelector('.ticket-head .queue-code').textContent === '`+first+`'`, wait))
	run(t, ctx, "n starts a note",
		chromedp.KeyEvent("n"),
		chromedp.Poll[chromedp.Void](`document.activeElement.id === 'f-body' && document.querySelector('input[name=kind][value=note]').checked`, wait),
	)
	run(t, ctx, "letters typed in the editor stay there", chromedp.KeyEvent("jkr?n"))
	if got := read(t, ctx, "the editor", chromedp.Value(css("#f-body"))); got != "jkr?n" {
		t.Fatalf("the editor holds %q: shortcuts took keys from it", got)
	}
	if open := read(t, ctx, "the list", chromedp.Evaluate[bool](`document.getElementById('keys-help').open`)); open {
		t.Fatal("? in the editor opened the list")
	}
	run(t, ctx, "leave the editor, r starts a reply",
		chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`),
		chromedp.KeyEvent("r"),
		chromedp.Poll[chromedp.Void](`document.activeElement.id === 'f-body' && document.querySelector('input[name=kind][value=reply]').checked`, wait),
		chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`),
		chromedp.KeyEvent("?"),
		chromedp.Poll[chromedp.Void](`document.getElementById('keys-help').open`, wait),
	)
	if got := text(t, ctx, "#keys-help"); !containsAll(got, "Keyboard shortcuts", "Write a reply", "Write an internal note") {
		t.Fatalf("the list reads %q", got)
	}
}
