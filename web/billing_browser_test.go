package web

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"helpline/authz"
	"helpline/billing"
	"helpline/views"
)

// TestBrowser_BillingOwnerChangesPlanRaisesAnInvoicePaysItAndAdminIsKeptOut
// is an Owner ten days into a paid month: My account, Change plan to Large
// yearly with its pro-rata cost shown before confirming, adding agents
// until the increase is invoiced, downloading that invoice's PDF,
// recording its payment and seeing it Paid. An Administrator in another
// browser has no My account link and is refused its page.
func TestBrowser_BillingOwnerChangesPlanRaisesAnInvoicePaysItAndAdminIsKeptOut(t *testing.T) {
	ctx := newBrowser(t)
	adminCtx := newBrowser(t)
	app, clk := billingApp(t)
	owner := app.owner()
	admin := app.addAgent(owner.ID, "Adam Admin", authz.RoleAdmin)
	sub := endTrial(t, app, clk) // Medium monthly, 2 seats
	clk.set(sub.Period.Start.AddDate(0, 0, 10))
	base := app.ts.URL

	browserSignIn(t, ctx, base, owner.Email, testPassword)
	run(t, ctx, "My account",
		chromedp.Click(`//nav[contains(@class,"mainnav")]//a[text()="My account"]`),
		chromedp.WaitVisible(`//h1[text()="Plan"]`),
		chromedp.Click(`//a[text()="Change plan"]`),
		chromedp.WaitVisible(`//h1[text()="Change plan"]`),
		chromedp.Click(chromedp.CSS(`input[name="plan"][value="large"]`)),
		chromedp.Click(chromedp.CSS(`input[name="cycle"][value="yearly"]`)),
		chromedp.Click(`//button[text()="Show the cost"]`),
		chromedp.WaitVisible(chromedp.CSS(`#cost-now`)),
	)
	left, days := sub.Period.DaysLeft(clk.now()), sub.Period.Days()
	wantNow := billing.ProRata(2*billing.Cents(24, 0), left, days)
	if got := read(t, ctx, "cost now", chromedp.Text(chromedp.CSS(`#cost-now`))); !strings.HasPrefix(got, views.Money(ctxIn("en"), wantNow)) {
		t.Fatalf("cost now %q, want %s (%d of %d days)", got, wantNow, left, days)
	}
	if got := read(t, ctx, "cost at renewal", chromedp.Text(chromedp.CSS(`#cost-at-renewal`))); !strings.HasPrefix(got, "$1,176.00") {
		t.Fatalf("cost at renewal %q", got)
	}
	run(t, ctx, "confirm",
		chromedp.Click(`//button[text()="Confirm change"]`),
		chromedp.WaitVisible(`//*[contains(@class,"flash")][contains(.,"The plan was changed to Large, Yearly.")]`),
	)

	invoiceRows := func() int {
		run(t, ctx, "invoices", chromedp.Navigate(base+views.PathAccountInvoices), chromedp.WaitVisible(`//h1[text()="Invoices"]`))
		return read(t, ctx, "count invoices", chromedp.Evaluate[int](`document.querySelectorAll("table.invoices tbody tr").length`))
	}
	before := invoiceRows()
	added := 0
	for invoiceRows() == before {
		if added == 5 {
			t.Fatal("five agents added and no invoice raised")
		}
		added++
		name := "Agent " + strconv.Itoa(added)
		run(t, ctx, "add "+name,
			chromedp.Navigate(base+views.PathAgentNew),
			chromedp.WaitVisible(chromedp.CSS("#f-name")),
			chromedp.SendKeys(chromedp.CSS("#f-name"), name),
			chromedp.SendKeys(chromedp.CSS("#f-email"), "agent"+strconv.Itoa(added)+"@example.com"),
			chromedp.Click(chromedp.CSS(`input[name="role"][value="agent"]`)),
			chromedp.Click(chromedp.CSS(`#agent-form button.btn-primary`)),
			chromedp.WaitVisible(chromedp.CSS("#f-link")),
		)
	}
	invoices, _ := app.st.Invoices(context.Background())
	raised := invoices[0]
	if raised.Reason != "mid_period" {
		t.Fatalf("newest invoice %+v", raised)
	}

	dir := t.TempDir()
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	row := "#invoice-" + strconv.FormatInt(raised.ID, 10)
	run(t, ctx, "download the PDF",
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptrTo(true)})
			return err
		}),
		chromedp.Click(chromedp.CSS(row+` a[download]`)),
	)
	var file string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("download: %v", err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			file = filepath.Join(dir, ev.GUID)
			break
		}
	}
	pdf, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{raised.Number, views.Money(ctxIn("en"), raised.Total), "Acme"} {
		if !strings.Contains(text, want) {
			t.Errorf("the downloaded PDF lacks %q:\n%s", want, text)
		}
	}

	run(t, ctx, "record the payment",
		chromedp.Click(chromedp.CSS(row+` td:first-child a`)),
		chromedp.WaitVisible(chromedp.CSS(`#payment-form`)),
		chromedp.SendKeys(chromedp.CSS(`#f-reference`), "TR-2026-0042"),
		chromedp.Click(`//form[@id="payment-form"]//button[text()="Record payment"]`),
		chromedp.WaitVisible(`//*[contains(@class,"flash")][contains(.,"was recorded")]`),
	)
	if got := read(t, ctx, "status", chromedp.Text(chromedp.CSS(`#invoice-status`))); got != "Paid" {
		t.Fatalf("after the payment the invoice is %q", got)
	}

	browserSignIn(t, adminCtx, base, admin.Email, testPassword)
	links := read(t, adminCtx, "My account link", chromedp.Evaluate[int](`document.querySelectorAll('.mainnav a[href="/account"]').length`))
	if links != 0 {
		t.Fatal("the Administrator sees My account")
	}
	run(t, adminCtx, "open My account by its address",
		chromedp.Navigate(base+views.PathAccount),
		chromedp.WaitVisible(`//h1[text()="Not allowed"]`),
	)
}

