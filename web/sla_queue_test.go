package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"helpline/bizhours"
	"helpline/store"
	"helpline/views"
)

// roundTheClock is a default level whose business time is real time, so
// due times follow from the wall clock: first answer 1h.
func roundTheClock(t *testing.T, app *testApp, actorID int64) {
	t.Helper()
	l := store.SLALevel{Name: "Always", FirstAnswer: time.Hour, TimeZone: "UTC", Default: true}
	for d := range l.Week {
		l.Week[d] = []bizhours.Interval{{Start: 0, End: 24 * 60}}
	}
	if _, err := app.st.CreateSLALevel(context.Background(), actorID, l); err != nil {
		t.Fatal(err)
	}
}

func TestQueueDue_ColumnSortOverdueFilterAndTicketTargets(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	admin := app.signedIn(tm.admin)
	roundTheClock(t, app, tm.admin.ID)
	dept := app.department("Support")

	// A ticket created two hours ago is an hour overdue; one created now
	// is due in an hour; one without a level has no due time.
	twoHoursAgo := time.Now().Add(-2 * time.Hour)
	app.st.SetClock(func() time.Time { return twoHoursAgo })
	late := app.ticket(dept, "Late one")
	app.st.SetClock(time.Now)
	fresh := app.ticket(dept, "Fresh one")

	rows := admin.get(views.PathTickets + "?sort=due").wantStatus(200).doc().Find("#tickets tr")
	if rows.Length() != 2 || !strings.Contains(rows.Eq(0).Text(), late) || !strings.Contains(rows.Eq(1).Text(), fresh) {
		t.Fatalf("Due order: %q", rows.Text())
	}
	if got := strings.TrimSpace(rows.Eq(0).Find(".qc-due .badge").Text()); got != "Overdue" {
		t.Fatalf("the late ticket's Due cell says %q", got)
	}
	if rows.Eq(1).Find(".qc-due .badge").Length() != 0 || rows.Eq(1).Find(".qc-due time").Length() != 1 {
		t.Fatalf("the fresh ticket's Due cell: %q", rows.Eq(1).Find(".qc-due").Text())
	}
	overdue := admin.get(views.PathTickets + "?overdue=1").wantStatus(200).doc().Find("#tickets tr")
	if overdue.Length() != 1 || !strings.Contains(overdue.Text(), late) {
		t.Fatalf("Overdue filter: %q", overdue.Text())
	}

	lateDue := app.ticketAs(late).Due
	if want := twoHoursAgo.Add(time.Hour); lateDue.UnixMilli() != want.UnixMilli() {
		t.Fatalf("late ticket due %v, want %v", lateDue, want)
	}
	page := admin.get(views.TicketPath(late)).wantStatus(200).doc()
	target := page.Find("#sla-first_answer")
	if dt, _ := target.Find("time").Attr("datetime"); dt != lateDue.UTC().Format(time.RFC3339) {
		t.Fatalf("first answer due %q, want %q", dt, lateDue.UTC().Format(time.RFC3339))
	}
	if got := target.Find(".badge").Text(); !strings.HasPrefix(got, "Overdue by 1 h") {
		t.Fatalf("late ticket says %q", got)
	}
	page = admin.get(views.TicketPath(fresh)).wantStatus(200).doc()
	if got := page.Find("#sla-first_answer .muted").Text(); !strings.HasSuffix(got, "min left") {
		t.Fatalf("fresh ticket says %q", got)
	}
	if got := page.Find("#ticket-sla").Text(); !strings.Contains(got, "Level: Always") {
		t.Fatalf("ticket SLA card %q", got)
	}
}
