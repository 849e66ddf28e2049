package views

import (
	"context"
	"strconv"
	"time"

	"helpline/billing"
	"helpline/store"
)

// My account paths (SPEC §6.4); :id is an invoice.
const (
	PathAccount         = "/account"
	PathAccountPlan     = "/account/plan"
	PathAccountInvoices = "/account/invoices"
	PathAccountInvoice  = "/account/invoices/:id"
	PathAccountPDF      = "/account/invoices/:id/pdf"
	PathAccountPayments = "/account/invoices/:id/payments"
	PathAccountCredit   = "/account/invoices/:id/credit-notes"
	PathAccountBilling  = "/account/billing"
	PathAccountStop     = "/account/stop"
	PathAccountResume   = "/account/resume"
)

// accountNav is My account's sub-navigation.
var accountNav = []NavItem{
	{LabelID: "AccountNavPlan", Path: PathAccount},
	{LabelID: "AccountNavInvoices", Path: PathAccountInvoices},
	{LabelID: "AccountNavBilling", Path: PathAccountBilling},
}

// accountNavActive marks the section of My account the page belongs to:
// Plan holds the plan, change plan and stop pages, the others their own.
func accountNavActive(ctx context.Context, path string) bool {
	if path != PathAccount {
		return isActive(ctx, path)
	}
	return isActive(ctx, PathAccount) && !isActive(ctx, PathAccountInvoices) && !isActive(ctx, PathAccountBilling)
}

// Money is an amount in the page's language: $1,234.56 or 1 234,56 USD.
func Money(ctx context.Context, m billing.Money) string { return billing.Format(Lang(ctx), m) }

// BillingDate is a day of the billing calendar in the desk's zone:
// "15 April 2026" in English, "15.04.2026" in Polish and Romanian (as
// their invoices write dates).
func BillingDate(ctx context.Context, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := deskTime(ctx, t)
	if Lang(ctx) == "en" {
		return strconv.Itoa(d.Day()) + " " + T(ctx, monthIDs[d.Month()-1]) + " " + strconv.Itoa(d.Year())
	}
	return d.Format("02.01.2006")
}

// PlanName is a plan's name ("Large").
func PlanName(ctx context.Context, p billing.Plan) string { return T(ctx, planIDs[p]) }

var planIDs = map[billing.Plan]string{billing.Small: "Plan_small", billing.Medium: "Plan_medium", billing.Large: "Plan_large", billing.Enterprise: "Plan_enterprise"}

// CycleName is a billing cycle's name ("Yearly").
func CycleName(ctx context.Context, c billing.Cycle) string {
	if c == billing.Yearly {
		return T(ctx, "Cycle_yearly")
	}
	return T(ctx, "Cycle_monthly")
}

// DocumentTitle is "Invoice INV-000012" or "Credit note CN-000003".
func DocumentTitle(ctx context.Context, in store.Invoice) string {
	if in.Kind == store.KindCreditNote {
		return Tf(ctx, "CreditNoteTitle", map[string]any{"Number": in.Number})
	}
	return Tf(ctx, "InvoiceTitle", map[string]any{"Number": in.Number})
}

// DocumentStatus is Paid, Due or Overdue; a credit note has none of them.
func DocumentStatus(ctx context.Context, in store.Invoice) string {
	if in.Kind == store.KindCreditNote {
		return T(ctx, "CreditNote")
	}
	return InvoiceStatusName(ctx, in.Status())
}

// DocumentAmount is an invoice's total, or a credit note's as the negative
// amount it takes off.
func DocumentAmount(in store.Invoice) billing.Money {
	if in.Kind == store.KindCreditNote {
		return -in.Total
	}
	return in.Total
}

// InvoiceStatusName is Paid, Due or Overdue.
func InvoiceStatusName(ctx context.Context, s store.InvoiceStatus) string {
	switch s {
	case store.StatusPaid:
		return T(ctx, "InvoiceStatus_paid")
	case store.StatusOverdue:
		return T(ctx, "InvoiceStatus_overdue")
	}
	return T(ctx, "InvoiceStatus_due")
}

