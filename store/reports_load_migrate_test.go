package store

import (
	"context"
	"testing"
	"time"

	"helpline/authz"
)

// A desk with tickets before migration 0029 gets its queue now, and its
// history from the hour of the migration on: the hours before show no
// queue rather than a made-up one.
func TestMigrate0029_KeepsTheQueueFromTheTicketsNow(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	if err := s.migrate(ctx, shippedMigrations(t, func(v int64) bool { return v < 29 })); err != nil {
		t.Fatal(err)
	}
	o := signUpOwner(t, s)
	v := authz.Viewer{ID: o.ID, Perms: authz.BuiltinPerms(authz.RoleOwner)}
	dep := addDept(t, s, "Support")
	contactTicket(t, s, dep, "One", "Body")
	contactTicket(t, s, dep, "Two", "Body")
	if err := s.migrate(ctx, shippedMigrations(t, all)); err != nil {
		t.Fatal(err)
	}
	s.forgetReads()
	now := time.Now().UTC().Truncate(time.Hour)
	f := ReportFilter{From: now.Add(-2 * time.Hour), To: now.Add(time.Hour), DepartmentID: dep}
	hours, err := s.ReportTicketLoad(ctx, v, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(hours) != 3 || hours[0].QueueKnown || hours[1].QueueKnown || !hours[2].QueueKnown || hours[2].QueueHigh != 2 || hours[2].QueueLow != 2 {
		t.Fatalf("hours %+v: want the queue of 2 known from the migration's hour only", hours)
	}
	// The trigger counts from here on.
	contactTicket(t, s, dep, "Three", "Body")
	if hours, err = s.ReportTicketLoad(ctx, v, f); err != nil {
		t.Fatal(err)
	}
	if h := hours[2]; h.QueueHigh != 3 || h.QueueLow != 2 {
		t.Errorf("after a third ticket the hour's queue is %d to %d, want 2 to 3", h.QueueLow, h.QueueHigh)
	}
}
