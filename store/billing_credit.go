package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"helpline/billing"
)

// ErrCreditAmount answers a credit note of nothing, or of more than is left
// of the invoice to credit.
var ErrCreditAmount = errors.New("store: a credit note is for more than nothing and at most what is left of the invoice")

// Creditable is what credit notes may still take off the invoice.
func (i Invoice) Creditable() billing.Money {
	if i.Kind != KindInvoice {
		return 0
	}
	return max(i.Total-i.Credited, 0)
}

// IssueCreditNote corrects an issued invoice, which itself never changes:
// a new document of the credit note series for amount (VAT included, at
// the invoice's rate) made out to the invoice's buyer. It counts as paid
// against the invoice; what the invoice no longer owes becomes credit for
// the next one. It returns the credit note's id.
func (s *Store) IssueCreditNote(ctx context.Context, actorID, invoiceID int64, amount billing.Money, ip string) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := s.billingActor(ctx, tx, actorID); err != nil {
			return err
		}
		sub, err := s.lockSubscription(ctx, tx)
		if err != nil {
			return err
		}
		in, err := invoiceByID(ctx, tx, invoiceID)
		if err != nil {
			return err
		}
		if amount <= 0 || amount > in.Creditable() {
			return ErrCreditAmount
		}
		seq, number, err := nextNumber(ctx, tx, KindCreditNote)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		// The amount holds the tax: net = amount / (1 + rate), half-up.
		net := amount
		if in.VAT.Rate > 0 {
			net = billing.NetOf(amount, in.VAT.Rate)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO invoices (kind, seq, number, corrects_id, reason, issued_at, due_at, period_start, period_end, issued_by,
				buyer_company, buyer_address, buyer_country, buyer_vat_id, buyer_email, seller_name, seller_address, seller_country, seller_vat_id,
				net, vat_kind, vat_rate, vat, total, credit_applied, amount_due)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0) RETURNING id`,
			string(KindCreditNote), seq, number, in.ID, string(ReasonCorrection), now.UnixMilli(), now.UnixMilli(),
			in.Period.Start.UnixMilli(), in.Period.End.UnixMilli(), actorID,
			in.Buyer.Company, in.Buyer.Address, in.Buyer.Country, in.Buyer.VATID, in.Buyer.Email,
			in.Seller.Name, in.Seller.Address, in.Seller.Country, in.Seller.VATID,
			int64(net), string(in.VAT.Kind), in.VAT.Rate, int64(amount-net), int64(amount)).Scan(&id)
		if err != nil {
			return fmt.Errorf("issue credit note: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO invoice_lines (invoice_id, position, kind, plan, cycle, seats, period_start, period_end, days, period_days, unit_price, amount)
			VALUES (?, 1, ?, '', '', 0, ?, ?, 0, 0, ?, ?)`, id, string(LineCorrection), in.Period.Start.UnixMilli(), in.Period.End.UnixMilli(), int64(net), int64(net)); err != nil {
			return fmt.Errorf("credit note line: %w", err)
		}
		// Settled against the invoice like a payment; beyond what it still
		// owes, credit for the next invoice.
		applied := min(amount, in.Outstanding())
		if _, err := tx.ExecContext(ctx, `INSERT INTO payments (invoice_id, paid_on, amount, applied, to_credit, reference, recorded_by, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, in.ID, now.Format(time.DateOnly), int64(amount), int64(applied), int64(amount-applied),
			number, actorID, now.UnixMilli()); err != nil {
			return err
		}
		if amount > applied {
			sub.Credit += amount - applied
			if err := saveSubscription(ctx, tx, sub); err != nil {
				return err
			}
		}
		return audit(ctx, tx, now.UnixMilli(), AuditEntry{ActorID: actorID, Action: ActionBillingCreditNote, TargetType: "invoice", TargetID: id,
			Details: fmt.Sprintf("%s corrects %s: %s", number, in.Number, amount), IP: ip})
	})
	if err != nil {
		return 0, fmt.Errorf("store: credit note on invoice %d: %w", invoiceID, err)
	}
	return id, nil
}
