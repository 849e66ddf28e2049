package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"helpline/jobs"
	"helpline/views"
)

// TestBrowser_WebhookReceivesANewTicket is an Administrator adding a
// webhook that points at a receiver on this machine, copying its secret,
// a customer sending the contact form, and the webhook's deliveries,
// sent by the outbox worker, showing the receiver's 200.
func TestBrowser_WebhookReceivesANewTicket(t *testing.T) {
	ctx := newBrowser(t)
	w := newTicketWorld(t)
	base := w.app.ts.URL
	var received atomic.Int32
	rcv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		received.Add(1)
		io.WriteString(rw, "thanks")
	}))
	t.Cleanup(rcv.Close)
	worker := jobs.NewRunner(w.app.srv.log, jobs.Mail(w.app.st, base, 0)...)
	worker.Start(context.Background())
	t.Cleanup(worker.Stop)

	browserSignIn(t, ctx, base, "adam@example.com", testPassword)
	run(t, ctx, "Configuration → Webhooks",
		chromedp.Click(`//nav[contains(@class,"mainnav")]//a[text()="Configuration"]`),
		chromedp.WaitVisible(css(".subnav")),
		chromedp.Click(`//nav[contains(@class,"subnav")]//a[text()="Webhooks"]`),
		chromedp.WaitVisible(`//h1[text()="Webhooks"]`),
		chromedp.Click(`//a[text()="Add webhook"]`),
		chromedp.WaitVisible(css("#webhook-form")),
	)
	run(t, ctx, "an address on another machine over plain http is refused",
		chromedp.SendKeys(css("#f-url"), "http://crm.example.com/in"),
		chromedp.Click(`//form[@id="webhook-form"]//button[text()="Add webhook"]`),
		chromedp.WaitVisible(css("#f-url-error")),
	)
	run(t, ctx, "the receiver on this machine is added",
		chromedp.SetValue(css("#f-url"), rcv.URL+"/helpline"),
		chromedp.Click(`//form[@id="webhook-form"]//button[text()="Add webhook"]`),
		chromedp.WaitVisible(`//*[contains(@class,"flash")][contains(.,"The webhook was added.")]`),
	)
	secret := read(t, ctx, "the secret to copy", chromedp.Evaluate[string](`document.querySelector("#f-secret").value`))
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("the form shows the secret %q", secret)
	}
	deliveries := read(t, ctx, "the deliveries link", chromedp.Evaluate[string](
		`document.querySelector("#webhook-form a[href$='/deliveries']").getAttribute("href")`))

	run(t, ctx, "a customer sends the contact form",
		chromedp.Navigate(base+views.PathContact),
		chromedp.WaitVisible(css("#f-name")),
		chromedp.SendKeys(css("#f-name"), "Carla Customer"),
		chromedp.SendKeys(css("#f-email"), "carla@example.com"),
		chromedp.SetValue(css("#f-department"), strconv.FormatInt(w.sales, 10)),
		chromedp.SendKeys(css("#f-subject"), "Parcel lost"),
		chromedp.SendKeys(css("#f-message"), "My parcel never came."),
		chromedp.Click(css(`#contact-form button[type="submit"]`)),
		chromedp.WaitVisible(css("#customer-link")),
	)
	deadline := time.Now().Add(20 * time.Second)
	for received.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the receiver got nothing")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The worker records the answer just after the receiver sends it.
	var row []string
	for {
		run(t, ctx, "the deliveries", chromedp.Navigate(base+deliveries), chromedp.WaitVisible(css(".deliveries-table")))
		row = strings.Split(read(t, ctx, "the first delivery", chromedp.Evaluate[string](
			`Array.from(document.querySelectorAll(".deliveries-table tbody tr:first-child td")).map(td => td.textContent.trim()).join("|")`)), "|")
		if len(row) > 3 && row[3] == "200" || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(row) < 7 || row[0] != "Ticket created" || row[2] != "Delivered" || row[3] != "200" || row[5] != "1" || row[6] != "thanks" {
		t.Fatalf("the delivery list shows %q", row)
	}
}
