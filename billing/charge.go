package billing

// ProRata is the part of a whole period's amount for daysLeft of
// periodDays, rounded half-up to the cent: 5 agents at 49 for 7 days of a
// 30-day period is 245 × 7 / 30 = 57.17.
func ProRata(whole Money, daysLeft, periodDays int) Money {
	if daysLeft <= 0 || periodDays <= 0 || whole <= 0 {
		return 0
	}
	return mulDivHalfUp(whole, int64(min(daysLeft, periodDays)), int64(periodDays))
}

// Thresholds of the mid-period rule (SPEC §6.4).
const (
	MinExtraPercent       = 10
	MinExtra        Money = 2000 // 20.00
)

// InvoiceNow decides whether pending, the pro-rata charges of the period's
// increases not invoiced yet, is invoiced at once. It is when the period's
// new amount (paid + pending) is at least 10% and at least 20.00 above what
// was already invoiced for the period; otherwise the charge waits for the
// renewal invoice.
func InvoiceNow(paid, pending Money) bool {
	return pending >= MinExtra && int64(pending)*100 >= int64(paid)*MinExtraPercent
}

// Change is the cost of a change of plan or seats in the middle of a period.
type Change struct {
	// Now is the pro-rata charge for the days left (never negative:
	// removing seats or moving to a cheaper plan is not refunded).
	Now Money
	// AtRenewal is what the next period will cost.
	AtRenewal Money
}

// Subscription is what a period is charged from.
type Subscription struct {
	Plan  Plan
	Cycle Cycle
	// Seats charged for in the current period: the highest number of
	// seats paid for so far, so a seat removed and added again in one
	// period is charged once.
	Seats int
}

// PriceChange is the cost of moving from `from` to `to` with daysLeft of a
// period of periodDays left. The cycle of `to` starts at the renewal; until
// then the days left are charged at the current cycle's price of the new
// plan. During the trial nothing is charged now.
func PriceChange(from, to Subscription, daysLeft, periodDays int, trial bool) Change {
	c := Change{AtRenewal: PeriodPrice(to.Plan, to.Cycle, to.Seats)}
	if trial {
		return c
	}
	before := PeriodPrice(from.Plan, from.Cycle, from.Seats)
	after := PeriodPrice(to.Plan, from.Cycle, max(to.Seats, from.Seats))
	if after > before {
		c.Now = ProRata(after-before, daysLeft, periodDays)
	}
	return c
}
