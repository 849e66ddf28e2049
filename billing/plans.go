package billing

// Plan is one of the four plans of SPEC §6.4.
type Plan string

const (
	Small      Plan = "small"
	Medium     Plan = "medium"
	Large      Plan = "large"
	Enterprise Plan = "enterprise"
)

// Plans lists the plans from the cheapest.
var Plans = []Plan{Small, Medium, Large, Enterprise}

// Valid reports whether p is one of Plans.
func (p Plan) Valid() bool {
	for _, q := range Plans {
		if q == p {
			return true
		}
	}
	return false
}

// Cycle is how often a subscription is billed.
type Cycle string

const (
	Monthly Cycle = "monthly"
	Yearly  Cycle = "yearly"
)

// Cycles lists the billing cycles.
var Cycles = []Cycle{Monthly, Yearly}

// Valid reports whether c is one of Cycles.
func (c Cycle) Valid() bool { return c == Monthly || c == Yearly }

// Months is the length of one period of the cycle in months.
func (c Cycle) Months() int {
	if c == Yearly {
		return 12
	}
	return 1
}

// monthly are the default prices per agent per month (SPEC §6.4), billed
// monthly and billed yearly.
var monthly = map[Plan][2]Money{
	Small:      {Cents(19, 0), Cents(15, 0)},
	Medium:     {Cents(35, 0), Cents(29, 0)},
	Large:      {Cents(59, 0), Cents(49, 0)},
	Enterprise: {Cents(85, 0), Cents(69, 0)},
}

// MonthlyPrice is the price per agent per month of p billed in cycle c.
func MonthlyPrice(p Plan, c Cycle) Money {
	prices := monthly[p]
	if c == Yearly {
		return prices[1]
	}
	return prices[0]
}

// SeatPrice is the price of one agent for one whole period of the cycle:
// the monthly price, or twelve of the yearly-billed monthly price.
func SeatPrice(p Plan, c Cycle) Money { return MonthlyPrice(p, c) * Money(c.Months()) }

// PeriodPrice is what seats agents cost for one whole period.
func PeriodPrice(p Plan, c Cycle, seats int) Money { return SeatPrice(p, c) * Money(seats) }

// TrialDays is the length of the trial a new account starts with.
const TrialDays = 14
