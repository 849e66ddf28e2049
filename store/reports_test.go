package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"helpline/authz"
)

// reportDesk is a small desk with known answers (times UTC; Warsaw is an
// hour ahead in January):
//   - A, contact form to Sales, 10 Jan 23:30 (11 Jan in Warsaw): Ann
//     replies after 60 min and notes, the Administrator assigns it to Ann
//     after 90, Ann resolves it after 180; the customer writes again, Ann
//     replies and resolves again (a second answer, not a second resolve).
//   - B, a call Bea logs in Support on 11 Jan 10:00: Bob replies after 30
//     min; then it moves to Sales.
//   - C, contact form to Support on 11 Jan 12:00, untouched.
type reportDesk struct {
	*ticketWorld
	jan11 ReportFilter
	loc   *time.Location
}

// reportReads are the ways a report reads its figures, each test runs
// under all: the hours (the desk's zone is UTC, so a Warsaw day is not whole
// days of the rollups), the day rollups kept as the tickets changed (the
// zone set first), and the day rollups rebuilt when the zone changed last.
var reportReads = []struct {
	name                string
	zoneFirst, zoneLast bool
}{{"hours", false, false}, {"days kept", true, false}, {"days rebuilt", false, true}}

// setDeskZone saves the desk's zone as an Administrator would.
func setDeskZone(t *testing.T, w *ticketWorld, zone string) {
	t.Helper()
	if err := w.s.SaveSettings(context.Background(), w.admin.ID, Settings{CompanyName: "Acme", TimeZone: zone}, ""); err != nil {
		t.Fatal(err)
	}
}

func newReportDesk(t *testing.T) *reportDesk {
	return newReportDeskRead(t, reportReads[0].zoneFirst, reportReads[0].zoneLast)
}

func newReportDeskRead(t *testing.T, zoneFirst, zoneLast bool) *reportDesk {
	t.Helper()
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	if zoneFirst {
		setDeskZone(t, w, "Europe/Warsaw")
	}
	var clock time.Time
	s.SetClock(func() time.Time { return clock })
	at := func(day, h, m int) { clock = time.Date(2026, 1, day, h, m, 0, 0, time.UTC) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	at(10, 23, 30)
	a := contactTicket(t, s, w.sales, "A", "hello")
	at(11, 0, 30)
	must(s.Reply(ctx, w.annV, a, "answer"))
	must(s.AddNote(ctx, w.annV, a, "note"))
	at(11, 1, 0)
	must(s.Assign(ctx, w.adminV, a, w.ann.ID))
	at(11, 2, 30)
	must(s.SetStatus(ctx, w.annV, a, TicketResolved))
	at(11, 3, 30)
	must(s.CustomerReply(ctx, a, "again"))
	at(11, 4, 30)
	must(s.Reply(ctx, w.annV, a, "answer 2"))
	at(11, 5, 30)
	must(s.SetStatus(ctx, w.annV, a, TicketResolved))
	at(11, 10, 0)
	bea := w.both.Viewer()
	b, err := s.CreateTicket(ctx, &bea, NewTicketInput{Subject: "B", Body: "call", Channel: ChannelCall, Priority: PriorityNormal,
		DepartmentID: w.support, ContactName: "Carl", ContactEmail: "carl@example.com"})
	must(err)
	at(11, 10, 30)
	must(s.Reply(ctx, w.bobV, b, "answer"))
	at(11, 12, 0)
	contactTicket(t, s, w.support, "C", "hello")
	at(11, 13, 0)
	must(s.Transfer(ctx, w.adminV, b, w.sales))
	at(12, 9, 0)
	if zoneLast {
		setDeskZone(t, w, "Europe/Warsaw")
	}

	loc, err := time.LoadLocation("Europe/Warsaw")
	must(err)
	from := time.Date(2026, 1, 11, 0, 0, 0, 0, loc)
	return &reportDesk{ticketWorld: w, loc: loc, jan11: ReportFilter{From: from, To: from.AddDate(0, 0, 1)}}
}

func TestReportOverview_Definitions(t *testing.T) {
	for _, read := range reportReads {
		t.Run(read.name, func(t *testing.T) {
			testReportOverviewDefinitions(t, newReportDeskRead(t, read.zoneFirst, read.zoneLast), read.name != "hours")
		})
	}
}

// near says whether a percentile read from the histogram (estimated) is
// within its documented error of the exact want; otherwise it must equal.
func near(got, want time.Duration, estimated bool) bool {
	if !estimated || want == 0 {
		return got == want
	}
	diff := got - want
	return diff.Abs()*100 <= want*5
}

func testReportOverviewDefinitions(t *testing.T, d *reportDesk, estimated bool) {
	ctx := context.Background()
	jan10 := d.jan11
	jan10.From, jan10.To = jan10.From.AddDate(0, 0, -1), jan10.From
	call := d.jan11
	call.Channel = ChannelCall
	sales := d.jan11
	sales.DepartmentID = d.sales
	min := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	for _, tc := range []struct {
		name   string
		v      authz.Viewer
		f      ReportFilter
		want   ReportFigures
		median time.Duration
		p90    time.Duration
		// backlog is New + Open now; -1: not known under this filter
		backlog int64
	}{
		{"the whole day in Warsaw", d.adminV, d.jan11, ReportFigures{Created: 3, Replied: 2, ReplyMs: 90 * 60000, Assigned: 1, AssignMs: 90 * 60000,
			Resolved: 1, ResolveMs: 180 * 60000, Answers: 3, Notes: 1}, min(30), min(60), 1},
		{"a ticket created 23:30 UTC is on the next day in Warsaw", d.adminV, jan10, ReportFigures{}, 0, 0, 1},
		{"calls only", d.adminV, call, ReportFigures{Created: 1, Replied: 1, ReplyMs: 30 * 60000, Answers: 1}, min(30), min(30), -1},
		{"a transferred ticket counts in its department now", d.adminV, sales, ReportFigures{Created: 2, Replied: 2, ReplyMs: 90 * 60000,
			Assigned: 1, AssignMs: 90 * 60000, Resolved: 1, ResolveMs: 180 * 60000, Answers: 3, Notes: 1}, min(30), min(60), 0},
		{"an Agent sees their own", d.annV, d.jan11, ReportFigures{Replied: 1, ReplyMs: 60 * 60000, Assigned: 1, AssignMs: 90 * 60000,
			Resolved: 1, ResolveMs: 180 * 60000, Answers: 2, Notes: 1}, min(60), min(60), 0},
		{"the tickets an agent logged are theirs", d.both.Viewer(), d.jan11, ReportFigures{Created: 1}, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := d.s.ReportOverview(ctx, tc.v, tc.f, d.loc)
			if err != nil {
				t.Fatal(err)
			}
			if o.Totals != tc.want {
				t.Errorf("totals %+v, want %+v", o.Totals, tc.want)
			}
			if !near(o.Median, tc.median, estimated) || !near(o.P90, tc.p90, estimated) {
				t.Errorf("median %v p90 %v, want %v %v", o.Median, o.P90, tc.median, tc.p90)
			}
			if got := map[bool]int64{true: o.Backlog, false: -1}[o.BacklogKnown]; got != tc.backlog {
				t.Errorf("backlog %d, want %d", got, tc.backlog)
			}
			if len(o.Days) != 1 || !o.Days[0].Day.Equal(tc.f.From) || o.Days[0].ReportFigures != tc.want {
				t.Errorf("days %+v, want the one day with the totals", o.Days)
			}
		})
	}
}

