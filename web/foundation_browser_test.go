package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowser_SignUpSignOutSignInAndSwitchToPolish clicks through the first
// run as a person would: create the account, sign out, sign in, open
// Profile and switch the interface to Polish.
func TestBrowser_SignUpSignOutSignInAndSwitchToPolish(t *testing.T) {
	app := newTestApp(t)
	ctx := newBrowser(t)
	base := app.ts.URL

	run(t, ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`//h1[text()="Create your free account"]`),
		chromedp.SendKeys(`#f-company`, "Acme Support"),
		chromedp.SendKeys(`#f-name`, "Ann Founder"),
		chromedp.SendKeys(`#f-email`, "ann@example.com"),
		chromedp.SendKeys(`#f-password`, "short"),
		chromedp.Click(`//button[text()="Create account"]`),
		chromedp.WaitVisible(`#f-password-error`),
	)
	if msg := textOf(t, ctx, "#f-password-error"); !strings.Contains(msg, "at least 10 characters") {
		t.Fatalf("short password message %q", msg)
	}
	run(t, ctx,
		chromedp.SetValue(`#f-password`, "a long enough password", chromedp.ByQuery),
		chromedp.Click(`//button[text()="Create account"]`),
		chromedp.WaitVisible(`.usermenu`),
	)
	if msg := textOf(t, ctx, "#flash"); !strings.Contains(msg, "Welcome to Helpline") {
		t.Fatalf("after sign-up the flash says %q", msg)
	}

	// Sign out from the user menu.
	run(t, ctx,
		chromedp.Click(`.usermenu summary`),
		chromedp.Click(`//button[text()="Sign out"]`),
		chromedp.WaitVisible(`//h1[text()="Sign in"]`),
	)
	// A wrong password first, then the right one.
	run(t, ctx,
		chromedp.SendKeys(`#f-email`, "ann@example.com"),
		chromedp.SendKeys(`#f-password`, "wrong password"),
		chromedp.Click(`//form//button[text()="Sign in"]`),
		chromedp.WaitVisible(`.form-error`),
	)
	// htmx moves focus to the autofocus field after the swap; set the value
	// directly so typing cannot race it.
	run(t, ctx,
		chromedp.SetValue(`#f-password`, "a long enough password", chromedp.ByQuery),
		chromedp.Click(`//form//button[text()="Sign in"]`),
		chromedp.WaitVisible(`.usermenu`),
		chromedp.Click(`.usermenu summary`),
		chromedp.Click(`//a[text()="Profile"]`),
		chromedp.WaitVisible(`//h1[text()="Profile"]`),
		chromedp.SetValue(`#f-language`, "pl", chromedp.ByQuery),
		chromedp.Click(`#profile-form button[type="submit"]`),
		chromedp.WaitVisible(`//h1[text()="Profil"]`),
	)
	var lang string
	run(t, ctx, chromedp.AttributeValue(`html`, "lang", &lang, nil, chromedp.ByQuery))
	if lang != "pl" {
		t.Fatalf("html lang %q after switching to Polish", lang)
	}
	run(t, ctx, chromedp.Click(`.usermenu summary`))
	if s := textOf(t, ctx, `.usermenu-panel button`); s != "Wyloguj się" {
		t.Fatalf("sign-out button reads %q in Polish", s)
	}
}
