package web

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"helpline/security"
)

// TestBrowser_AgentTurnsOnTwoFactorAndSignsInWithACode: an agent sets up an
// authenticator from Profile by typing the key shown under the QR code,
// signs out, and signs in again with a code.
func TestBrowser_AgentTurnsOnTwoFactorAndSignsInWithACode(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t)
	tm := app.team()
	base := app.ts.URL
	clock := fixedClock(t, app)
	browserSignIn(t, ctx, base, tm.agent.Email, testPassword)

	run(t, ctx, "set up from Profile",
		chromedp.Navigate(base+"/profile"),
		chromedp.Click(`//button[text()="Set up two-factor sign-in"]`),
		chromedp.WaitVisible(chromedp.CSS(`.qr svg`)),
	)
	secret := read(t, ctx, "the key as text", chromedp.Text(chromedp.CSS(`#totp-secret`)))
	// The authenticator app, given the key, shows the code of now.
	run(t, ctx, "confirm with a code",
		chromedp.SendKeys(chromedp.CSS(`#f-code`), security.TOTPCode(secret, app.st.Now())),
		chromedp.Click(`//button[text()="Turn on"]`),
		chromedp.WaitVisible(chromedp.CSS(`#recovery-codes`)),
	)
	run(t, ctx, "sign out",
		chromedp.Click(`//a[text()="Continue"]`),
		chromedp.WaitVisible(chromedp.CSS(`#two-factor`)),
		chromedp.Click(chromedp.CSS(`.usermenu summary`)),
		chromedp.Click(`//button[text()="Sign out"]`),
		chromedp.WaitVisible(chromedp.CSS(`#f-email`)),
	)
	// A code is good once: the next one comes 30 seconds later.
	clock(30 * time.Second)
	run(t, ctx, "sign in with the password, then a code",
		chromedp.SendKeys(chromedp.CSS(`#f-email`), tm.agent.Email),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), testPassword),
		chromedp.Click(`//button[text()="Sign in"]`),
		chromedp.WaitVisible(`//h1[text()="Two-factor sign-in"]`),
		chromedp.SendKeys(chromedp.CSS(`#f-code`), security.TOTPCode(secret, app.st.Now())),
		chromedp.Click(`//button[text()="Sign in"]`),
		chromedp.WaitVisible(chromedp.CSS(`.usermenu`)),
	)
}
