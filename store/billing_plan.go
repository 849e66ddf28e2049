package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"helpline/billing"
	"helpline/desk"
)

// PlanChange is what changing to a plan and cycle would cost.
type PlanChange struct {
	billing.Change
	// InvoicedNow: the charge now passes the mid-period rule and is
	// invoiced at once; otherwise it waits for the renewal.
	InvoicedNow bool
}

// PreviewPlanChange says what moving to plan and cycle costs now and at
// the renewal, without changing anything.
func (s *Store) PreviewPlanChange(ctx context.Context, plan billing.Plan, cycle billing.Cycle) (PlanChange, error) {
	sub, err := s.Subscription(ctx)
	if err != nil {
		return PlanChange{}, err
	}
	return previewChange(sub, plan, cycle, s.now().UTC()), nil
}

func previewChange(sub Subscription, plan billing.Plan, cycle billing.Cycle, now time.Time) PlanChange {
	from := billing.Subscription{Plan: sub.Plan, Cycle: sub.Cycle, Seats: sub.SeatsCharged}
	to := billing.Subscription{Plan: plan, Cycle: cycle, Seats: sub.Seats}
	ch := billing.PriceChange(from, to, sub.Period.DaysLeft(now), sub.Period.Days(), !sub.charged(now))
	ch.AtRenewal += sub.Pending
	return PlanChange{Change: ch, InvoicedNow: ch.Now > 0 && billing.InvoiceNow(sub.PeriodInvoiced, sub.Pending+ch.Now)}
}

// ErrInvalidPlan answers a plan or cycle that is not offered.
var ErrInvalidPlan = errors.New("store: not a plan and cycle on offer")

// ChangePlan moves the subscription to plan now and to cycle from the
// renewal (during the trial, both at once). A dearer plan is charged pro
// rata for the days left under the mid-period rule; a cheaper one refunds
// nothing and lowers the renewal.
func (s *Store) ChangePlan(ctx context.Context, actorID int64, plan billing.Plan, cycle billing.Cycle, ip string) error {
	if !plan.Valid() || !cycle.Valid() {
		return ErrInvalidPlan
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := s.billingActor(ctx, tx, actorID); err != nil {
			return err
		}
		sub, err := s.lockSubscription(ctx, tx)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		ch := previewChange(sub, plan, cycle, now)
		before := fmt.Sprintf("%s %s", sub.Plan, sub.NextCycle)
		sub.Plan, sub.NextCycle = plan, cycle
		if sub.Trial {
			sub.Cycle = cycle
		} else {
			sub.SeatsCharged = max(sub.SeatsCharged, sub.Seats)
		}
		if err := s.addCharge(ctx, tx, &sub, ch.Now, actorID, now); err != nil {
			return err
		}
		if err := saveSubscription(ctx, tx, sub); err != nil {
			return err
		}
		return audit(ctx, tx, now.UnixMilli(), AuditEntry{ActorID: actorID, Action: ActionBillingPlan, TargetType: "subscription", TargetID: 1,
			Details: fmt.Sprintf("%s → %s %s; now %s, at renewal %s", before, plan, cycle, ch.Now, ch.AtRenewal), IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: change plan: %w", err)
	}
	return nil
}

// ErrNotStopped answers Resume of an account that was not stopped;
// ErrAlreadyStopped a second Stop.
var (
	ErrNotStopped     = errors.New("store: the account was not stopped")
	ErrAlreadyStopped = errors.New("store: the account was already stopped")
)

// StopAccount ends the subscription at the end of the period paid for (or
// of the trial): no renewal follows. It returns when the account ends.
func (s *Store) StopAccount(ctx context.Context, actorID int64, ip string) (time.Time, error) {
	var ends time.Time
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := s.billingActor(ctx, tx, actorID); err != nil {
			return err
		}
		sub, err := s.lockSubscription(ctx, tx)
		if err != nil {
			return err
		}
		if sub.Stopped() {
			return ErrAlreadyStopped
		}
		sub.EndsAt, ends = sub.Period.End, sub.Period.End
		if err := saveSubscription(ctx, tx, sub); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionBillingStop, TargetType: "subscription", TargetID: 1,
			Details: "ends " + ends.Format(time.RFC3339), IP: ip})
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("store: stop account: %w", err)
	}
	return ends, nil
}

