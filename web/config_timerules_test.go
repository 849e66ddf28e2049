package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"helpline/authz"
	"helpline/automation"
	"helpline/store"
	"helpline/views"
)

func timeRuleForm(name string, extra url.Values) url.Values {
	f := url.Values{"name": {name}, "active": {"1"}, "apply_when": {"status_unchanged"}, "after_count": {"3"}, "after_unit": {"days"},
		"cond_group": {"0"}, "cond_subject": {"status"}, "cond_op": {"is"}, "cond_value": {"answered"},
		"action_kind": {"change_status"}, "action_value": {"resolved"}}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

func TestTimeRules_EditorStoresWhatWasTypedAndAudits(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	ctx := context.Background()
	admin := app.signedIn(tm.admin)
	admin.get(views.PathTimeRules).wantStatus(200).wantContains("No time rules yet.")
	admin.get(views.PathTimeRuleNew).wantStatus(200).wantContains("Ticket older than").wantContains("Status unchanged for").
		wantContains("Due in less than").wantContains("Overdue by more than").wantContains("Add condition group")

	// Add condition without script: the form comes back with the row and
	// the Apply when as typed, nothing stored.
	doc := admin.post(views.PathTimeRules, timeRuleForm("Close quiet ones", url.Values{"add": {"condition:0"}})).wantStatus(200).doc()
	if n := doc.Find(`select[name="cond_subject"]`).Length(); n != 2 {
		t.Fatalf("%d condition rows after Add condition, want 2", n)
	}
	if v, _ := doc.Find(`select[name="apply_when"] option[selected]`).Attr("value"); v != "status_unchanged" {
		t.Fatalf("the typed Apply when became %q", v)
	}
	if v, _ := doc.Find(`#f-after`).Attr("value"); v != "3" {
		t.Fatalf("the typed duration became %q", v)
	}
	if rs, _ := app.st.TimeRules(ctx); len(rs) != 0 {
		t.Fatalf("adding a row stored %+v", rs)
	}

	admin.post(views.PathTimeRules, timeRuleForm("Close quiet ones", nil)).wantRedirect(views.PathTimeRules)
	rs, _ := app.st.TimeRules(ctx)
	if len(rs) != 1 || rs[0].Name != "Close quiet ones" || rs[0].ApplyWhen != automation.StatusUnchanged || rs[0].After != 72*time.Hour ||
		len(rs[0].Definition.Groups) != 1 || rs[0].Definition.Actions[0] != (automation.Action{Kind: automation.ChangeStatus, Value: "resolved"}) {
		t.Fatalf("stored %+v", rs)
	}
	id := rs[0].ID
	admin.get(views.PathTimeRules).wantStatus(200).wantContains("Status unchanged for 3 days").wantContains("Active")
	admin.get(views.WithID(views.PathTimeRule, id)).wantStatus(200).wantContains(`value="3"`)

	admin.post(views.WithID(views.PathTimeRule, id), timeRuleForm("Close quiet ones", url.Values{"after_count": {"90"}, "after_unit": {"minutes"}})).
		wantRedirect(views.PathTimeRules)
	admin.post(views.WithID(views.PathTimeRuleToggle, id), nil).wantRedirect(views.PathTimeRules)
	if r, _ := app.st.TimeRuleByID(ctx, id); r.Active || r.After != 90*time.Minute {
		t.Fatalf("after edit and toggle: %+v", r)
	}
	admin.get(views.PathTimeRules).wantStatus(200).wantContains("Inactive").wantContains("Status unchanged for 90 minutes")
	admin.get(views.WithID(views.PathTimeRuleRemove, id)).wantStatus(200).wantContains("Remove time rule Close quiet ones?")
	admin.post(views.WithID(views.PathTimeRuleRemove, id), nil).wantStatus(http.StatusSeeOther)
	if _, err := app.st.TimeRuleByID(ctx, id); err == nil {
		t.Fatal("the time rule was not removed")
	}

	log, err := app.st.AuditLog(ctx, 0, 20)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		if e.TargetType == "time_rule" && e.TargetID == id && e.ActorID == tm.admin.ID {
			got = append(got, string(e.Action))
		}
	}
	want := []string{"time_rule.remove", "time_rule.update", "time_rule.update", "time_rule.create"}
	if !slices.Equal(got, want) {
		t.Fatalf("audit = %q, want %q", got, want)
	}
	admin.get(views.PathAudit).wantStatus(200).wantContains("Time rule created").wantContains("Time rule removed")
}

