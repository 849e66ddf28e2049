package web

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"helpline/store"
	"helpline/views"
)

type css = chromedp.CSS

// shown reports whether the first element matching sel is displayed.
func shown(sel string) chromedp.Action[bool] {
	return chromedp.Evaluate[bool](`(function(){var e=document.querySelector(` + "`" + sel + "`" + `);return !!e && e.getClientRects().length > 0})()`)
}

// waitTicket waits until the page of the ticket with code is shown.
func waitTicket(code string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.Search(`//p[@class="ticket-crumbs"]/span[@class="queue-code" and text()="` + code + `"]`))
}

var (
	ctrlEnter      = chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl))
	ctrlShiftEnter = chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl, chromedp.ModifierShift))
)

// TestBrowser_EditorTabsAndCtrlEnterSendANoteAndAReply works one ticket
// with the keyboard: a note from the Internal note tab, a reply from the
// Reply tab, each sent with Ctrl+Enter, then Ctrl+Shift+Enter goes on to
// the next ticket of the view.
func TestBrowser_EditorTabsAndCtrlEnterSendANoteAndAReply(t *testing.T) {
	ctx := newBrowser(t)
	w := newTicketWorld(t)
	second := w.app.ticket(w.sales, "Second ticket")
	base := w.app.ts.URL
	view := views.QueueFilterValues{Status: string(store.TicketNew)}
	browserSignIn(t, ctx, base, "ann@example.com", testPassword)
	run(t, ctx, "open the first ticket from the New view",
		chromedp.Navigate(base+view.QueueURL()),
		chromedp.WaitVisible(css("#ticket-"+w.salesCode)),
		chromedp.Click(css("#ticket-"+w.salesCode+" .queue-subject a")),
		chromedp.WaitVisible(css("#f-body")),
	)
	if !read(t, ctx, "reply button", shown("[data-send] .for-reply")) || read(t, ctx, "note button", shown("[data-send] .for-note")) {
		t.Fatal("the Reply tab is not the one chosen at first")
	}
	run(t, ctx, "choose the Internal note tab", chromedp.Click(css(".editor-tab-note")))
	if !read(t, ctx, "note button", shown("[data-send] .for-note")) || read(t, ctx, "reply button", shown("[data-send] .for-reply")) {
		t.Fatal("the Internal note tab does not switch the editor")
	}
	run(t, ctx, "Ctrl+Enter sends the note",
		chromedp.SendKeys(css("#f-body"), "Check the warranty first."),
		ctrlEnter,
		chromedp.WaitVisible(css(".msg-note")),
	)
	if got := text(t, ctx, "#flash"); got != "Internal note added; only agents see it." {
		t.Fatalf("after the note the page says %q", got)
	}
	if got := text(t, ctx, "#ticket-status"); got != "New" {
		t.Fatalf("a note changed the status to %q", got)
	}
	if !read(t, ctx, "reply tab again", shown("[data-send] .for-reply")) {
		t.Fatal("after sending, the editor is not back on Reply")
	}
	run(t, ctx, "Ctrl+Enter sends the reply",
		chromedp.SendKeys(css("#f-body"), "A new kettle is on its way."),
		ctrlEnter,
		chromedp.WaitVisible(css(".msg-reply")),
	)
	if got := text(t, ctx, "#ticket-status"); got != "Answered" {
		t.Fatalf("status after the reply is %q", got)
	}
	if got := text(t, ctx, ".msg-reply .msg-body"); got != "A new kettle is on its way." {
		t.Fatalf("the reply reads %q", got)
	}
	// The first ticket has left the New view; Send and next goes from
	// where it stood.
	run(t, ctx, "back in the view, Ctrl+Shift+Enter sends and opens the next",
		chromedp.Navigate(base+view.TicketURL(w.salesCode)),
		chromedp.WaitVisible(css("#f-body")),
		chromedp.Click(css(".editor-tab-note")),
		chromedp.SendKeys(css("#f-body"), "Done here."),
		ctrlShiftEnter,
		waitTicket(second),
	)
	if got := read(t, ctx, "where", chromedp.Evaluate[string](`location.pathname + location.search`)); got != view.TicketURL(second) {
		t.Fatalf("Send and next opened %q, want %q", got, view.TicketURL(second))
	}
}

// text is the whitespace-folded text of the first element matching sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s := read(t, ctx, "text of "+sel, chromedp.Text(css(sel)))
	return strings.Join(strings.Fields(s), " ")
}

