package web

import (
	"context"
	"net/url"
	"slices"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpline/automation"
	"helpline/store"
	"helpline/views"
)

// options lists the labels of a select's options, and the selected value.
func options(doc *goquery.Document, sel string) (labels []string, selected string) {
	doc.Find(sel + " option").Each(func(_ int, o *goquery.Selection) {
		labels = append(labels, o.Text())
		if _, ok := o.Attr("selected"); ok {
			selected, _ = o.Attr("value")
		}
	})
	return labels, selected
}

// The editor offers names, not ids: after a change of action or subject
// (posted with add=refresh, as the Show the choices button and htmx do)
// the value is a list of the departments, agents, shared answers, SLA
// levels, statuses or a field's options; custom fields are subjects.
func TestRuleEditor_PicksValuesFromNamedLists(t *testing.T) {
	w := newTicketWorld(t)
	ctx := context.Background()
	owner := w.app.ownerID()
	shared, err := w.app.st.CreateAnswer(ctx, owner, store.AnswerInput{Title: "We are on it", Body: "Hello", Shared: true}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.app.st.CreateAnswer(ctx, owner, store.AnswerInput{Title: "My own words", Body: "Hi"}, ""); err != nil {
		t.Fatal(err)
	}
	plan, err := w.app.st.CreateTicketField(ctx, owner, store.TicketFieldInput{Name: "Plan", Code: "plan", Type: "dropdown", Options: []string{"Basic", "Gold"}})
	if err != nil {
		t.Fatal(err)
	}
	gold, err := w.app.st.CreateSLALevel(ctx, owner, store.SLALevel{Name: "Gold", FirstAnswer: 60e9 * 60, TimeZone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	admin := w.as("adam@example.com")

	doc := admin.get(views.PathRuleNew).wantStatus(200).wantContains(`name="add" value="refresh"`).doc()
	subjects, _ := options(doc, `select[name="cond_subject"]`)
	if !slices.Contains(subjects, "Ticket field: Plan") || !slices.Contains(subjects, "Created within business hours") {
		t.Fatalf("subjects offered: %q", subjects)
	}
	actions, _ := options(doc, `select[name="action_kind"]`)
	if !slices.Contains(actions, "Change SLA level") {
		t.Fatalf("actions offered: %q", actions)
	}

	for _, tc := range []struct {
		kind, value string
		want        []string
		absent      string
	}{
		{"assign", idString(w.bob.ID), []string{"Choose…", "Ann Sales", "Bob Support"}, ""},
		{"transfer", idString(w.support), []string{"Choose…", "Sales", "Support"}, ""},
		{"send_answer", idString(shared), []string{"Choose…", "We are on it"}, "My own words"},
		{"change_sla_level", idString(gold), []string{"Choose…", "Gold"}, ""},
		{"change_status", "resolved", []string{"Choose…", "Open", "Resolved", "Spam", "Deleted"}, ""},
	} {
		f := ruleForm("Picks", url.Values{"action_kind": {tc.kind}, "action_value": {tc.value}, "add": {"refresh"}})
		doc := admin.hxPost(views.PathRules, f).wantStatus(200).doc()
		got, selected := options(doc, `select[name="action_value"]`)
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s offers %q, lacks %q", tc.kind, got, w)
			}
		}
		if tc.absent != "" && slices.Contains(got, tc.absent) {
			t.Errorf("%s offers %q", tc.kind, tc.absent)
		}
		if selected != tc.value {
			t.Errorf("%s: selected %q, want %q", tc.kind, selected, tc.value)
		}
		if doc.Find(`input[name="action_value"]`).Length() != 0 {
			t.Errorf("%s still asks for typed text", tc.kind)
		}
	}

	fieldSubject := views.SubjectChoice(automation.Condition{Subject: automation.OnField, FieldID: plan})
	for _, tc := range []struct {
		subject string
		want    []string
	}{
		{fieldSubject, []string{"Choose…", "Basic", "Gold"}},
		{"created_in_hours", []string{"Choose…", "Yes", "No"}},
		{"assignee", []string{"Choose…", "Nobody", "Ann Sales", "Bob Support"}},
		{"department", []string{"Choose…", "Sales", "Support"}},
	} {
		f := ruleForm("Picks", url.Values{"cond_subject": {tc.subject}, "cond_op": {"is"}, "cond_value": {""}, "add": {"refresh"}})
		doc := admin.post(views.PathRules, f).wantStatus(200).doc()
		got, _ := options(doc, `select[name="cond_value"]`)
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s offers %q, lacks %q", tc.subject, got, w)
			}
		}
	}
	if rs, _ := w.app.st.Rules(ctx); len(rs) != 0 {
		t.Fatalf("showing the choices stored %+v", rs)
	}

	// Saved from the lists: a field condition and the SLA level action.
	admin.post(views.PathRules, ruleForm("Gold plan", url.Values{"cond_subject": {fieldSubject}, "cond_op": {"is"}, "cond_value": {"Gold"},
		"action_kind": {"change_sla_level"}, "action_value": {idString(gold)}})).wantRedirect(views.PathRules)
	rs, _ := w.app.st.Rules(ctx)
	if len(rs) != 1 {
		t.Fatalf("stored %+v", rs)
	}
	wantDef := automation.Definition{Groups: []automation.Group{{Conditions: []automation.Condition{{Subject: automation.OnField, FieldID: plan, Op: automation.Is, Value: "Gold"}}}},
		Actions: []automation.Action{{Kind: automation.ChangeSLALevel, Value: idString(gold)}}}
	if got := rs[0].Definition; got.Groups[0].Conditions[0] != wantDef.Groups[0].Conditions[0] || got.Actions[0] != wantDef.Actions[0] {
		t.Fatalf("stored %+v, want %+v", got, wantDef)
	}
	// The edit form shows the stored choices selected.
	doc = admin.get(views.WithID(views.PathRule, rs[0].ID)).wantStatus(200).doc()
	if _, sel := options(doc, `select[name="cond_subject"]`); sel != fieldSubject {
		t.Fatalf("subject selected %q", sel)
	}
	if _, sel := options(doc, `select[name="cond_value"]`); sel != "Gold" {
		t.Fatalf("field value selected %q", sel)
	}
	if _, sel := options(doc, `select[name="action_value"]`); sel != idString(gold) {
		t.Fatalf("level selected %q", sel)
	}
}
