package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"helpline/authz"
	"helpline/billing"
)

// Audit actions of My account.
const (
	ActionBillingPlan       AuditAction = "billing.plan"
	ActionBillingInvoice    AuditAction = "billing.invoice"
	ActionBillingPayment    AuditAction = "billing.payment"
	ActionBillingCreditNote AuditAction = "billing.credit_note"
	ActionBillingInfo       AuditAction = "billing.info"
	ActionBillingStop       AuditAction = "billing.stop"
	ActionBillingResume     AuditAction = "billing.resume"
)

// The plan a new account's trial is on until the Owner picks another.
const (
	trialPlan  = billing.Medium
	trialCycle = billing.Monthly
)

// BillingInfo is who invoices are made out to.
type BillingInfo struct {
	Company string
	Address string
	Country string // ISO 3166-1 alpha-2
	VATID   string
	Email   string
}

// Subscription is the desk's plan, seats and billing period.
type Subscription struct {
	Plan billing.Plan
	// Cycle is the current period's; NextCycle starts at the renewal.
	Cycle, NextCycle billing.Cycle
	// Trial: the period is the free trial.
	Trial  bool
	Period billing.Period
	// Seats in use now; SeatsCharged the most charged for in the period.
	Seats, SeatsCharged int
	// PeriodInvoiced was invoiced for the period; Pending are its
	// pro-rata charges waiting for the renewal; Credit is overpaid money
	// taken off the next invoice.
	PeriodInvoiced, Pending, Credit billing.Money
	// EndsAt is set when the account was stopped: it ends then.
	EndsAt time.Time
	Info   BillingInfo
}

// Stopped reports whether the account was stopped (it may not have ended yet).
func (s Subscription) Stopped() bool { return !s.EndsAt.IsZero() }

// Ended reports whether the account has ended at now: the desk is read-only.
func (s Subscription) Ended(now time.Time) bool { return s.Stopped() && !now.Before(s.EndsAt) }

// TrialDaysLeft is the number of days of the trial left at now (0 after it).
func (s Subscription) TrialDaysLeft(now time.Time) int {
	if !s.Trial {
		return 0
	}
	return s.Period.DaysLeft(now)
}

// RenewalAmount is the net amount of the next renewal invoice: the plan for
// the seats in use at the next cycle's price, and the charges waiting.
func (s Subscription) RenewalAmount() billing.Money {
	return billing.PeriodPrice(s.Plan, s.NextCycle, s.Seats) + s.Pending
}

const subscriptionColumns = `plan, cycle, next_cycle, trial, period_start, period_end, seats, seats_charged,
	period_invoiced, pending, credit, ends_at, company, address, country, vat_id, billing_email`

// seatsSQL counts seats: every active agent of any role.
const seatsSQL = `SELECT count(*) FROM agents WHERE status = 'active' AND removed_at IS NULL`

// Subscription returns the desk's subscription. Every page asks whether the
// desk has ended, so it is kept until the next commit.
func (s *Store) Subscription(ctx context.Context) (Subscription, error) {
	return remember(&s.mem, memoKey{What: memoSubscription}, func() (Subscription, error) { return readSubscription(ctx, s.rd) })
}

// readSubscription reads the kept subscription or, before anything has
// billed, the one the account starts with: a 14-day trial from its creation.
func readSubscription(ctx context.Context, q querier) (Subscription, error) {
	var sub Subscription
	var plan, cycle, next string
	var trial, start, end, pending, invoiced, credit int64
	var endsAt sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT `+subscriptionColumns+` FROM subscription WHERE id = 1`).Scan(
		&plan, &cycle, &next, &trial, &start, &end, &sub.Seats, &sub.SeatsCharged, &invoiced, &pending, &credit, &endsAt,
		&sub.Info.Company, &sub.Info.Address, &sub.Info.Country, &sub.Info.VATID, &sub.Info.Email)
	if errors.Is(err, sql.ErrNoRows) {
		return startingSubscription(ctx, q)
	}
	if err != nil {
		return Subscription{}, fmt.Errorf("store: subscription: %w", err)
	}
	sub.Plan, sub.Cycle, sub.NextCycle, sub.Trial = billing.Plan(plan), billing.Cycle(cycle), billing.Cycle(next), trial != 0
	sub.Period = billing.Period{Start: msToTime(start).UTC(), End: msToTime(end).UTC()}
	sub.PeriodInvoiced, sub.Pending, sub.Credit = billing.Money(invoiced), billing.Money(pending), billing.Money(credit)
	if endsAt.Valid {
		sub.EndsAt = msToTime(endsAt.Int64).UTC()
	}
	return sub, nil
}

func startingSubscription(ctx context.Context, q querier) (Subscription, error) {
	acc, err := account(ctx, q)
	if err != nil {
		return Subscription{}, err
	}
	var seats int
	if err := q.QueryRowContext(ctx, seatsSQL).Scan(&seats); err != nil {
		return Subscription{}, fmt.Errorf("store: subscription: %w", err)
	}
	start := acc.CreatedAt.UTC()
	return Subscription{
		Plan: trialPlan, Cycle: trialCycle, NextCycle: trialCycle, Trial: true,
		Period: billing.Period{Start: start, End: start.AddDate(0, 0, billing.TrialDays)},
		Seats:  seats, SeatsCharged: seats,
		Info: BillingInfo{Company: acc.CompanyName},
	}, nil
}

// lockSubscription writes the starting subscription if none is kept yet and
// reads it for a change; on PostgreSQL the row stays locked until commit,
// so billing changes from several instances take turns.
func (s *Store) lockSubscription(ctx context.Context, tx *sql.Tx) (Subscription, error) {
	sub, err := readSubscription(ctx, tx)
	if err != nil {
		return Subscription{}, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO subscription (id, `+subscriptionColumns+`)
		VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, NULL, ?, '', '', '', '')
		ON CONFLICT (id) DO NOTHING`,
		string(sub.Plan), string(sub.Cycle), string(sub.NextCycle), 1, sub.Period.Start.UnixMilli(), sub.Period.End.UnixMilli(),
		sub.Seats, sub.SeatsCharged, sub.Info.Company); err != nil {
		return Subscription{}, fmt.Errorf("start subscription: %w", err)
	}
	if s.pg {
		if _, err := tx.ExecContext(ctx, `SELECT id FROM subscription WHERE id = 1 FOR UPDATE`); err != nil {
			return Subscription{}, fmt.Errorf("lock subscription: %w", err)
		}
	}
	return readSubscription(ctx, tx)
}

