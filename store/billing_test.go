package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"database/sql"
	"helpline/authz"
	"helpline/billing"

	"helpline/store/storetest"
)

// testClock is a clock tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

var billingStart = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// billingDesk is a desk signed up at billingStart on a clock the test moves.
func billingDesk(t *testing.T) (*Store, Agent, *testClock) {
	t.Helper()
	s := newTestStore(t)
	clk := &testClock{t: billingStart}
	s.SetClock(clk.now)
	return s, signUpOwner(t, s), clk
}

func mustSubscription(t *testing.T, s *Store) Subscription {
	t.Helper()
	sub, err := s.Subscription(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func mustInvoices(t *testing.T, s *Store) []Invoice {
	t.Helper()
	in, err := s.Invoices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// newestInvoice reads the newest invoice with its lines and payments.
func newestInvoice(t *testing.T, s *Store) Invoice {
	t.Helper()
	in, err := s.InvoiceByID(context.Background(), mustInvoices(t, s)[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func renewDue(t *testing.T, s *Store) int {
	t.Helper()
	n, err := s.RenewDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBilling_NewDeskStartsA14DayTrialWithItsOwnerAsOneSeat(t *testing.T) {
	s, _, clk := billingDesk(t)
	sub := mustSubscription(t, s)
	if !sub.Trial || sub.Seats != 1 || sub.Plan != billing.Medium || !sub.Period.End.Equal(billingStart.AddDate(0, 0, 14)) {
		t.Fatalf("new desk: %+v", sub)
	}
	clk.set(billingStart.Add(36 * time.Hour))
	if got := sub.TrialDaysLeft(clk.now()); got != 13 {
		t.Fatalf("trial days left after a day and a half: %d", got)
	}
	if len(mustInvoices(t, s)) != 0 || renewDue(t, s) != 0 {
		t.Fatal("a trial is not invoiced")
	}
}

func TestBilling_SeatsFollowTheTeamWithWhoChangedThem(t *testing.T) {
	s, o, _ := billingDesk(t)
	ctx := context.Background()
	a := addAgent(t, s, o.ID, "ann", authz.RoleAgent)
	if got := mustSubscription(t, s).Seats; got != 2 {
		t.Fatalf("after create: %d seats", got)
	}
	if err := s.SetAgentStatus(ctx, o.ID, a.ID, StatusDisabled, ""); err != nil {
		t.Fatal(err)
	}
	if got := mustSubscription(t, s).Seats; got != 1 {
		t.Fatalf("after disable: %d seats", got)
	}
	if err := s.SetAgentStatus(ctx, o.ID, a.ID, StatusActive, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveAgent(ctx, o.ID, a.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got := mustSubscription(t, s).Seats; got != 1 {
		t.Fatalf("after remove: %d seats", got)
	}
	h, err := s.SeatHistory(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		change   AuditAction
		from, to int
	}{{ActionAgentRemove, 2, 1}, {ActionAgentEnable, 1, 2}, {ActionAgentDisable, 2, 1}, {ActionAgentCreate, 1, 2}}
	if len(h) != len(want) {
		t.Fatalf("seat history: %+v", h)
	}
	for i, w := range want {
		if h[i].Change != w.change || h[i].From != w.from || h[i].To != w.to || h[i].ActorName != o.Name || h[i].AgentName != "ann" {
			t.Errorf("seat change %d: %+v, want %+v by %s", i, h[i], w, o.Name)
		}
	}
}

func TestBilling_RenewalJobIsIdempotentAndCatchesUpMissedPeriods(t *testing.T) {
	s, _, clk := billingDesk(t)
	trialEnd := billingStart.AddDate(0, 0, 14)
	clk.set(trialEnd.Add(time.Minute))
	if n := renewDue(t, s); n != 1 {
		t.Fatalf("trial end: %d renewals", n)
	}
	if n := renewDue(t, s); n != 0 {
		t.Fatalf("second run: %d renewals", n)
	}
	in := mustInvoices(t, s)
	if len(in) != 1 || in[0].Number != "INV-000001" || in[0].Net != billing.Cents(35, 0) || !in[0].IssuedAt.Equal(trialEnd) ||
		!in[0].Period.End.Equal(trialEnd.AddDate(0, 1, 0)) || in[0].Status() != StatusDue {
		t.Fatalf("first invoice: %+v", in)
	}
	// The server was down for three periods; instances start together.
	clk.set(trialEnd.AddDate(0, 3, 1))
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for range 4 {
		wg.Go(func() {
			n, err := s.RenewDue(context.Background())
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			total += n
			mu.Unlock()
		})
	}
	wg.Wait()
	if total != 3 {
		t.Fatalf("catch-up made %d renewals, want 3", total)
	}
	in = mustInvoices(t, s)
	if len(in) != 4 {
		t.Fatalf("%d invoices after catch-up", len(in))
	}
	for i, inv := range in { // newest first
		wantStart := trialEnd.AddDate(0, 3-i, 0)
		if inv.Number != fmt.Sprintf("INV-%06d", 4-i) || !inv.Period.Start.Equal(wantStart) {
			t.Errorf("invoice %s for the period from %s, want INV-%06d from %s", inv.Number, inv.Period.Start, 4-i, wantStart)
		}
	}
}

func TestBilling_MidPeriodSeatsInvoicedOnlyPastTheRuleElseAtRenewal(t *testing.T) {
	s, o, clk := billingDesk(t)
	for i := range 9 {
		addAgent(t, s, o.ID, fmt.Sprintf("a%d", i), authz.RoleAgent)
	}
	clk.set(billingStart.AddDate(0, 0, 14))
	renewDue(t, s) // 10 seats × 35.00 for 15 March – 15 April (31 days)
	sub := mustSubscription(t, s)
	if sub.PeriodInvoiced != billing.Cents(350, 0) {
		t.Fatalf("renewal: %+v", sub)
	}
	clk.set(sub.Period.End.AddDate(0, 0, -7)) // 7 days left
	// Each seat is 35.00 × 7 / 31 = 7.90; the fifth brings 39.50, at
	// least 20.00 and 10% of 350.00.
	for i := range 5 {
		addAgent(t, s, o.ID, fmt.Sprintf("b%d", i), authz.RoleAgent)
		n := len(mustInvoices(t, s))
		if i < 4 && n != 1 {
			t.Fatalf("seat %d raised an invoice below the rule", i+1)
		}
		if i == 4 && n != 2 {
			t.Fatalf("the fifth seat raised no invoice")
		}
	}
	extra := mustInvoices(t, s)[0]
	if extra.Net != billing.Cents(39, 50) || extra.Number != "INV-000002" || extra.Reason != ReasonMidPeriod {
		t.Fatalf("mid-period invoice: %+v", extra)
	}
	// Removing a seat refunds nothing; adding it back is not charged twice.
	b := addAgent(t, s, o.ID, "c", authz.RoleAgent) // 16 seats: 7.90 waits
	if err := s.RemoveAgent(context.Background(), o.ID, b.ID, ""); err != nil {
		t.Fatal(err)
	}
	addAgent(t, s, o.ID, "d", authz.RoleAgent)
	sub = mustSubscription(t, s)
	if sub.Pending != billing.Cents(7, 90) || sub.Seats != 16 || sub.RenewalAmount() != billing.Cents(567, 90) {
		t.Fatalf("after remove and add: %+v", sub)
	}
	clk.set(sub.Period.End)
	renewDue(t, s)
	r := newestInvoice(t, s)
	if len(r.Lines) != 2 || r.Lines[0].Amount != billing.Cents(560, 0) || r.Lines[1].Kind != LineCarried || r.Net != billing.Cents(567, 90) {
		t.Fatalf("renewal with the waiting charge: %+v", r)
	}
	// VAT: a buyer without a country pays the seller's (PL, 23%), half-up.
	if r.VAT.Rate != 2300 || r.Tax != billing.Cents(130, 62) || r.Total != billing.Cents(698, 52) {
		t.Fatalf("VAT of 567.90: %+v", r)
	}
}

func TestBilling_PlanChangeProRataAndCycleAtRenewal(t *testing.T) {
	s, o, clk := billingDesk(t)
	ctx := context.Background()
	// During the trial a change costs nothing now.
	if err := s.ChangePlan(ctx, o.ID, billing.Small, billing.Monthly, ""); err != nil {
		t.Fatal(err)
	}
	clk.set(billingStart.AddDate(0, 0, 14))
	renewDue(t, s) // Small monthly, 19.00, 15 March – 15 April
	sub := mustSubscription(t, s)
	clk.set(sub.Period.Start.AddDate(0, 0, 1)) // 30 of 31 days left
	prev, err := s.PreviewPlanChange(ctx, billing.Large, billing.Yearly)
	if err != nil {
		t.Fatal(err)
	}
	// (59 − 19) × 30 / 31 = 38.71 now; a year of Large at 49 from renewal.
	if prev.Now != billing.Cents(38, 71) || prev.AtRenewal != billing.Cents(588, 0) || !prev.InvoicedNow {
		t.Fatalf("preview: %+v", prev)
	}
	if err := s.ChangePlan(ctx, o.ID, billing.Large, billing.Yearly, ""); err != nil {
		t.Fatal(err)
	}
	if in := mustInvoices(t, s); len(in) != 2 || in[0].Net != billing.Cents(38, 71) {
		t.Fatalf("upgrade invoice: %+v", in)
	}
	if e := lastAudit(t, s); e.Action != ActionBillingPlan || e.ActorID != o.ID {
		t.Fatalf("audit: %+v", e)
	}
	// A downgrade refunds nothing.
	if err := s.ChangePlan(ctx, o.ID, billing.Medium, billing.Yearly, ""); err != nil {
		t.Fatal(err)
	}
	if len(mustInvoices(t, s)) != 2 {
		t.Fatal("a downgrade raised an invoice")
	}
	clk.set(sub.Period.End)
	renewDue(t, s)
	r := newestInvoice(t, s)
	if r.Lines[0].Cycle != billing.Yearly || r.Net != billing.Cents(348, 0) || r.Period.Days() != 365 {
		t.Fatalf("yearly renewal: %+v", r)
	}
}

func TestBilling_OnlyTheOwnerChangesBilling(t *testing.T) {
	s, o, _ := billingDesk(t)
	ctx := context.Background()
	admin := addAgent(t, s, o.ID, "adam", authz.RoleAdmin)
	var rule RuleError
	if err := s.ChangePlan(ctx, admin.ID, billing.Large, billing.Monthly, ""); !errors.As(err, &rule) {
		t.Fatalf("admin changed the plan: %v", err)
	}
	if err := s.SaveBillingInfo(ctx, admin.ID, BillingInfo{Company: "X", Address: "Y", Country: "PL", Email: "x@example.com"}, ""); !errors.As(err, &rule) {
		t.Fatalf("admin saved billing information: %v", err)
	}
	if _, err := s.StopAccount(ctx, admin.ID, ""); !errors.As(err, &rule) {
		t.Fatalf("admin stopped the account: %v", err)
	}
	if mustSubscription(t, s).Plan != billing.Medium {
		t.Fatal("plan changed")
	}
}

// issueTestInvoice issues one invoice of 10.00 in its own transaction,
// which fails after taking its number when fail is set.
func issueTestInvoice(s *Store, fail bool) error {
	ctx := context.Background()
	return s.write(ctx, func(tx *sql.Tx) error {
		sub, err := readSubscription(ctx, tx)
		if err != nil {
			return err
		}
		line := InvoiceLine{Kind: LinePlan, Plan: sub.Plan, Cycle: sub.Cycle, Seats: 1, Period: sub.Period, UnitPrice: 1000, Amount: 1000}
		if _, err := s.issueInvoice(ctx, tx, &sub, s.now(), 0, ReasonRenewal, sub.Period, []InvoiceLine{line}); err != nil {
			return err
		}
		if fail {
			return errors.New("refused after numbering")
		}
		return nil
	})
}

func TestBilling_InvoiceNumbersHaveNoGapsUnderConcurrentIssuance(t *testing.T) {
	s, _, _ := billingDesk(t)
	const n = 24
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if err := issueTestInvoice(s, i%3 == 0); err != nil && i%3 != 0 {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	in := mustInvoices(t, s)
	if len(in) != n-n/3 {
		t.Fatalf("%d invoices, want %d", len(in), n-n/3)
	}
	for i, inv := range in { // newest first
		if want := fmt.Sprintf("INV-%06d", len(in)-i); inv.Number != want {
			t.Fatalf("invoice %d is %s, want %s (engine %s)", i, inv.Number, want, storetest.Engine())
		}
	}
}

func TestBilling_AnIssuedInvoiceNeverChanges(t *testing.T) {
	s, o, clk := billingDesk(t)
	ctx := context.Background()
	clk.set(billingStart.AddDate(0, 0, 14))
	renewDue(t, s)
	inv := newestInvoice(t, s)
	for _, q := range []string{
		`UPDATE invoices SET total = 0 WHERE id = ?`,
		`UPDATE invoices SET buyer_company = 'Other' WHERE id = ?`,
		`DELETE FROM invoices WHERE id = ?`,
		`UPDATE invoice_lines SET amount = 1 WHERE invoice_id = ?`,
		`DELETE FROM invoice_lines WHERE invoice_id = ?`,
	} {
		err := s.write(ctx, func(tx *sql.Tx) error { _, err := tx.ExecContext(ctx, q, inv.ID); return err })
		if err == nil {
			t.Errorf("the store let %q through", q)
		}
	}
	// New billing information is for the next invoices only.
	info := BillingInfo{Company: "Acme GmbH", Address: "Hauptstraße 1, Berlin", Country: "DE", VATID: "DE123456789", Email: "billing@acme.example"}
	if err := s.SaveBillingInfo(ctx, o.ID, info, ""); err != nil {
		t.Fatal(err)
	}
	again, err := s.InvoiceByID(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Buyer != inv.Buyer || again.Total != inv.Total || len(again.Lines) != 1 || again.Lines[0].Amount != inv.Lines[0].Amount {
		t.Fatalf("issued invoice changed: %+v, was %+v", again, inv)
	}
	clk.set(mustSubscription(t, s).Period.End)
	renewDue(t, s)
	next := newestInvoice(t, s)
	if next.Buyer != info || next.VAT.Kind != billing.VATReverseCharge || next.Tax != 0 || next.Total != next.Net {
		t.Fatalf("next invoice for an EU business: %+v", next)
	}
}

func TestBilling_PaymentsMakeAnInvoicePaidAndOverpaymentIsCredit(t *testing.T) {
	s, o, clk := billingDesk(t)
	ctx := context.Background()
	clk.set(billingStart.AddDate(0, 0, 14))
	renewDue(t, s)
	inv := newestInvoice(t, s) // 35.00 + 23% = 43.05
	if inv.Total != billing.Cents(43, 5) {
		t.Fatalf("total %s", inv.Total)
	}
	pay := func(m billing.Money) {
		t.Helper()
		if err := s.RecordPayment(ctx, o.ID, inv.ID, billing.Payment{On: clk.now(), Amount: m, Reference: "TR-1"}, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RecordPayment(ctx, o.ID, inv.ID, billing.Payment{On: clk.now(), Amount: 0}, ""); !errors.Is(err, ErrPaymentInvalid) {
		t.Fatalf("payment of nothing: %v", err)
	}
	pay(billing.Cents(40, 0))
	if got, _ := s.InvoiceByID(ctx, inv.ID); got.Status() != StatusDue || got.Outstanding() != billing.Cents(3, 5) {
		t.Fatalf("part paid: %s, %s left", got.Status(), got.Outstanding())
	}
	pay(billing.Cents(10, 0))
	got, _ := s.InvoiceByID(ctx, inv.ID)
	if got.Status() != StatusPaid || len(got.Payments) != 2 || got.Payments[1].ToCredit != billing.Cents(6, 95) {
		t.Fatalf("overpaid: %+v", got)
	}
	if e := lastAudit(t, s); e.Action != ActionBillingPayment || e.ActorID != o.ID {
		t.Fatalf("audit: %+v", e)
	}
	clk.set(mustSubscription(t, s).Period.End)
	renewDue(t, s)
	next := newestInvoice(t, s)
	if next.CreditApplied != billing.Cents(6, 95) || next.AmountDue != next.Total-billing.Cents(6, 95) || mustSubscription(t, s).Credit != 0 {
		t.Fatalf("credit on the next invoice: %+v", next)
	}
}

func TestBilling_UnpaidInvoicesAreMarkedOverdueAfter14DaysOnce(t *testing.T) {
	s, o, clk := billingDesk(t)
	ctx := context.Background()
	clk.set(billingStart.AddDate(0, 0, 14))
	renewDue(t, s)
	clk.set(clk.now().Add(PaymentTerm - time.Minute))
	if n, err := s.MarkOverdue(ctx); err != nil || n != 0 {
		t.Fatalf("before the due date: %d, %v", n, err)
	}
	clk.set(clk.now().Add(time.Minute))
	if n, err := s.MarkOverdue(ctx); err != nil || n != 1 {
		t.Fatalf("at the due date: %d, %v", n, err)
	}
	if n, _ := s.MarkOverdue(ctx); n != 0 {
		t.Fatal("marked twice")
	}
	inv := newestInvoice(t, s)
	if inv.Status() != StatusOverdue {
		t.Fatalf("status %s", inv.Status())
	}
	if err := s.RecordPayment(ctx, o.ID, inv.ID, billing.Payment{On: clk.now(), Amount: inv.AmountDue}, ""); err != nil {
		t.Fatal(err)
	}
	if inv, _ = s.InvoiceByID(ctx, inv.ID); inv.Status() != StatusPaid {
		t.Fatalf("paid overdue invoice: %s", inv.Status())
	}
}

func TestBilling_StopEndsAtThePeriodEndAndResumeBeforeThen(t *testing.T) {
	s, o, clk := billingDesk(t)
	ctx := context.Background()
	clk.set(billingStart.AddDate(0, 0, 14))
	renewDue(t, s)
	end := mustSubscription(t, s).Period.End
	got, err := s.StopAccount(ctx, o.ID, "")
	if err != nil || !got.Equal(end) {
		t.Fatalf("stop: %s, %v; want %s", got, err, end)
	}
	if err := s.ResumeAccount(ctx, o.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StopAccount(ctx, o.ID, ""); err != nil {
		t.Fatal(err)
	}
	clk.set(end.Add(time.Hour))
	if n := renewDue(t, s); n != 0 {
		t.Fatal("a stopped account renewed")
	}
	sub := mustSubscription(t, s)
	if !sub.Ended(clk.now()) || sub.Ended(end.Add(-time.Second)) {
		t.Fatalf("ended: %+v", sub)
	}
	if e := lastAudit(t, s); e.Action != ActionBillingStop || e.ActorID != o.ID {
		t.Fatalf("audit: %+v", e)
	}
}

func TestBilling_BillingInformationIsCheckedAndNothingBadIsStored(t *testing.T) {
	s, o, _ := billingDesk(t)
	ctx := context.Background()
	good := BillingInfo{Company: "Acme", Address: "1 Main St", Country: "PL", VATID: "PL1234567890", Email: "billing@acme.example"}
	for field, in := range map[string]BillingInfo{
		"company":       {Address: good.Address, Country: "PL", Email: good.Email},
		"country":       {Company: "Acme", Address: good.Address, Country: "XX", Email: good.Email},
		"vat_id":        {Company: "Acme", Address: good.Address, Country: "PL", VATID: "12", Email: good.Email},
		"billing_email": {Company: "Acme", Address: good.Address, Country: "PL", Email: "not an email"},
	} {
		var be BillingInfoError
		if err := s.SaveBillingInfo(ctx, o.ID, in, ""); !errors.As(err, &be) || be.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	if mustSubscription(t, s).Info.Country != "" {
		t.Fatal("bad billing information stored")
	}
	if err := s.SaveBillingInfo(ctx, o.ID, good, ""); err != nil || mustSubscription(t, s).Info != good {
		t.Fatalf("good billing information: %v", err)
	}
}

func TestBilling_ACorrectionIsACreditNoteOfItsOwnSeries(t *testing.T) {
	s, o, clk := billingDesk(t)
	ctx := context.Background()
	clk.set(billingStart.AddDate(0, 0, 14))
	renewDue(t, s)
	inv := newestInvoice(t, s) // 43.05
	if _, err := s.IssueCreditNote(ctx, o.ID, inv.ID, inv.Total+1, ""); !errors.Is(err, ErrCreditAmount) {
		t.Fatalf("credit of more than the invoice: %v", err)
	}
	id, err := s.IssueCreditNote(ctx, o.ID, inv.ID, billing.Cents(12, 30), "")
	if err != nil {
		t.Fatal(err)
	}
	cn, err := s.InvoiceByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordPayment(ctx, o.ID, id, billing.Payment{On: clk.now(), Amount: billing.Cents(1, 0)}, ""); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a payment against a credit note: %v", err)
	}
	// 12.30 with 23% in it: 10.00 net and 2.30 VAT.
	if cn.Kind != KindCreditNote || cn.Number != "CN-000001" || cn.Corrects != inv.Number || cn.Net != billing.Cents(10, 0) || cn.Tax != billing.Cents(2, 30) {
		t.Fatalf("credit note: %+v", cn)
	}
	again, _ := s.InvoiceByID(ctx, inv.ID)
	if again.Total != inv.Total || again.Outstanding() != billing.Cents(30, 75) || again.Creditable() != billing.Cents(30, 75) {
		t.Fatalf("corrected invoice: total %s, outstanding %s, creditable %s", again.Total, again.Outstanding(), again.Creditable())
	}
	// Paid in full, then credited: the money becomes credit for the next invoice.
	if err := s.RecordPayment(ctx, o.ID, inv.ID, billing.Payment{On: clk.now(), Amount: again.Outstanding()}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.IssueCreditNote(ctx, o.ID, inv.ID, billing.Cents(5, 0), ""); err != nil {
		t.Fatal(err)
	}
	if sub := mustSubscription(t, s); sub.Credit != billing.Cents(5, 0) {
		t.Fatalf("credit after crediting a paid invoice: %s", sub.Credit)
	}
	if e := lastAudit(t, s); e.Action != ActionBillingCreditNote || e.ActorID != o.ID {
		t.Fatalf("audit: %+v", e)
	}
	if n := mustInvoices(t, s)[0].Number; n != "CN-000002" {
		t.Fatalf("second credit note numbered %s", n)
	}
}

// A desk made before My account existed starts its trial from its own
// creation, with its active agents as seats.
func TestBilling_MigrationStartsAnExistingDesksTrialFromItsCreation(t *testing.T) {
	s := openTestStore(t) // SQLite: the migration is the same statement on PostgreSQL
	ctx := context.Background()
	if err := s.migrate(ctx, shippedMigrations(t, func(v int64) bool { return v < 13 })); err != nil {
		t.Fatal(err)
	}
	created := time.Date(2025, 11, 20, 8, 30, 0, 0, time.UTC)
	for _, q := range []string{
		`INSERT INTO agents (id, name, email, role, status, password_hash, language, created_at, updated_at) VALUES (1, 'Olivia', 'o@example.com', 'owner', 'active', 'x', 'en', 0, 0)`,
		`INSERT INTO agents (id, name, email, role, status, password_hash, language, created_at, updated_at) VALUES (2, 'Ann', 'a@example.com', 'agent', 'active', 'x', 'en', 0, 0)`,
		`INSERT INTO agents (id, name, email, role, status, password_hash, language, created_at, updated_at) VALUES (3, 'Dan', 'd@example.com', 'agent', 'disabled', 'x', 'en', 0, 0)`,
		fmt.Sprintf(`INSERT INTO account (id, company_name, creator_id, created_at) VALUES (1, 'Acme', 1, %d)`, created.UnixMilli()),
	} {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.migrate(ctx, shippedMigrations(t, all)); err != nil {
		t.Fatal(err)
	}
	var kept int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM subscription`).Scan(&kept); err != nil || kept != 1 {
		t.Fatalf("the migration kept %d subscriptions (%v)", kept, err)
	}
	sub := mustSubscription(t, s)
	if !sub.Trial || !sub.Period.Start.Equal(created) || !sub.Period.End.Equal(created.AddDate(0, 0, 14)) || sub.Seats != 2 || sub.Info.Company != "Acme" {
		t.Fatalf("existing desk's subscription: %+v", sub)
	}
}
