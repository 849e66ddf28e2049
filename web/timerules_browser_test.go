package web

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"helpline/views"
)

// An Administrator creates the time rule "Chase" (Ticket older than 1 hour;
// status is New; add tag chase, add a note); an hour after a ticket
// arrives the minute's run tags it, and its history says "by rule Chase".
func TestBrowser_TimeRuleChaseTagsATicketAnHourOld(t *testing.T) {
	adminCtx := newBrowser(t)
	w := newTicketWorld(t)
	base := w.app.ts.URL

	browserSignIn(t, adminCtx, base, "adam@example.com", testPassword)
	run(t, adminCtx, "open a new time rule from Configuration",
		chromedp.Navigate(base+views.PathRules),
		chromedp.Click(chromedp.CSS(`a[href="`+views.PathTimeRules+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="`+views.PathTimeRuleNew+`"]`)),
		chromedp.Click(chromedp.CSS(`a[href="`+views.PathTimeRuleNew+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#rule-form #f-name`)),
	)
	// The status is picked from the list its subject brings.
	run(t, adminCtx, "Status: New from the list",
		pickInRule(`select[name="cond_subject"]`, "status", `select[name="cond_value"]`)...)
	run(t, adminCtx, "type the time rule",
		setInRule(`select[name="cond_op"]`, "is"),
		setInRule(`select[name="cond_value"]`, "new"),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "Chase"),
		setInRule(`#f-apply_when`, "older_than"),
		chromedp.SendKeys(chromedp.CSS(`#f-after`), "1"),
		setInRule(`select[name="after_unit"]`, "hours"),
		setInRule(`select[name="action_kind"]`, "add_tag"),
		chromedp.SendKeys(chromedp.CSS(`input[name="action_value"]`), "chase"),
		// Once htmx has taken the form over the button swaps the form
		// instead of posting the page.
		chromedp.Poll[chromedp.Void](`document.readyState === 'complete' && typeof htmx !== 'undefined' &&
			!!(document.getElementById('rule-form')['htmx-internal-data'] || {}).initHash`),
		chromedp.Click(chromedp.CSS(`#rule-form button[value="action"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#rule-form select[name="action_kind"]').length === 2`),
	)
	if got := read(t, adminCtx, "the duration typed stays", chromedp.Value(chromedp.CSS(`#f-after`))); got != "1" {
		t.Fatalf("the duration now reads %q", got)
	}
	run(t, adminCtx, "the note action, and save",
		chromedp.Poll[chromedp.Void](`!!(document.getElementById('rule-form')['htmx-internal-data'] || {}).initHash`),
		chromedp.SetValue(chromedp.CSS(`.rule-actions .rule-row:nth-of-type(2) select`), "add_note"),
		chromedp.SendKeys(chromedp.CSS(`.rule-actions .rule-row:nth-of-type(2) input`), "Chased by the desk"),
		chromedp.Click(chromedp.CSS(`#rule-form .form-actions button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash-success`)),
	)
	if got := read(t, adminCtx, "the time rules list", chromedp.Text(chromedp.CSS(`table.rules-table tbody`))); !strings.Contains(got, "Chase") ||
		!strings.Contains(got, "Ticket older than 1 hour") {
		t.Fatalf("the time rules list reads %q", got)
	}

	code := w.app.ticket(w.support, "Where is my parcel?")
	st := w.app.st
	later := time.Now().Add(61 * time.Minute)
	st.SetClock(func() time.Time { return later })
	res, err := st.RunTimeRules(context.Background())
	st.SetClock(time.Now)
	if err != nil {
		t.Fatal(err)
	}
	// The world's two tickets, a few seconds older than the rule, also turn
	// an hour old after it was saved.
	if res.Applied != 3 {
		t.Fatalf("the run applied %d, want 3 (the world's two tickets and the new one)", res.Applied)
	}
	if tk := w.app.ticketAs(code); !slices.Contains(tk.Tags, "chase") {
		t.Fatalf("the ticket is %+v", tk)
	}
	run(t, adminCtx, "open the ticket",
		chromedp.Navigate(base+views.TicketPath(code)),
		chromedp.WaitVisible(chromedp.CSS(`#thread`)),
	)
	got := read(t, adminCtx, "the history", chromedp.Text(chromedp.CSS(`#thread`)))
	for _, want := range []string{"added the tag chase — by rule Chase", "Chased by the desk"} {
		if !strings.Contains(got, want) {
			t.Errorf("the history lacks %q: %q", want, got)
		}
	}
}