// TestBrowser_SearchByCodeEmailAndName types into the queue's search: a
// code in lower case opens its ticket, an email address or a name lists the
// requester's tickets.
func TestBrowser_SearchByCodeEmailAndName(t *testing.T) {
	ctx := newBrowser(t)
	w := newTicketWorld(t)
	dora, err := w.app.st.CreateTicket(t.Context(), nil, store.NewTicketInput{Subject: "Lost keys", Body: "Hello", Channel: store.ChannelEmail,
		DepartmentID: w.sales, ContactName: "Dora Explorer", ContactEmail: "dora@explore.example"})
	if err != nil {
		t.Fatal(err)
	}
	base := w.app.ts.URL
	browserSignIn(t, ctx, base, "ann@example.com", testPassword)
	for _, q := range []string{"dora@explore.example", "Explorer"} {
		run(t, ctx, "search "+q,
			chromedp.Navigate(base+views.PathTickets),
			chromedp.WaitVisible(css("#ticket-"+w.salesCode)),
			chromedp.SendKeys(css("#f-q"), q),
			chromedp.WaitNotPresent(css("#ticket-"+w.salesCode)),
			chromedp.WaitVisible(css("#ticket-"+dora)),
		)
		if n := read(t, ctx, "rows", chromedp.Evaluate[int](`document.querySelectorAll("#queue tbody tr").length`)); n != 1 {
			t.Fatalf("search %q lists %d tickets, want Dora's one", q, n)
		}
	}
	run(t, ctx, "a code in lower case opens the ticket",
		chromedp.Navigate(base+views.PathTickets),
		chromedp.WaitVisible(css("#f-q")),
		chromedp.SendKeys(css("#f-q"), strings.ToLower(dora)),
		waitTicket(dora),
	)
	if got := text(t, ctx, "h1"); got != "Lost keys" {
		t.Fatalf("the code opened %q", got)
	}
}

// TestBrowser_DeleteAsksFirstAndBulkAssignSaysWhatItLeft: Delete opens a
// dialog, Cancel keeps the ticket and Delete in the dialog deletes it; a
// bulk assignment names the tickets it could not change and why.
func TestBrowser_DeleteAsksFirstAndBulkAssignSaysWhatItLeft(t *testing.T) {
	ctx := newBrowser(t)
	w := newTicketWorld(t)
	base := w.app.ts.URL
	browserSignIn(t, ctx, base, "adam@example.com", testPassword)
	run(t, ctx, "Delete asks",
		chromedp.Navigate(base+views.TicketPath(w.salesCode)),
		chromedp.WaitVisible(css("form[data-confirm] button")),
		chromedp.Click(css("form[data-confirm] button")),
		chromedp.WaitVisible(css("dialog#delete-ticket")),
		chromedp.Click(css("dialog#delete-ticket [data-close-dialog]")),
		chromedp.WaitNotVisible(css("dialog#delete-ticket")),
	)
	if st := w.app.ticketAs(w.salesCode).Status; st == store.TicketDeleted {
		t.Fatal("Cancel deleted the ticket")
	}
	run(t, ctx, "Delete in the dialog deletes",
		chromedp.Click(css("form[data-confirm] button")),
		chromedp.WaitVisible(css("dialog#delete-ticket")),
		chromedp.Click(css("dialog#delete-ticket button.btn-danger")),
		chromedp.WaitVisible(css(".editor-closed")),
	)
	if got := text(t, ctx, "#flash"); got != "Ticket "+w.salesCode+" was deleted. Reopen brings it back." {
		t.Fatalf("after deleting the page says %q", got)
	}
	if n := read(t, ctx, "text areas", chromedp.Evaluate[int](`document.querySelectorAll("textarea").length`)); n != 0 || text(t, ctx, "#ticket-status") != "Deleted" {
		t.Fatal("the deleted ticket still shows a reply box")
	}

	third := w.app.ticket(w.sales, "Third")
	run(t, ctx, "bulk assign Ann to a Sales and a Support ticket",
		chromedp.Navigate(base+views.PathTickets),
		chromedp.WaitVisible(css("#ticket-"+third)),
		chromedp.Click(css(`#ticket-`+third+` input[name="code"]`)),
		chromedp.Click(css(`#ticket-`+w.supportCode+` input[name="code"]`)),
		chromedp.SetValue(css("#bulk-assign"), idString(w.ann.ID)),
		chromedp.Click(css(`button[name="action"][value="assign"]`)),
		chromedp.WaitVisible(css("#flash .flash-error")),
	)
	want := "1 ticket was not changed: Ann Sales is not in Support (" + w.supportCode + ")."
	if got := text(t, ctx, "#flash .flash-error"); got != want {
		t.Fatalf("the refusal reads %q, want %q", got, want)
	}
	if got := text(t, ctx, "#flash .flash-success"); got != "1 ticket was changed." {
		t.Fatalf("the success reads %q", got)
	}
}
