package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// Two instances on one desk, both starting after the server was down for
// three months, each running the renewal job in several goroutines at
// once: every missed period is renewed exactly once, numbered without gaps,
// and every unpaid invoice is marked overdue once.
func TestInstances_RenewalsAndOverdueMarksAreMadeOnceAcrossInstances(t *testing.T) {
	a, b := twoInstances(t)
	ctx := context.Background()
	clk := &testClock{t: billingStart}
	a.SetClock(clk.now)
	b.SetClock(clk.now)
	signUpOwner(t, a)
	trialEnd := billingStart.AddDate(0, 0, 14)
	clk.set(trialEnd.AddDate(0, 3, 1))
	var wg sync.WaitGroup
	var mu sync.Mutex
	renewed, marked := 0, 0
	for i := range 6 {
		s := []*Store{a, b}[i%2]
		wg.Go(func() {
			n, err := s.RenewDue(ctx)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			renewed += n
			mu.Unlock()
		})
	}
	wg.Wait()
	for i := range 8 {
		s := []*Store{a, b}[i%2]
		wg.Go(func() {
			m, err := s.MarkOverdue(ctx)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			marked += m
			mu.Unlock()
		})
	}
	wg.Wait()
	if renewed != 4 {
		t.Fatalf("%d renewals across the instances, want 4 (the trial's end and three months)", renewed)
	}
	in, err := b.Invoices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(in) != 4 {
		t.Fatalf("%d invoices", len(in))
	}
	for i, inv := range in { // newest first
		if want := fmt.Sprintf("INV-%06d", 4-i); inv.Number != want || !inv.Period.Start.Equal(trialEnd.AddDate(0, 3-i, 0)) {
			t.Errorf("invoice %s from %s, want %s from %s", inv.Number, inv.Period.Start, want, trialEnd.AddDate(0, 3-i, 0))
		}
	}
	// Issued 15 March, 15 April, 15 May, 15 June; on 16 June the first
	// three are more than 14 days old.
	if marked != 3 {
		t.Fatalf("%d overdue marks, want 3", marked)
	}
	if n, _ := a.MarkOverdue(ctx); n != 0 {
		t.Fatalf("a second round marked %d more", n)
	}
}
