package web

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"helpline/views"
)

// scriptsOff turns the page's JavaScript off, as a browser without it: no
// htmx, no app.js; forms post and pages load whole.
func scriptsOff() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
}

// TestAnswersBrowser_InsertWithoutJavaScript: with scripts off, an Agent
// picks an answer in the select, presses Insert, and gets the ticket page
// again with the answer, filled in, after what they had typed; Send then
// sends it.
func TestAnswersBrowser_InsertWithoutJavaScript(t *testing.T) {
	ctx := newBrowser(t)
	w := newAnswersWorld(t)
	base := w.app.ts.URL
	browserSignIn(t, ctx, base, "bob@example.com", testPassword)
	run(t, ctx, "turn scripts off and open the ticket",
		scriptsOff(),
		chromedp.Navigate(base+views.TicketPath(w.supportCode)),
		chromedp.WaitVisible(css("#answer-id")),
	)
	if htmx := read(t, ctx, "htmx loaded", chromedp.Evaluate[bool](`typeof window.htmx !== 'undefined'`)); htmx {
		t.Fatal("scripts still run on the page")
	}
	run(t, ctx, "type, choose the answer and press Insert",
		chromedp.SendKeys(css("#f-body"), "Hello."),
		chromedp.Focus(css("#answer-id")),
		chromedp.KeyEvent(kb.ArrowDown),
		chromedp.Click(chromedp.Search(`//button[normalize-space()="Insert answer"]`)),
		chromedp.WaitVisible(css("#f-body[autofocus]")),
	)
	want := fmt.Sprintf("Dear Carla Customer, about %s: Bob Support", w.supportCode)
	if got := read(t, ctx, "the editor", chromedp.Value(css("#f-body"))); got != "Hello.\n\n"+want {
		t.Fatalf("after Insert the editor holds %q", got)
	}
	run(t, ctx, "send the reply",
		chromedp.Click(css("[data-send]")),
		chromedp.WaitVisible(css(".msg-reply")),
	)
	if got := text(t, ctx, ".msg-reply .msg-body"); got != "Hello. "+want { // text() joins the lines with a space
		t.Fatalf("the reply reads %q", got)
	}
}
