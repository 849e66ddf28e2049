package web

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"helpline/authz"
	"helpline/automation"
	"helpline/store"
	"helpline/views"
)

// ruleFormReady waits until htmx has taken the rule form over (after the
// page loads, and again after each swap): a click or change before that
// would post the page instead of swapping the form.
var ruleFormReady = chromedp.Poll[chromedp.Void](`document.readyState === 'complete' && typeof htmx !== 'undefined' &&
	!!(document.getElementById('rule-form')['htmx-internal-data'] || {}).initHash`)

// setInRule gives a control of the rule form its value, read back from
// the live page: after a swap a value set on the replaced form would be
// lost.
func setInRule(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](`(() => { const e = document.querySelector(` + strconv.Quote(sel) + `);
		if (!e) return false; if (e.value !== ` + strconv.Quote(value) + `) e.value = ` + strconv.Quote(value) + `;
		return e.value === ` + strconv.Quote(value) + ` })()`)
}

// pickInRule chooses value in the select sel of the rule form, as a person
// does: the change swaps the form, which comes back with the row's value
// offered as a list.
func pickInRule(sel, value, thenVisible string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		ruleFormReady,
		setInRule(sel, value),
		chromedp.Evaluate[chromedp.Void](`void document.querySelector('` + sel + `').dispatchEvent(new Event('change', {bubbles: true}))`),
		chromedp.WaitVisible(chromedp.CSS(thenVisible)),
		ruleFormReady,
	}
}

