package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// slaDesk is a week of the Gold level (first answer 1h, next answer 2h,
// resolution 8h, Mon–Fri 9–17 Warsaw) on the ticket world, every ticket
// created Monday 7 December at 9:00:
//
//	T1 Sales:   Ann replies 9:30 (first met); customer 10:00, Ann 12:30
//	            (next due 12:00: missed); Ann resolves 13:00 (due 17:00: met).
//	T2 Sales:   Bea replies 11:00 (first due 10:00: missed); Bea resolves
//	            Tuesday 10:00 (due Monday 17:00: missed).
//	T3 Support: Bob replies 9:10 (first met); customer 9:20, Bob 9:40 (next
//	            met); customer 10:00, Bob 13:00 (next due 12:00: missed).
//	T4 Support: Bob replies 9:30 (first met); then transferred to Sales, so
//	            it counts under Sales, as the queue shows it.
//	T5 Support: Bob replies 9:05 (first met), then Spam: left out.
//	T6 Sales:   never answered: overdue, but no clock stopped, no outcome.
type slaDesk struct {
	*ticketWorld
	codes map[string]string
	week  ReportFilter
	tue   ReportFilter
}

func newSLADesk(t *testing.T) slaDesk {
	t.Helper()
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	if _, err := s.CreateSLALevel(ctx, w.admin.ID, gold(true)); err != nil {
		t.Fatal(err)
	}
	now := warsawAt(t, 7, 9, 0)
	s.SetClock(func() time.Time { return now })
	at := func(day, h, m int) { now = warsawAt(t, day, h, m) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	d := slaDesk{ticketWorld: w, codes: map[string]string{}}
	for _, n := range []struct {
		name string
		dept int64
	}{{"T1", w.sales}, {"T2", w.sales}, {"T3", w.support}, {"T4", w.support}, {"T5", w.support}, {"T6", w.sales}} {
		d.codes[n.name] = contactTicket(t, s, n.dept, n.name, "Help")
	}
	c := d.codes
	bea := w.both.Viewer()
	at(7, 9, 5)
	must(s.Reply(ctx, w.bobV, c["T5"], "Hi"))
	must(s.SetStatus(ctx, w.bobV, c["T5"], TicketSpam))
	at(7, 9, 10)
	must(s.Reply(ctx, w.bobV, c["T3"], "Hi"))
	at(7, 9, 20)
	must(s.CustomerReply(ctx, c["T3"], "More"))
	at(7, 9, 30)
	must(s.Reply(ctx, w.annV, c["T1"], "Hi"))
	must(s.Reply(ctx, w.bobV, c["T4"], "Hi"))
	must(s.Transfer(ctx, w.adminV, c["T4"], w.sales))
	at(7, 9, 40)
	must(s.Reply(ctx, w.bobV, c["T3"], "Answer"))
	at(7, 10, 0)
	must(s.CustomerReply(ctx, c["T1"], "More"))
	must(s.CustomerReply(ctx, c["T3"], "Again"))
	at(7, 11, 0)
	must(s.Reply(ctx, w.both.Viewer(), c["T2"], "Hi"))
	at(7, 12, 30)
	must(s.Reply(ctx, w.annV, c["T1"], "Answer"))
	at(7, 13, 0)
	must(s.SetStatus(ctx, w.annV, c["T1"], TicketResolved))
	must(s.Reply(ctx, w.bobV, c["T3"], "Late answer"))
	at(8, 10, 0)
	must(s.SetStatus(ctx, bea, c["T2"], TicketResolved))
	at(11, 12, 0)
	loc := warsawAt(t, 1, 0, 0).Location()
	d.week = ReportFilter{From: time.Date(2026, 12, 7, 0, 0, 0, 0, loc), To: time.Date(2026, 12, 14, 0, 0, 0, 0, loc)}
	d.tue = ReportFilter{From: time.Date(2026, 12, 8, 0, 0, 0, 0, loc), To: time.Date(2026, 12, 9, 0, 0, 0, 0, loc)}
	return d
}

// counts are met/missed of First answer, Next answer and Resolution.
type slaCounts [3]SLACount

func slaLine(rows []SLARow, id int64) (slaCounts, bool) {
	for _, r := range rows {
		if r.ID == id {
			return r.Targets, true
		}
	}
	return slaCounts{}, false
}

func TestReportSLA_MetAndMissedByHand(t *testing.T) {
	d := newSLADesk(t)
	ctx := context.Background()
	r, err := d.s.ReportSLA(ctx, d.adminV, d.week)
	if err != nil {
		t.Fatal(err)
	}
	m := func(met, missed int64) SLACount { return SLACount{Met: met, Missed: missed} }
	for _, c := range []struct {
		name string
		rows []SLARow
		id   int64
		want slaCounts
	}{
		{"Sales", r.Departments, d.sales, slaCounts{m(2, 1), m(0, 1), m(1, 1)}},
		{"Support", r.Departments, d.support, slaCounts{m(1, 0), m(1, 1), m(0, 0)}},
		{"Ann", r.Agents, d.ann.ID, slaCounts{m(1, 0), m(0, 1), m(1, 0)}},
		{"Bea", r.Agents, d.both.ID, slaCounts{m(0, 1), m(0, 0), m(0, 1)}},
		{"Bob", r.Agents, d.bob.ID, slaCounts{m(2, 0), m(1, 1), m(0, 0)}},
	} {
		got, ok := slaLine(c.rows, c.id)
		if !ok || got != c.want {
			t.Errorf("%s: %v (listed %v), want %v", c.name, got, ok, c.want)
		}
	}
	if want := (slaCounts{m(3, 1), m(1, 2), m(1, 1)}); r.Total.Targets != want {
		t.Errorf("total %v, want %v", r.Total.Targets, want)
	}
	if len(r.Agents) != 3 || len(r.Departments) != 2 {
		t.Errorf("lines: %d agents, %d departments", len(r.Agents), len(r.Departments))
	}

	// Tuesday holds only T2's missed resolution.
	r, err = d.s.ReportSLA(ctx, d.adminV, d.tue)
	if err != nil {
		t.Fatal(err)
	}
	if want := (slaCounts{m(0, 0), m(0, 0), m(0, 1)}); r.Total.Targets != want {
		t.Errorf("Tuesday %v, want %v", r.Total.Targets, want)
	}

	// Filters: Support only; Bob only.
	f := d.week
	f.DepartmentID = d.support
	if r, err = d.s.ReportSLA(ctx, d.adminV, f); err != nil || r.Total.Targets != (slaCounts{m(1, 0), m(1, 1), m(0, 0)}) {
		t.Errorf("Support filter: %v, %v", r.Total.Targets, err)
	}
	f = d.week
	f.AgentID = d.bob.ID
	if r, err = d.s.ReportSLA(ctx, d.adminV, f); err != nil || r.Total.Targets != (slaCounts{m(2, 0), m(1, 1), m(0, 0)}) || len(r.Agents) != 1 {
		t.Errorf("Bob filter: %v, %d agents, %v", r.Total.Targets, len(r.Agents), err)
	}
}

// An Agent reads their own line only; asking for another's is not found.
func TestReportSLA_AgentSeesOwnLineOnly(t *testing.T) {
	d := newSLADesk(t)
	ctx := context.Background()
	r, err := d.s.ReportSLA(ctx, d.annV, d.week)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Agents) != 1 || r.Agents[0].ID != d.ann.ID || r.Total.Targets != r.Agents[0].Targets {
		t.Errorf("Ann sees %+v, total %v", r.Agents, r.Total.Targets)
	}
	f := d.week
	f.AgentID = d.bob.ID
	if _, err := d.s.ReportSLA(ctx, d.annV, f); !errors.Is(err, ErrNotFound) {
		t.Errorf("Ann reading Bob's line: %v, want not found", err)
	}
}

