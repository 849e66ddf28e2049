package store

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"
)

// TestReportCreationRate measures what the report triggers cost a new
// ticket: with HELPLINE_CREATION_RATE set, it creates tickets from the
// contact form on a fresh desk (SQLite or PostgreSQL, as the other tests)
// in five rounds of 400 and logs the median rate. It asserts nothing about
// time: run it before and after a change to the triggers.
func TestReportCreationRate(t *testing.T) {
	if os.Getenv("HELPLINE_CREATION_RATE") == "" {
		t.Skip("HELPLINE_CREATION_RATE measures ticket creation")
	}
	w := newTicketWorld(t)
	ctx := context.Background()
	var rates []float64
	for round := range 5 {
		start := time.Now()
		for i := range 400 {
			in := NewTicketInput{Subject: fmt.Sprint("Ticket ", round, i), Body: "Hello", Channel: ChannelContactForm,
				Priority: PriorityNormal, DepartmentID: w.sales, ContactName: "Carla", ContactEmail: fmt.Sprintf("c%d@example.com", i%50)}
			if _, err := w.s.CreateTicket(ctx, nil, in); err != nil {
				t.Fatal(err)
			}
		}
		rates = append(rates, 400/time.Since(start).Seconds())
	}
	slices.Sort(rates)
	t.Logf("ticket creation: median %.0f/s (rounds %.0f)", rates[2], rates)
}