// ResumeAccount undoes Stop: the subscription renews again. An account
// that has already ended starts a new period at once, invoiced now.
func (s *Store) ResumeAccount(ctx context.Context, actorID int64, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := s.billingActor(ctx, tx, actorID); err != nil {
			return err
		}
		sub, err := s.lockSubscription(ctx, tx)
		if err != nil {
			return err
		}
		if !sub.Stopped() {
			return ErrNotStopped
		}
		now := s.now().UTC()
		ended := sub.Ended(now)
		sub.EndsAt = time.Time{}
		if ended {
			sub.Period.End = now // the new period starts now
			if err := s.renew(ctx, tx, &sub, 0); err != nil {
				return err
			}
		}
		if err := saveSubscription(ctx, tx, sub); err != nil {
			return err
		}
		return audit(ctx, tx, now.UnixMilli(), AuditEntry{ActorID: actorID, Action: ActionBillingResume, TargetType: "subscription", TargetID: 1, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: resume account: %w", err)
	}
	return nil
}

// renew starts the period after sub's and issues its invoice: the plan for
// the seats in use at the next cycle's price, and the charges that waited.
func (s *Store) renew(ctx context.Context, tx *sql.Tx, sub *Subscription, actorID int64) error {
	// The team as it is now: agents loaded in bulk (demo data, a restore)
	// changed no seats on their way in.
	if err := tx.QueryRowContext(ctx, seatsSQL).Scan(&sub.Seats); err != nil {
		return err
	}
	next := billing.NextPeriod(sub.Period.End, sub.NextCycle)
	lines := []InvoiceLine{{Kind: LinePlan, Plan: sub.Plan, Cycle: sub.NextCycle, Seats: sub.Seats, Period: next,
		Days: next.Days(), PeriodDays: next.Days(), UnitPrice: billing.SeatPrice(sub.Plan, sub.NextCycle),
		Amount: billing.PeriodPrice(sub.Plan, sub.NextCycle, sub.Seats)}}
	if sub.Pending > 0 {
		lines = append(lines, InvoiceLine{Kind: LineCarried, Plan: sub.Plan, Cycle: sub.Cycle, Seats: sub.Seats, Period: sub.Period,
			Days: sub.Period.Days(), PeriodDays: sub.Period.Days(), UnitPrice: sub.Pending, Amount: sub.Pending})
	}
	if _, err := s.issueInvoice(ctx, tx, sub, next.Start, actorID, ReasonRenewal, next, lines); err != nil {
		return err
	}
	sub.Cycle, sub.Trial, sub.Period = sub.NextCycle, false, next
	sub.SeatsCharged, sub.PeriodInvoiced, sub.Pending = sub.Seats, lines[0].Amount, 0
	return nil
}

// RenewDue makes the renewals whose time has come, one period at a time, so
// periods missed while no server ran are all invoiced, each dated when it
// began. A stopped account is not renewed. Running it twice, or on two
// instances at once, renews each period once: the check and the renewal
// are one transaction on the locked subscription. It returns how many
// periods it renewed.
func (s *Store) RenewDue(ctx context.Context) (int, error) {
	n := 0
	for {
		sub, err := s.Subscription(ctx)
		if errors.Is(err, ErrNotFound) { // no account yet
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if s.now().Before(sub.Period.End) || sub.Stopped() {
			return n, nil
		}
		renewed := false
		err = s.write(ctx, func(tx *sql.Tx) error {
			renewed = false
			sub, err := s.lockSubscription(ctx, tx)
			if err != nil {
				return err
			}
			if s.now().Before(sub.Period.End) || sub.Stopped() {
				return nil
			}
			if err := s.renew(ctx, tx, &sub, 0); err != nil {
				return err
			}
			renewed = true
			return saveSubscription(ctx, tx, sub)
		})
		if err != nil {
			return n, fmt.Errorf("store: renew: %w", err)
		}
		if !renewed {
			return n, nil
		}
		n++
	}
}

// Billing information limits.
const (
	maxBillingText    = 200
	maxBillingAddress = 500
	maxVATID          = 20
)

// BillingFieldMax is the longest a billing information field may be.
func BillingFieldMax(field string) int {
	switch field {
	case "address":
		return maxBillingAddress
	case "vat_id":
		return maxVATID
	case "billing_email":
		return 254
	}
	return maxBillingText
}

// BillingInfoError names the field of the billing information that is not
// valid, and the message ID saying why.
type BillingInfoError struct{ Field, MsgID string }

func (e BillingInfoError) Error() string {
	return "store: billing information: " + e.Field + ": " + e.MsgID
}

// CheckBillingInfo returns every field of in that is not valid.
func CheckBillingInfo(in BillingInfo) []BillingInfoError {
	var out []BillingInfoError
	switch {
	case strings.TrimSpace(in.Company) == "":
		out = append(out, BillingInfoError{"company", "ErrRequired"})
	case len([]rune(in.Company)) > maxBillingText:
		out = append(out, BillingInfoError{"company", "ErrTooLong"})
	case !desk.PlainText(in.Company, false):
		out = append(out, BillingInfoError{"company", "ErrInvalidChoice"})
	}
	if strings.TrimSpace(in.Address) == "" {
		out = append(out, BillingInfoError{"address", "ErrRequired"})
	} else if len([]rune(in.Address)) > maxBillingAddress {
		out = append(out, BillingInfoError{"address", "ErrTooLong"})
	} else if !desk.PlainText(in.Address, true) {
		out = append(out, BillingInfoError{"address", "ErrInvalidChoice"})
	}
	if in.Country == "" {
		out = append(out, BillingInfoError{"country", "ErrRequired"})
	} else if !billing.ValidCountry(in.Country) {
		out = append(out, BillingInfoError{"country", "ErrInvalidChoice"})
	}
	if in.VATID != "" && !validVATID(in.VATID) {
		out = append(out, BillingInfoError{"vat_id", "BillingErrVATID"})
	}
	if in.Email == "" {
		out = append(out, BillingInfoError{"billing_email", "ErrRequired"})
	} else if len(in.Email) > 254 || !desk.ValidEmail(in.Email) {
		out = append(out, BillingInfoError{"billing_email", "ErrEmail"})
	}
	return out
}

// validVATID accepts the form of an EU VAT number: two letters of a
// country, then 2 to 13 letters or digits.
func validVATID(v string) bool {
	if len(v) < 4 || len(v) > maxVATID {
		return false
	}
	for i, r := range v {
		letter := r >= 'A' && r <= 'Z'
		digit := r >= '0' && r <= '9'
		if (i < 2 && !letter) || (!letter && !digit) {
			return false
		}
	}
	return true
}

// SaveBillingInfo stores who the next invoices are made out to; issued
// invoices keep the details they were issued with.
func (s *Store) SaveBillingInfo(ctx context.Context, actorID int64, in BillingInfo, ip string) error {
	if errs := CheckBillingInfo(in); len(errs) > 0 {
		return errs[0]
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := s.billingActor(ctx, tx, actorID); err != nil {
			return err
		}
		sub, err := s.lockSubscription(ctx, tx)
		if err != nil {
			return err
		}
		sub.Info = in
		if err := saveSubscription(ctx, tx, sub); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionBillingInfo, TargetType: "subscription", TargetID: 1,
			Details: fmt.Sprintf("%s, %s, VAT ID %q, %s", in.Company, in.Country, in.VATID, in.Email), IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: save billing information: %w", err)
	}
	return nil
}
