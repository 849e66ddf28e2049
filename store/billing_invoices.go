package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"helpline/billing"
)

// DocumentKind is an invoice or a credit note.
type DocumentKind string

const (
	KindInvoice    DocumentKind = "invoice"
	KindCreditNote DocumentKind = "credit_note"
)

// InvoiceReason is why an invoice was issued.
type InvoiceReason string

const (
	ReasonRenewal    InvoiceReason = "renewal"
	ReasonMidPeriod  InvoiceReason = "mid_period"
	ReasonCorrection InvoiceReason = "correction"
)

// LineKind is what a line charges.
type LineKind string

const (
	LinePlan       LineKind = "plan"       // seats × the plan for a whole period
	LineProRata    LineKind = "pro_rata"   // added seats or a dearer plan for the days left
	LineCarried    LineKind = "carried"    // pro-rata charges that waited for the renewal
	LineCorrection LineKind = "correction" // a credit note's amount off the invoice it corrects
)

// InvoiceStatus is what the invoices list shows.
type InvoiceStatus string

const (
	StatusPaid    InvoiceStatus = "paid"
	StatusDue     InvoiceStatus = "due"
	StatusOverdue InvoiceStatus = "overdue"
)

// PaymentTerm is how long an invoice may wait for payment.
const PaymentTerm = 14 * 24 * time.Hour

// InvoiceLine is one line of an invoice.
type InvoiceLine struct {
	Kind       LineKind
	Plan       billing.Plan
	Cycle      billing.Cycle
	Seats      int
	Period     billing.Period
	Days       int
	PeriodDays int
	UnitPrice  billing.Money
	Amount     billing.Money
}

// Invoice is an issued invoice with its lines and what was paid.
type Invoice struct {
	ID     int64
	Kind   DocumentKind
	Number string
	// Corrects is the number of the invoice a credit note corrects;
	// Credited is what credit notes took off an invoice.
	Corrects string
	Credited billing.Money
	Reason   InvoiceReason
	IssuedAt time.Time
	DueAt    time.Time
	Period   billing.Period
	Buyer    BillingInfo
	Seller   billing.Seller
	Net      billing.Money
	VAT      billing.VAT
	Tax      billing.Money
	Total    billing.Money
	// CreditApplied is earlier overpayment taken off; AmountDue is what
	// is left to pay.
	CreditApplied billing.Money
	AmountDue     billing.Money
	Paid          billing.Money
	Overdue       bool
	Lines         []InvoiceLine
	Payments      []PaymentRow
}

// Status is Paid once payments cover the amount due, else Overdue once the
// job marked it, else Due.
func (i Invoice) Status() InvoiceStatus {
	switch {
	case i.Paid >= i.AmountDue:
		return StatusPaid
	case i.Overdue:
		return StatusOverdue
	}
	return StatusDue
}

// Outstanding is what is left to pay.
func (i Invoice) Outstanding() billing.Money { return max(i.AmountDue-i.Paid, 0) }

// PaymentRow is a recorded payment.
type PaymentRow struct {
	ID        int64
	PaidOn    time.Time
	Amount    billing.Money
	Applied   billing.Money
	ToCredit  billing.Money
	Reference string
	ByName    string
}

// nextNumber takes the next number of kind's series in tx. The sequence row
// is updated in the issuing transaction: concurrent issues wait for it, and
// a transaction that rolls back gives its number back, so the numbers have
// no gaps.
func nextNumber(ctx context.Context, tx *sql.Tx, kind DocumentKind) (int64, string, error) {
	var seq int64
	if _, err := tx.ExecContext(ctx, `INSERT INTO invoice_sequences (kind, last) VALUES (?, 0) ON CONFLICT (kind) DO NOTHING`, string(kind)); err != nil {
		return 0, "", fmt.Errorf("number %s: %w", kind, err)
	}
	if err := tx.QueryRowContext(ctx, `UPDATE invoice_sequences SET last = last + 1 WHERE kind = ? RETURNING last`, string(kind)).Scan(&seq); err != nil {
		return 0, "", fmt.Errorf("number %s: %w", kind, err)
	}
	prefix := "INV-"
	if kind == KindCreditNote {
		prefix = "CN-"
	}
	return seq, fmt.Sprintf("%s%06d", prefix, seq), nil
}

