package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"helpline/automation"
	"helpline/bizhours"
)

// timeWorld is a ticket world on a clock the test moves, with a default
// SLA level open round the clock (first answer in 2 hours), so due times
// are plain arithmetic.
type timeWorld struct {
	ruleWorld
	now time.Time
	t0  time.Time
}

func newTimeWorld(t *testing.T) *timeWorld {
	t.Helper()
	return newTimeWorldOn(t, newTestStore(t))
}

func newTimeWorldOn(t *testing.T, s *Store) *timeWorld {
	t.Helper()
	w := &timeWorld{ruleWorld: ruleWorld{newTicketWorldOn(t, s), t}}
	w.t0 = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	w.now = w.t0
	s.SetClock(func() time.Time { return w.now })
	l := SLALevel{Name: "Round the clock", FirstAnswer: 2 * time.Hour, TimeZone: "UTC", Default: true}
	for d := range l.Week {
		l.Week[d] = []bizhours.Interval{{Start: 0, End: 24 * 60}}
	}
	if _, err := s.CreateSLALevel(context.Background(), w.admin.ID, l); err != nil {
		t.Fatal(err)
	}
	return w
}

// at sets the clock to minutes after t0.
func (w *timeWorld) at(min int) { w.now = w.t0.Add(time.Duration(min) * time.Minute) }

