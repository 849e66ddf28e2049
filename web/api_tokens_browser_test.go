package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"helpline/views"
)

// TestAPITokensBrowser_CreateUseAndRevoke is an agent making a token from
// their profile, a script using it, and the agent revoking it.
func TestAPITokensBrowser_CreateUseAndRevoke(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t)
	tm := app.team()
	browserSignIn(t, ctx, app.ts.URL, tm.agent.Email, testPassword)
	run(t, ctx, "open Profile → API tokens",
		chromedp.Navigate(app.ts.URL+views.PathProfile),
		chromedp.WaitVisible(chromedp.CSS(`a[href="`+views.PathAPITokens+`"]`)),
		chromedp.Click(chromedp.CSS(`a[href="`+views.PathAPITokens+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-name")),
	)
	run(t, ctx, "create a token that never expires",
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Shop integration"),
		chromedp.SetValue(chromedp.CSS("#f-expiry"), "never"),
		chromedp.Click(chromedp.CSS(`#api-token-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#api-token-secret code")),
	)
	secret := read(t, ctx, "read the secret", chromedp.Evaluate[string](`document.querySelector('#api-token-secret code').textContent`))
	if !strings.HasPrefix(secret, "hlp_") {
		t.Fatalf("secret %q", secret)
	}
	row := read(t, ctx, "read the row", chromedp.Evaluate[string](`document.querySelector('.api-tokens-table tbody tr').textContent`))
	if !strings.Contains(row, "Shop integration") || !strings.Contains(row, "Never") || !strings.Contains(row, "Not yet") {
		t.Fatalf("row %q", row)
	}

	script := &apiClient{app: app, secret: secret}
	script.get("/departments").wantStatus(http.StatusOK)

	run(t, ctx, "revoke it",
		chromedp.Navigate(app.ts.URL+views.PathAPITokens),
		chromedp.WaitVisible(chromedp.CSS(".api-tokens-table button")),
		chromedp.Click(chromedp.CSS(".api-tokens-table button")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	row = read(t, ctx, "read the row", chromedp.Evaluate[string](`document.querySelector('.api-tokens-table tbody tr').textContent`))
	if !strings.Contains(row, "Revoked") {
		t.Fatalf("row after Revoke %q", row)
	}
	script.get("/departments").wantStatus(http.StatusUnauthorized)
}
