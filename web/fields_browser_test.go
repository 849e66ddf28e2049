package web

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"helpline/views"
)

// An Administrator creates a shared predefined answer for Support and a
// Dropdown "Product" shown on the contact form; a customer picks a product
// on the contact form; an Agent of Support opens the ticket, inserts the
// answer with the customer's name filled in and sends it, sees and changes
// the Product, filters the queue by Product and saves the view, which then
// shows beside the queue with its count. (Keyboard use of Insert answer,
// the Agent of another department and Romanian withdrawn:
// TestAnswersBrowser_SharedAnswerInsertedAndLanguageWithdrawn.)
func TestBrowser_ProductFieldFromContactFormToSavedView(t *testing.T) {
	adminCtx := newBrowser(t)
	w := newTicketWorld(t)
	base := w.app.ts.URL

	browserSignIn(t, adminCtx, base, "adam@example.com", testPassword)
	run(t, adminCtx, "create a shared answer for Support",
		chromedp.Navigate(base+views.PathAnswerNew),
		chromedp.WaitVisible(chromedp.CSS(`#answer-form #f-title`)),
		chromedp.SendKeys(chromedp.CSS(`#f-title`), "Product thanks"),
		chromedp.SendKeys(chromedp.CSS(`#f-body`), "Dear {{customer.name}}, thank you for writing about {{ticket.code}}."),
		chromedp.SetValue(chromedp.CSS(`#f-department`), idString(w.support)),
		chromedp.Click(chromedp.CSS(`input[name="kind"][value="shared"]`)),
		chromedp.Click(chromedp.CSS(`#answer-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.answers`)),
	)
	run(t, adminCtx, "create the Dropdown Product, shown on the contact form",
		chromedp.Navigate(base+views.PathTicketFields),
		chromedp.Click(chromedp.CSS(`a[href="`+views.PathTicketFieldNew+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#ticket-field-form #f-name`)),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "Product"),
		chromedp.SendKeys(chromedp.CSS(`#f-code`), "product"),
		chromedp.SetValue(chromedp.CSS(`#f-type`), "dropdown"),
		chromedp.SendKeys(chromedp.CSS(`#f-options`), "Widget\nGadget"),
		chromedp.Click(chromedp.CSS(`input[name="on_contact_form"]`)),
		chromedp.Click(chromedp.CSS(`#ticket-field-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash-success`)),
	)
	if got := read(t, adminCtx, "the fields table", chromedp.Text(chromedp.CSS(`table.ticket-fields tbody`))); !strings.Contains(got, "Product") || !strings.Contains(got, "Dropdown") {
		t.Fatalf("the fields table reads %q", got)
	}

	ctx := newBrowser(t)
	run(t, ctx, "a customer picks Widget on the contact form",
		chromedp.Navigate(base+views.PathContact),
		chromedp.WaitVisible(chromedp.CSS(`#contact-form select[name="field.product"]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "Carla Customer"),
		chromedp.SendKeys(chromedp.CSS(`#f-email`), "carla@example.com"),
		chromedp.SetValue(chromedp.CSS(`#f-department`), idString(w.support)),
		chromedp.SendKeys(chromedp.CSS(`#f-subject`), "My widget hums"),
		chromedp.SendKeys(chromedp.CSS(`#f-message`), "It hums all night."),
		chromedp.SetValue(chromedp.CSS(`select[name="field.product"]`), "Widget"),
		chromedp.Click(chromedp.CSS(`#contact-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash-success`)),
	)

	browserSignIn(t, ctx, base, "bob@example.com", testPassword)
	run(t, ctx, "an Agent of Support opens the ticket",
		chromedp.Navigate(base+views.PathTickets),
		chromedp.WaitVisible(chromedp.CSS(`.queue-row`)),
		chromedp.Click(chromedp.Search(`//a[text()="My widget hums"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#ticket-fields select[name="field.product"]`)),
	)
	if got := read(t, ctx, "the customer's product", chromedp.Value(chromedp.CSS(`#ticket-fields select[name="field.product"]`))); got != "Widget" {
		t.Fatalf("the ticket shows Product %q, want the customer's Widget", got)
	}
	code := read(t, ctx, "the ticket's code", chromedp.Evaluate[string](`location.pathname.split('/').pop()`))
	run(t, ctx, "insert the shared answer",
		chromedp.WaitVisible(chromedp.CSS(`#answer-id`)),
		chromedp.SetValue(chromedp.CSS(`#answer-id`), idString(answerID(t, w, "Product thanks"))),
		chromedp.Click(chromedp.Search(`//button[normalize-space()="Insert answer"]`)),
		chromedp.Poll[chromedp.Void](`document.getElementById('f-body').value !== ''`),
	)
	want := "Dear Carla Customer, thank you for writing about " + code + "."
	if got := read(t, ctx, "the editor", chromedp.Value(chromedp.CSS(`#f-body`))); got != want {
		t.Fatalf("the editor holds %q, want %q", got, want)
	}
	run(t, ctx, "send the reply",
		chromedp.Click(chromedp.CSS(`[data-send]`)),
		chromedp.WaitVisible(chromedp.CSS(`.msg-reply`)),
	)
	if got := read(t, ctx, "the sent reply", chromedp.Text(chromedp.CSS(`.msg-reply .msg-body`))); got != want {
		t.Fatalf("the reply reads %q, want %q", got, want)
	}
	run(t, ctx, "change it to Gadget",
		chromedp.SetValue(chromedp.CSS(`#ticket-fields select[name="field.product"]`), "Gadget"),
		chromedp.Click(chromedp.CSS(`#ticket-fields button[type="submit"]`)),
		// The reply's confirmation is on the page already: wait for the
		// change itself.
		chromedp.WaitVisible(chromedp.Search(`//*[@id="thread"]//span[contains(., "changed Product")]`)),
	)
	if got := read(t, ctx, "the history", chromedp.Text(chromedp.CSS(`#thread`))); !strings.Contains(got, "Bob Support changed Product from Widget to Gadget") {
		t.Fatalf("the history reads %q", got)
	}

	run(t, ctx, "filter the queue by Product",
		chromedp.Navigate(base+views.PathTickets),
		chromedp.WaitVisible(chromedp.CSS(`.queue-row`)),
		chromedp.Click(chromedp.CSS(`.more-filters > summary`)),
		chromedp.WaitVisible(chromedp.CSS(`select[name="field.product"]`)),
		chromedp.SetValue(chromedp.CSS(`select[name="field.product"]`), "Gadget"),
		chromedp.Evaluate[chromedp.Void](`void document.querySelector('select[name="field.product"]').dispatchEvent(new Event('change', {bubbles: true}))`),
		chromedp.Poll[chromedp.Void](`location.search.includes('field.product=Gadget') && document.querySelectorAll('.queue-row').length === 1`),
	)
	// One read in the page: the filter's swap may replace the row between
	// finding a node and asking for its text.
	if got := read(t, ctx, "the filtered queue", chromedp.Evaluate[string](`document.querySelector('.queue-row .queue-subject a').textContent.trim()`)); got != "My widget hums" {
		t.Fatalf("the Gadget queue lists %q", got)
	}
	run(t, ctx, "save the view",
		chromedp.Click(chromedp.CSS(`.save-view > summary`)),
		chromedp.WaitVisible(chromedp.CSS(`#save-view-form #f-view_name`)),
		chromedp.SendKeys(chromedp.CSS(`#f-view_name`), "Gadgets"),
		chromedp.Click(chromedp.CSS(`#save-view-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash-success`)),
		chromedp.WaitVisible(chromedp.CSS(`#saved-views a.queue-view`)),
	)
	// The count beside it comes after the page, from a bounded count.
	run(t, ctx, "the view's count arrives", chromedp.Poll[chromedp.Void](`!document.querySelector('#saved-views [hx-get]')`))
	got := read(t, ctx, "the saved view beside the queue", chromedp.Evaluate[string](
		`[...document.querySelectorAll('#saved-views a.queue-view')].map(a => a.textContent.trim().replace(/\s+/g, ' ')).join('|')`))
	if got != "Gadgets 1" {
		t.Fatalf("beside the queue: %q, want the view Gadgets with its count 1", got)
	}
}

// answerID finds a predefined answer by its title among the shared ones.
func answerID(t *testing.T, w *ticketWorld, title string) int64 {
	t.Helper()
	list, err := w.app.st.Answers(context.Background(), w.adam.Viewer())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if a.Title == title {
			return a.ID
		}
	}
	t.Fatalf("no answer %q among %+v", title, list)
	return 0
}
