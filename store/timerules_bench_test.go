package store_test

import (
	"context"
	"testing"
	"time"

	"helpline/automation"
	"helpline/store"
)

// BenchmarkTimeRules_MinuteRun times the minute's run of four active time
// rules, one of each Apply when (an hour; status is open; add a tag), over
// the shared demo desk (HELPLINE_BENCH_TICKETS tickets), its new and open
// tickets due eight hours after they came. Each iteration is the next
// minute's run, the windows sweeping through the desk's busiest week. The
// target: under a second on a desk of a million tickets. The run reads
// index ranges of a minute's moments, so its cost follows the tickets whose
// moment falls in that minute, not the desk's size: tickets/run says how
// many that was.
func BenchmarkTimeRules_MinuteRun(b *testing.B) {
	d := sharedDesk(b)
	s := d.s
	ctx := context.Background()
	w, r := s.TestPools()
	if _, err := w.ExecContext(ctx, `UPDATE tickets SET sla_due = created_at + 8 * 3600000 WHERE status IN ('new', 'open') AND sla_due IS NULL`); err != nil {
		b.Fatal(err)
	}
	var owner, newest int64
	if err := r.QueryRowContext(ctx, `SELECT id FROM agents WHERE role = 'owner' ORDER BY id LIMIT 1`).Scan(&owner); err != nil {
		b.Fatal(err)
	}
	if err := r.QueryRowContext(ctx, `SELECT max(created_at) FROM tickets`).Scan(&newest); err != nil {
		b.Fatal(err)
	}
	// A week before the newest ticket, in the working day.
	now := time.UnixMilli(newest).Add(-7 * 24 * time.Hour).Truncate(24 * time.Hour).Add(9 * time.Hour)
	s.SetClock(func() time.Time { return now })
	defer s.SetClock(time.Now)
	var ids []int64
	for _, k := range automation.TimeKinds {
		id, err := s.CreateTimeRule(ctx, owner, store.TimeRuleInput{Active: true, Name: "Bench " + string(k), ApplyWhen: k, After: time.Hour,
			Definition: automation.Definition{
				Groups:  []automation.Group{{Conditions: []automation.Condition{{Subject: automation.OnStatus, Op: automation.Is, Value: "open"}}}},
				Actions: []automation.Action{{Kind: automation.AddTag, Value: "bench-late"}},
			}}, "")
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	defer func() {
		for _, id := range ids {
			_ = s.RemoveTimeRule(ctx, owner, id, "")
		}
	}()
	looked, applied := 0, 0
	var slowest time.Duration
	b.ResetTimer()
	for b.Loop() {
		now = now.Add(time.Minute)
		start := time.Now()
		run, err := s.RunTimeRules(ctx)
		if err != nil {
			b.Fatal(err)
		}
		slowest = max(slowest, time.Since(start))
		looked += run.Looked
		applied += run.Applied
	}
	b.ReportMetric(float64(looked)/float64(b.N), "tickets/run")
	b.ReportMetric(float64(applied)/float64(b.N), "applied/run")
	b.ReportMetric(float64(slowest.Microseconds())/1000, "slowest-ms")
	b.ReportMetric(float64(d.tickets), "desk-tickets")
}