func documentBadge(in store.Invoice) string {
	if in.Kind == store.KindCreditNote {
		return "badge badge-primary"
	}
	return invoiceStatusBadge(in.Status())
}

func invoiceStatusBadge(s store.InvoiceStatus) string {
	switch s {
	case store.StatusPaid:
		return "badge badge-success"
	case store.StatusOverdue:
		return "badge badge-danger"
	}
	return "badge badge-warning"
}

// seatChangeID names the agent change that moved the seats.
func seatChangeID(a store.AuditAction) string {
	switch a {
	case store.ActionAgentCreate:
		return "SeatChangeCreate"
	case store.ActionAgentEnable:
		return "SeatChangeEnable"
	case store.ActionAgentDisable:
		return "SeatChangeDisable"
	}
	return "SeatChangeRemove"
}

// LineText describes an invoice line in the page's language.
func LineText(ctx context.Context, in store.Invoice, l store.InvoiceLine) string {
	data := map[string]any{"Plan": PlanName(ctx, l.Plan), "Cycle": CycleName(ctx, l.Cycle), "Seats": l.Seats,
		"Days": l.Days, "PeriodDays": l.PeriodDays}
	switch l.Kind {
	case store.LineProRata:
		return Tf(ctx, "LineProRata", data)
	case store.LineCarried:
		return Tf(ctx, "LineCarried", data)
	case store.LineCorrection:
		return Tf(ctx, "LineCorrection", map[string]any{"Number": in.Corrects})
	}
	return Tf(ctx, "LinePlan", data)
}

// PeriodText is "15 March 2026 – 14 April 2026": the last day paid for.
func PeriodText(ctx context.Context, p billing.Period) string {
	return BillingDate(ctx, p.Start) + " – " + BillingDate(ctx, p.End.Add(-time.Second))
}

// VATText names the VAT line: "VAT 23%", "Reverse charge", "No VAT (outside the EU)".
func VATText(ctx context.Context, v billing.VAT) string {
	switch v.Kind {
	case billing.VATReverseCharge:
		return T(ctx, "VATReverseCharge")
	case billing.VATOutsideEU:
		return T(ctx, "VATOutsideEU")
	}
	return Tf(ctx, "VATRate", map[string]any{"Rate": v.RatePercent()})
}

// AccountPlanProps is the Plan page.
type AccountPlanProps struct {
	Sub     store.Subscription
	Now     time.Time
	History []store.SeatChange
}

// PlanOption is one plan of the Change plan page with its two prices.
type PlanOption struct {
	Plan            billing.Plan
	Monthly, Yearly billing.Money // per agent per month
}

// PlanOptions lists the four plans with their prices.
func PlanOptions() []PlanOption {
	var out []PlanOption
	for _, p := range billing.Plans {
		out = append(out, PlanOption{p, billing.MonthlyPrice(p, billing.Monthly), billing.MonthlyPrice(p, billing.Yearly)})
	}
	return out
}

// ChangePlanProps is the Change plan page: the plans, the choice, and once
// a choice is made what it costs, to confirm.
type ChangePlanProps struct {
	Sub     store.Subscription
	Plan    billing.Plan
	Cycle   billing.Cycle
	Preview *store.PlanChange
	Errors  FieldErrors
}

// InvoicesProps is the invoices list.
type InvoicesProps struct {
	Invoices []store.Invoice
	Credit   billing.Money
}

// PaymentValues are the fields of the payment form.
type PaymentValues struct {
	Date      string
	Amount    string
	Reference string
}

// InvoiceProps is one invoice with its payments, the payment form and the
// credit note form.
type InvoiceProps struct {
	Invoice      store.Invoice
	Values       PaymentValues
	Errors       FieldErrors
	CreditAmount string
	CreditErrors FieldErrors
}

// BillingInfoProps is the billing information form.
type BillingInfoProps struct {
	Values    store.BillingInfo
	Errors    FieldErrors
	Countries []billing.Country
}

// StopProps is the Stop account confirmation.
type StopProps struct {
	EndsAt time.Time
}
