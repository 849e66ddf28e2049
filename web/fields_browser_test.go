package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"helpline/views"
)

// An Administrator creates a Dropdown "Product" shown on the contact form;
// a customer picks a product on the contact form; an Agent of Support
// opens the ticket, sees and changes the value, filters the queue by
// Product and saves the view, which then shows beside the queue with its
// count.
func TestBrowser_ProductFieldFromContactFormToSavedView(t *testing.T) {
	adminCtx := newBrowser(t)
	w := newTicketWorld(t)
	base := w.app.ts.URL

	browserSignIn(t, adminCtx, base, "adam@example.com", testPassword)
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
	run(t, ctx, "change it to Gadget",
		chromedp.SetValue(chromedp.CSS(`#ticket-fields select[name="field.product"]`), "Gadget"),
		chromedp.Click(chromedp.CSS(`#ticket-fields button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash-success`)),
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
	if got := read(t, ctx, "the filtered queue", chromedp.Text(chromedp.CSS(`.queue-row .queue-subject a`))); got != "My widget hums" {
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
