package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"helpline/automation"
)

// Removing a level: the default and a level rules choose are refused with
// the reason; otherwise its tickets move to the default level keeping their
// due times, and the removal is audited.
func TestRemoveSLALevel_RefusesDefaultAndRuleChoicesMovesTicketsToDefault(t *testing.T) {
	ctx := context.Background()
	w := newRuleWorld(t)
	now := warsawAt(t, 7, 10, 0) // Monday
	w.s.SetClock(func() time.Time { return now })
	stdID, err := w.s.CreateSLALevel(ctx, w.admin.ID, standard())
	if err != nil {
		t.Fatal(err)
	}
	goldID, err := w.s.CreateSLALevel(ctx, w.admin.ID, gold(false))
	if err != nil {
		t.Fatal(err)
	}
	ruleID := w.rule("Gold for VIP", automation.TicketCreated, group(cond(automation.OnRequesterEmail, automation.EndsWith, "@vip.example")),
		act(automation.ChangeSLALevel, id(goldID)))
	vip := ticketFrom(t, w.s, w.sales, "vera@vip.example", "Late")
	wantClocks(t, w.s, vip, map[SLATarget]any{TargetFirstAnswer: warsawAt(t, 7, 11, 0), TargetResolution: warsawAt(t, 8, 10, 0)}, warsawAt(t, 7, 11, 0))

	var inUse SLALevelInUse
	if err := w.s.RemoveSLALevel(ctx, w.admin.ID, stdID, ""); !errors.As(err, &inUse) || !inUse.Default {
		t.Fatalf("removing the default: %v", err)
	}
	if err := w.s.RemoveSLALevel(ctx, w.admin.ID, goldID, ""); !errors.As(err, &inUse) || !slices.Equal(inUse.Rules, []string{"Gold for VIP"}) {
		t.Fatalf("removing a level a rule chooses: %v", err)
	}
	if err := w.s.RemoveSLALevel(ctx, w.ann.ID, goldID, ""); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("an agent removing a level: %v", err)
	}
	if err := w.s.RemoveRule(ctx, w.owner.ID, ruleID, ""); err != nil {
		t.Fatal(err)
	}
	u, err := w.s.SLALevelUses(ctx, goldID)
	if err != nil || u.Refused() || u.Tickets != 1 || u.MovesTo != "Standard" {
		t.Fatalf("uses %+v, %v", u, err)
	}
	if err := w.s.RemoveSLALevel(ctx, w.admin.ID, goldID, "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.SLALevel(ctx, goldID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the level is still there: %v", err)
	}
	// The ticket now has Standard, with the due times Gold gave it.
	sla, err := w.s.TicketSLA(ctx, w.ticket(vip).ID)
	if err != nil || sla.LevelName != "Standard" {
		t.Fatalf("ticket SLA %+v, %v", sla, err)
	}
	wantClocks(t, w.s, vip, map[SLATarget]any{TargetFirstAnswer: warsawAt(t, 7, 11, 0), TargetResolution: warsawAt(t, 8, 10, 0)}, warsawAt(t, 7, 11, 0))
	log, err := w.s.AuditLog(ctx, 0, 1)
	if err != nil || log[0].Action != ActionSLALevelRemove || log[0].Details != `Gold (1 tickets to "Standard")` || log[0].TargetID != goldID {
		t.Fatalf("audit %+v, %v", log, err)
	}
	if err := w.s.RemoveSLALevel(ctx, w.admin.ID, goldID, ""); !errors.Is(err, ErrNotFound) {
		t.Fatalf("removing it again: %v", err)
	}
}

// Without a default level the tickets lose the removed level and every
// clock stops.
func TestRemoveSLALevel_WithoutDefaultStopsTheClocks(t *testing.T) {
	ctx := context.Background()
	w := newRuleWorld(t)
	w.s.SetClock(func() time.Time { return warsawAt(t, 7, 10, 0) })
	goldID, err := w.s.CreateSLALevel(ctx, w.admin.ID, gold(false))
	if err != nil {
		t.Fatal(err)
	}
	code := contactTicket(t, w.s, w.sales, "Hello", "Hi")
	if err := w.s.SetTicketSLALevel(ctx, w.annV, code, goldID); err != nil {
		t.Fatal(err)
	}
	if err := w.s.RemoveSLALevel(ctx, w.admin.ID, goldID, ""); err != nil {
		t.Fatal(err)
	}
	wantClocks(t, w.s, code, map[SLATarget]any{}, time.Time{})
	if sla, _ := w.s.TicketSLA(ctx, w.ticket(code).ID); sla.LevelID != 0 {
		t.Fatalf("the ticket keeps level %d", sla.LevelID)
	}
}
