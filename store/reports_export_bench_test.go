package store_test

import (
	"context"
	"testing"
	"time"

	"helpline/store"
)

// BenchmarkExportTickets_Year reads Export tickets of the last year of the
// shared demo desk (every ticket of it) as an Administrator, and reports
// rows/s beside the time and allocations of one whole export.
func BenchmarkExportTickets_Year(b *testing.B) {
	d := sharedDesk(b)
	ctx := context.Background()
	now := time.Now()
	f := store.ReportFilter{From: now.AddDate(-1, 0, 0), To: now.Add(time.Hour)}
	rows := 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := d.s.ExportTickets(ctx, d.admin, f, func(*store.ExportedTicket) error { rows++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	if rows < b.N*d.tickets/2 {
		b.Fatalf("%d rows in %d exports of a desk of %d tickets", rows, b.N, d.tickets)
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
}