// The scenario: an Administrator adds the SLA level "Gold" (first
// answer 1 business hour, Mon–Fri 9–17), the rule "VIP" (Ticket created;
// requester email ends with @vip.example; add tag vip, change priority to
// Urgent, assign to Bob, each value picked from a list) and the SLA rule
// "Gold for VIP" (tag vip: Change SLA level to Gold); a customer from
// vip.example writes through the contact form on Monday at 10:00; the
// ticket is tagged, urgent, Bob's, its first answer due at 11:00, and its
// history says "by rule VIP".
func TestBrowser_RuleVIPTagsPrioritisesAssignsAndGivesGold(t *testing.T) {
	adminCtx := newBrowser(t)
	w := newTicketWorld(t)
	base := w.app.ts.URL
	monday := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	w.app.st.SetClock(func() time.Time { return monday })
	const due, dueShown = "2026-12-07T11:00:00Z", "2026-12-07 11:00"

	browserSignIn(t, adminCtx, base, "adam@example.com", testPassword)
	run(t, adminCtx, "the SLA level Gold: first answer in 1 business hour, Mon–Fri 9–17",
		chromedp.Navigate(base+views.PathSLALevelNew),
		chromedp.WaitVisible(css("#sla-level-form")),
		chromedp.SendKeys(css("#f-name"), "Gold"),
		chromedp.SendKeys(css("#f-first_answer"), "1h"),
		chromedp.SetValue(css("#f-time_zone"), "UTC"),
		chromedp.Click(`//form[@id="sla-level-form"]//button[text()="Add SLA level"]`),
		chromedp.WaitVisible(`//*[contains(@class,"flash")][contains(.,"The SLA level was added.")]`),
	)

	run(t, adminCtx, "open a new rule",
		chromedp.Navigate(base+views.PathRules),
		chromedp.Click(chromedp.CSS(`a[href="`+views.PathRuleNew+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#rule-form #f-name`)),
		ruleFormReady,
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "VIP"),
		setInRule(`#f-trigger`, "ticket_created"),
		setInRule(`select[name="cond_subject"]`, "requester_email"),
		setInRule(`select[name="cond_op"]`, "ends_with"),
		chromedp.SendKeys(chromedp.CSS(`input[name="cond_value"]`), "@vip.example"),
		setInRule(`select[name="action_kind"]`, "add_tag"),
		chromedp.SendKeys(chromedp.CSS(`input[name="action_value"]`), "vip"),
	)
	for n := 2; n <= 3; n++ {
		run(t, adminCtx, "Add action",
			ruleFormReady,
			chromedp.Click(chromedp.CSS(`#rule-form button[value="action"]`)),
			chromedp.Poll[chromedp.Void](`document.querySelectorAll('#rule-form select[name="action_kind"]').length === `+idString(int64(n))),
		)
	}
	if got := read(t, adminCtx, "what was typed stays", chromedp.Value(chromedp.CSS(`input[name="cond_value"]`))); got != "@vip.example" {
		t.Fatalf("the condition now reads %q", got)
	}
	row := func(n string) string { return `.rule-actions .rule-row:nth-of-type(` + n + `)` }
	run(t, adminCtx, "Change priority: Urgent from the list",
		pickInRule(row("2")+` select[name="action_kind"]`, "change_priority", row("2")+` select[name="action_value"]`)...)
	run(t, adminCtx, "Assign to agent: Bob from the list",
		pickInRule(row("3")+` select[name="action_kind"]`, "assign", row("3")+` select[name="action_value"]`)...)
	run(t, adminCtx, "choose Urgent and Bob, and save",
		setInRule(row("2")+` select[name="action_value"]`, "urgent"),
		setInRule(row("3")+` select[name="action_value"]`, idString(w.bob.ID)),
		chromedp.Click(chromedp.CSS(`#rule-form .form-actions button.btn-primary`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash-success`)),
	)
	if got := read(t, adminCtx, "the rules list", chromedp.Text(chromedp.CSS(`table.rules-table tbody`))); !strings.Contains(got, "VIP") {
		t.Fatalf("the rules list reads %q", got)
	}
	rules, err := w.app.st.Rules(context.Background())
	if err != nil || len(rules) != 1 {
		t.Fatalf("rules %+v, %v", rules, err)
	}
	wantVIP := automation.Definition{Groups: []automation.Group{{Conditions: []automation.Condition{{Subject: automation.OnRequesterEmail, Op: automation.EndsWith, Value: "@vip.example"}}}},
		Actions: []automation.Action{{Kind: automation.AddTag, Value: "vip"}, {Kind: automation.ChangePriority, Value: "urgent"}, {Kind: automation.Assign, Value: idString(w.bob.ID)}}}
	if got := rules[0].Definition; !reflect.DeepEqual(got, wantVIP) {
		t.Fatalf("VIP stored as %+v, want %+v", got, wantVIP)
	}

	run(t, adminCtx, "the SLA rule: Gold for tag vip",
		chromedp.Navigate(base+views.PathRuleNew),
		chromedp.WaitVisible(chromedp.CSS(`#rule-form #f-name`)),
		ruleFormReady,
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "Gold for VIP"),
		setInRule(`#f-trigger`, "ticket_created"),
		setInRule(`select[name="cond_subject"]`, "tag"),
		setInRule(`select[name="cond_op"]`, "has"),
		chromedp.SendKeys(chromedp.CSS(`input[name="cond_value"]`), "vip"),
	)
	run(t, adminCtx, "Change SLA level: Gold from the list",
		pickInRule(row("1")+` select[name="action_kind"]`, "change_sla_level", row("1")+` select[name="action_value"]`)...)
	run(t, adminCtx, "choose Gold and save",
		chromedp.Evaluate[chromedp.Void](`void (function(){ const s = document.querySelector('`+row("1")+` select[name="action_value"]');
			s.value = [...s.options].find(o => o.text === 'Gold').value; })()`),
		chromedp.Click(chromedp.CSS(`#rule-form .form-actions button.btn-primary`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash-success`)),
	)

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
		rules, _ := w.app.st.Rules(context.Background())
		for _, r := range rules {
			fs, _ := w.app.st.RuleFailures(context.Background(), r.ID, 5)
			t.Logf("rule %+v failures %+v", r, fs)
		}
		t.Fatalf("the ticket is %+v", tk)
	}
	run(t, adminCtx, "the ticket page shows the first-answer due time",
		chromedp.Navigate(base+views.TicketPath(code)),
		chromedp.WaitVisible(chromedp.CSS(`#thread`)),
		chromedp.WaitVisible(`//dd[@id="sla-first_answer"]/time[@datetime="`+due+`"][text()="`+dueShown+`"]`),
		chromedp.WaitVisible(`//dd[@id="sla-first_answer"]/span[text()="1 h 0 min left"]`),
	)
	got := read(t, adminCtx, "the history", chromedp.Text(chromedp.CSS(`#thread`)))
	for _, want := range []string{"added the tag vip — by rule VIP", "changed the priority from Normal to Urgent — by rule VIP", "assigned", "by rule VIP",
		"changed the SLA level to Gold — by rule Gold for VIP"} {
		if !strings.Contains(got, want) {
			t.Errorf("the history lacks %q: %q", want, got)
		}
	}
}
