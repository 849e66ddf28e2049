package web

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"helpline/store"
	"helpline/views"
)

// TestAnswersBrowser_SharedAnswerInsertedAndLanguageWithdrawn is the flow
// of issue 16 for predefined answers and languages: an Administrator
// creates a shared answer for Support; an Agent of Support inserts it into
// a reply with the keyboard (the customer's name filled in) and sends it;
// an Agent of Sales is not offered it. Then the Administrator withdraws
// Romanian and the Agent who chose Romanian sees the default language.
func TestAnswersBrowser_SharedAnswerInsertedAndLanguageWithdrawn(t *testing.T) {
	adminCtx, bobCtx, annCtx := newBrowser(t), newBrowser(t), newBrowser(t)
	w := newTicketWorld(t)
	base := w.app.ts.URL
	if err := w.app.st.UpdateProfile(context.Background(), w.ann.ID, store.ProfileInput{Name: w.ann.Name, Language: "ro"}, ""); err != nil {
		t.Fatal(err)
	}

	browserSignIn(t, adminCtx, base, "adam@example.com", testPassword)
	run(t, adminCtx, "create a shared answer for Support",
		chromedp.Click(css(`.mainnav a[href="`+views.PathConfig+`"]`)),
		chromedp.Click(css(`.subnav a[href="`+views.PathAnswers+`"]`)),
		chromedp.WaitVisible(css(`a[href="`+views.PathAnswerNew+`"]`)),
		chromedp.Click(css(`a[href="`+views.PathAnswerNew+`"]`)),
		chromedp.WaitVisible(css("#f-title")),
		chromedp.SendKeys(css("#f-title"), "Refund steps"),
		chromedp.SendKeys(css("#f-body"), "Dear {{customer.name}}, your refund for {{ticket.code}} is on its way. {{agent.name}}"),
		chromedp.SetValue(css("#f-department"), fmt.Sprint(w.support)),
		chromedp.Click(css(`input[name="kind"][value="shared"]`)),
		chromedp.Click(css(`#answer-form button[type="submit"]`)),
		chromedp.WaitVisible(css("table.answers")),
	)
	if got := text(t, adminCtx, "table.answers tbody tr td"); got != "Refund steps" {
		t.Fatalf("the list's first answer is %q", got)
	}

	// Bob of Support narrows the list, picks the answer and inserts it
	// with the keyboard, then sends the reply.
	browserSignIn(t, bobCtx, base, "bob@example.com", testPassword)
	run(t, bobCtx, "open the Support ticket and insert the answer",
		chromedp.Navigate(base+views.TicketPath(w.supportCode)),
		chromedp.WaitVisible(css("#answer-q")),
		chromedp.SendKeys(css("#answer-q"), "refund"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#answer-id option').length === 2`),
	)
	run(t, bobCtx, "choose it with the keyboard",
		chromedp.Focus(css("#answer-id")),
		chromedp.KeyEvent(kb.ArrowDown),
		chromedp.Poll[chromedp.Void](`document.getElementById('answer-id').value !== ''`),
	)
	run(t, bobCtx, "Insert with the keyboard",
		chromedp.KeyEvent("\t"),
		chromedp.Poll[chromedp.Void](`document.activeElement.textContent.trim() === 'Insert answer'`),
		chromedp.KeyEvent("\r"),
		chromedp.Poll[chromedp.Void](`document.getElementById('f-body').value.includes('Carla Customer')`),
		// The editor takes the focus; htmx moves it to [autofocus] when
		// the swap settles, a moment after the text is in place.
		chromedp.Poll[chromedp.Void](`document.activeElement.id === 'f-body'`, chromedp.WithPollingTimeout(5*time.Second)),
	)
	body := read(t, bobCtx, "read the editor", chromedp.Value(css("#f-body")))
	want := fmt.Sprintf("Dear Carla Customer, your refund for %s is on its way. Bob Support", w.supportCode)
	if body != want {
		t.Fatalf("the editor holds %q, want %q", body, want)
	}
	run(t, bobCtx, "send the reply",
		chromedp.Click(css("[data-send]")),
		chromedp.WaitVisible(css(".msg-reply")),
	)
	if got := text(t, bobCtx, ".msg-reply .msg-body"); got != want {
		t.Fatalf("the reply reads %q", got)
	}

	// Ann of Sales is not offered the Support answer.
	browserSignIn(t, annCtx, base, "ann@example.com", testPassword)
	if lang := read(t, annCtx, "Ann's language", chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "ro" {
		t.Fatalf("Ann's console is in %q, want ro", lang)
	}
	run(t, annCtx, "open the Sales ticket",
		chromedp.Navigate(base+views.TicketPath(w.salesCode)),
		chromedp.WaitVisible(css("#answer-id")),
	)
	offered := read(t, annCtx, "the answers offered", chromedp.Evaluate[[]string](`[...document.querySelectorAll('#answer-id option')].slice(1).map(o => o.textContent)`))
	if len(offered) != 0 {
		t.Fatalf("Ann of Sales is offered %q", offered)
	}

	// The Administrator withdraws Romanian; Ann sees English, the default.
	run(t, adminCtx, "withdraw Romanian",
		chromedp.Click(css(`.subnav a[href="`+views.PathLanguages+`"]`)),
		chromedp.WaitVisible(css(`input[name="offered"][value="ro"]`)),
		chromedp.Click(css(`input[name="offered"][value="ro"]`)),
		chromedp.Click(css(`#languages-form button[type="submit"]`)),
		chromedp.WaitVisible(css(".flash")),
	)
	if got := text(t, adminCtx, ".flash"); got != "The languages were saved." {
		t.Fatalf("after saving the page says %q", got)
	}
	run(t, annCtx, "Ann's next page",
		chromedp.Navigate(base+views.PathProfile),
		chromedp.WaitVisible(css("#f-language")),
	)
	if lang := read(t, annCtx, "Ann's language", chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "en" {
		t.Fatalf("Ann's console is in %q after Romanian was withdrawn, want en", lang)
	}
	if got := text(t, annCtx, `.mainnav a[href="`+views.PathTickets+`"]`); got != "Tickets" {
		t.Fatalf("the navigation reads %q", got)
	}
	if n := read(t, annCtx, "Romanian offered", chromedp.Evaluate[int](`document.querySelectorAll('#f-language option[value="ro"]').length`)); n != 0 {
		t.Fatal("the Profile still offers Romanian")
	}
}
