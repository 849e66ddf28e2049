package store

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"helpline/authz"
	"helpline/automation"
)

// ruleWorld is a ticket world whose Owner writes rules.
type ruleWorld struct {
	*ticketWorld
	t *testing.T
}

func newRuleWorld(t *testing.T) ruleWorld {
	return ruleWorld{newTicketWorld(t), t}
}

func (w ruleWorld) rule(name string, tr automation.Trigger, groups []automation.Group, actions ...automation.Action) int64 {
	w.t.Helper()
	id, err := w.s.CreateRule(context.Background(), w.owner.ID, RuleInput{Active: true, Name: name, Trigger: tr,
		Definition: automation.Definition{Groups: groups, Actions: actions}}, "")
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

func (w ruleWorld) ticket(code string) Ticket {
	w.t.Helper()
	tk, err := w.s.TicketByCode(context.Background(), authz.Viewer{Perms: authz.BuiltinPerms(authz.RoleOwner)}, code)
	if err != nil {
		w.t.Fatal(err)
	}
	return tk
}

// byRule lists the history entries rules made, as "RULE event details".
func (w ruleWorld) byRule(code string) []string {
	w.t.Helper()
	th, err := w.s.Thread(context.Background(), w.ticket(code).ID)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, m := range th {
		if m.RuleName == "" {
			continue
		}
		what := string(m.Event)
		if m.Kind != KindEvent {
			what = string(m.Kind) + " " + m.Body
		} else if m.Details.Name != "" || m.Details.To != "" {
			what += " " + m.Details.Name + m.Details.To
		}
		out = append(out, m.RuleName+" "+what)
	}
	return out
}

func (w ruleWorld) failures(ruleID int64) []string {
	w.t.Helper()
	fs, err := w.s.RuleFailures(context.Background(), ruleID, 10)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		out = append(out, f.TicketCode+" "+f.Error)
	}
	return out
}

func cond(s automation.Subject, op automation.Op, v string) automation.Condition {
	return automation.Condition{Subject: s, Op: op, Value: v}
}

func group(cs ...automation.Condition) []automation.Group {
	return []automation.Group{{Conditions: cs}}
}

func act(k automation.ActionKind, v string) automation.Action {
	return automation.Action{Kind: k, Value: v}
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// receiver is an HTTP server on 127.0.0.1 that records the rules calling it.
type receiver struct {
	*httptest.Server
	mu    sync.Mutex
	rules []string
}

func newReceiver(t *testing.T, delay time.Duration) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		var p ruleCallPayload
		_ = json.NewDecoder(req.Body).Decode(&p)
		r.mu.Lock()
		r.rules = append(r.rules, p.Rule.Name+" "+p.Ticket.Code)
		r.mu.Unlock()
		time.Sleep(delay)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) calls(s *Store) []string {
	s.ruleCalls.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.rules
	r.rules = nil
	return out
}

func TestRules_EachTriggerRunsItsRulesOnly(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		trigger automation.Trigger
		change  func(w ruleWorld, code string) // nil: the creation is the change
		channel Channel
		want    []string
	}{
		{automation.TicketCreated, nil, ChannelContactForm, []string{"ticket_created"}},
		{automation.TicketCreatedFromEmail, nil, ChannelEmail, []string{"ticket_created", "ticket_created_from_email"}},
		{automation.MessageAdded, func(w ruleWorld, code string) {
			if err := w.s.AddNote(ctx, w.adminV, code, "looked"); err != nil {
				t.Fatal(err)
			}
		}, ChannelContactForm, []string{"message_added"}},
		{automation.StatusChanged, func(w ruleWorld, code string) {
			if err := w.s.SetStatus(ctx, w.adminV, code, TicketResolved); err != nil {
				t.Fatal(err)
			}
		}, ChannelContactForm, []string{"status_changed"}},
		{automation.TagsChanged, func(w ruleWorld, code string) {
			if err := w.s.RemoveTag(ctx, w.adminV, code, "new"); err != nil {
				t.Fatal(err)
			}
		}, ChannelContactForm, []string{"tags_changed"}},
		{automation.TicketTransferred, func(w ruleWorld, code string) {
			if err := w.s.Transfer(ctx, w.adminV, code, w.support); err != nil {
				t.Fatal(err)
			}
		}, ChannelContactForm, []string{"ticket_transferred"}},
	} {
		t.Run(string(tc.trigger), func(t *testing.T) {
			w := newRuleWorld(t)
			rcv := newReceiver(t, 0)
			for _, tr := range automation.Triggers {
				w.rule(string(tr), tr, nil, act(automation.SendHTTP, rcv.URL))
			}
			code, err := w.s.CreateTicket(ctx, nil, NewTicketInput{Subject: "Hello", Body: "Hi", Channel: tc.channel,
				Priority: PriorityNormal, DepartmentID: w.sales, ContactName: "C", ContactEmail: "c@example.com"})
			if err != nil {
				t.Fatal(err)
			}
			got := rcv.calls(w.s)
			if tc.change != nil {
				if err := w.s.AddTag(ctx, w.adminV, code, "new"); err != nil { // a tag to remove
					t.Fatal(err)
				}
				rcv.calls(w.s)
				tc.change(w, code)
				got = rcv.calls(w.s)
			}
			slices.Sort(got)
			var want []string
			for _, r := range tc.want {
				want = append(want, r+" "+code)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("got %q\nwant %q", got, want)
			}
		})
	}
}

