package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"helpline/authz"
	"helpline/automation"
	"helpline/store"
	"helpline/views"
)

func ruleForm(name string, extra url.Values) url.Values {
	f := url.Values{"name": {name}, "active": {"1"}, "trigger": {"ticket_created"},
		"cond_group": {"0"}, "cond_subject": {"requester_email"}, "cond_op": {"ends_with"}, "cond_value": {"@vip.example"},
		"action_kind": {"add_tag"}, "action_value": {"vip"}}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

func TestRules_EditorWithoutScriptAddsRowsKeepingWhatWasTyped(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	admin := app.signedIn(tm.admin)
	admin.get(views.PathRules).wantStatus(200).wantContains("No rules yet.")

	// Add condition: the form comes back with a second row in group 1 and
	// the first row as typed; nothing is stored.
	f := ruleForm("VIP", url.Values{"add": {"condition:0"}})
	doc := admin.post(views.PathRules, f).wantStatus(200).doc()
	if n := doc.Find(`select[name="cond_subject"]`).Length(); n != 2 {
		t.Fatalf("%d condition rows after Add condition, want 2", n)
	}
	if v, _ := doc.Find(`input[name="cond_value"]`).First().Attr("value"); v != "@vip.example" {
		t.Fatalf("the typed value became %q", v)
	}
	if v, _ := doc.Find(`#f-name`).Attr("value"); v != "VIP" {
		t.Fatalf("the typed name became %q", v)
	}
	// Add condition group: a second group with one blank row.
	doc = admin.post(views.PathRules, ruleForm("VIP", url.Values{"add": {"group"}})).wantStatus(200).doc()
	if n := doc.Find(`fieldset.rule-group`).Length(); n != 2 {
		t.Fatalf("%d groups after Add condition group, want 2", n)
	}
	if rs, _ := app.st.Rules(context.Background()); len(rs) != 0 {
		t.Fatalf("adding rows stored a rule: %+v", rs)
	}
	// With htmx the same request answers the form alone.
	admin.hxPost(views.PathRules, ruleForm("VIP", url.Values{"add": {"action"}})).wantStatus(200).wantContains(`name="action_kind"`)

	// Save: blank rows are left out.
	admin.post(views.PathRules, ruleForm("VIP", url.Values{"cond_group": {"0", "0"}, "cond_subject": {"requester_email", ""},
		"cond_op": {"ends_with", "is"}, "cond_value": {"@vip.example", ""}})).wantRedirect(views.PathRules)
	rs, _ := app.st.Rules(context.Background())
	if len(rs) != 1 || rs[0].Name != "VIP" || len(rs[0].Definition.Groups) != 1 || len(rs[0].Definition.Groups[0].Conditions) != 1 ||
		rs[0].Definition.Actions[0] != (automation.Action{Kind: automation.AddTag, Value: "vip"}) {
		t.Fatalf("stored %+v", rs)
	}
	// Toggle and move work from the list.
	admin.post(views.WithID(views.PathRuleToggle, rs[0].ID), nil).wantRedirect(views.PathRules)
	if r, _ := app.st.RuleByID(context.Background(), rs[0].ID); r.Active {
		t.Fatal("Inactive did not stick")
	}
	admin.get(views.PathRules).wantStatus(200).wantContains("Inactive")
}

func TestRules_BadInputIs422NextToTheFieldAndStoresNothing(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	admin := app.signedIn(tm.admin)
	for _, tc := range []struct {
		name  string
		form  url.Values
		field string
		msg   string
	}{
		{"no name", ruleForm(" ", nil), "name", "Please fill this in."},
		{"no actions", ruleForm("x", url.Values{"action_kind": {""}, "action_value": {""}}), "actions", "Please fill this in."},
		{"bad priority", ruleForm("x", url.Values{"action_kind": {"change_priority"}, "action_value": {"huge"}}), "actions.0", "Please choose one of the offered options."},
		{"tag condition without a tag", ruleForm("x", url.Values{"cond_subject": {"tag"}, "cond_op": {"has"}, "cond_value": {""}}), "groups.0.conditions.0", "Please fill this in."},
		{"an unknown agent", ruleForm("x", url.Values{"action_kind": {"assign"}, "action_value": {"999999"}}), "actions.0", "Please choose one of the offered options."},
	} {
		r := admin.post(views.PathRules, tc.form).wantStatus(http.StatusUnprocessableEntity)
		if msg := r.text("#f-" + strings.ReplaceAll(tc.field, ".", "\\.") + "-error"); msg != tc.msg {
			t.Errorf("%s: message next to %s is %q, want %q", tc.name, tc.field, msg, tc.msg)
		}
	}
	if rs, _ := app.st.Rules(context.Background()); len(rs) != 0 {
		t.Fatalf("refused input stored %+v", rs)
	}
}

func TestRules_OnlyRuleManagersGetIn(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	ctx := context.Background()
	in := store.RuleInput{Active: true, Name: "First", Trigger: automation.TicketCreated,
		Definition: automation.Definition{Actions: []automation.Action{{Kind: automation.AddTag, Value: "x"}}}}
	id, err := app.st.CreateRule(ctx, tm.creator.ID, in, "")
	if err != nil {
		t.Fatal(err)
	}
	settings := app.addAgent(tm.creator.ID, "Sam Settings", app.customRole(tm.creator.ID, "Settings keeper", append(authz.AgentBase().Perms(), authz.SettingsManage)...))
	rules := app.addAgent(tm.creator.ID, "Rita Rules", app.customRole(tm.creator.ID, "Rules keeper", append(authz.AgentBase().Perms(), authz.RulesManage)...))
	steps := []struct {
		method, path string
		form         url.Values
		ok           int
	}{
		{"GET", views.PathRules, nil, 200},
		{"GET", views.PathRuleNew, nil, 200},
		{"POST", views.PathRules, ruleForm("Another", nil), 303},
		{"GET", views.WithID(views.PathRule, id), nil, 200},
		{"POST", views.WithID(views.PathRule, id), ruleForm("First", nil), 303},
		{"POST", views.WithID(views.PathRuleMove, id), url.Values{"dir": {"down"}}, 303},
		{"POST", views.WithID(views.PathRuleToggle, id), nil, 303},
		{"GET", views.WithID(views.PathRuleRemove, id), nil, 200},
	}
	for _, who := range []struct {
		name   string
		client *client
		allow  bool
	}{
		{"anonymous", app.client(), false},
		{"agent", app.signedIn(tm.agent), false},
		{"settings keeper", app.signedIn(settings), false},
		{"admin", app.signedIn(tm.admin), true},
		{"owner", app.signedIn(tm.creator), true},
		{"rules keeper", app.signedIn(rules), true},
	} {
		for _, s := range steps {
			want := s.ok
			switch {
			case who.name == "anonymous":
				want = http.StatusSeeOther
			case !who.allow:
				want = http.StatusForbidden
			}
			var r *response
			if s.method == "GET" {
				r = who.client.get(s.path)
			} else {
				r = who.client.post(s.path, s.form)
			}
			if r.status != want {
				t.Errorf("%s %s %s: status %d, want %d", who.name, s.method, s.path, r.status, want)
			}
		}
	}
	if rs, _ := app.st.Rules(ctx); len(rs) != 4 {
		t.Fatalf("%d rules after the walk, want 4 (the first and one from each allowed)", len(rs))
	}
	admin := app.signedIn(tm.admin)
	admin.get(views.WithID(views.PathRule, 999999)).wantStatus(http.StatusNotFound)
	admin.post(views.WithID(views.PathRuleRemove, 999999), nil).wantStatus(http.StatusNotFound)
	admin.post(views.WithID(views.PathRuleRemove, id), nil).wantStatus(http.StatusSeeOther)
	if _, err := app.st.RuleByID(ctx, id); err == nil {
		t.Fatal("the rule was not removed")
	}
}
