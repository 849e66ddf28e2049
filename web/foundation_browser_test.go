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
	ctx := newBrowser(t)
	app := newTestApp(t)
	base := app.ts.URL

	run(t, ctx, "sign up with a short password",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`//h1[text()="Create your free account"]`),
		chromedp.SendKeys(chromedp.CSS(`#f-company`), "Acme Support"),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "Ann Founder"),
		chromedp.SendKeys(chromedp.CSS(`#f-email`), "ann@example.com"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), "short"),
		chromedp.Click(`//button[text()="Create account"]`),
		chromedp.WaitVisible(chromedp.CSS(`#f-password-error`)),
	)
	if msg := read(t, ctx, "password message", chromedp.Text(chromedp.CSS("#f-password-error"))); !strings.Contains(msg, "at least 10 characters") {
		t.Fatalf("short password message %q", msg)
	}
	// htmx moves focus to the autofocus field after a swap; set values
	// directly so typing cannot race it.
	run(t, ctx, "sign up",
		chromedp.SetValue(chromedp.CSS(`#f-password`), "a long enough password"),
		chromedp.Click(`//button[text()="Create account"]`),
		chromedp.WaitVisible(chromedp.CSS(`.usermenu`)),
	)
	if msg := read(t, ctx, "flash", chromedp.Text(chromedp.CSS("#flash"))); !strings.Contains(msg, "Welcome to Helpline") {
		t.Fatalf("after sign-up the flash says %q", msg)
	}

	run(t, ctx, "sign out from the user menu",
		chromedp.Click(chromedp.CSS(`.usermenu summary`)),
		chromedp.Click(`//button[text()="Sign out"]`),
		chromedp.WaitVisible(`//h1[text()="Sign in"]`),
	)
	run(t, ctx, "sign in with a wrong password",
		chromedp.SendKeys(chromedp.CSS(`#f-email`), "ann@example.com"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), "wrong password"),
		chromedp.Click(`//form//button[text()="Sign in"]`),
		chromedp.WaitVisible(chromedp.CSS(`.form-error`)),
	)
	run(t, ctx, "sign in and switch to Polish",
		chromedp.SetValue(chromedp.CSS(`#f-password`), "a long enough password"),
		chromedp.Click(`//form//button[text()="Sign in"]`),
		chromedp.WaitVisible(chromedp.CSS(`.usermenu`)),
		chromedp.Click(chromedp.CSS(`.usermenu summary`)),
		chromedp.Click(`//a[text()="Profile"]`),
		chromedp.WaitVisible(`//h1[text()="Profile"]`),
		chromedp.SetValue(chromedp.CSS(`#f-language`), "pl"),
		chromedp.Click(chromedp.CSS(`#profile-form button[type="submit"]`)),
		chromedp.WaitVisible(`//h1[text()="Profil"]`),
	)
	if lang := read(t, ctx, "html lang", chromedp.AttributeValue(chromedp.CSS(`html`), "lang")); lang.Value != "pl" {
		t.Fatalf("html lang %q after switching to Polish", lang.Value)
	}
	run(t, ctx, "open the user menu", chromedp.Click(chromedp.CSS(`.usermenu summary`)))
	if s := read(t, ctx, "sign-out label", chromedp.Text(chromedp.CSS(`.usermenu-panel button`))); s != "Wyloguj się" {
		t.Fatalf("sign-out button reads %q in Polish", s)
	}
}
