package jobs

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"helpline/store"
	"helpline/store/storetest"
)

// A renewal the job missed while no server ran is made when it starts, and
// running it again, or from a second instance, makes nothing more.
func TestRenewBilling_CatchesUpAtStartAndIsIdempotent(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.DSN(t)
	open := func() *store.Store {
		st, err := store.Open(dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return st
	}
	a, b := open(), open()
	start := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	now := start
	clock := func() time.Time { return now }
	a.SetClock(clock)
	b.SetClock(clock)
	if _, err := a.SignUp(ctx, store.SignUpInput{Company: "Acme", Name: "Olivia Owner", Email: "owner@example.com", PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	// Down from before the trial ended until two months later.
	now = start.AddDate(0, 2, 20)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ra := NewRunner(log, deskJob(t, a, "renew billing"))
	rb := NewRunner(log, deskJob(t, b, "renew billing"))
	ra.Start(ctx)
	rb.Start(ctx)
	// The first round runs at start: the missed renewals are made without
	// waiting for the job's next tick (a minute away).
	storetest.Eventually(t, "the renewals missed while down", func() bool {
		in, err := b.Invoices(ctx)
		return err == nil && len(in) == 3 && in[2].Overdue
	})
	ra.Stop()
	rb.Stop()
	for _, j := range []Job{deskJob(t, a, "renew billing"), deskJob(t, b, "renew billing")} {
		if err := j.Run(ctx, log); err != nil {
			t.Fatal(err)
		}
	}
	in, err := a.Invoices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Trial to 24 January; periods from 24 January, 24 February, 24 March.
	if len(in) != 3 || in[0].Number != "INV-000003" || !in[0].Period.Start.Equal(time.Date(2026, 3, 24, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("%d invoices after the catch-up: %+v", len(in), in)
	}
	if !in[2].Overdue || in[0].Overdue {
		t.Fatalf("overdue marks: oldest %v, newest %v", in[2].Overdue, in[0].Overdue)
	}
}