func TestRules_EachActionShowsByRuleInTheHistory(t *testing.T) {
	ctx := context.Background()
	w := newRuleWorld(t)
	answer, err := w.s.CreateAnswer(ctx, w.owner.ID, AnswerInput{Title: "Thanks", Body: "We are on it."}, "")
	if err != nil {
		t.Fatal(err)
	}
	w.rule("Triage", automation.TicketCreated, nil,
		act(automation.AddTag, "Triaged"), act(automation.AddTag, "temp"), act(automation.RemoveTag, "temp"),
		act(automation.ChangePriority, "urgent"), act(automation.Transfer, id(w.support)), act(automation.Assign, id(w.bob.ID)),
		act(automation.AddNote, "Checked by the desk"), act(automation.SendAnswer, id(answer)), act(automation.ChangeStatus, "resolved"))
	code := contactTicket(t, w.s, w.sales, "Help", "Please")
	tk := w.ticket(code)
	if tk.Priority != PriorityUrgent || tk.DepartmentID != w.support || tk.AssigneeID != w.bob.ID || tk.Status != TicketResolved ||
		!slices.Equal(tk.Tags, []string{"triaged"}) {
		t.Fatalf("ticket after the rule: %+v", tk)
	}
	want := []string{"Triage tag_added triaged", "Triage tag_added temp", "Triage tag_removed temp", "Triage priority urgent",
		"Triage transferred Support", "Triage assigned Bob Support", "Triage note Checked by the desk", "Triage reply We are on it.",
		"Triage status answered", "Triage status resolved"}
	if got := w.byRule(code); !slices.Equal(got, want) {
		t.Fatalf("history\n got %q\nwant %q", got, want)
	}
}

func TestRules_RunInOrderSeeingEarlierEffectsAndStopOthersStops(t *testing.T) {
	ctx := context.Background()
	w := newRuleWorld(t)
	first := w.rule("Tag VIP", automation.TicketCreated, group(cond(automation.OnRequesterEmail, automation.EndsWith, "@vip.example")),
		act(automation.AddTag, "vip"))
	// Sees the tag the rule above added.
	w.rule("VIP urgent", automation.TicketCreated, group(cond(automation.OnTag, automation.Has, "vip")),
		act(automation.ChangePriority, "urgent"), act(automation.StopOthers, ""))
	w.rule("Everyone low", automation.TicketCreated, nil, act(automation.ChangePriority, "low"))

	vip, err := w.s.CreateTicket(ctx, nil, NewTicketInput{Subject: "Hi", Body: "Hi", Channel: ChannelContactForm, Priority: PriorityNormal,
		DepartmentID: w.sales, ContactName: "V", ContactEmail: "boss@vip.example"})
	if err != nil {
		t.Fatal(err)
	}
	if got := w.ticket(vip).Priority; got != PriorityUrgent {
		t.Fatalf("VIP priority %v: the later rule ran after Stop other rules", got)
	}
	plain := contactTicket(t, w.s, w.sales, "Hi", "Hi")
	if got := w.ticket(plain).Priority; got != PriorityLow {
		t.Fatalf("plain priority %v", got)
	}
	// Moved last, Tag VIP runs after VIP urgent tested for the tag.
	for range 2 {
		if err := w.s.MoveRule(ctx, w.owner.ID, first, false, ""); err != nil {
			t.Fatal(err)
		}
	}
	vip2, err := w.s.CreateTicket(ctx, nil, NewTicketInput{Subject: "Hi", Body: "Hi", Channel: ChannelContactForm, Priority: PriorityNormal,
		DepartmentID: w.sales, ContactName: "V", ContactEmail: "boss@vip.example"})
	if err != nil {
		t.Fatal(err)
	}
	if tk := w.ticket(vip2); tk.Priority != PriorityLow || !slices.Equal(tk.Tags, []string{"vip"}) {
		t.Fatalf("after the move: %+v", tk)
	}
}

func TestRules_ConditionGroupsOnTheStoredTicket(t *testing.T) {
	w := newRuleWorld(t)
	// (Sales AND subject has "refund") OR channel is email.
	w.rule("Refunds", automation.TicketCreated, []automation.Group{
		{Conditions: []automation.Condition{cond(automation.OnDepartment, automation.Is, id(w.sales)), cond(automation.OnSubject, automation.Contains, "refund")}},
		{Conditions: []automation.Condition{cond(automation.OnChannel, automation.Is, "email")}},
	}, act(automation.AddTag, "refund"))
	for _, tc := range []struct {
		dept    int64
		subject string
		want    bool
	}{
		{w.sales, "Refund please", true},
		{w.sales, "Hello", false},
		{w.support, "Refund please", false},
	} {
		code := contactTicket(t, w.s, tc.dept, tc.subject, "x")
		if got := slices.Contains(w.ticket(code).Tags, "refund"); got != tc.want {
			t.Errorf("%d %q tagged %v", tc.dept, tc.subject, got)
		}
	}
}