func TestReportPerformance_ByAgentAndDepartment(t *testing.T) {
	for _, read := range reportReads {
		t.Run(read.name, func(t *testing.T) {
			testReportPerformance(t, newReportDeskRead(t, read.zoneFirst, read.zoneLast))
		})
	}
}

func testReportPerformance(t *testing.T, d *reportDesk) {
	ctx := context.Background()
	rows, total, err := d.s.ReportPerformance(ctx, d.adminV, d.jan11, GroupByAgent)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]ReportFigures{}
	for _, r := range rows {
		got[r.Name] = r.ReportFigures
	}
	if len(rows) != 5 { // everyone on the team: the Owner, the Administrator, three Agents
		t.Errorf("%d lines, want 5: %+v", len(rows), rows)
	}
	if a := got["Ann Sales"]; a.Answers != 2 || a.Notes != 1 || a.Resolved != 1 || a.Replied != 1 || a.Assigned != 1 || a.AvgResolve() != 3*time.Hour {
		t.Errorf("Ann: %+v", a)
	}
	if b := got["Bob Support"]; b.Answers != 1 || b.Replied != 1 || b.AvgReply() != 30*time.Minute {
		t.Errorf("Bob: %+v", b)
	}
	if total.Answers != 3 || total.Notes != 1 {
		t.Errorf("total %+v", total)
	}
	rows, _, err = d.s.ReportPerformance(ctx, d.adminV, d.jan11, GroupByDepartment)
	if err != nil {
		t.Fatal(err)
	}
	byDept := map[string]ReportFigures{}
	for _, r := range rows {
		byDept[r.Name] = r.ReportFigures
	}
	if byDept["Sales"].Answers != 3 || byDept["Sales"].Created != 2 || byDept["Support"].Created != 1 || byDept["Support"].Answers != 0 {
		t.Errorf("by department: %+v", byDept)
	}
	// An Agent's Performance has their own line only.
	rows, _, err = d.s.ReportPerformance(ctx, d.bobV, d.jan11, GroupByAgent)
	if err != nil || len(rows) != 1 || rows[0].ID != d.bob.ID || rows[0].Answers != 1 {
		t.Errorf("Bob's own performance: %+v, %v", rows, err)
	}
}

