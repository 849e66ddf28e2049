package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"helpline/automation"
	"helpline/store"
	"helpline/views"
)

func TestTags_ShowTheirRulesRenameCarriesThemAndRemovalAsksFirst(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	ctx := context.Background()
	admin := app.signedIn(tm.admin)
	tagID, err := app.st.CreateTag(ctx, tm.admin.ID, store.TagInput{Name: "vip", Colour: "#aa0000"}, "")
	if err != nil {
		t.Fatal(err)
	}
	ruleID, err := app.st.CreateRule(ctx, tm.admin.ID, store.RuleInput{Active: true, Name: "VIP", Trigger: automation.TicketCreated,
		Definition: automation.Definition{
			Groups:  []automation.Group{{Conditions: []automation.Condition{{Subject: automation.OnTag, Op: automation.HasNot, Value: "vip"}}}},
			Actions: []automation.Action{{Kind: automation.AddTag, Value: "vip"}}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	row := admin.get(views.PathTags).wantStatus(200).doc().Find("#" + views.TagRowID(tagID))
	if got := row.Find(".tag-rules").Text(); got != "Used by rules: VIP" {
		t.Fatalf("the tag's row says %q", got)
	}

	// Renaming the tag renames it in the rule.
	admin.post(views.WithID(views.PathTag, tagID), url.Values{"name": {"gold"}, "colour": {"#aa0000"}}).wantRedirect(views.PathTags)
	r, _ := app.st.RuleByID(ctx, ruleID)
	if got := r.Definition.Tags(); len(got) != 1 || got[0] != "gold" {
		t.Fatalf("after the rename the rule names %v", got)
	}

	// Removing it without answering the question naming the rule asks.
	admin.post(views.WithID(views.PathTagRemove, tagID), nil).wantStatus(http.StatusConflict).wantContains("Rules use this tag: VIP.")
	if _, err := app.st.TagByID(ctx, tagID); err != nil {
		t.Fatalf("the tag went without asking: %v", err)
	}
	admin.get(views.WithID(views.PathTagRemove, tagID)).wantStatus(200).wantContains("Rules use this tag: VIP.").wantContains(`name="rules_ok"`)
	admin.post(views.WithID(views.PathTagRemove, tagID), url.Values{"rules_ok": {"1"}}).wantStatus(http.StatusSeeOther)
	if _, err := app.st.TagByID(ctx, tagID); err == nil {
		t.Fatal("the answered removal left the tag")
	}
}
