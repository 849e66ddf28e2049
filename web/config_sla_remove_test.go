package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"helpline/automation"
	"helpline/store"
	"helpline/views"
)

// Remove asks first and says what happens to the tickets; the default
// level and a level a rule chooses are refused (409) with the reason and
// stay; agents without sla:manage get 403; the removal is audited.
func TestSLALevels_RemoveAsksRefusesDefaultAndRuleChoicesAndIsAudited(t *testing.T) {
	w := newTicketWorld(t)
	ctx := context.Background()
	owner := w.app.ownerID()
	std, err := w.app.st.CreateSLALevel(ctx, owner, store.SLALevel{Name: "Standard", FirstAnswer: 8 * time.Hour, TimeZone: "UTC", Default: true})
	if err != nil {
		t.Fatal(err)
	}
	gold, err := w.app.st.CreateSLALevel(ctx, owner, store.SLALevel{Name: "Gold", FirstAnswer: time.Hour, TimeZone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	rule, err := w.app.st.CreateRule(ctx, owner, store.RuleInput{Active: true, Name: "VIP gold", Trigger: automation.TicketCreated,
		Definition: automation.Definition{Actions: []automation.Action{{Kind: automation.ChangeSLALevel, Value: idString(gold)}}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	code := w.app.ticket(w.sales, "Gold ticket") // the rule gives it Gold
	admin := w.as("adam@example.com")
	path := func(id int64) string { return views.WithID(views.PathSLALevelRemove, id) }

	admin.get(views.PathSLALevels).wantStatus(200).wantContains(`href="` + path(gold) + `"`)
	admin.get(path(std)).wantStatus(200).wantContains("Standard is the desk&#39;s default level. Make another level the default first.")
	admin.post(path(std), nil).wantStatus(http.StatusConflict).wantContains("Make another level the default first.")
	admin.get(path(gold)).wantStatus(200).wantContains("Rules choose Gold: VIP gold. Change those rules first.")
	admin.post(path(gold), nil).wantStatus(http.StatusConflict)
	if n := len(slaLevels(t, w.app)); n != 2 {
		t.Fatalf("%d levels after refusals", n)
	}

	if err := w.app.st.RemoveRule(ctx, owner, rule, ""); err != nil {
		t.Fatal(err)
	}
	doc := admin.get(path(gold)).wantStatus(200).doc()
	if got := strings.TrimSpace(doc.Find("#sla-level-remove p").Text()); got != "1 tickets have this level. They move to the default level Standard; the due times they already have stay, later ones follow Standard." {
		t.Fatalf("the confirmation says %q", got)
	}
	w.as("ann@example.com").post(path(gold), nil).wantStatus(http.StatusForbidden)
	admin.post(path(gold), nil).wantRedirect(views.PathSLALevels)
	admin.get(views.PathSLALevels).wantContains("The SLA level Gold was removed.")
	if levels := slaLevels(t, w.app); len(levels) != 1 || levels[0].ID != std {
		t.Fatalf("levels %+v", levels)
	}
	sla, err := w.app.st.TicketSLA(ctx, w.app.ticketAs(code).ID)
	if err != nil || sla.LevelName != "Standard" {
		t.Fatalf("the ticket's SLA %+v, %v", sla, err)
	}
	log, err := w.app.st.AuditLog(ctx, 0, 1)
	if err != nil || log[0].Action != store.ActionSLALevelRemove {
		t.Fatalf("audit %+v, %v", log, err)
	}
	admin.get(path(gold)).wantStatus(http.StatusNotFound)
	admin.post(path(gold), nil).wantStatus(http.StatusNotFound)
}
