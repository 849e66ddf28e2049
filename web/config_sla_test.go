package web

import (
	"context"
	"net/url"
	"testing"
	"time"

	"helpline/store"
	"helpline/views"
)

func goldForm() url.Values {
	return url.Values{"name": {"Gold"}, "first_answer": {"1h"}, "next_answer": {"2h30m"}, "resolution": {""},
		"time_zone": {"Europe/Warsaw"}, "hours_1": {"09:00-13:00, 14:00-18:00"}, "hours_2": {"09:00-17:00"},
		"holidays": {"2026-12-25\n2026-12-24"}, "default": {"1"}}
}

func slaLevels(t *testing.T, app *testApp) []store.SLALevel {
	t.Helper()
	levels, err := app.st.SLALevels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return levels
}

func TestSLALevels_AdminAddsAndEditsALevel(t *testing.T) {
	app := newTestApp(t)
	admin := app.signedIn(app.team().admin)

	admin.get(views.PathSLALevels).wantStatus(200).wantContains("No SLA levels yet.")
	form := admin.get(views.PathSLALevelNew).wantStatus(200).doc()
	if v, _ := form.Find(`input[name="hours_1"]`).Attr("value"); v != "09:00-17:00" {
		t.Fatalf("a new level offers Monday %q", v)
	}
	admin.post(views.PathSLALevels, goldForm()).wantRedirect(views.PathSLALevels)
	levels := slaLevels(t, app)
	if len(levels) != 1 {
		t.Fatalf("%d levels", len(levels))
	}
	gold := levels[0]
	if gold.FirstAnswer != time.Hour || gold.NextAnswer != 150*time.Minute || gold.Resolution != 0 || !gold.Default ||
		len(gold.Week[time.Monday]) != 2 || len(gold.Week[time.Wednesday]) != 0 || len(gold.Holidays) != 2 || gold.Holidays[0] != "2026-12-24" {
		t.Fatalf("stored %+v", gold)
	}
	row := admin.get(views.PathSLALevels).wantContains("The SLA level was added.").doc().Find("#" + views.SLALevelRowID(gold.ID))
	if got := row.Find("td").Eq(1).Text(); got != "1h" {
		t.Fatalf("first answer shown as %q", got)
	}
	edit := admin.get(views.WithID(views.PathSLALevel, gold.ID)).wantStatus(200).doc()
	if v, _ := edit.Find(`input[name="hours_1"]`).Attr("value"); v != "09:00-13:00, 14:00-18:00" {
		t.Fatalf("edit shows Monday %q", v)
	}
	changed := goldForm()
	changed.Set("first_answer", "45m")
	changed.Del("default")
	admin.post(views.WithID(views.PathSLALevel, gold.ID), changed).wantRedirect(views.PathSLALevels)
	if l := slaLevels(t, app)[0]; l.FirstAnswer != 45*time.Minute || l.Default {
		t.Fatalf("after edit %+v", l)
	}
	log, err := app.st.AuditLog(context.Background(), 0, 10)
	if err != nil || log[0].Action != store.ActionSLALevelUpdate || log[1].Action != store.ActionSLALevelCreate {
		t.Fatalf("audit log %+v, %v", log, err)
	}
	admin.get(views.WithID(views.PathSLALevel, 999)).wantStatus(404)
}

func TestSLALevels_BadInputIs422AndNothingStored(t *testing.T) {
	app := newTestApp(t)
	admin := app.signedIn(app.team().admin)
	cases := []struct {
		field, value, want string
	}{
		{"name", "", "Please fill this in."},
		{"first_answer", "soon", "Enter a duration such as 1h, 30m or 2h30m (whole minutes, at most 1000h)."},
		{"first_answer", "30s", "Enter a duration such as 1h, 30m or 2h30m (whole minutes, at most 1000h)."},
		{"hours_1", "9-17", "Write intervals as 09:00-13:00, separated by commas."},
		{"hours_1", "17:00-09:00", "An interval must end after it starts."},
		{"hours_1", "09:00-13:00, 12:00-18:00", "The intervals of a day must not overlap."},
		{"holidays", "25.12.2026", "Write each holiday as a date, e.g. 2026-12-25."},
		{"time_zone", "Mars/Olympus", ""},
	}
	for _, tc := range cases {
		f := goldForm()
		f.Set(tc.field, tc.value)
		r := admin.post(views.PathSLALevels, f).wantStatus(422)
		if tc.want != "" {
			r.wantContains(tc.want)
		}
	}
	closed := goldForm()
	closed.Set("hours_1", "")
	closed.Set("hours_2", "")
	admin.post(views.PathSLALevels, closed).wantStatus(422).wantContains("Give business hours for at least one day.")
	if n := len(slaLevels(t, app)); n != 0 {
		t.Fatalf("%d levels stored from bad input", n)
	}
	admin.post(views.PathSLALevels, goldForm()).wantRedirect(views.PathSLALevels)
	admin.post(views.PathSLALevels, goldForm()).wantStatus(422).wantContains("Another SLA level already has this name.")
}

func TestSLALevels_OnlyAdministratorsAndOwners(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	app.signedIn(tm.agent).get(views.PathSLALevels).wantStatus(403)
	app.signedIn(tm.agent).post(views.PathSLALevels, goldForm()).wantStatus(403)
	app.signedIn(tm.owner).get(views.PathSLALevels).wantStatus(200)
	if n := len(slaLevels(t, app)); n != 0 {
		t.Fatalf("an Agent stored %d levels", n)
	}
}
