package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestReportDays_FollowTheDesksZone: a ticket created at 23:30 UTC lands on
// the next day in Europe/Warsaw in the day rollups, and back on its UTC day
// when the desk's zone changes back; the Overview of a Warsaw day reads the
// days only while they are cut in Warsaw.
func TestReportDays_FollowTheDesksZone(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	clock := time.Date(2026, 1, 10, 23, 30, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return clock })
	contactTicket(t, s, w.sales, "late", "hello")
	jan10 := dayNumber(time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC))
	createdOn := func() []int64 {
		t.Helper()
		var days []int64
		rows, err := s.r.Query(`SELECT day FROM report_days WHERE grain = 2 AND created <> 0 ORDER BY day`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var d int64
			if err := rows.Scan(&d); err != nil {
				t.Fatal(err)
			}
			days = append(days, d)
		}
		return days
	}
	if got := createdOn(); !slices.Equal(got, []int64{jan10}) {
		t.Fatalf("UTC desk: created on days %v, want %v", got, []int64{jan10})
	}
	setDeskZone(t, w, "Europe/Warsaw")
	if got := createdOn(); !slices.Equal(got, []int64{jan10 + 1}) {
		t.Fatalf("Warsaw desk: created on days %v, want %v (11 January)", got, []int64{jan10 + 1})
	}
	// Kept, not only rebuilt: the next ticket at 23:30 UTC lands on 12 January.
	clock = clock.AddDate(0, 0, 1)
	contactTicket(t, s, w.sales, "late again", "hello")
	if got := createdOn(); !slices.Equal(got, []int64{jan10 + 1, jan10 + 2}) {
		t.Fatalf("Warsaw desk: created on days %v, want 11 and 12 January", got)
	}
	warsaw, _ := time.LoadLocation("Europe/Warsaw")
	jan11 := ReportFilter{From: time.Date(2026, 1, 11, 0, 0, 0, 0, warsaw), To: time.Date(2026, 1, 12, 0, 0, 0, 0, warsaw)}
	if _, whole, err := s.reportDayPeriod(ctx, jan11); err != nil || !whole {
		t.Fatalf("a Warsaw day on a Warsaw desk: whole days %v, %v", whole, err)
	}
	o, err := s.ReportOverview(ctx, w.adminV, jan11, warsaw)
	if err != nil || o.Totals.Created != 1 {
		t.Fatalf("Overview of 11 January in Warsaw: %+v, %v", o.Totals, err)
	}
	setDeskZone(t, w, "UTC")
	if got := createdOn(); !slices.Equal(got, []int64{jan10, jan10 + 1}) {
		t.Fatalf("back to UTC: created on days %v, want 10 and 11 January", got)
	}
	if _, whole, err := s.reportDayPeriod(ctx, jan11); err != nil || whole {
		t.Fatalf("a Warsaw day on a UTC desk: whole days %v, %v; want hours", whole, err)
	}
	o, err = s.ReportOverview(ctx, w.adminV, jan11, warsaw)
	if err != nil || o.Totals.Created != 1 {
		t.Fatalf("Overview of 11 January in Warsaw read from hours: %+v, %v", o.Totals, err)
	}
}

// TestReportDays_PercentilesWithinTheirErrorOfTheExact answers tickets after
// known random times and compares the Overview's median and 90th
// percentile, read from the histogram, with the exact nearest rank.
func TestReportDays_PercentilesWithinTheirErrorOfTheExact(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	setDeskZone(t, w, "Europe/Warsaw")
	warsaw, _ := time.LoadLocation("Europe/Warsaw")
	day := time.Date(2026, 2, 3, 0, 0, 0, 0, warsaw)
	var clock time.Time
	s.SetClock(func() time.Time { return clock })
	rng := rand.New(rand.NewPCG(14, 1))
	var exact []int64
	for i := range 40 {
		clock = day.Add(time.Duration(i) * 10 * time.Minute)
		code := contactTicket(t, s, w.sales, fmt.Sprint("T", i), "hello")
		wait := time.Duration(rng.IntN(10*3600)+1) * time.Second
		clock = clock.Add(wait)
		if err := s.Reply(ctx, w.annV, code, "answer"); err != nil {
			t.Fatal(err)
		}
		exact = append(exact, wait.Milliseconds())
	}
	slices.Sort(exact)
	f := ReportFilter{From: day, To: day.AddDate(0, 0, 2)}
	o, err := s.ReportOverview(ctx, w.adminV, f, warsaw)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want time.Duration
	}{{"median", o.Median, percentile(exact, 50)}, {"90th percentile", o.P90, percentile(exact, 90)}} {
		if !near(c.got, c.want, true) {
			t.Errorf("%s %v, exact %v: more than 5%% off", c.name, c.got, c.want)
		}
		if c.got == c.want {
			t.Logf("%s %v equals the exact value by chance", c.name, c.got)
		}
	}
	if o.Totals.Replied != 40 {
		t.Errorf("%d first answers, want 40", o.Totals.Replied)
	}
}