// saveSubscription writes back what a billing change set.
func saveSubscription(ctx context.Context, tx *sql.Tx, sub Subscription) error {
	var endsAt any
	if sub.Stopped() {
		endsAt = sub.EndsAt.UnixMilli()
	}
	trial := 0
	if sub.Trial {
		trial = 1
	}
	_, err := tx.ExecContext(ctx, `UPDATE subscription SET plan = ?, cycle = ?, next_cycle = ?, trial = ?, period_start = ?, period_end = ?,
		seats = ?, seats_charged = ?, period_invoiced = ?, pending = ?, credit = ?, ends_at = ?,
		company = ?, address = ?, country = ?, vat_id = ?, billing_email = ? WHERE id = 1`,
		string(sub.Plan), string(sub.Cycle), string(sub.NextCycle), trial, sub.Period.Start.UnixMilli(), sub.Period.End.UnixMilli(),
		sub.Seats, sub.SeatsCharged, int64(sub.PeriodInvoiced), int64(sub.Pending), int64(sub.Credit), endsAt,
		sub.Info.Company, sub.Info.Address, sub.Info.Country, sub.Info.VATID, sub.Info.Email)
	if err != nil {
		return fmt.Errorf("save subscription: %w", err)
	}
	return nil
}

// Now is the store's clock: pages showing billing dates agree with what the
// store decides (tests move it with SetClock).
func (s *Store) Now() time.Time { return s.now() }

// billingActor reads the Owner making a billing change.
func (s *Store) billingActor(ctx context.Context, tx *sql.Tx, actorID int64) error {
	_, err := s.loadActor(ctx, tx, actorID, authz.BillingManage)
	return err
}

// charged reports whether the subscription is in a paid period at now.
func (sub Subscription) charged(now time.Time) bool {
	return !sub.Trial && !sub.Ended(now) && now.Before(sub.Period.End)
}

// addCharge adds a pro-rata charge to the period and invoices what is
// pending when the mid-period rule says so (billing.InvoiceNow).
func (s *Store) addCharge(ctx context.Context, tx *sql.Tx, sub *Subscription, charge billing.Money, actorID int64, now time.Time) error {
	if charge <= 0 {
		return nil
	}
	sub.Pending += charge
	if !billing.InvoiceNow(sub.PeriodInvoiced, sub.Pending) {
		return nil
	}
	line := InvoiceLine{Kind: LineProRata, Plan: sub.Plan, Cycle: sub.Cycle, Seats: sub.Seats,
		Period: billing.Period{Start: now, End: sub.Period.End}, PeriodDays: sub.Period.Days(),
		Days: sub.Period.DaysLeft(now), UnitPrice: sub.Pending, Amount: sub.Pending}
	if _, err := s.issueInvoice(ctx, tx, sub, now, actorID, ReasonMidPeriod, sub.Period, []InvoiceLine{line}); err != nil {
		return err
	}
	sub.PeriodInvoiced += sub.Pending
	sub.Pending = 0
	return nil
}

// DeskEnded tells whether the account has ended: the desk is then
// read-only, and background work that would bring in or change tickets
// (mailbox checks, time rules) waits, leaving the mail on its server.
func (s *Store) DeskEnded(ctx context.Context) (bool, error) {
	sub, err := s.Subscription(ctx)
	if errors.Is(err, ErrNotFound) { // before sign-up
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return sub.Ended(s.now()), nil
}
