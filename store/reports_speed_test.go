package store

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"helpline/authz"
)

// TestReportSpeed times each report as an Administrator over a copy of a
// bench desk (HELPLINE_REPORT_DB, migrated here, so never the original):
// ten runs each (HELPLINE_REPORT_RUNS) for the last 30 days and a year,
// median and slowest; with
// HELPLINE_REPORT_EXPORT set, Export tickets of a year instead.
func TestReportSpeed(t *testing.T) {
	path := os.Getenv("HELPLINE_REPORT_DB")
	if path == "" {
		t.Skip("HELPLINE_REPORT_DB names a copy of a bench desk")
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	start := time.Now()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("migrations (and the day rollups, if cut afresh) took %v", time.Since(start).Round(time.Millisecond))
	runs := 10
	if n, err := strconv.Atoi(os.Getenv("HELPLINE_REPORT_RUNS")); err == nil && n > 0 {
		runs = n
	}
	v := authz.Viewer{ID: 1, Perms: authz.BuiltinPerms(authz.RoleAdmin)}
	loc, _ := time.LoadLocation("Europe/Warsaw")
	now := time.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	if os.Getenv("HELPLINE_REPORT_EXPORT") != "" {
		f := ReportFilter{From: today.AddDate(-1, 0, 0), To: today}
		start, n := time.Now(), 0
		if err := s.ExportTickets(ctx, v, f, func(*ExportedTicket) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		t.Logf("Export tickets, a year: %d rows in %v, %.0f rows/s", n, took.Round(time.Millisecond), float64(n)/took.Seconds())
		return
	}
	for _, period := range []struct {
		name string
		f    ReportFilter
	}{{"last 30 days", ReportFilter{From: today.AddDate(0, 0, -30), To: today}}, {"a year", ReportFilter{From: today.AddDate(-1, 0, 0), To: today}}} {
		for _, r := range []struct {
			name string
			run  func() error
		}{
			{"Overview", func() error { _, err := s.ReportOverview(ctx, v, period.f, loc); return err }},
			{"Performance by agent", func() error { _, _, err := s.ReportPerformance(ctx, v, period.f, GroupByAgent); return err }},
			{"Ticket load", func() error { _, err := s.ReportTicketLoad(ctx, v, period.f); return err }},
			{"Tags", func() error { _, err := s.ReportTags(ctx, v, period.f); return err }},
		} {
			var took []time.Duration
			for range runs {
				start := time.Now()
				if err := r.run(); err != nil {
					t.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			t.Logf("%-22s %-12s median %7.1f ms, slowest %7.1f ms", r.name, period.name,
				float64(took[(runs-1)/2].Microseconds())/1000, float64(took[runs-1].Microseconds())/1000)
		}
	}
}
