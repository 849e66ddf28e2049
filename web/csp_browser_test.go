package web

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowser_FormErrorsReportNoContentSecurityPolicyViolation sends forms
// with mistakes, swapped in by htmx and as whole pages, and reads the
// browser's console: the policy forbids inline styles and scripts, and a
// form error must not trip it. At the end an inline style is applied on
// purpose, to show that a violation would have been caught.
func TestBrowser_FormErrorsReportNoContentSecurityPolicyViolation(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t)
	base := app.ts.URL

	var mu sync.Mutex
	var violations []string
	const marker = "csp-check: control"
	control := make(chan struct{})
	listen, stop := context.WithCancel(ctx)
	defer stop()
	messages := chromedp.Console(listen)
	go func() {
		afterMarker := false
		for m, err := range messages {
			if err != nil {
				return
			}
			switch {
			case m.Text == marker:
				afterMarker = true
			case m.Source == "security" && afterMarker:
				close(control)
				return
			case m.Source == "security" || strings.Contains(m.Text, "Content Security Policy"):
				mu.Lock()
				violations = append(violations, m.Text)
				mu.Unlock()
			}
		}
	}()

	run(t, ctx, "sign-up with nothing filled in (htmx)",
		chromedp.Navigate(base+"/signup"),
		chromedp.Click(`//button[text()="Create account"]`),
		chromedp.WaitVisible(chromedp.CSS(`#f-company-error`)),
	)
	signUpInBrowser(t, ctx, base, "Acme")
	run(t, ctx, "agent form with nothing filled in (whole page)",
		chromedp.Navigate(base+"/config/agents/new"),
		chromedp.Click(chromedp.CSS(`#agent-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-name-error`)),
	)
	run(t, ctx, "profile without a name (htmx)",
		chromedp.Navigate(base+"/profile"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#profile-form #f-name").value = ""`),
		chromedp.Click(chromedp.CSS(`#profile-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#profile-form #f-name-error`)),
	)
	run(t, ctx, "contact form with nothing filled in (htmx)",
		chromedp.Navigate(base+"/contact"),
		chromedp.Click(chromedp.CSS(`#contact-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#contact-form #f-name-error`)),
	)
	run(t, ctx, "sign-in with a wrong password (htmx)",
		chromedp.Navigate(base+"/profile"),
		chromedp.Click(chromedp.CSS(`.usermenu summary`)),
		chromedp.Click(`//button[text()="Sign out"]`),
		chromedp.WaitVisible(`//h1[text()="Sign in"]`),
		chromedp.SendKeys(chromedp.CSS(`#f-email`), "ann@example.com"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), "wrong password"),
		chromedp.Click(`//form//button[text()="Sign in"]`),
		chromedp.WaitVisible(chromedp.CSS(`.form-error`)),
	)
	run(t, ctx, "an inline style on purpose",
		chromedp.Evaluate[chromedp.Void](`console.log("`+marker+`"); document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>')`),
	)
	select {
	case <-control:
	case <-time.After(10 * time.Second):
		t.Fatal("the inline style applied on purpose was not reported: the check cannot see violations")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(violations) > 0 {
		t.Fatalf("Content-Security-Policy violations after form errors:\n%s", strings.Join(violations, "\n"))
	}
}
