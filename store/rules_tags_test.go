package store

import (
	"context"
	"slices"
	"testing"

	"helpline/automation"
)

func TestRuleTags_MergeCarriesRulesAndRulesByTagNamesThem(t *testing.T) {
	ctx := context.Background()
	w := newRuleWorld(t)
	from, err := w.s.CreateTag(ctx, w.owner.ID, TagInput{Name: "urgent-ish", Colour: "#112233"}, "")
	if err != nil {
		t.Fatal(err)
	}
	into, err := w.s.CreateTag(ctx, w.owner.ID, TagInput{Name: "urgent", Colour: "#112233"}, "")
	if err != nil {
		t.Fatal(err)
	}
	id := w.rule("Escalate", automation.TagsChanged, group(cond(automation.OnTag, automation.Has, "urgent-ish")), act(automation.ChangePriority, "urgent"))
	w.rule("Other", automation.TicketCreated, nil, act(automation.AddTag, "misc"))
	if got, _ := w.s.RulesByTag(ctx); !slices.Equal(got["urgent-ish"], []string{"Escalate"}) || !slices.Equal(got["misc"], []string{"Other"}) {
		t.Fatalf("rules by tag %v", got)
	}
	if err := w.s.MergeTag(ctx, w.owner.ID, from, into, ""); err != nil {
		t.Fatal(err)
	}
	r, _ := w.s.RuleByID(ctx, id)
	if got := r.Definition.Tags(); !slices.Equal(got, []string{"urgent"}) {
		t.Fatalf("after the merge the rule names %v", got)
	}
	// The engine follows the renamed rule at once (its kept copy is dropped).
	code := contactTicket(t, w.s, w.sales, "x", "x")
	if err := w.s.AddTag(ctx, w.adminV, code, "urgent"); err != nil {
		t.Fatal(err)
	}
	if got := w.ticket(code).Priority; got != PriorityUrgent {
		t.Fatalf("priority %v", got)
	}
}