// Each figure's drill-down lists as many tickets in the queue as the figure
// says.
func TestReportSLA_DrillDownListsTheCountedTickets(t *testing.T) {
	d := newSLADesk(t)
	ctx := context.Background()
	r, err := d.s.ReportSLA(ctx, d.adminV, d.week)
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, want int64, dept, agent int64, i int, met bool) {
		t.Helper()
		page, err := d.s.Queue(ctx, d.adminV, QueueFilter{DepartmentID: dept, Limit: 50,
			SLA: SLADrill{Target: SLATargets[i], Met: met, From: d.week.From, To: d.week.To, Agent: agent}})
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(page.Tickets)) != want {
			t.Errorf("%s %s met=%v: the report says %d, the queue lists %d", name, SLATargets[i], met, want, len(page.Tickets))
		}
	}
	for i := range SLATargets {
		for _, row := range r.Departments {
			check("department", row.Targets[i].Met, row.ID, 0, i, true)
			check("department", row.Targets[i].Missed, row.ID, 0, i, false)
		}
		for _, row := range r.Agents {
			check("agent", row.Targets[i].Met, 0, row.ID, i, true)
			check("agent", row.Targets[i].Missed, 0, row.ID, i, false)
		}
		check("total", r.Total.Targets[i].Met, 0, 0, i, true)
		check("total", r.Total.Targets[i].Missed, 0, 0, i, false)
	}
}

