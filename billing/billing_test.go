package billing

import (
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestPeriodPrice_EveryPlanAndCycle(t *testing.T) {
	tests := []struct {
		plan  Plan
		cycle Cycle
		seats int
		want  Money
	}{
		{Small, Monthly, 1, Cents(19, 0)},
		{Small, Yearly, 1, Cents(180, 0)},
		{Medium, Monthly, 3, Cents(105, 0)},
		{Medium, Yearly, 3, Cents(1044, 0)},
		{Large, Monthly, 10, Cents(590, 0)},
		{Large, Yearly, 10, Cents(5880, 0)},
		{Enterprise, Monthly, 2, Cents(170, 0)},
		{Enterprise, Yearly, 2, Cents(1656, 0)},
		{Enterprise, Yearly, 0, 0},
	}
	for _, tt := range tests {
		if got := PeriodPrice(tt.plan, tt.cycle, tt.seats); got != tt.want {
			t.Errorf("%s %s × %d = %s, want %s", tt.plan, tt.cycle, tt.seats, got, tt.want)
		}
	}
}

func TestProRata_DaysLeft(t *testing.T) {
	tests := []struct {
		name       string
		whole      Money
		left, days int
		want       Money
	}{
		{"worked example: 5 agents at 49, 7 of 30 days", 5 * Cents(49, 0), 7, 30, Cents(57, 17)},
		{"whole period", Cents(100, 0), 30, 30, Cents(100, 0)},
		{"no day left", Cents(100, 0), 0, 30, 0},
		{"one day of 31", Cents(19, 0), 1, 31, Cents(0, 61)},      // 0.6129 → 0.61
		{"half a cent rounds up", Money(1), 1, 2, Money(1)},       // 0.5 → 1
		{"just under half rounds down", Money(2), 1, 5, Money(0)}, // 0.4 → 0
		{"leap year day", Cents(588, 0), 1, 366, Cents(1, 61)},    // 1.6066 → 1.61
		{"more days than the period", Cents(10, 0), 40, 30, Cents(10, 0)},
	}
	for _, tt := range tests {
		if got := ProRata(tt.whole, tt.left, tt.days); got != tt.want {
			t.Errorf("%s: ProRata(%s, %d, %d) = %s, want %s", tt.name, tt.whole, tt.left, tt.days, got, tt.want)
		}
	}
}

func TestInvoiceNow_TenPercentAndTwentyRule(t *testing.T) {
	tests := []struct {
		name          string
		paid, pending Money
		want          bool
	}{
		{"worked example over 490.00", Cents(490, 0), Cents(57, 17), true},
		{"20.00 and 10% exactly", Cents(200, 0), Cents(20, 0), true},
		{"one cent under 20.00, far over 10%", Cents(100, 0), Cents(19, 99), false},
		{"20.00 but one cent under 10%", Cents(200, 1), Cents(20, 0), false},
		{"10% of 500.00 exactly", Cents(500, 0), Cents(50, 0), true},
		{"one cent under 10% of 500.00", Cents(500, 0), Cents(49, 99), false},
		{"nothing paid, 20.00", 0, Cents(20, 0), true},
		{"nothing paid, 19.99", 0, Cents(19, 99), false},
	}
	for _, tt := range tests {
		if got := InvoiceNow(tt.paid, tt.pending); got != tt.want {
			t.Errorf("%s: InvoiceNow(%s, %s) = %v, want %v", tt.name, tt.paid, tt.pending, got, tt.want)
		}
	}
}

func TestPriceChange(t *testing.T) {
	tests := []struct {
		name     string
		from, to Subscription
		left     int
		trial    bool
		want     Change
	}{
		{"5 Large seats added with 7 of 30 days left",
			Subscription{Large, Monthly, 10}, Subscription{Large, Monthly, 15}, 7, false,
			Change{Now: Cents(68, 83), AtRenewal: Cents(885, 0)}}, // 295 × 7 / 30 = 68.833
		{"upgrade Medium to Large, 15 of 30 days",
			Subscription{Medium, Monthly, 2}, Subscription{Large, Monthly, 2}, 15, false,
			Change{Now: Cents(24, 0), AtRenewal: Cents(118, 0)}},
		{"downgrade refunds nothing and lowers the renewal",
			Subscription{Large, Monthly, 4}, Subscription{Small, Monthly, 4}, 20, false,
			Change{Now: 0, AtRenewal: Cents(76, 0)}},
		{"seat removal refunds nothing and lowers the renewal",
			Subscription{Medium, Monthly, 5}, Subscription{Medium, Monthly, 4}, 20, false,
			Change{Now: 0, AtRenewal: Cents(140, 0)}},
		{"trial: nothing now, the plan from the end of the trial",
			Subscription{Medium, Monthly, 3}, Subscription{Large, Yearly, 3}, 5, true,
			Change{Now: 0, AtRenewal: 3 * Cents(588, 0)}},
		{"to yearly: the days left at the monthly price, the year at renewal",
			Subscription{Medium, Monthly, 1}, Subscription{Large, Yearly, 1}, 30, false,
			Change{Now: Cents(24, 0), AtRenewal: Cents(588, 0)}},
	}
	for _, tt := range tests {
		if got := PriceChange(tt.from, tt.to, tt.left, 30, tt.trial); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestNextPeriod(t *testing.T) {
	tests := []struct {
		name     string
		start    time.Time
		cycle    Cycle
		wantEnd  time.Time
		wantDays int
	}{
		{"month of 30 days", day(2026, 4, 10), Monthly, day(2026, 5, 10), 30},
		{"31 January ends on the last day of February", day(2026, 1, 31), Monthly, day(2026, 2, 28), 28},
		{"into a leap February", day(2028, 1, 31), Monthly, day(2028, 2, 29), 29},
		{"yearly across a leap day", day(2027, 3, 1), Yearly, day(2028, 3, 1), 366},
		{"yearly from a leap day", day(2028, 2, 29), Yearly, day(2029, 2, 28), 365},
		{"yearly without a leap day", day(2026, 3, 1), Yearly, day(2027, 3, 1), 365},
	}
	for _, tt := range tests {
		p := NextPeriod(tt.start, tt.cycle)
		if !p.End.Equal(tt.wantEnd) || p.Days() != tt.wantDays {
			t.Errorf("%s: ends %s after %d days, want %s after %d", tt.name, p.End.Format(time.DateOnly), p.Days(), tt.wantEnd.Format(time.DateOnly), tt.wantDays)
		}
	}
	p := NextPeriod(day(2026, 4, 1), Monthly)
	for _, tt := range []struct {
		at   time.Time
		want int
	}{{day(2026, 4, 1), 30}, {day(2026, 4, 24), 7}, {day(2026, 4, 24).Add(time.Hour), 7}, {day(2026, 5, 1), 0}} {
		if got := p.DaysLeft(tt.at); got != tt.want {
			t.Errorf("DaysLeft(%s) = %d, want %d", tt.at, got, tt.want)
		}
	}
}

func TestVATFor(t *testing.T) {
	tests := []struct {
		name                 string
		seller, buyer, vatID string
		want                 VAT
		net, wantTax         Money
	}{
		{"domestic", "PL", "PL", "PL1234567890", VAT{VATStandard, 2300, "PL"}, Cents(100, 0), Cents(23, 0)},
		{"no country: domestic", "PL", "", "", VAT{VATStandard, 2300, "PL"}, Cents(10, 1), Cents(2, 30)},
		{"EU business: reverse charge", "PL", "DE", "DE123456789", VAT{Kind: VATReverseCharge}, Cents(100, 0), 0},
		{"EU consumer: their rate", "PL", "DE", "", VAT{VATStandard, 1900, "DE"}, Cents(100, 0), Cents(19, 0)},
		{"outside the EU", "PL", "US", "", VAT{Kind: VATOutsideEU}, Cents(100, 0), 0},
		{"seller outside the EU", "US", "PL", "", VAT{Kind: VATOutsideEU}, Cents(100, 0), 0},
		{"half a cent of tax rounds up", "PL", "PL", "", VAT{VATStandard, 2300, "PL"}, Money(50), Money(12)}, // 11.5 → 12
	}
	for _, tt := range tests {
		got := VATFor(tt.seller, tt.buyer, tt.vatID)
		if got != tt.want || got.Tax(tt.net) != tt.wantTax {
			t.Errorf("%s: %+v tax %s, want %+v tax %s", tt.name, got, got.Tax(tt.net), tt.want, tt.wantTax)
		}
	}
}

func TestFormat_PerLanguage(t *testing.T) {
	tests := []struct {
		lang string
		m    Money
		want string
	}{
		{"en", Cents(1234, 56), "$1,234.56"},
		{"pl", Cents(1234, 56), "1\u00a0234,56\u00a0USD"},
		{"ro", Cents(1234, 56), "1.234,56\u00a0USD"},
		{"en", Cents(1234567, 5), "$1,234,567.05"},
		{"pl", Cents(57, 17), "57,17\u00a0USD"},
		{"en", Cents(0, 7), "$0.07"},
		{"en", -Cents(5, 0), "-$5.00"},
	}
	for _, tt := range tests {
		if got := Format(tt.lang, tt.m); got != tt.want {
			t.Errorf("Format(%s, %s) = %q, want %q", tt.lang, tt.m, got, tt.want)
		}
	}
}

func TestParseAmount(t *testing.T) {
	good := map[string]Money{"57.17": Cents(57, 17), "57,1": Cents(57, 10), "1 234,56": Cents(1234, 56), "0": 0, "12": Cents(12, 0)}
	for in, want := range good {
		if got, err := ParseAmount(in); err != nil || got != want {
			t.Errorf("ParseAmount(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-5", "1.234", "abc", "1e3", ".5", "5."} {
		if _, err := ParseAmount(in); err == nil {
			t.Errorf("ParseAmount(%q) accepted", in)
		}
	}
}

func TestCountries(t *testing.T) {
	pl := Countries("pl")
	if len(pl) < 200 {
		t.Fatalf("%d countries", len(pl))
	}
	if CountryName("pl", "DE") != "Niemcy" || CountryName("ro", "DE") != "Germania" {
		t.Errorf("DE is %q / %q", CountryName("pl", "DE"), CountryName("ro", "DE"))
	}
	if !ValidCountry("PL") || ValidCountry("XX") || ValidCountry("") {
		t.Error("ValidCountry")
	}
}

func TestNetOf_TakesTheVATOutHalfUp(t *testing.T) {
	for _, tt := range []struct {
		gross Money
		rate  int64
		want  Money
	}{{Cents(123, 0), 2300, Cents(100, 0)}, {Cents(12, 30), 2300, Cents(10, 0)}, {Cents(10, 0), 2300, Cents(8, 13)}, {Cents(10, 0), 0, Cents(10, 0)}} {
		if got := NetOf(tt.gross, tt.rate); got != tt.want {
			t.Errorf("NetOf(%s, %d) = %s, want %s", tt.gross, tt.rate, got, tt.want)
		}
	}
}