func TestRules_TwoRulesUndoingEachOtherStopAtTheDepth(t *testing.T) {
	w := newRuleWorld(t)
	w.rule("Add", automation.TagsChanged, group(cond(automation.OnTag, automation.HasNot, "ping")), act(automation.AddTag, "ping"))
	w.rule("Remove", automation.TagsChanged, group(cond(automation.OnTag, automation.Has, "ping")), act(automation.RemoveTag, "ping"))
	code := contactTicket(t, w.s, w.sales, "Loop", "x")
	if err := w.s.AddTag(context.Background(), w.adminV, code, "start"); err != nil {
		t.Fatal(err)
	}
	// Round 1 follows the agent's tag: Add adds ping, and that change runs
	// round 2 at once, where Remove (seeing ping) takes it off; that runs
	// round 3: Add adds it again and Remove takes it off, and changes made
	// in round 3 run nothing. Back in round 1, Remove finds no ping.
	want := []string{"Add tag_added ping", "Remove tag_removed ping", "Add tag_added ping", "Remove tag_removed ping"}
	if got := w.byRule(code); !slices.Equal(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

func TestRules_FailuresAreLoggedAndTheChangeStays(t *testing.T) {
	w := newRuleWorld(t)
	w.s.ruleHTTP = &http.Client{Timeout: 100 * time.Millisecond}
	slow := newReceiver(t, time.Second)
	hook := w.rule("Notify", automation.TicketCreated, nil, act(automation.SendHTTP, slow.URL), act(automation.AddTag, "notified"))
	// Ann works only in Sales: assigning a Support ticket to her fails, and
	// the rule's other action is rolled back with it.
	bad := w.rule("Give Ann", automation.TicketCreated, group(cond(automation.OnDepartment, automation.Is, id(w.support))),
		act(automation.AddTag, "for ann"), act(automation.Assign, id(w.ann.ID)))
	after := w.rule("After", automation.TicketCreated, nil, act(automation.AddTag, "after"))
	code := contactTicket(t, w.s, w.support, "Slow", "x")
	slow.calls(w.s)
	tk := w.ticket(code)
	if !slices.Equal(tk.Tags, []string{"after", "notified"}) || tk.AssigneeID != 0 {
		t.Fatalf("ticket %+v", tk)
	}
	if f := w.failures(hook); len(f) != 1 || !strings.HasPrefix(f[0], code+" send_http: ") || !strings.Contains(f[0], "Timeout") {
		t.Fatalf("failures of Notify: %q", f)
	}
	if f := w.failures(bad); len(f) != 1 || !strings.HasPrefix(f[0], code+" assign: ") {
		t.Fatalf("failures of Give Ann: %q", f)
	}
	if f := w.failures(after); len(f) != 0 {
		t.Fatalf("failures of After: %q", f)
	}
}

func TestRules_OnlyRuleManagersChangeThemAndBadInputStoresNothing(t *testing.T) {
	ctx := context.Background()
	w := newRuleWorld(t)
	good := RuleInput{Active: true, Name: "VIP", Trigger: automation.TicketCreated,
		Definition: automation.Definition{Actions: []automation.Action{act(automation.AddTag, "vip")}}}
	if _, err := w.s.CreateRule(ctx, w.ann.ID, good, ""); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("an agent created a rule: %v", err)
	}
	for _, bad := range []automation.Action{act(automation.Assign, "999999"), act(automation.Transfer, "999999"),
		act(automation.SendHTTP, "http://hooks.example.com/x"), act(automation.SendAnswer, "999999")} {
		in := good
		in.Definition = automation.Definition{Actions: []automation.Action{bad}}
		var p RuleProblems
		if _, err := w.s.CreateRule(ctx, w.admin.ID, in, ""); !errors.As(err, &p) || p[0].Where != "actions.0" {
			t.Fatalf("%+v: %v", bad, err)
		}
	}
	if rs, _ := w.s.Rules(ctx); len(rs) != 0 {
		t.Fatalf("refused rules stored: %+v", rs)
	}
	id, err := w.s.CreateRule(ctx, w.admin.ID, good, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.s.UpdateRule(ctx, w.ann.ID, id, good, ""); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("an agent changed a rule: %v", err)
	}
	if err := w.s.RemoveRule(ctx, w.ann.ID, id, ""); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("an agent removed a rule: %v", err)
	}
	good.Active = false
	if err := w.s.UpdateRule(ctx, w.admin.ID, id, good, ""); err != nil {
		t.Fatal(err)
	}
	code := contactTicket(t, w.s, w.sales, "x", "x")
	if slices.Contains(w.ticket(code).Tags, "vip") {
		t.Fatal("an inactive rule ran")
	}
	if err := w.s.RemoveRule(ctx, w.admin.ID, id, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.RuleByID(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after removal: %v", err)
	}
}
