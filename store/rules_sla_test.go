package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"helpline/automation"
)

func ticketFrom(t *testing.T, s *Store, dept int64, email, subject string) string {
	t.Helper()
	code, err := s.CreateTicket(context.Background(), nil, NewTicketInput{Subject: subject, Body: "Hello", Channel: ChannelContactForm,
		Priority: PriorityNormal, DepartmentID: dept, ContactName: "Customer", ContactEmail: email})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// standard is the desk's default level: Mon–Fri 9–17 Warsaw, first answer
// in 8 business hours, nothing else.
func standard() SLALevel {
	l := gold(true)
	l.Name, l.FirstAnswer, l.NextAnswer, l.Resolution, l.Holidays = "Standard", 8*time.Hour, 0, 0, nil
	return l
}

// An SLA rule picks Gold for tickets a rule above it tagged vip; other
// tickets keep the default level. Due times worked out by hand.
func TestSLARules_PickTheLevelOnCreationElseTheDefault(t *testing.T) {
	ctx := context.Background()
	w := newRuleWorld(t)
	now := warsawAt(t, 7, 10, 0) // Monday
	w.s.SetClock(func() time.Time { return now })
	if _, err := w.s.CreateSLALevel(ctx, w.admin.ID, standard()); err != nil {
		t.Fatal(err)
	}
	goldID, err := w.s.CreateSLALevel(ctx, w.admin.ID, gold(false))
	if err != nil {
		t.Fatal(err)
	}
	w.rule("VIP", automation.TicketCreated, group(cond(automation.OnRequesterEmail, automation.EndsWith, "@vip.example")),
		act(automation.AddTag, "vip"))
	w.rule("Gold for VIP", automation.TicketCreated, group(cond(automation.OnTag, automation.Has, "vip")),
		act(automation.ChangeSLALevel, id(goldID)))
	// The same level again on every message: it must not restart the clocks.
	w.rule("Gold stays", automation.MessageAdded, group(cond(automation.OnTag, automation.Has, "vip")),
		act(automation.ChangeSLALevel, id(goldID)))

	vip := ticketFrom(t, w.s, w.sales, "vera@vip.example", "Late order")
	plain := ticketFrom(t, w.s, w.sales, "carla@example.com", "Late order too")
	// Gold from Monday 10:00: first answer 11:00, resolution 8h = Tue 10:00.
	wantClocks(t, w.s, vip, map[SLATarget]any{TargetFirstAnswer: warsawAt(t, 7, 11, 0), TargetResolution: warsawAt(t, 8, 10, 0)}, warsawAt(t, 7, 11, 0))
	// Standard from Monday 10:00: first answer in 8h = Tue 10:00.
	wantClocks(t, w.s, plain, map[SLATarget]any{TargetFirstAnswer: warsawAt(t, 8, 10, 0)}, warsawAt(t, 8, 10, 0))
	if got, want := w.byRule(vip), []string{"VIP tag_added vip", "Gold for VIP sla_level Gold"}; !slices.Equal(got, want) {
		t.Fatalf("history\n got %q\nwant %q", got, want)
	}
	if got := w.byRule(plain); len(got) != 0 {
		t.Fatalf("the plain ticket's history by rules: %q", got)
	}

	now = warsawAt(t, 7, 10, 30)
	if err := w.s.CustomerReply(ctx, vip, "Any news?"); err != nil {
		t.Fatal(err)
	}
	wantClocks(t, w.s, vip, map[SLATarget]any{TargetFirstAnswer: warsawAt(t, 7, 11, 0), TargetResolution: warsawAt(t, 8, 10, 0)}, warsawAt(t, 7, 11, 0))
	if got := w.byRule(vip); len(got) != 2 {
		t.Fatalf("setting the level it has recorded a change: %q", got)
	}
}

// Created within business hours tests the default level's hours (Mon–Fri
// 9–17 Warsaw); without a default level nothing is within them.
func TestSLARules_CreatedWithinBusinessHours(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name       string
		withLevel  bool
		at         func(t *testing.T) time.Time
		wantInside bool
	}{
		{"Monday 10:00", true, func(t *testing.T) time.Time { return warsawAt(t, 7, 10, 0) }, true},
		{"Monday 17:00, closed", true, func(t *testing.T) time.Time { return warsawAt(t, 7, 17, 0) }, false},
		{"Saturday 10:00", true, func(t *testing.T) time.Time { return warsawAt(t, 5, 10, 0) }, false},
		{"Christmas Eve, the default level's holiday", true, func(t *testing.T) time.Time { return warsawAt(t, 24, 10, 0) }, false},
		{"Monday 10:00 without a default level", false, func(t *testing.T) time.Time { return warsawAt(t, 7, 10, 0) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newRuleWorld(t)
			w.s.SetClock(func() time.Time { return tc.at(t) })
			if tc.withLevel {
				if _, err := w.s.CreateSLALevel(ctx, w.admin.ID, gold(true)); err != nil {
					t.Fatal(err)
				}
			}
			w.rule("In hours", automation.TicketCreated, group(cond(automation.OnCreatedInHours, automation.Is, "yes")), act(automation.AddTag, "in hours"))
			w.rule("After hours", automation.TicketCreated, group(cond(automation.OnCreatedInHours, automation.Is, "no")), act(automation.AddTag, "after hours"))
			tags := w.ticket(ticketFrom(t, w.s, w.sales, "c@example.com", "Hello")).Tags
			want := []string{"after hours"}
			if tc.wantInside {
				want = []string{"in hours"}
			}
			if !slices.Equal(tags, want) {
				t.Fatalf("tags %q, want %q", tags, want)
			}
		})
	}
}

func TestSLARules_UnknownLevelRefusedNothingStored(t *testing.T) {
	ctx := context.Background()
	w := newRuleWorld(t)
	_, err := w.s.CreateRule(ctx, w.owner.ID, RuleInput{Active: true, Name: "Gold", Trigger: automation.TicketCreated,
		Definition: automation.Definition{Actions: []automation.Action{act(automation.ChangeSLALevel, "999")}}}, "")
	var probs RuleProblems
	if !errors.As(err, &probs) || len(probs) != 1 || probs[0].Where != "actions.0" || probs[0].Why != automation.Invalid {
		t.Fatalf("err %v", err)
	}
	if rules, _ := w.s.Rules(ctx); len(rules) != 0 {
		t.Fatalf("stored %+v", rules)
	}
}
