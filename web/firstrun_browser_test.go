package web

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
)

// signUpInBrowser creates the account through the sign-up form.
func signUpInBrowser(t *testing.T, ctx context.Context, base, company string) {
	t.Helper()
	run(t, ctx, "sign up",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`//h1[text()="Create your free account"]`),
		chromedp.SendKeys(chromedp.CSS(`#f-company`), company),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "Ann Founder"),
		chromedp.SendKeys(chromedp.CSS(`#f-email`), "ann@example.com"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), testPassword),
		chromedp.Click(`//button[text()="Create account"]`),
		chromedp.WaitVisible(chromedp.CSS(`.usermenu`)),
	)
}

// TestBrowser_FreshSignUpReceivesAContactFormTicketInTheOwnersQueue is the
// first run as a new desk lives it: sign up, follow the empty queue's hint
// to the contact form, send it, and find the ticket in the queue.
func TestBrowser_FreshSignUpReceivesAContactFormTicketInTheOwnersQueue(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t)
	base := app.ts.URL
	signUpInBrowser(t, ctx, base, "Acme Support")
	if got := read(t, ctx, "company in the top bar", chromedp.Text(chromedp.CSS(`.topbar .brand-company`))); got != "Acme Support" {
		t.Fatalf("top bar names the company %q", got)
	}

	run(t, ctx, "empty queue", chromedp.Navigate(base+"/tickets"), chromedp.WaitVisible(chromedp.CSS(`.setup .setup-url`)))
	if got := read(t, ctx, "first step", chromedp.Text(chromedp.CSS(`.setup-steps li a`))); got != "Create agents" {
		t.Fatalf("the first next step reads %q", got)
	}
	if href := read(t, ctx, "shared address", chromedp.AttributeValue(chromedp.CSS(`.setup-url`), "href")); href.Value != base+"/contact" {
		t.Fatalf("the address to share is %q, want %s/contact", href.Value, base)
	}

	run(t, ctx, "send the contact form from the shared address",
		chromedp.Click(chromedp.CSS(`.setup-url`)),
		chromedp.WaitVisible(chromedp.CSS(`#contact-form #f-name`)),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "Carla Customer"),
		chromedp.SendKeys(chromedp.CSS(`#f-email`), "carla@example.com"),
		chromedp.SendKeys(chromedp.CSS(`#f-subject`), "Is anyone there?"),
		chromedp.SendKeys(chromedp.CSS(`#f-message`), "I would like to ask about your prices."),
		chromedp.Click(chromedp.CSS(`#contact-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash-success`)),
	)
	if got := read(t, ctx, "company on the contact pages", chromedp.Text(chromedp.CSS(`.auth-brand`))); got != "Acme Support" {
		t.Fatalf("the contact pages name the company %q", got)
	}

	run(t, ctx, "the ticket in the Owner's queue",
		chromedp.Navigate(base+"/tickets"),
		chromedp.WaitVisible(chromedp.CSS(`.queue-row`)),
	)
	if got := read(t, ctx, "queue row", chromedp.Text(chromedp.CSS(`.queue-row .queue-subject a`))); got != "Is anyone there?" {
		t.Fatalf("the queue lists %q", got)
	}
	if n := read(t, ctx, "hints gone", chromedp.Evaluate[int](`document.querySelectorAll(".setup").length`)); n != 0 {
		t.Fatal("the queue still shows the first-run hints after the first ticket")
	}
}