// A reply to a Postponed ticket stops a paused clock: met if it kept
// business time, missed if it was already overdue when paused. A ticket
// resolved in time, reopened and resolved late counts as met on the first
// day and missed on the last (docs/SLA.md).
func TestReportSLA_PausedClocksAndResolvedAgain(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	if _, err := s.CreateSLALevel(ctx, w.admin.ID, gold(true)); err != nil {
		t.Fatal(err)
	}
	now := warsawAt(t, 7, 9, 0)
	s.SetClock(func() time.Time { return now })
	at := func(day, h, m int) { now = warsawAt(t, day, h, m) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	early, late := contactTicket(t, s, w.sales, "Early", "Help"), contactTicket(t, s, w.sales, "Late", "Help")
	at(7, 9, 30)
	must(s.Postpone(ctx, w.annV, early, warsawAt(t, 7, 15, 0))) // keeps 30 minutes of First answer
	at(7, 9, 45)
	must(s.Reply(ctx, w.annV, early, "Hi")) // met
	at(7, 10, 0)
	must(s.SetStatus(ctx, w.annV, early, TicketResolved)) // Resolution due 17:00: met
	at(7, 10, 30)
	must(s.Postpone(ctx, w.annV, late, warsawAt(t, 7, 15, 0))) // First answer due 10:00: keeps nothing
	at(7, 10, 40)
	must(s.Reply(ctx, w.annV, late, "Hi")) // missed
	at(8, 9, 0)
	must(s.CustomerReply(ctx, early, "Broken again")) // Resolution resumes with 7h: due Tuesday 16:00
	at(9, 9, 0)
	must(s.SetStatus(ctx, w.annV, early, TicketResolved)) // missed

	loc := warsawAt(t, 1, 0, 0).Location()
	day := func(d int) ReportFilter {
		return ReportFilter{From: time.Date(2026, 12, d, 0, 0, 0, 0, loc), To: time.Date(2026, 12, d+1, 0, 0, 0, 0, loc)}
	}
	m := func(met, missed int64) SLACount { return SLACount{Met: met, Missed: missed} }
	for _, c := range []struct {
		name string
		f    ReportFilter
		want slaCounts
	}{
		{"Monday", day(7), slaCounts{m(1, 1), m(0, 0), m(1, 0)}},
		{"Tuesday", day(8), slaCounts{}},
		{"Wednesday", day(9), slaCounts{m(0, 0), m(0, 0), m(0, 1)}},
		{"the week", ReportFilter{From: day(7).From, To: day(13).From}, slaCounts{m(1, 1), m(0, 0), m(1, 1)}},
	} {
		r, err := s.ReportSLA(ctx, w.adminV, c.f)
		if err != nil {
			t.Fatal(err)
		}
		if r.Total.Targets != c.want {
			t.Errorf("%s: %v, want %v", c.name, r.Total.Targets, c.want)
		}
	}
}