func ptrTo[T any](v T) *T { return &v }

// TestBrowser_BillingStopAsksNamingTheEndDateAndResumes is an Owner
// stopping the account through its confirmation dialog, which names the
// day it ends, then resuming it.
func TestBrowser_BillingStopAsksNamingTheEndDateAndResumes(t *testing.T) {
	ctx := newBrowser(t)
	app, clk := billingApp(t)
	owner := app.owner()
	sub := endTrial(t, app, clk)
	base := app.ts.URL
	ends := views.BillingDate(ctxIn("en"), sub.Period.End)
	browserSignIn(t, ctx, base, owner.Email, testPassword)
	run(t, ctx, "open the dialog",
		chromedp.Navigate(base+views.PathAccount),
		chromedp.Click(`//form[@data-confirm="stop-dialog"]//button[text()="Stop account"]`),
		chromedp.WaitVisible(chromedp.CSS(`#stop-dialog`)),
	)
	if got := read(t, ctx, "dialog text", chromedp.Text(chromedp.CSS(`#stop-dialog p`))); !strings.Contains(got, "Your account will end on "+ends) {
		t.Fatalf("the dialog says %q, want the end date %s", got, ends)
	}
	run(t, ctx, "confirm",
		chromedp.Click(`//dialog[@id="stop-dialog"]//button[text()="Stop account"]`),
		chromedp.WaitVisible(`//*[contains(@class,"flash")][contains(.,"The account was stopped. It ends on `+ends+`.")]`),
		chromedp.Click(`//section[@id="account-status"]//button[text()="Resume"]`),
		chromedp.WaitVisible(`//*[contains(@class,"flash")][contains(.,"The account was resumed.")]`),
	)
	if s, _ := app.st.Subscription(context.Background()); s.Stopped() {
		t.Fatal("the account stayed stopped")
	}
}