// TestReportDays_BucketsCoverEveryTimeWithinFivePercent checks every bucket
// the database assigns against the estimate a report shows for it.
func TestReportDays_BucketsCoverEveryTimeWithinFivePercent(t *testing.T) {
	s := newTestStore(t)
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		ms := int64(rng.Float64()*rng.Float64()*float64(90*24*time.Hour/time.Millisecond)) + 1000
		var k int64
		if err := s.r.QueryRow(`SELECT bucket FROM report_buckets WHERE lo_ms <= ? ORDER BY lo_ms DESC LIMIT 1`, ms).Scan(&k); err != nil {
			t.Fatal(err)
		}
		got, want := bucketEstimate(k), time.Duration(ms)*time.Millisecond
		if (got-want).Abs()*100 > want*5 {
			t.Fatalf("%v falls in bucket %d, shown as %v: more than 5%% off", want, k, got)
		}
	}
}

// TestReportTicketLoad_LongPeriodsDrawDays: past a week the Ticket load has
// a row per local day, whose figures are its hours' (tickets created
// summed, the queue's largest and smallest of any hour); up to a week it
// stays hour by hour.
func TestReportTicketLoad_LongPeriodsDrawDays(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	setDeskZone(t, w, "Europe/Warsaw")
	warsaw, _ := time.LoadLocation("Europe/Warsaw")
	var clock time.Time
	s.SetClock(func() time.Time { return clock })
	clock = time.Date(2026, 3, 10, 22, 30, 0, 0, time.UTC) // 23:30 in Warsaw, 10 March
	a := contactTicket(t, s, w.sales, "A", "hello")
	clock = clock.Add(time.Hour) // 11 March in Warsaw
	contactTicket(t, s, w.sales, "B", "hello")
	clock = clock.Add(time.Hour)
	if err := s.SetStatus(ctx, w.adminV, a, TicketResolved); err != nil {
		t.Fatal(err)
	}
	clock = time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC)
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, warsaw)
	rows, err := s.ReportTicketLoad(ctx, w.adminV, ReportFilter{From: from, To: from.AddDate(0, 0, 40)})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 40 || !rows[0].Day || !rows[0].Hour.Equal(from) {
		t.Fatalf("%d rows, first %+v; want 40 days from 1 March", len(rows), rows[0])
	}
	var created int64
	for _, r := range rows {
		created += r.Created
	}
	mar10, mar11 := rows[9], rows[10]
	if created != 2 || mar10.Created != 1 || mar11.Created != 1 {
		t.Errorf("created %d in all, 10 March %d, 11 March %d; want 2, 1, 1", created, mar10.Created, mar11.Created)
	}
	// On 11 March the queue went from 1 to 2 and back to 1 (A resolved).
	if !mar11.QueueKnown || mar11.QueueHigh != 2 || mar11.QueueLow != 1 {
		t.Errorf("11 March queue %+v; want largest 2, smallest 1", mar11)
	}
	if !mar10.QueueKnown || mar10.QueueHigh != 1 || mar10.QueueLow != 0 {
		t.Errorf("10 March queue %+v; want largest 1, smallest 0", mar10)
	}
	rows, err = s.ReportTicketLoad(ctx, w.adminV, ReportFilter{From: from, To: from.AddDate(0, 0, 7)})
	if err != nil || len(rows) != 7*24 || rows[0].Day {
		t.Fatalf("a week: %d rows (day %v), %v; want its hours", len(rows), len(rows) > 0 && rows[0].Day, err)
	}
}

// TestReportPerformance_MonthsAndDaysAddUpAsTheHours: Performance by agent
// over whole months and the days at their ends (read from the months and
// the days) equals the same period read hour by hour.
func TestReportPerformance_MonthsAndDaysAddUpAsTheHours(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	setDeskZone(t, w, "Europe/Warsaw")
	warsaw, _ := time.LoadLocation("Europe/Warsaw")
	var clock time.Time
	s.SetClock(func() time.Time { return clock })
	start := time.Date(2026, 1, 14, 22, 0, 0, 0, time.UTC)
	for i := range 30 {
		clock = start.Add(time.Duration(i) * 41 * time.Hour)
		code := contactTicket(t, s, w.sales, fmt.Sprint("T", i), "hello")
		clock = clock.Add(time.Duration(i+1) * 7 * time.Minute)
		v := []Agent{w.ann, w.both}[i%2].Viewer()
		if err := s.Reply(ctx, v, code, "answer"); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			if err := s.SetStatus(ctx, v, code, TicketResolved); err != nil {
				t.Fatal(err)
			}
		}
	}
	f := ReportFilter{From: time.Date(2026, 1, 15, 0, 0, 0, 0, warsaw), To: time.Date(2026, 3, 10, 0, 0, 0, 0, warsaw)}
	if p, whole, _ := s.reportDayPeriod(ctx, f); !whole {
		t.Fatal("not read from the days")
	} else if a, b := monthsWithin(p); a >= b {
		t.Fatal("no whole month in the period")
	}
	hours := ReportFilter{From: f.From.Add(time.Millisecond), To: f.To.Add(-time.Millisecond)}
	got, gotTotal, err := s.ReportPerformance(ctx, w.adminV, f, GroupByAgent)
	if err != nil {
		t.Fatal(err)
	}
	want, wantTotal, err := s.ReportPerformance(ctx, w.adminV, hours, GroupByAgent)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) || gotTotal != wantTotal || wantTotal.Replied < 20 {
		t.Errorf("from months and days %+v (%+v),\nfrom hours %+v (%+v)", got, gotTotal, want, wantTotal)
	}
}
