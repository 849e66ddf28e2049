package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"helpline/store"
	"helpline/views"
)

func TestGeneral_SavesCompanyAndZoneAndAuditsIt(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	c := app.signedIn(tm.admin)
	page := c.get(views.PathGeneral).wantStatus(http.StatusOK).doc()
	if got := page.Find(`#f-time_zone option[selected]`).AttrOr("value", ""); got != "UTC" {
		t.Fatalf("a new desk's zone shows as %q", got)
	}
	if page.Find(`#f-time_zone option[value="Europe/Warsaw"]`).Length() != 1 || page.Find(`#f-time_zone option`).Length() < 300 {
		t.Fatal("the zones offered are not Go's list")
	}
	c.post(views.PathGeneral, url.Values{"company": {"  Northwind Traders "}, "time_zone": {"Europe/Warsaw"}}).wantRedirect(views.PathGeneral)
	shown := c.get(views.PathGeneral).wantStatus(http.StatusOK)
	if msg := shown.text(".flash"); msg != "The general settings were saved." {
		t.Fatalf("flash %q", msg)
	}
	if got := shown.text(".brand-company"); got != "Northwind Traders" {
		t.Fatalf("top bar shows %q", got)
	}
	st, err := app.st.Settings(context.Background())
	if err != nil || st != (store.Settings{CompanyName: "Northwind Traders", TimeZone: "Europe/Warsaw"}) {
		t.Fatalf("stored %+v, %v", st, err)
	}
	log, _ := app.st.AuditLog(context.Background(), 0, 1)
	if log[0].Action != store.ActionSettingsUpdate || log[0].ActorID != tm.admin.ID {
		t.Fatalf("last audit entry %+v", log[0])
	}
	if got := c.get(views.PathAudit).text("table.audit tbody tr:first-child td:nth-child(3)"); got != "Changed the general settings" {
		t.Fatalf("the audit log names the change %q", got)
	}
}

func TestGeneral_BadInputIs422NextToTheFieldAndStoresNothing(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	c := app.signedIn(tm.creator)
	before, _ := app.st.Settings(context.Background())
	cases := map[string]struct {
		form  url.Values
		field string
		msg   string
	}{
		"no company":       {url.Values{"company": {"  "}, "time_zone": {"UTC"}}, "company", "Please fill this in."},
		"company too long": {url.Values{"company": {strings.Repeat("a", 101)}, "time_zone": {"UTC"}}, "company", "100"},
		"no zone":          {url.Values{"company": {"Acme"}}, "time_zone", "Please fill this in."},
		"unknown zone":     {url.Values{"company": {"Acme"}, "time_zone": {"Mars/Olympus"}}, "time_zone", "Please choose one of the offered options."},
		"server's zone":    {url.Values{"company": {"Acme"}, "time_zone": {"Local"}}, "time_zone", "Please choose one of the offered options."},
	}
	for name, tc := range cases {
		r := c.post(views.PathGeneral, tc.form).wantStatus(http.StatusUnprocessableEntity)
		if msg := r.text("#f-" + tc.field + "-error"); !strings.Contains(msg, tc.msg) {
			t.Errorf("%s: message next to %s is %q", name, tc.field, msg)
		}
		if r.doc().Find("#f-"+tc.field).AttrOr("aria-invalid", "") != "true" {
			t.Errorf("%s: %s is not marked invalid", name, tc.field)
		}
		if name == "unknown zone" && r.doc().Find("#f-company").AttrOr("value", "") != "Acme" {
			t.Errorf("%s: the company typed was not kept", name)
		}
	}
	if after, _ := app.st.Settings(context.Background()); after != before {
		t.Fatalf("refused saves changed the settings: %+v -> %+v", before, after)
	}
	if log, _ := app.st.AuditLog(context.Background(), 0, 1); log[0].Action == store.ActionSettingsUpdate {
		t.Fatal("a refused save was audited")
	}
}

