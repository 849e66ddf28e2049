package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"helpline/views"
)

// TestBrowser_GeneralSettingsRenameTheDeskAndMoveItsClock is an Owner
// opening Configuration → General from the navigation, mistyping, then
// renaming the company and choosing a time zone, and finding the queue's
// times in it.
func TestBrowser_GeneralSettingsRenameTheDeskAndMoveItsClock(t *testing.T) {
	ctx := newBrowser(t)
	w := newTicketWorld(t)
	base := w.app.ts.URL
	browserSignIn(t, ctx, base, "owner@example.com", testPassword)
	run(t, ctx, "Configuration → General",
		chromedp.Click(`//nav[contains(@class,"mainnav")]//a[text()="Configuration"]`),
		chromedp.WaitVisible(chromedp.CSS(`.subnav`)),
		chromedp.Click(`//nav[contains(@class,"subnav")]//a[text()="General"]`),
		chromedp.WaitVisible(`//h1[text()="General"]`),
	)
	run(t, ctx, "save without a company name",
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-company").value = ""`),
		chromedp.Click(`//form[@id="general-form"]//button[text()="Save"]`),
		chromedp.WaitVisible(chromedp.CSS(`#f-company-error`)),
	)
	run(t, ctx, "rename and move to Bucharest",
		chromedp.SendKeys(chromedp.CSS(`#f-company`), "Northwind Traders"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-time_zone").value = "Europe/Bucharest"`),
		chromedp.Click(`//form[@id="general-form"]//button[text()="Save"]`),
		chromedp.WaitVisible(`//*[contains(@class,"flash")][contains(.,"The general settings were saved.")]`),
	)
	if got := read(t, ctx, "company in the top bar", chromedp.Text(chromedp.CSS(`.topbar .brand-company`))); got != "Northwind Traders" {
		t.Fatalf("top bar names the company %q", got)
	}
	if got := read(t, ctx, "zone chosen", chromedp.Evaluate[string](`document.querySelector("#f-time_zone").value`)); got != "Europe/Bucharest" {
		t.Fatalf("the form shows the zone %q after saving", got)
	}
	run(t, ctx, "the queue", chromedp.Navigate(base+views.PathTickets), chromedp.WaitVisible(chromedp.CSS(`.qc-updated time`)))
	title := read(t, ctx, "a time's full date", chromedp.Evaluate[string](`document.querySelector(".qc-updated time").title`))
	if !strings.HasSuffix(title, "(Europe/Bucharest)") {
		t.Fatalf("a queue time's full date reads %q", title)
	}
}