func TestTimeRules_BadInputIs422NextToTheFieldAndStoresNothing(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	admin := app.signedIn(tm.admin)
	for _, tc := range []struct {
		name  string
		form  url.Values
		field string
		msg   string
	}{
		{"no name", timeRuleForm(" ", nil), "name", "Please fill this in."},
		{"no duration", timeRuleForm("x", url.Values{"after_count": {""}}), "after", "Enter a whole number of minutes, hours or days, from 1 minute to 365 days."},
		{"not a number", timeRuleForm("x", url.Values{"after_count": {"soon"}}), "after", "Enter a whole number of minutes, hours or days, from 1 minute to 365 days."},
		{"too long", timeRuleForm("x", url.Values{"after_count": {"400"}}), "after", "Enter a whole number of minutes, hours or days, from 1 minute to 365 days."},
		{"an unknown Apply when", timeRuleForm("x", url.Values{"apply_when": {"ticket_created"}}), "apply_when", "Please fill this in."},
		{"no actions", timeRuleForm("x", url.Values{"action_kind": {""}, "action_value": {""}}), "actions", "Please fill this in."},
		{"bad status", timeRuleForm("x", url.Values{"action_value": {"new"}}), "actions.0", "Please choose one of the offered options."},
		{"an unknown department", timeRuleForm("x", url.Values{"cond_subject": {"department"}, "cond_value": {"999999"}}), "groups.0.conditions.0", "Please choose one of the offered options."},
	} {
		r := admin.post(views.PathTimeRules, tc.form).wantStatus(http.StatusUnprocessableEntity)
		if msg := r.text("#f-" + strings.ReplaceAll(tc.field, ".", "\\.") + "-error"); msg != tc.msg {
			t.Errorf("%s: message next to %s is %q, want %q", tc.name, tc.field, msg, tc.msg)
		}
	}
	if rs, _ := app.st.TimeRules(context.Background()); len(rs) != 0 {
		t.Fatalf("refused input stored %+v", rs)
	}
}

func TestTimeRules_OnlyRuleManagersGetIn(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	ctx := context.Background()
	in := store.TimeRuleInput{Active: true, Name: "First", ApplyWhen: automation.OlderThan, After: time.Hour,
		Definition: automation.Definition{Actions: []automation.Action{{Kind: automation.AddTag, Value: "x"}}}}
	id, err := app.st.CreateTimeRule(ctx, tm.creator.ID, in, "")
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
		{"GET", views.PathTimeRules, nil, 200},
		{"GET", views.PathTimeRuleNew, nil, 200},
		{"POST", views.PathTimeRules, timeRuleForm("Another", nil), 303},
		{"GET", views.WithID(views.PathTimeRule, id), nil, 200},
		{"POST", views.WithID(views.PathTimeRule, id), timeRuleForm("First", nil), 303},
		{"POST", views.WithID(views.PathTimeRuleMove, id), url.Values{"dir": {"down"}}, 303},
		{"POST", views.WithID(views.PathTimeRuleToggle, id), nil, 303},
		{"GET", views.WithID(views.PathTimeRuleRemove, id), nil, 200},
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
		// The sub-navigation shows Time rules only to those who may open it.
		if who.name == "settings keeper" || who.name == "admin" {
			page := who.client.get(views.PathGeneral).wantStatus(200)
			if has := strings.Contains(page.body, `href="`+views.PathTimeRules+`"`); has != who.allow {
				t.Errorf("%s: Time rules in the navigation = %v", who.name, has)
			}
		}
	}
	if rs, _ := app.st.TimeRules(ctx); len(rs) != 4 {
		t.Fatalf("%d time rules after the walk, want 4 (the first and one from each allowed)", len(rs))
	}
	admin := app.signedIn(tm.admin)
	admin.get(views.WithID(views.PathTimeRule, 999999)).wantStatus(http.StatusNotFound)
	admin.post(views.WithID(views.PathTimeRule, 999999), timeRuleForm("x", nil)).wantStatus(http.StatusNotFound)
	admin.post(views.WithID(views.PathTimeRuleRemove, 999999), nil).wantStatus(http.StatusNotFound)
}
