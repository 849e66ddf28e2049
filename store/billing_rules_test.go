package store

import (
	"context"
	"testing"
	"time"

	"helpline/authz"
	"helpline/billing"
)

// Every billing change is in the audit log with the Owner who made it:
// the plan, the invoice that change raised, billing information, a
// payment, a credit note, stopping and resuming.
func TestBilling_EveryBillingChangeIsAuditedWithTheOwner(t *testing.T) {
	s, o, clk := billingDesk(t)
	ctx := context.Background()
	clk.set(billingStart.AddDate(0, 0, 14))
	renewDue(t, s)
	sub := mustSubscription(t, s)
	clk.set(sub.Period.Start.AddDate(0, 0, 1))
	steps := []struct {
		action AuditAction
		do     func() error
	}{
		{ActionBillingPlan, func() error { return s.ChangePlan(ctx, o.ID, billing.Enterprise, billing.Monthly, "10.0.0.1") }},
		{ActionBillingInfo, func() error {
			return s.SaveBillingInfo(ctx, o.ID, BillingInfo{Company: "Acme", Address: "1 Main St", Country: "PL", Email: "b@acme.example"}, "10.0.0.1")
		}},
		{ActionBillingPayment, func() error {
			return s.RecordPayment(ctx, o.ID, mustInvoices(t, s)[0].ID, billing.Payment{On: clk.now(), Amount: billing.Cents(5, 0), Reference: "R"}, "10.0.0.1")
		}},
		{ActionBillingCreditNote, func() error {
			_, err := s.IssueCreditNote(ctx, o.ID, mustInvoices(t, s)[0].ID, billing.Cents(1, 0), "10.0.0.1")
			return err
		}},
		{ActionBillingStop, func() error { _, err := s.StopAccount(ctx, o.ID, "10.0.0.1"); return err }},
		{ActionBillingResume, func() error { return s.ResumeAccount(ctx, o.ID, "10.0.0.1") }},
	}
	for _, st := range steps {
		before := mustAuditIDs(t, s)
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.action, err)
		}
		var mine []AuditEntry
		log, _ := s.AuditLog(ctx, 0, 10)
		for _, e := range log {
			if !before[e.ID] {
				mine = append(mine, e)
			}
		}
		found := false
		for _, e := range mine {
			if e.ActorID != o.ID {
				t.Errorf("%s: entry %s by %d, want the Owner %d", st.action, e.Action, e.ActorID, o.ID)
			}
			if e.Action == st.action {
				found = true
				if e.IP != "10.0.0.1" {
					t.Errorf("%s: address %q", st.action, e.IP)
				}
			}
		}
		if !found {
			t.Errorf("%s: not in the audit log (new entries %+v)", st.action, mine)
		}
		// The upgrade (Medium to Enterprise, 30 of 31 days) passes the
		// mid-period rule: its invoice is audited with the Owner too.
		if st.action == ActionBillingPlan && (len(mine) != 2 || mine[0].Action != ActionBillingPlan && mine[1].Action != ActionBillingPlan) {
			t.Errorf("plan change with its invoice: %+v", mine)
		}
	}
}

func mustAuditIDs(t *testing.T, s *Store) map[int64]bool {
	t.Helper()
	log, err := s.AuditLog(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[int64]bool{}
	for _, e := range log {
		ids[e.ID] = true
	}
	return ids
}

// A yearly period across 29 February has 366 days: the renewal charges the
// year's price, a seat added half-way is charged for 183 of 366 days, and
// the next year, without a leap day, has 365.
func TestBilling_YearlyRenewalAcrossALeapYear(t *testing.T) {
	s, o, clk := billingDesk(t)
	ctx := context.Background()
	start := time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)
	clk.set(start)
	// The desk signed up at billingStart; its trial has long ended: let
	// the renewal catch up first, then move to a fresh yearly period.
	if err := s.ChangePlan(ctx, o.ID, billing.Large, billing.Yearly, ""); err != nil {
		t.Fatal(err)
	}
	renewDue(t, s)
	sub := mustSubscription(t, s)
	for sub.Period.End.Before(time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC)) || sub.Period.Start.After(time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC)) {
		clk.set(sub.Period.End)
		renewDue(t, s)
		sub = mustSubscription(t, s)
	}
	if sub.Cycle != billing.Yearly || sub.Period.Days() != 366 {
		t.Fatalf("the period across 29 February: %s – %s, %d days, %s", sub.Period.Start, sub.Period.End, sub.Period.Days(), sub.Cycle)
	}
	r := newestInvoice(t, s)
	if r.Reason != ReasonRenewal || r.Net != billing.Cents(588, 0) || r.Lines[0].PeriodDays != 366 || !r.Period.End.Equal(sub.Period.End) {
		t.Fatalf("renewal across the leap day: %+v", r)
	}
	clk.set(sub.Period.End.AddDate(0, 0, -183))
	addAgent(t, s, o.ID, "leap", authz.RoleAgent)
	mid := newestInvoice(t, s)
	// 588.00 × 183 / 366 = 294.00 (over 365 days it would be 294.81).
	if mid.Reason != ReasonMidPeriod || mid.Net != billing.Cents(294, 0) || mid.Lines[0].Days != 183 || mid.Lines[0].PeriodDays != 366 {
		t.Fatalf("a seat added half-way through the leap year: %+v", mid)
	}
	clk.set(sub.Period.End)
	renewDue(t, s)
	next := mustSubscription(t, s)
	if next.Period.Days() != 365 || !next.Period.Start.Equal(sub.Period.End) || newestInvoice(t, s).Net != billing.Cents(1176, 0) {
		t.Fatalf("the year after: %s – %s (%d days), %+v", next.Period.Start, next.Period.End, next.Period.Days(), newestInvoice(t, s))
	}
}

// The 20.00 side of the mid-period rule, through the seats: on Small
// monthly with one seat paid (19.00), a seat added at the start of the
// period is 19.00 more, well over 10% but under 20.00, and waits; the next
// makes 38.00 and is invoiced at once.
func TestBilling_MidPeriodSeatsUnderTwentyWaitAtTwentyAreInvoiced(t *testing.T) {
	s, o, clk := billingDesk(t)
	ctx := context.Background()
	if err := s.ChangePlan(ctx, o.ID, billing.Small, billing.Monthly, ""); err != nil {
		t.Fatal(err)
	}
	clk.set(billingStart.AddDate(0, 0, 14))
	renewDue(t, s)
	sub := mustSubscription(t, s)
	if sub.PeriodInvoiced != billing.Cents(19, 0) || sub.Period.DaysLeft(clk.now()) != sub.Period.Days() {
		t.Fatalf("renewal: %+v", sub)
	}
	addAgent(t, s, o.ID, "first", authz.RoleAgent)
	if n := len(mustInvoices(t, s)); n != 1 || mustSubscription(t, s).Pending != billing.Cents(19, 0) {
		t.Fatalf("19.00 more raised an invoice (%d) or was not kept for the renewal: %+v", n, mustSubscription(t, s))
	}
	addAgent(t, s, o.ID, "second", authz.RoleAgent)
	in := newestInvoice(t, s)
	if in.Reason != ReasonMidPeriod || in.Net != billing.Cents(38, 0) || mustSubscription(t, s).Pending != 0 {
		t.Fatalf("38.00 more: %+v", in)
	}
}
