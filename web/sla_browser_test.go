package web

import (
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"helpline/views"
)

// TestBrowser_SLAGoldGivesAContactFormTicketItsFirstAnswerDue is an
// Administrator creating the default SLA level "Gold" (first answer one
// business hour, Monday to Friday 9–17), a customer writing through the
// contact form on Friday at 16:30, and the ticket page and the queue's Due
// column showing the first answer due on Monday at 9:30 (half an hour on
// Friday, half an hour on Monday).
func TestBrowser_SLAGoldGivesAContactFormTicketItsFirstAnswerDue(t *testing.T) {
	ctx := newBrowser(t)
	w := newTicketWorld(t)
	base := w.app.ts.URL
	friday := time.Date(2026, 12, 4, 16, 30, 0, 0, time.UTC)
	w.app.st.SetClock(func() time.Time { return friday })
	const due, dueShown = "2026-12-07T09:30:00Z", "2026-12-07 09:30"

	browserSignIn(t, ctx, base, "adam@example.com", testPassword)
	run(t, ctx, "Configuration → SLA",
		chromedp.Click(`//nav[contains(@class,"mainnav")]//a[text()="Configuration"]`),
		chromedp.WaitVisible(css(".subnav")),
		chromedp.Click(`//nav[contains(@class,"subnav")]//a[text()="SLA"]`),
		chromedp.WaitVisible(`//h1[text()="SLA levels"]`),
		chromedp.Click(`//a[text()="Add SLA level"]`),
		chromedp.WaitVisible(css("#sla-level-form")),
	)
	run(t, ctx, "Gold: first answer in 1 business hour, Mon–Fri 9–17, the default",
		chromedp.SendKeys(css("#f-name"), "Gold"),
		chromedp.SendKeys(css("#f-first_answer"), "1h"),
		chromedp.SetValue(css("#f-time_zone"), "UTC"),
		chromedp.Click(css(`input[name="default"]`)),
		chromedp.Click(`//form[@id="sla-level-form"]//button[text()="Add SLA level"]`),
		chromedp.WaitVisible(`//*[contains(@class,"flash")][contains(.,"The SLA level was added.")]`),
		chromedp.WaitVisible(`//td[contains(.,"Gold")]/span[text()="Default"]`),
	)
	run(t, ctx, "a customer writes through the contact form",
		chromedp.Navigate(base+views.PathContact),
		chromedp.WaitVisible(css("#f-name")),
		chromedp.SendKeys(css("#f-name"), "Carla Customer"),
		chromedp.SendKeys(css("#f-email"), "carla@example.com"),
		chromedp.SetValue(css("#f-department"), strconv.FormatInt(w.sales, 10)),
		chromedp.SendKeys(css("#f-subject"), "Invoice missing"),
		chromedp.SendKeys(css("#f-message"), "Where is my invoice?"),
		chromedp.Click(css(`#contact-form button[type="submit"]`)),
		chromedp.WaitVisible(css("#customer-link")),
	)
	run(t, ctx, "the queue's Due column shows the first-answer due time",
		chromedp.Navigate(base+views.PathTickets+"?sort=due"),
		chromedp.WaitVisible(`//tbody[@id="tickets"]//tr[contains(.,"Invoice missing")]//td[contains(@class,"qc-due")]/time[@datetime="`+due+`"][text()="`+dueShown+`"]`),
	)
	run(t, ctx, "the ticket page shows the first-answer due time",
		chromedp.Click(`//tbody[@id="tickets"]//a[text()="Invoice missing"]`),
		chromedp.WaitVisible(css("#ticket-sla")),
		chromedp.WaitVisible(`//dd[@id="sla-first_answer"]/time[@datetime="`+due+`"][text()="`+dueShown+`"]`),
		chromedp.WaitVisible(`//dd[@id="sla-first_answer"]/span[text()="1 h 0 min left"]`),
	)
}
