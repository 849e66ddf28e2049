package web

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"helpline/authz"
	"helpline/store"
)

// TestBrowser_ContactFormToTransfer follows one ticket through the console:
// a customer writes in, the Sales Agent answers, notes and tags it, an
// Administrator transfers it to Support, and the Agent loses sight of it.
func TestBrowser_ContactFormToTransfer(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t)
	app.owner()
	sales, support := app.department("Sales"), app.department("Support")
	app.agent("Ann Sales", "ann@example.com", authz.RoleAgent, sales)
	app.agent("Adam Admin", "adam@example.com", authz.RoleAdmin)
	base := app.ts.URL

	type css = chromedp.CSS
	do := func(step string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			body, _ := chromedp.Run(ctx, chromedp.Text(css("body")))
			t.Fatalf("%s: %v\npage text:\n%.1500s", step, err, body)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.Join(strings.Fields(s), " ")
	}
	clearCookies := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
		return err
	})
	signIn := func(email string) {
		t.Helper()
		do("sign in as "+email,
			clearCookies,
			chromedp.Navigate(base+"/signin"),
			chromedp.WaitVisible(css("#f-email")),
			chromedp.SendKeys(css("#f-email"), email),
			chromedp.SendKeys(css("#f-password"), testPassword),
			chromedp.Click(css(`form button[type="submit"]`)),
			chromedp.WaitVisible(css(".queue-filters")),
		)
	}

	// A customer sends the contact form.
	do("contact form",
		chromedp.Navigate(base+"/contact"),
		chromedp.WaitVisible(css("#f-name")),
		chromedp.SendKeys(css("#f-name"), "Carla Customer"),
		chromedp.SendKeys(css("#f-email"), "carla@example.com"),
		chromedp.SetValue(css("#f-department"), strconv.FormatInt(sales, 10)),
		chromedp.SendKeys(css("#f-subject"), "Broken kettle"),
		chromedp.SendKeys(css("#f-message"), "My kettle stopped working after a week."),
		chromedp.Click(css(`#contact-form button[type="submit"]`)),
		chromedp.WaitVisible(css(".flash-success")),
	)
	sent := text(".flash-success")
	i := strings.Index(sent, "ticket number is ")
	if i < 0 {
		t.Fatalf("sent page says %q", sent)
	}
	code := strings.TrimSuffix(sent[i+len("ticket number is "):], ".")
	ticketURL := base + "/tickets/" + code

	// The Sales Agent sees it in the queue, replies, adds a note and a tag.
	signIn("ann@example.com")
	do("agent works the ticket",
		chromedp.WaitVisible(css("#ticket-"+code)),
		chromedp.Click(css("#ticket-"+code+" .queue-subject a")),
		chromedp.WaitVisible(css("#f-body")),
		chromedp.SendKeys(css("#f-body"), "Sorry about that, a new kettle is on its way."),
		chromedp.Click(css(`#reply button[data-send]`)),
		chromedp.WaitVisible(css(".msg-reply")),
	)
	if s := text("#ticket-status"); s != "Answered" {
		t.Fatalf("status after the reply is %q", s)
	}
	do("note and tag",
		chromedp.Click(css(".editor-tab-note")),
		chromedp.SendKeys(css("#f-body"), "Replacement sent by courier."),
		chromedp.Click(css(`#reply button[data-send]`)),
		chromedp.WaitVisible(css(".msg-note")),
		chromedp.SendKeys(css("#f-tag"), "warranty"),
		chromedp.Click(css(`#tags .tag-add button[type="submit"]`)),
		chromedp.WaitVisible(css("#tags .tags .tag")),
	)
	if tags := text("#tags .tags"); !strings.Contains(tags, "warranty") {
		t.Fatalf("tags read %q", tags)
	}

	// An Administrator transfers it to Support.
	signIn("adam@example.com")
	do("administrator transfers",
		chromedp.Navigate(ticketURL),
		chromedp.WaitVisible(css("#f-transfer")),
		chromedp.SetValue(css("#f-transfer"), strconv.FormatInt(support, 10)),
		chromedp.Click(css(`form[action$="/transfer"] button[type="submit"]`)),
		chromedp.WaitVisible(css(".flash-success")),
	)
	if lc, dept := text("#last-changed"), text("#ticket-department"); !strings.HasPrefix(lc, "Last changed by Adam Admin,") || dept != "Support" {
		t.Fatalf("after transfer: %q, department %q", lc, dept)
	}

	// The Sales Agent no longer sees it: not in the queue, 404 on its page.
	signIn("ann@example.com")
	if q := text("#queue"); strings.Contains(q, code) {
		t.Fatal("the ticket is still in the Sales Agent's queue")
	}
	do("agent opens the old ticket", chromedp.Navigate(ticketURL), chromedp.WaitVisible(css(".error-code")))
	if s := text(".error-code"); s != "404" {
		t.Fatalf("the Sales Agent opening the ticket gets %q, want 404", s)
	}
}

// Select all ticks every ticket of the page, and a bulk action then
// changes them all.
func TestBrowser_QueueSelectAllThenBulkStatus(t *testing.T) {
	ctx := newBrowser(t)
	w := newTicketWorld(t)
	third := w.app.ticket(w.sales, "Third ticket")
	browserSignIn(t, ctx, w.app.ts.URL, "adam@example.com", testPassword)
	run(t, ctx, "select all and resolve",
		chromedp.Navigate(w.app.ts.URL+"/tickets"),
		chromedp.WaitVisible(chromedp.CSS(`input[data-select-all="code"]`)),
		chromedp.Click(chromedp.CSS(`input[data-select-all="code"]`)),
	)
	ticked := read(t, ctx, "count ticked tickets",
		chromedp.Evaluate[int](`document.querySelectorAll('input[name="code"]:checked').length`))
	if ticked != 3 {
		t.Fatalf("%d tickets ticked by select all, want 3", ticked)
	}
	run(t, ctx, "set status of the selection",
		chromedp.SetValue(chromedp.CSS("#bulk-status"), "resolved"),
		chromedp.Click(chromedp.CSS(`button[name="action"][value="status"]`)),
		chromedp.WaitVisible(chromedp.Search(`//div[@id="flash"]/p[contains(., "3 tickets were changed.")]`)),
	)
	for _, code := range []string{w.salesCode, w.supportCode, third} {
		if st := w.app.ticketAs(code).Status; st != store.TicketResolved {
			t.Errorf("%s is %s after the bulk action, want resolved", code, st)
		}
	}
}
