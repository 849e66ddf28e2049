package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"helpline/store"
	"helpline/views"
)

// auditWorld is a team whose log has entries by the Administrator, by the
// creator and by nobody, all today.
func auditWorld(t *testing.T) (*testApp, team) {
	t.Helper()
	app := newTestApp(t)
	tm := app.team()
	ctx := context.Background()
	for i := range 3 {
		if err := app.st.RecordAudit(ctx, store.AuditEntry{ActorID: tm.admin.ID, Action: store.ActionSettingsUpdate, Details: fmt.Sprintf("admin change %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := app.st.RecordAudit(ctx, store.AuditEntry{ActorID: tm.creator.ID, Action: store.ActionBanAdd, Details: "=HYPERLINK(\"http://evil\")"}); err != nil {
		t.Fatal(err)
	}
	if err := app.st.RecordAudit(ctx, store.AuditEntry{Action: store.ActionSignInFailed, Details: "who@example.com", IP: "192.0.2.1"}); err != nil {
		t.Fatal(err)
	}
	return app, tm
}

func auditDetails(r *response) []string {
	var out []string
	r.doc().Find("table.audit tbody td.audit-details").Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
	return out
}

func TestAuditLog_FiltersByWhoWhatAndWhen(t *testing.T) {
	app, tm := auditWorld(t)
	c := app.signedIn(tm.admin)
	zone := time.UTC
	today := time.Now().In(zone).Format("2006-01-02")
	tomorrow := time.Now().In(zone).AddDate(0, 0, 1).Format("2006-01-02")
	yesterday := time.Now().In(zone).AddDate(0, 0, -1).Format("2006-01-02")
	only := func(q url.Values, want func(string) bool, wantN int) {
		t.Helper()
		got := auditDetails(c.get(views.PathAudit + "?" + q.Encode()).wantStatus(http.StatusOK))
		n := 0
		for _, d := range got {
			if want(d) {
				n++
			} else {
				t.Errorf("%v: entry %q does not belong", q, d)
			}
		}
		if n != wantN {
			t.Errorf("%v: %d entries, want %d: %q", q, n, wantN, got)
		}
	}
	// The Administrator's own sign-ins carry no details.
	adminRows := func(d string) bool { return d == "" || strings.HasPrefix(d, "admin change") }
	var actors []string
	c.get(views.PathAudit + "?who=" + idString(tm.admin.ID)).doc().Find("table.audit tbody tr td:nth-child(2)").Each(func(_ int, s *goquery.Selection) {
		actors = append(actors, strings.TrimSpace(s.Text()))
	})
	for _, a := range actors {
		if a != tm.admin.Name {
			t.Errorf("filtered by the Administrator, a row of %q", a)
		}
	}
	if len(actors) < 4 {
		t.Errorf("filtered by the Administrator: %d rows", len(actors))
	}
	only(url.Values{"what": {string(store.ActionBanAdd)}}, func(d string) bool { return strings.HasPrefix(d, "=HYPERLINK") }, 1)
	only(url.Values{"who": {views.AuditNobody}, "what": {string(store.ActionSignInFailed)}}, func(d string) bool { return d == "who@example.com" }, 1)
	only(url.Values{"who": {idString(tm.admin.ID)}, "what": {string(store.ActionSettingsUpdate)}, "from": {today}, "until": {today}}, adminRows, 3)
	only(url.Values{"what": {string(store.ActionSettingsUpdate)}, "from": {yesterday}, "until": {tomorrow}}, adminRows, 3)
	only(url.Values{"from": {tomorrow}}, func(string) bool { return false }, 0)
	only(url.Values{"until": {yesterday}}, func(string) bool { return false }, 0)

	// The filter form shows what was chosen.
	d := c.get(views.PathAudit + "?who=" + idString(tm.admin.ID)).doc()
	if v, _ := d.Find(`#f-who option[selected]`).Attr("value"); v != idString(tm.admin.ID) {
		t.Fatalf("the filter form forgot who: %q", v)
	}
}

func TestAuditLog_BadFiltersAre422NextToTheField(t *testing.T) {
	app, tm := auditWorld(t)
	c := app.signedIn(tm.admin)
	cases := []struct {
		q     url.Values
		field string
		want  string
	}{
		{url.Values{"who": {"someone"}}, "who", "Please choose one of the offered options."},
		{url.Values{"what": {"drop.table"}}, "what", "Please choose one of the offered options."},
		{url.Values{"from": {"31.12.2026"}}, "from", "Enter a date such as 2026-12-31."},
		{url.Values{"from": {"2026-12-03"}, "until": {"2026-12-02"}}, "until", "This day comes before the start."},
	}
	for _, tc := range cases {
		for _, path := range []string{views.PathAudit, views.PathAuditExport} {
			r := c.get(path + "?" + tc.q.Encode())
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s?%v: status %d, want 422", path, tc.q, r.status)
				continue
			}
			if got := r.text("#f-" + tc.field + "-error"); got != tc.want {
				t.Errorf("%s?%v: message %q, want %q", path, tc.q, got, tc.want)
			}
		}
	}
}

func TestAuditLog_PagesByKeyKeepTheFiltersAndDoNotShift(t *testing.T) {
	app, tm := auditWorld(t)
	ctx := context.Background()
	for i := range 120 {
		if err := app.st.RecordAudit(ctx, store.AuditEntry{ActorID: tm.admin.ID, Action: store.ActionAgentUpdate, Details: fmt.Sprintf("edit %03d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	c := app.signedIn(tm.admin)
	first := c.get(views.PathAudit + "?what=" + string(store.ActionAgentUpdate)).wantStatus(http.StatusOK)
	rows := auditDetails(first)
	if len(rows) != 50 || rows[0] != "edit 119" || rows[49] != "edit 070" {
		t.Fatalf("first page: %d rows %q … %q", len(rows), rows[0], rows[len(rows)-1])
	}
	next, ok := first.doc().Find(`.pager a[rel="next"]`).Attr("href")
	if !ok || !strings.Contains(next, "what="+url.QueryEscape(string(store.ActionAgentUpdate))) {
		t.Fatalf("next page link %q loses the filter", next)
	}
	// Entries written meanwhile do not shift the next page.
	for range 5 {
		app.st.RecordAudit(ctx, store.AuditEntry{ActorID: tm.admin.ID, Action: store.ActionAgentUpdate, Details: "later"})
	}
	rows = auditDetails(c.get(next).wantStatus(http.StatusOK))
	if len(rows) != 50 || rows[0] != "edit 069" || rows[49] != "edit 020" {
		t.Fatalf("second page: %d rows %q … %q", len(rows), rows[0], rows[len(rows)-1])
	}
}

func TestAuditLog_ExportCSVIsTheFilteredLogAndSafeInASpreadsheet(t *testing.T) {
	app, tm := auditWorld(t)
	agent := app.signedIn(tm.agent)
	agent.get(views.PathAuditExport).wantStatus(http.StatusForbidden)
	app.client().get(views.PathAuditExport).wantRedirect(views.PathSignIn)

	c := app.signedIn(tm.admin)
	link, _ := c.get(views.PathAudit + "?who=" + idString(tm.creator.ID)).doc().Find("#audit-export").Attr("href")
	if !strings.HasPrefix(link, views.PathAuditExport+"?") || !strings.Contains(link, "who="+idString(tm.creator.ID)) {
		t.Fatalf("Export CSV link %q does not carry the filter", link)
	}
	r := c.get(link).wantStatus(http.StatusOK)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(r.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export headers %q %q", ct, r.header.Get("Content-Disposition"))
	}
	recs, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 2 || strings.Join(recs[0], ",") != "Time,Who,What,Action code,Details,IP address" {
		t.Fatalf("export: %q", recs)
	}
	var ban []string
	for _, rec := range recs[1:] {
		if rec[1] != tm.creator.Name {
			t.Errorf("a row of someone else: %q", rec)
		}
		if rec[3] == string(store.ActionBanAdd) {
			ban = rec
		}
	}
	if ban == nil || ban[2] != "Banned an IP address" || ban[4] != `'=HYPERLINK("http://evil")` {
		t.Fatalf("the ban row %q", ban)
	}

	all, _ := csv.NewReader(strings.NewReader(c.get(views.PathAuditExport).wantStatus(http.StatusOK).body)).ReadAll()
	var n int
	app.st.EachAudit(context.Background(), store.AuditFilter{}, func(store.AuditEntry) error { n++; return nil })
	if len(all) != n+1 {
		t.Fatalf("the unfiltered export has %d rows, the log %d entries", len(all)-1, n)
	}
}