// A ticket made at a known moment shows, after the zone changes, at the
// same moment in the new zone: in the queue, on its page and in the log.
func TestGeneral_ChangedZoneChangesEveryShownTime(t *testing.T) {
	w := newTicketWorld(t)
	app := w.app
	adam := w.as("adam@example.com")
	created := app.ticketAs(w.salesCode).CreatedAt
	timeOf := func(page *response, sel string) (datetime, title, text string) {
		el := page.doc().Find(sel).First()
		if el.Length() == 0 {
			t.Fatalf("no %s on the page", sel)
		}
		return el.AttrOr("datetime", ""), el.AttrOr("title", ""), strings.TrimSpace(el.Text())
	}
	full := func(at time.Time, zone string) string {
		loc, _ := time.LoadLocation(zone)
		d := at.In(loc)
		return d.Format("Monday, 2 January 2006, 15:04") + " (" + zone + ")"
	}
	ticket := views.TicketPath(w.salesCode)
	dt, title, _ := timeOf(adam.get(ticket).wantStatus(http.StatusOK), "dl.details time")
	if dt != created.UTC().Format(time.RFC3339) || title != full(created, "UTC") {
		t.Fatalf("in UTC the ticket's Created is %q titled %q", dt, title)
	}

	adam.post(views.PathGeneral, url.Values{"company": {"Acme"}, "time_zone": {"Asia/Tokyo"}}).wantRedirect(views.PathGeneral)
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	dt, title, text := timeOf(adam.get(ticket).wantStatus(http.StatusOK), "dl.details time")
	if dt != created.In(tokyo).Format(time.RFC3339) || !strings.HasSuffix(dt, "+09:00") || title != full(created, "Asia/Tokyo") ||
		text != created.In(tokyo).Format("2006-01-02 15:04") {
		t.Fatalf("in Tokyo the ticket's Created is %q titled %q showing %q", dt, title, text)
	}
	dt, title, _ = timeOf(adam.get(ticket).wantStatus(http.StatusOK), ".thread time")
	if !strings.HasSuffix(dt, "+09:00") || !strings.HasSuffix(title, "(Asia/Tokyo)") {
		t.Fatalf("a message's time in Tokyo: %q titled %q", dt, title)
	}
	dt, title, _ = timeOf(adam.get(ticket).wantStatus(http.StatusOK), ".last-changed time")
	if !strings.HasSuffix(dt, "+09:00") || !strings.HasSuffix(title, "(Asia/Tokyo)") {
		t.Fatalf("the last-changed time in Tokyo: %q titled %q", dt, title)
	}
	dt, title, _ = timeOf(adam.get(views.PathTickets).wantStatus(http.StatusOK), ".qc-updated time")
	if !strings.HasSuffix(dt, "+09:00") || !strings.HasSuffix(title, "(Asia/Tokyo)") {
		t.Fatalf("the queue's time in Tokyo: %q titled %q", dt, title)
	}
	dt, title, _ = timeOf(adam.get(views.PathAudit).wantStatus(http.StatusOK), "table.audit time")
	if !strings.HasSuffix(dt, "+09:00") || !strings.HasSuffix(title, "(Asia/Tokyo)") {
		t.Fatalf("the audit log's time in Tokyo: %q titled %q", dt, title)
	}
	dt, _, _ = timeOf(adam.get(views.PathAgents).wantStatus(http.StatusOK), "table time")
	if !strings.HasSuffix(dt, "+09:00") {
		t.Fatalf("a last sign-in in Tokyo: %q", dt)
	}

	// The full date is in the reader's language.
	adam.post(views.PathProfile, url.Values{"name": {"Adam Admin"}, "language": {"pl"}}).wantRedirect(views.PathProfile)
	_, title, _ = timeOf(adam.get(ticket).wantStatus(http.StatusOK), "dl time")
	months := []string{"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"}
	d := created.In(tokyo)
	if want := d.Format("2 ") + months[d.Month()-1] + d.Format(" 2006, 15:04") + " (Asia/Tokyo)"; !strings.HasSuffix(title, want) {
		t.Fatalf("Polish full date %q, want it to end %q", title, want)
	}
}
