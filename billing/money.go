// Package billing is the money arithmetic of My account: plans and their
// prices, billing periods, pro-rating, the rule that decides when a
// mid-period change is invoiced at once, and VAT. Amounts are integer cents;
// every division rounds half-up to the cent, once per line.
package billing

import (
	"errors"
	"strconv"
	"strings"
)

// Money is an amount in cents of the account's currency (USD).
type Money int64

// Currency is the one currency prices are given in (SPEC §6.4).
const Currency = "USD"

// Cents makes an amount of whole units and cents: Cents(57, 17) is 57.17.
func Cents(units, cents int64) Money { return Money(units*100 + cents) }

// mulDivHalfUp is a×num/den rounded half-up (away from zero on a half),
// without floats. den must be positive.
func mulDivHalfUp(a Money, num, den int64) Money {
	p := int64(a) * num
	neg := p < 0
	if neg {
		p = -p
	}
	q, r := p/den, p%den
	if 2*r >= den {
		q++
	}
	if neg {
		q = -q
	}
	return Money(q)
}

// String is the amount in the plain form forms and the audit log use:
// "1234.56", "-0.50".
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	return sign + strconv.FormatInt(v/100, 10) + "." + twoDigits(v%100)
}

func twoDigits(v int64) string {
	if v < 10 {
		return "0" + strconv.FormatInt(v, 10)
	}
	return strconv.FormatInt(v, 10)
}

// ErrAmount answers an amount that is not a positive number with at most
// two decimals.
var ErrAmount = errors.New("billing: not an amount")

// ParseAmount reads an amount typed into a form: digits, and at most two
// decimals after a point or comma ("57.17", "57,17", "57"). Spaces as
// thousands separators are allowed; a negative amount is not.
func ParseAmount(s string) (Money, error) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
	whole, frac, hasFrac := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	if whole == "" || len(whole) > 12 || (hasFrac && (len(frac) == 0 || len(frac) > 2)) {
		return 0, ErrAmount
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, ErrAmount
			}
		}
	}
	u, _ := strconv.ParseInt(whole, 10, 64)
	var c int64
	if hasFrac {
		c, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			c *= 10
		}
	}
	return Cents(u, c), nil
}