// issueInvoice issues an invoice of lines to the subscription's billing
// information, takes the subscription's credit off it and returns its id.
// The caller saves sub.
func (s *Store) issueInvoice(ctx context.Context, tx *sql.Tx, sub *Subscription, now time.Time, actorID int64, reason InvoiceReason, period billing.Period, lines []InvoiceLine) (int64, error) {
	seq, number, err := nextNumber(ctx, tx, KindInvoice)
	if err != nil {
		return 0, err
	}
	seller := billing.SellerFromEnv()
	var net billing.Money
	for _, l := range lines {
		net += l.Amount
	}
	vat := billing.VATFor(seller.Country, sub.Info.Country, sub.Info.VATID)
	tax := vat.Tax(net)
	total := net + tax
	credit := min(sub.Credit, total)
	sub.Credit -= credit
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO invoices (kind, seq, number, reason, issued_at, due_at, period_start, period_end, issued_by,
			buyer_company, buyer_address, buyer_country, buyer_vat_id, buyer_email, seller_name, seller_address, seller_country, seller_vat_id,
			net, vat_kind, vat_rate, vat, total, credit_applied, amount_due)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		string(KindInvoice), seq, number, string(reason), now.UnixMilli(), now.Add(PaymentTerm).UnixMilli(),
		period.Start.UnixMilli(), period.End.UnixMilli(), nullID(actorID),
		sub.Info.Company, sub.Info.Address, sub.Info.Country, sub.Info.VATID, sub.Info.Email,
		seller.Name, seller.Address, seller.Country, seller.VATID,
		int64(net), string(vat.Kind), vat.Rate, int64(tax), int64(total), int64(credit), int64(total-credit)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("issue invoice: %w", err)
	}
	for i, l := range lines {
		if _, err := tx.ExecContext(ctx, `INSERT INTO invoice_lines (invoice_id, position, kind, plan, cycle, seats, period_start, period_end, days, period_days, unit_price, amount)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, i+1, string(l.Kind), string(l.Plan), string(l.Cycle), l.Seats,
			l.Period.Start.UnixMilli(), l.Period.End.UnixMilli(), l.Days, l.PeriodDays, int64(l.UnitPrice), int64(l.Amount)); err != nil {
			return 0, fmt.Errorf("invoice line: %w", err)
		}
	}
	return id, audit(ctx, tx, now.UnixMilli(), AuditEntry{ActorID: actorID, Action: ActionBillingInvoice, TargetType: "invoice", TargetID: id,
		Details: fmt.Sprintf("%s (%s): %s", number, reason, total)})
}

const invoiceColumns = `i.id, i.kind, i.number,
	coalesce((SELECT c.number FROM invoices c WHERE c.id = i.corrects_id), ''),
	coalesce((SELECT sum(c.total) FROM invoices c WHERE c.corrects_id = i.id), 0), i.reason, i.issued_at, i.due_at, i.period_start, i.period_end,
	i.buyer_company, i.buyer_address, i.buyer_country, i.buyer_vat_id, i.buyer_email,
	i.seller_name, i.seller_address, i.seller_country, i.seller_vat_id,
	i.net, i.vat_kind, i.vat_rate, i.vat, i.total, i.credit_applied, i.amount_due,
	coalesce((SELECT sum(p.applied) FROM payments p WHERE p.invoice_id = i.id), 0),
	EXISTS (SELECT 1 FROM invoice_overdue o WHERE o.invoice_id = i.id)`

func scanInvoice(sc interface{ Scan(...any) error }) (Invoice, error) {
	var in Invoice
	var issued, due, ps, pe, net, tax, total, credit, amountDue, paid, credited int64
	var vatKind string
	var overdue bool
	err := sc.Scan(&in.ID, &in.Kind, &in.Number, &in.Corrects, &credited, &in.Reason, &issued, &due, &ps, &pe,
		&in.Buyer.Company, &in.Buyer.Address, &in.Buyer.Country, &in.Buyer.VATID, &in.Buyer.Email,
		&in.Seller.Name, &in.Seller.Address, &in.Seller.Country, &in.Seller.VATID,
		&net, &vatKind, &in.VAT.Rate, &tax, &total, &credit, &amountDue, &paid, &overdue)
	if err != nil {
		return Invoice{}, err
	}
	in.IssuedAt, in.DueAt = msToTime(issued).UTC(), msToTime(due).UTC()
	in.Period = billing.Period{Start: msToTime(ps).UTC(), End: msToTime(pe).UTC()}
	in.VAT.Kind = billing.VATKind(vatKind)
	if in.VAT.Kind == billing.VATStandard {
		in.VAT.Country = in.Buyer.Country
		if in.VAT.Country == "" || !billing.InEU(in.VAT.Country) || in.Buyer.Country == in.Seller.Country {
			in.VAT.Country = in.Seller.Country
		}
	}
	in.Net, in.Tax, in.Total = billing.Money(net), billing.Money(tax), billing.Money(total)
	in.CreditApplied, in.AmountDue, in.Paid, in.Overdue = billing.Money(credit), billing.Money(amountDue), billing.Money(paid), overdue
	in.Credited = billing.Money(credited)
	return in, nil
}

// Invoices lists the issued invoices, newest first.
func (s *Store) Invoices(ctx context.Context) ([]Invoice, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT `+invoiceColumns+` FROM invoices i ORDER BY i.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: invoices: %w", err)
	}
	defer rows.Close()
	var out []Invoice
	for rows.Next() {
		in, err := scanInvoice(rows)
		if err != nil {
			return nil, fmt.Errorf("store: invoices: %w", err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// InvoiceByID returns an invoice with its lines and payments.
func (s *Store) InvoiceByID(ctx context.Context, id int64) (Invoice, error) {
	in, err := invoiceByID(ctx, s.rd, id)
	if err != nil {
		return Invoice{}, fmt.Errorf("store: invoice %d: %w", id, err)
	}
	return in, nil
}

func invoiceByID(ctx context.Context, q querier, id int64) (Invoice, error) {
	in, err := scanInvoice(q.QueryRowContext(ctx, `SELECT `+invoiceColumns+` FROM invoices i WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Invoice{}, ErrNotFound
	}
	if err != nil {
		return Invoice{}, err
	}
	rows, err := q.QueryContext(ctx, `SELECT kind, plan, cycle, seats, period_start, period_end, days, period_days, unit_price, amount
		FROM invoice_lines WHERE invoice_id = ? ORDER BY position`, id)
	if err != nil {
		return Invoice{}, err
	}
	for rows.Next() {
		var l InvoiceLine
		var ps, pe, unit, amount int64
		if err := rows.Scan(&l.Kind, &l.Plan, &l.Cycle, &l.Seats, &ps, &pe, &l.Days, &l.PeriodDays, &unit, &amount); err != nil {
			rows.Close()
			return Invoice{}, err
		}
		l.Period = billing.Period{Start: msToTime(ps).UTC(), End: msToTime(pe).UTC()}
		l.UnitPrice, l.Amount = billing.Money(unit), billing.Money(amount)
		in.Lines = append(in.Lines, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Invoice{}, err
	}
	prows, err := q.QueryContext(ctx, `SELECT p.id, p.paid_on, p.amount, p.applied, p.to_credit, p.reference, coalesce(a.name, '')
		FROM payments p LEFT JOIN agents a ON a.id = p.recorded_by WHERE p.invoice_id = ? ORDER BY p.id`, id)
	if err != nil {
		return Invoice{}, err
	}
	defer prows.Close()
	for prows.Next() {
		var p PaymentRow
		var on string
		var amount, applied, toCredit int64
		if err := prows.Scan(&p.ID, &on, &amount, &applied, &toCredit, &p.Reference, &p.ByName); err != nil {
			return Invoice{}, err
		}
		p.PaidOn, _ = time.Parse(time.DateOnly, on)
		p.Amount, p.Applied, p.ToCredit = billing.Money(amount), billing.Money(applied), billing.Money(toCredit)
		in.Payments = append(in.Payments, p)
	}
	return in, prows.Err()
}

// ErrPaymentInvalid answers a payment of no amount or without a date.
var ErrPaymentInvalid = errors.New("store: a payment needs a date and an amount above zero")

// RecordPayment records a payment against an invoice. What it pays beyond
// the amount left becomes credit, taken off the next invoice.
func (s *Store) RecordPayment(ctx context.Context, actorID, invoiceID int64, p billing.Payment, ip string) error {
	if p.Amount <= 0 || p.On.IsZero() {
		return ErrPaymentInvalid
	}
	p.Reference = strings.TrimSpace(p.Reference)
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
		if in.Kind != KindInvoice {
			return ErrNotFound // a credit note is not paid
		}
		applied := min(p.Amount, in.Outstanding())
		toCredit := p.Amount - applied
		now := s.nowMs()
		if _, err := tx.ExecContext(ctx, `INSERT INTO payments (invoice_id, paid_on, amount, applied, to_credit, reference, recorded_by, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, in.ID, p.On.Format(time.DateOnly), int64(p.Amount), int64(applied), int64(toCredit),
			p.Reference, actorID, now); err != nil {
			return err
		}
		if toCredit > 0 {
			sub.Credit += toCredit
			if err := saveSubscription(ctx, tx, sub); err != nil {
				return err
			}
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionBillingPayment, TargetType: "invoice", TargetID: in.ID,
			Details: fmt.Sprintf("%s: %s on %s, ref %q; to credit %s", in.Number, p.Amount, p.On.Format(time.DateOnly), p.Reference, toCredit), IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: record payment on invoice %d: %w", invoiceID, err)
	}
	return nil
}

// MarkOverdue marks the invoices past their due date and not paid in full;
// it returns how many it marked.
func (s *Store) MarkOverdue(ctx context.Context) (int, error) {
	const unmarked = ` FROM invoices i
		WHERE i.kind = 'invoice' AND i.due_at <= ?
		  AND i.amount_due > coalesce((SELECT sum(p.applied) FROM payments p WHERE p.invoice_id = i.id), 0)
		  AND NOT EXISTS (SELECT 1 FROM invoice_overdue o WHERE o.invoice_id = i.id)`
	// Most rounds find nothing: they read, and write nothing.
	var found int
	if err := s.rd.QueryRowContext(ctx, `SELECT count(*)`+unmarked, s.nowMs()).Scan(&found); err != nil || found == 0 {
		return 0, err
	}
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.nowMs()
		// Another instance may mark the same invoice between the read and
		// this write (the job's lock only keeps instances from running it
		// together, not other callers): its mark stands, this one is skipped.
		res, err := tx.ExecContext(ctx, `INSERT INTO invoice_overdue (invoice_id, marked_at) SELECT i.id, ?`+unmarked+`
			ON CONFLICT (invoice_id) DO NOTHING`, now, now)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: mark overdue invoices: %w", err)
	}
	return int(n), nil
}
