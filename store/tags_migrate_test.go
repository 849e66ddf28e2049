package store

import (
	"context"
	"testing"

	"helpline/authz"
)

// A desk tagged before tags had a table of their own gets one row per tag
// with the number of tickets carrying it, and its account offers every
// language with English as default.
func TestMigrate0014_CountsTheTagsTicketsCarryAlready(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	// Tickets are made with today's code, which also reads and writes the
	// tables of later migrations (0020: webhooks, written with every new
	// ticket; 0021: columns today's ticket code reads; 0023: SLA levels,
	// read with every new ticket).
	if err := s.migrate(ctx, shippedMigrations(t, func(v int64) bool { return v < 14 || v == 20 || v == 21 || v == 23 || v == 30 })); err != nil {
		t.Fatal(err)
	}
	o := signUpOwner(t, s)
	v := authz.Viewer{ID: o.ID, Perms: authz.BuiltinPerms(authz.RoleOwner)}
	dep := addDept(t, s, "Support")
	for i, tags := range [][]string{{"vip", "refund"}, {"vip"}, {}} {
		code := contactTicket(t, s, dep, "Ticket", "Body")
		for _, tag := range tags {
			if err := s.AddTag(ctx, v, code, tag); err != nil {
				t.Fatalf("ticket %d: %v", i, err)
			}
		}
	}
	if err := s.migrate(ctx, shippedMigrations(t, all)); err != nil {
		t.Fatal(err)
	}
	s.forgetReads()
	wantKeptCounts(t, s, map[string]int{"vip": 2, "refund": 1})
	// The triggers count from here on.
	code := contactTicket(t, s, dep, "Another", "Body")
	if err := s.AddTag(ctx, v, code, "refund"); err != nil {
		t.Fatal(err)
	}
	wantKeptCounts(t, s, map[string]int{"vip": 2, "refund": 2})
	l, err := s.Languages(ctx)
	if err != nil || !equalStrings(l.Offered, []string{"en", "pl", "ro"}) || l.Default != "en" {
		t.Fatalf("languages after the migration: %+v, %v", l, err)
	}
}