func TestReports_AnotherAgentsFiguresAreNotFound(t *testing.T) {
	d := newReportDesk(t)
	ctx := context.Background()
	f := d.jan11
	f.AgentID = d.bob.ID
	if _, err := d.s.ReportOverview(ctx, d.annV, f, d.loc); !errors.Is(err, ErrNotFound) {
		t.Errorf("Ann asking for Bob's overview: %v, want not found", err)
	}
	if _, _, err := d.s.ReportPerformance(ctx, d.annV, f, GroupByAgent); !errors.Is(err, ErrNotFound) {
		t.Errorf("Ann asking for Bob's performance: %v, want not found", err)
	}
	if _, err := d.s.ReportOverview(ctx, d.adminV, f, d.loc); err != nil {
		t.Errorf("the Administrator asking for Bob's: %v", err)
	}
}

func TestReports_SpamAndDeletedTicketsLeaveTheFiguresUntilPutBack(t *testing.T) {
	d := newReportDesk(t)
	ctx := context.Background()
	answers := func() int64 {
		t.Helper()
		o, err := d.s.ReportOverview(ctx, d.adminV, d.jan11, d.loc)
		if err != nil {
			t.Fatal(err)
		}
		return o.Totals.Answers
	}
	var b string
	if err := d.s.r.QueryRow(`SELECT code FROM tickets WHERE subject = 'B'`).Scan(&b); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		to   TicketStatus
		want int64
	}{{TicketSpam, 2}, {TicketDeleted, 2}, {TicketOpen, 3}, {TicketDeleted, 2}, {TicketOpen, 3}} {
		if err := d.s.SetStatus(ctx, d.adminV, b, step.to); err != nil {
			t.Fatal(err)
		}
		if got := answers(); got != step.want {
			t.Errorf("after %s: %d answers, want %d", step.to, got, step.want)
		}
	}
}

// TestQueueDrill_ListsExactlyTheTicketsAReportCounts: for each figure that
// counts tickets, the queue narrowed by the same period and filters lists
// as many tickets as the report says.
func TestQueueDrill_ListsExactlyTheTicketsAReportCounts(t *testing.T) {
	d := newReportDesk(t)
	ctx := context.Background()
	from, to := d.jan11.From, d.jan11.To
	count := func(f QueueFilter) int {
		t.Helper()
		f.Limit = 200
		p, err := d.s.Queue(ctx, d.adminV, f)
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Tickets)
	}
	rows, _, err := d.s.ReportPerformance(ctx, d.adminV, d.jan11, GroupByAgent)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range rows {
		if got := count(QueueFilter{Drill: QueueDrill{ResolvedFrom: from, ResolvedTo: to, ResolvedBy: r.ID}}); got != int(r.Resolved) {
			t.Errorf("%s resolved %d, the queue lists %d", r.Name, r.Resolved, got)
		}
		if got := count(QueueFilter{Drill: QueueDrill{FirstAnsweredFrom: from, FirstAnsweredTo: to, FirstAnsweredBy: r.ID}}); got != int(r.Replied) {
			t.Errorf("%s first answered %d, the queue lists %d", r.Name, r.Replied, got)
		}
		checked += int(r.Resolved + r.Replied)
	}
	if checked == 0 {
		t.Fatal("no figure to check")
	}
	for _, f := range []ReportFilter{d.jan11, {From: from, To: to, DepartmentID: d.sales}, {From: from, To: to, Channel: ChannelCall},
		{From: from.AddDate(0, 0, -1), To: from}} {
		o, err := d.s.ReportOverview(ctx, d.adminV, f, d.loc)
		if err != nil {
			t.Fatal(err)
		}
		q := QueueFilter{DepartmentID: f.DepartmentID, Channel: f.Channel, Drill: QueueDrill{CreatedFrom: f.From, CreatedTo: f.To}}
		if got := count(q); got != int(o.Totals.Created) {
			t.Errorf("%+v: created %d, the queue lists %d", f, o.Totals.Created, got)
		}
		q.Drill = QueueDrill{ResolvedFrom: f.From, ResolvedTo: f.To}
		if got := count(q); got != int(o.Totals.Resolved) {
			t.Errorf("%+v: resolved %d, the queue lists %d", f, o.Totals.Resolved, got)
		}
	}
	// Answers count replies; the queue lists the tickets they went to.
	if got := count(QueueFilter{Drill: QueueDrill{AnsweredFrom: from, AnsweredTo: to, AnsweredBy: d.ann.ID}}); got != 1 {
		t.Errorf("Ann answered %d tickets, want 1 (two replies to A)", got)
	}
}