func (w *timeWorld) timeRule(name string, kind automation.TimeKind, after time.Duration, groups []automation.Group, actions ...automation.Action) int64 {
	w.t.Helper()
	id, err := w.s.CreateTimeRule(context.Background(), w.owner.ID, TimeRuleInput{Active: true, Name: name, ApplyWhen: kind, After: after,
		Definition: automation.Definition{Groups: groups, Actions: actions}}, "")
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

// run runs the time rules at minute min and returns how many acted.
func (w *timeWorld) run(min int) int {
	w.t.Helper()
	w.at(min)
	r, err := w.s.RunTimeRules(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
	return r.Applied
}

func TestTimeRules_EachApplyWhenActsOnceAtItsMoment(t *testing.T) {
	cases := []struct {
		kind  automation.TimeKind
		after time.Duration
		// prepare runs at minute 1, after the ticket is written; moment is
		// the minute the Apply when becomes true.
		prepare func(w *timeWorld, code string)
		moment  int
	}{
		// Created at minute 1: older than an hour from 61.
		{automation.OlderThan, time.Hour, nil, 61},
		// Answered at minute 10: unchanged for an hour from 70, not 61.
		{automation.StatusUnchanged, time.Hour, func(w *timeWorld, code string) {
			w.at(10)
			if err := w.s.Reply(context.Background(), w.annV, code, "On it"); err != nil {
				t.Fatal(err)
			}
		}, 70},
		// First answer due at 121: due in less than 30 minutes from 91.
		{automation.DueInLessThan, 30 * time.Minute, nil, 91},
		// Overdue by more than 30 minutes from 151.
		{automation.OverdueByMoreThan, 30 * time.Minute, nil, 151},
	}
	for _, c := range cases {
		t.Run(string(c.kind), func(t *testing.T) {
			w := newTimeWorld(t)
			w.timeRule("Chase", c.kind, c.after, nil, act(automation.AddTag, "chase"), act(automation.AddNote, "Chased"))
			w.at(1)
			code := contactTicket(t, w.s, w.sales, "Printer", "It is on fire")
			if c.prepare != nil {
				c.prepare(w, code)
			}
			for _, min := range []int{c.moment - 5, c.moment - 1} {
				if n := w.run(min); n != 0 {
					t.Fatalf("at minute %d (moment %d) %d applied", min, c.moment, n)
				}
			}
			if n := w.run(c.moment); n != 1 {
				t.Fatalf("at the moment %d applied, want 1", n)
			}
			for _, min := range []int{c.moment, c.moment + 1, c.moment + 600} {
				if n := w.run(min); n != 0 {
					t.Fatalf("at minute %d, after it acted, %d applied again", min, n)
				}
			}
			want := []string{"Chase tag_added chase", "Chase note Chased"}
			if got := w.byRule(code); !slices.Equal(got, want) {
				t.Fatalf("history by rule = %q, want %q", got, want)
			}
		})
	}
}

func TestTimeRules_ActAgainWhenTheirConditionBecomesTrueAgain(t *testing.T) {
	w := newTimeWorld(t)
	w.timeRule("Nudge", automation.StatusUnchanged, time.Hour, nil, act(automation.AddNote, "Still waiting?"))
	w.at(0)
	code := contactTicket(t, w.s, w.sales, "Printer", "It is on fire")
	w.at(10)
	if err := w.s.Reply(context.Background(), w.annV, code, "Try turning it off"); err != nil {
		t.Fatal(err)
	}
	if n := w.run(70); n != 1 {
		t.Fatalf("first time: %d applied", n)
	}
	w.at(80)
	if err := w.s.CustomerReply(context.Background(), code, "It is off and still burning"); err != nil {
		t.Fatal(err)
	}
	if n := w.run(100); n != 0 {
		t.Fatalf("20 minutes after the status changed %d applied", n)
	}
	if n := w.run(140); n != 1 {
		t.Fatalf("an hour after the status changed again %d applied, want 1", n)
	}
	if n := w.run(200); n != 0 {
		t.Fatalf("later %d applied", n)
	}
	if got := w.byRule(code); len(got) != 2 {
		t.Fatalf("history by rule = %q, want two notes", got)
	}
}

func TestTimeRules_ConditionsChooseTheTickets(t *testing.T) {
	w := newTimeWorld(t)
	ctx := context.Background()
	w.timeRule("VIP waiting", automation.OlderThan, time.Hour, group(cond(automation.OnTag, automation.Has, "vip")),
		act(automation.ChangePriority, "urgent"))
	w.at(1)
	plain := contactTicket(t, w.s, w.sales, "Plain", "Hello")
	vip := contactTicket(t, w.s, w.sales, "Important", "Hello")
	if err := w.s.AddTag(ctx, w.annV, vip, "vip"); err != nil {
		t.Fatal(err)
	}
	if n := w.run(90); n != 1 {
		t.Fatalf("%d applied, want 1 (the vip ticket)", n)
	}
	if got := w.ticket(vip).Priority; got != PriorityUrgent {
		t.Fatalf("vip ticket priority %v, want urgent", got)
	}
	if got := w.ticket(plain).Priority; got != PriorityNormal {
		t.Fatalf("plain ticket priority %v, want normal", got)
	}
	// Its moment has been looked at: tagged later, the plain ticket is not
	// swept up (the Apply when became true once, when it was not vip).
	if err := w.s.AddTag(ctx, w.annV, plain, "vip"); err != nil {
		t.Fatal(err)
	}
	if n := w.run(120); n != 0 {
		t.Fatalf("%d applied after the moment was looked at", n)
	}
}

func TestTimeRules_InactiveAndNewRulesLeaveThePastAlone(t *testing.T) {
	w := newTimeWorld(t)
	w.at(0)
	old := contactTicket(t, w.s, w.sales, "Old", "Hello")
	w.at(120)
	id := w.timeRule("Old ones", automation.OlderThan, time.Hour, nil, act(automation.AddTag, "old"))
	// The ticket was older than an hour before the rule existed.
	if n := w.run(121); n != 0 {
		t.Fatalf("a new rule acted on %d tickets from before it", n)
	}
	w.at(130)
	fresh := contactTicket(t, w.s, w.sales, "Fresh", "Hello")
	r, err := w.s.TimeRuleByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	in := TimeRuleInput{Active: false, Name: r.Name, ApplyWhen: r.ApplyWhen, After: r.After, Definition: r.Definition}
	if err := w.s.UpdateTimeRule(context.Background(), w.owner.ID, id, in, ""); err != nil {
		t.Fatal(err)
	}
	if n := w.run(200); n != 0 {
		t.Fatalf("an inactive rule acted on %d tickets", n)
	}
	if got := w.byRule(old); len(got) != 0 {
		t.Fatalf("old ticket history %q", got)
	}
	if got := w.byRule(fresh); len(got) != 0 {
		t.Fatalf("fresh ticket history %q", got)
	}
}

func TestTimeRules_FailuresAreLoggedAndNotRetried(t *testing.T) {
	w := newTimeWorld(t)
	// Bob works in Support only: he may not take a Sales ticket.
	id := w.timeRule("Give to Bob", automation.OlderThan, time.Hour, nil, act(automation.Assign, id(w.bob.ID)))
	w.at(1)
	code := contactTicket(t, w.s, w.sales, "Printer", "It is on fire")
	w.run(61)
	w.run(62)
	fs, err := w.s.TimeRuleFailures(context.Background(), id, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].TicketCode != code || !strings.Contains(fs[0].Error, "assign") {
		t.Fatalf("failures = %+v, want one for %s", fs, code)
	}
	if got := w.ticket(code).AssigneeID; got != 0 {
		t.Fatalf("ticket assigned to %d", got)
	}
}

func TestTimeRules_StopOtherRules(t *testing.T) {
	w := newTimeWorld(t)
	w.timeRule("First", automation.OlderThan, time.Hour, nil, act(automation.AddTag, "first"), act(automation.StopOthers, ""))
	w.timeRule("Second", automation.OlderThan, time.Hour, nil, act(automation.AddTag, "second"))
	w.at(1)
	code := contactTicket(t, w.s, w.sales, "Printer", "It is on fire")
	w.run(61)
	if got, want := w.byRule(code), []string{"First tag_added first"}; !slices.Equal(got, want) {
		t.Fatalf("history by rule = %q, want %q", got, want)
	}
}

func TestTimeRules_ManyTicketsAtOneInstantAcrossBatches(t *testing.T) {
	w := newTimeWorld(t)
	w.timeRule("Old", automation.OlderThan, time.Hour, nil, act(automation.AddTag, "old"))
	w.at(1)
	n := timeRuleBatch + 20
	for range n {
		contactTicket(t, w.s, w.sales, "Same instant", "Hello")
	}
	if got := w.run(61); got != n {
		t.Fatalf("%d applied, want %d", got, n)
	}
	if got := w.run(62); got != 0 {
		t.Fatalf("%d applied again", got)
	}
}

func TestTimeRules_RefusedInputStoresNothing(t *testing.T) {
	w := newTimeWorld(t)
	ctx := context.Background()
	cases := []struct {
		in    TimeRuleInput
		where string
	}{
		{TimeRuleInput{Name: "", ApplyWhen: automation.OlderThan, After: time.Hour, Definition: automation.Definition{Actions: []automation.Action{act(automation.AddTag, "x")}}}, "name"},
		{TimeRuleInput{Name: "A", ApplyWhen: "sometime", After: time.Hour, Definition: automation.Definition{Actions: []automation.Action{act(automation.AddTag, "x")}}}, "apply_when"},
		{TimeRuleInput{Name: "A", ApplyWhen: automation.OlderThan, After: 0, Definition: automation.Definition{Actions: []automation.Action{act(automation.AddTag, "x")}}}, "after"},
		{TimeRuleInput{Name: "A", ApplyWhen: automation.OlderThan, After: 30 * time.Second, Definition: automation.Definition{Actions: []automation.Action{act(automation.AddTag, "x")}}}, "after"},
		{TimeRuleInput{Name: "A", ApplyWhen: automation.OlderThan, After: time.Hour}, "actions"},
		{TimeRuleInput{Name: "A", ApplyWhen: automation.OlderThan, After: time.Hour, Definition: automation.Definition{Actions: []automation.Action{act(automation.Transfer, "999")}}}, "actions.0"},
	}
	for _, c := range cases {
		_, err := w.s.CreateTimeRule(ctx, w.owner.ID, c.in, "")
		var probs RuleProblems
		if !errors.As(err, &probs) || !slices.ContainsFunc(probs, func(p automation.Problem) bool { return p.Where == c.where }) {
			t.Fatalf("%+v: err %v, want a problem at %s", c.in, err, c.where)
		}
	}
	// An Agent may not write time rules.
	_, err := w.s.CreateTimeRule(ctx, w.ann.ID, TimeRuleInput{Name: "A", ApplyWhen: automation.OlderThan, After: time.Hour,
		Definition: automation.Definition{Actions: []automation.Action{act(automation.AddTag, "x")}}}, "")
	if re := (RuleError{}); !errors.As(err, &re) || re.Rule != RuleNotPermitted {
		t.Fatalf("agent: %v, want forbidden", err)
	}
	if rs, err := w.s.TimeRules(ctx); err != nil || len(rs) != 0 {
		t.Fatalf("stored %d time rules (%v)", len(rs), err)
	}
}

// Two instances on one PostgreSQL desk run the minute's job side by side
// (as if the advisory lock were not there): each ticket is acted on once.
func TestTimeRules_TwoWorkersActOnceEach(t *testing.T) {
	a, b := twoInstances(t)
	w := newTimeWorldOn(t, a)
	b.SetClock(func() time.Time { return w.now })
	w.timeRule("Chase", automation.OlderThan, time.Hour, nil, act(automation.AddTag, "chase"))
	w.at(1)
	var codes []string
	for range 30 {
		codes = append(codes, contactTicket(t, a, w.sales, "Printer", "It is on fire"))
	}
	w.at(61)
	var wg sync.WaitGroup
	applied := make([]int, 4)
	for i, s := range []*Store{a, b, a, b} {
		wg.Go(func() {
			r, err := s.RunTimeRules(context.Background())
			if err != nil {
				t.Error(err)
			}
			applied[i] = r.Applied
		})
	}
	wg.Wait()
	if total := applied[0] + applied[1] + applied[2] + applied[3]; total != len(codes) {
		t.Fatalf("applied %v, %d in all, want %d", applied, total, len(codes))
	}
	for _, code := range codes {
		if got := w.byRule(code); len(got) != 1 {
			t.Fatalf("%s history by rule = %q, want one entry", code, got)
		}
	}
	// And under RunAlone, as the job runs, the second instance skips.
	ran := make([]bool, 2)
	wg.Go(func() {
		ran[0], _ = a.RunAlone(context.Background(), "time rules", func(context.Context) error { time.Sleep(300 * time.Millisecond); return nil })
	})
	time.Sleep(100 * time.Millisecond)
	ran[1], _ = b.RunAlone(context.Background(), "time rules", func(context.Context) error { return nil })
	wg.Wait()
	if !ran[0] || ran[1] {
		t.Fatalf("ran = %v, want only the first", ran)
	}
}

func TestTimeRuleTags_RenameCarriesTimeRulesAndRulesByTagNamesThem(t *testing.T) {
	ctx := context.Background()
	w := newTimeWorld(t)
	tag, err := w.s.CreateTag(ctx, w.owner.ID, TagInput{Name: "waiting", Colour: "#112233"}, "")
	if err != nil {
		t.Fatal(err)
	}
	id := w.timeRule("Chase", automation.StatusUnchanged, time.Hour, group(cond(automation.OnTag, automation.Has, "waiting")), act(automation.AddTag, "waiting"))
	if got, _ := w.s.RulesByTag(ctx); !slices.Equal(got["waiting"], []string{"Chase"}) {
		t.Fatalf("rules by tag %v", got)
	}
	if err := w.s.UpdateTag(ctx, w.owner.ID, tag, TagInput{Name: "on hold", Colour: "#112233"}, ""); err != nil {
		t.Fatal(err)
	}
	r, err := w.s.TimeRuleByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Definition.Tags(); !slices.Equal(got, []string{"on hold"}) {
		t.Fatalf("after the rename the time rule names %v", got)
	}
}

// A first answer due in two hours is due in less than three hours the
// moment the ticket comes, though the rule's moment (due less three hours)
// is before it: the rule acts at the next run, once.
func TestTimeRules_DueInLessThanCatchesADueSetCloserThanItsDuration(t *testing.T) {
	w := newTimeWorld(t)
	w.timeRule("Hurry", automation.DueInLessThan, 3*time.Hour, nil, act(automation.AddTag, "hurry"))
	w.at(10)
	code := contactTicket(t, w.s, w.sales, "Printer", "It is on fire")
	if n := w.run(11); n != 1 {
		t.Fatalf("the run after the ticket came applied %d, want 1", n)
	}
	for _, min := range []int{12, 60, 200} {
		if n := w.run(min); n != 0 {
			t.Fatalf("at minute %d %d applied again", min, n)
		}
	}
	if got, want := w.byRule(code), []string{"Hurry tag_added hurry"}; !slices.Equal(got, want) {
		t.Fatalf("history by rule = %q, want %q", got, want)
	}
}
