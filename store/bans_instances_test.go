package store

import (
	"context"
	"testing"
	"time"

	"helpline/store/storetest"
)

// A ban made or lifted on one instance holds, or stops holding, on another
// that had kept the list.
func TestInstances_ABanOnOneHoldsOnTheOther(t *testing.T) {
	a, b := twoInstances(t)
	ctx := context.Background()
	o := signUpOwner(t, a)
	if banned, err := b.IsBanned(ctx, "192.0.2.7"); err != nil || banned {
		t.Fatalf("before any ban: %v %v", banned, err)
	}
	id, err := a.AddBan(ctx, o.ID, BanInput{Network: mustNetwork(t, "192.0.2.0/24"), ValidUntil: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	storetest.Eventually(t, "instance B to hold the ban", func() bool { banned, _ := b.IsBanned(ctx, "192.0.2.7"); return banned })
	if err := a.Unban(ctx, o.ID, id); err != nil {
		t.Fatal(err)
	}
	storetest.Eventually(t, "instance B to lift the ban", func() bool { banned, _ := b.IsBanned(ctx, "192.0.2.7"); return !banned })
}
