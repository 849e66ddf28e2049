package web

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// An Administrator creates the rule "VIP" (Ticket created; requester email
// ends with @vip.example; add tag vip, change priority to Urgent, assign to
// Bob); a customer from vip.example writes through the contact form; the
// ticket is tagged, urgent and Bob's, and its history says "by rule VIP".
func TestBrowser_RuleVIPTagsPrioritisesAndAssignsAContactFormTicket(t *testing.T) {
	adminCtx := newBrowser(t)
	w := newTicketWorld(t)
	base := w.app.ts.URL

	browserSignIn(t, adminCtx, base, "adam@example.com", testPassword)
	run(t, adminCtx, "open a new rule",
		chromedp.Navigate(base+views.PathRules),
		chromedp.Click(chromedp.CSS(`a[href="`+views.PathRuleNew+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#rule-form #f-name`)),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "VIP"),
		chromedp.SetValue(chromedp.CSS(`#f-trigger`), "ticket_created"),
		chromedp.SetValue(chromedp.CSS(`select[name="cond_subject"]`), "requester_email"),
		chromedp.SetValue(chromedp.CSS(`select[name="cond_op"]`), "ends_with"),
		chromedp.SendKeys(chromedp.CSS(`input[name="cond_value"]`), "@vip.example"),
		chromedp.SetValue(chromedp.CSS(`select[name="action_kind"]`), "add_tag"),
		chromedp.SendKeys(chromedp.CSS(`input[name="action_value"]`), "vip"),
	)
	for n := 2; n <= 3; n++ {
		run(t, adminCtx, "Add action",
			// Once htmx has taken the form over (after the page loads, and
			// again after each swap) the button swaps the form instead of
			// posting the page; a click before that would post it.
			chromedp.Poll[chromedp.Void](`document.readyState === 'complete' && typeof htmx !== 'undefined' &&
				!!(document.getElementById('rule-form')['htmx-internal-data'] || {}).initHash`),
			chromedp.Click(chromedp.CSS(`#rule-form button[value="action"]`)),
			chromedp.Poll[chromedp.Void](`document.querySelectorAll('#rule-form select[name="action_kind"]').length === `+idString(int64(n))),
		)
	}
	if got := read(t, adminCtx, "what was typed stays", chromedp.Value(chromedp.CSS(`input[name="cond_value"]`))); got != "@vip.example" {
		t.Fatalf("the condition now reads %q", got)
	}
	run(t, adminCtx, "the priority and assignee actions, and save",
		chromedp.SetValue(chromedp.CSS(`.rule-actions .rule-row:nth-of-type(2) select`), "change_priority"),
		chromedp.SendKeys(chromedp.CSS(`.rule-actions .rule-row:nth-of-type(2) input`), "urgent"),
		chromedp.SetValue(chromedp.CSS(`.rule-actions .rule-row:nth-of-type(3) select`), "assign"),
		chromedp.SendKeys(chromedp.CSS(`.rule-actions .rule-row:nth-of-type(3) input`), idString(w.bob.ID)),
		chromedp.Click(chromedp.CSS(`#rule-form .form-actions button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash-success`)),
	)
	if got := read(t, adminCtx, "the rules list", chromedp.Text(chromedp.CSS(`table.rules-table tbody`))); !strings.Contains(got, "VIP") {
		t.Fatalf("the rules list reads %q", got)
	}

	ctx := newBrowser(t)
	run(t, ctx, "a customer from vip.example writes through the contact form",
		chromedp.Navigate(base+views.PathContact),
		chromedp.WaitVisible(chromedp.CSS(`#contact-form`)),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "Vera Important"),
		chromedp.SendKeys(chromedp.CSS(`#f-email`), "vera@vip.example"),
		chromedp.SetValue(chromedp.CSS(`#f-department`), idString(w.support)),
		chromedp.SendKeys(chromedp.CSS(`#f-subject`), "Our order is late"),
		chromedp.SendKeys(chromedp.CSS(`#f-message`), "Please look today."),
		chromedp.Click(chromedp.CSS(`#contact-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash-success`)),
	)

	owner := authz.Viewer{Perms: authz.BuiltinPerms(authz.RoleOwner)}
	page, err := w.app.st.Queue(context.Background(), owner, store.QueueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var code string
	for _, r := range page.Tickets {
		if r.Subject == "Our order is late" {
			code = r.Code
		}
	}
	tk, err := w.app.st.TicketByCode(context.Background(), owner, code)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(tk.Tags, "vip") || tk.Priority != store.PriorityUrgent || tk.AssigneeID != w.bob.ID {
		t.Fatalf("the ticket is %+v", tk)
	}
	run(t, adminCtx, "open the ticket",
		chromedp.Navigate(base+views.TicketPath(code)),
		chromedp.WaitVisible(chromedp.CSS(`#thread`)),
	)
	got := read(t, adminCtx, "the history", chromedp.Text(chromedp.CSS(`#thread`)))
	for _, want := range []string{"added the tag vip — by rule VIP", "changed the priority from Normal to Urgent — by rule VIP", "assigned", "by rule VIP"} {
		if !strings.Contains(got, want) {
			t.Errorf("the history lacks %q: %q", want, got)
		}
	}
}
