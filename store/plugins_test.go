package store

import (
	"context"
	"errors"
	"testing"

	"helpline/authz"
	"helpline/security"
)

func TestSearchReplace_RulesApplyFromTheNextWriteAndOnlyManagersChangeThem(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	agent := addAgent(t, s, o.ID, "Alice", authz.RoleAgent)
	if err := s.AddSearchReplaceRule(ctx, agent.ID, security.MaskRule{Kind: security.MaskCard, Replacement: "x"}, ""); err == nil {
		t.Fatal("an Agent added a rule")
	}
	if err := s.SetPluginActive(ctx, agent.ID, PluginSearchReplace, true, ""); err == nil {
		t.Fatal("an Agent switched the plugin on")
	}
	if err := s.AddSearchReplaceRule(ctx, o.ID, security.MaskRule{Kind: security.MaskRegex, Pattern: "(", Replacement: "x"}, ""); !errors.Is(err, security.ErrMaskPattern) {
		t.Fatalf("bad pattern: %v", err)
	}
	mask := func(text string) string {
		t.Helper()
		if err := s.maskText(ctx, s.rd, &text); err != nil {
			t.Fatal(err)
		}
		return text
	}
	if err := s.AddSearchReplaceRule(ctx, o.ID, security.MaskRule{Kind: security.MaskRegex, Pattern: "secret", Replacement: "[a]"}, ""); err != nil {
		t.Fatal(err)
	}
	if got := mask("a secret"); got != "a secret" {
		t.Fatalf("masked while off: %q", got)
	}
	if err := s.SetPluginActive(ctx, o.ID, PluginSearchReplace, true, ""); err != nil {
		t.Fatal(err)
	}
	if got := mask("a secret"); got != "a [a]" {
		t.Fatalf("on: %q", got)
	}
	rules, _ := s.SearchReplaceRules(ctx)
	if err := s.RemoveSearchReplaceRule(ctx, o.ID, rules[0].ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.AddSearchReplaceRule(ctx, o.ID, security.MaskRule{Kind: security.MaskRegex, Pattern: "secret", Replacement: "[b]"}, ""); err != nil {
		t.Fatal(err)
	}
	if got := mask("a secret"); got != "a [b]" {
		t.Fatalf("after the rule changed: %q", got)
	}
	if err := s.RemoveSearchReplaceRule(ctx, o.ID, 999, ""); !errors.Is(err, ErrNotFound) {
		t.Fatalf("removing a rule that is not there: %v", err)
	}
}
