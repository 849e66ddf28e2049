package billing

import (
	"context"
	"time"
)

// Payment is money received against an invoice.
type Payment struct {
	On        time.Time // the day it was paid
	Amount    Money
	Reference string
}

// PaymentProvider takes a payment for an invoice. Today the Owner records
// payments made by bank transfer by hand (ManualPayments); a card provider
// implements this interface and is called at the same step, before the
// payment is recorded.
type PaymentProvider interface {
	Collect(ctx context.Context, invoiceNumber string, p Payment) (Payment, error)
}

// ManualPayments is the provider of payments the Owner records by hand: it
// takes them as given and calls nobody.
type ManualPayments struct{}

// Collect returns p unchanged.
func (ManualPayments) Collect(_ context.Context, _ string, p Payment) (Payment, error) { return p, nil }
