package billing

import "strings"

// The VAT rules invoices follow (a small, stated set, not tax advice):
//
//  1. Buyer in the seller's country (or no country given): the seller
//     country's standard rate.
//  2. Buyer in another EU country with a VAT ID: 0%, "reverse charge" (the
//     buyer accounts for the VAT, Article 196 of Directive 2006/112/EC).
//  3. Buyer in another EU country without a VAT ID: the buyer country's
//     standard rate (a consumer of electronic services pays the VAT of
//     their own country).
//  4. Buyer outside the EU: 0%, outside the scope of EU VAT.
//
// A seller outside the EU charges no VAT at all.

// VATKind says which of the rules applied.
type VATKind string

const (
	VATStandard      VATKind = "standard"
	VATReverseCharge VATKind = "reverse_charge"
	VATOutsideEU     VATKind = "outside_eu"
)

// euStandardRates are the EU standard VAT rates in hundredths of a percent
// (2300 is 23%), as in force in 2026.
var euStandardRates = map[string]int64{
	"AT": 2000, "BE": 2100, "BG": 2000, "HR": 2500, "CY": 1900, "CZ": 2100,
	"DK": 2500, "EE": 2400, "FI": 2550, "FR": 2000, "DE": 1900, "GR": 2400,
	"HU": 2700, "IE": 2300, "IT": 2200, "LV": 2100, "LT": 2100, "LU": 1700,
	"MT": 1800, "NL": 2100, "PL": 2300, "PT": 2300, "RO": 2100, "SK": 2300,
	"SI": 2200, "ES": 2100, "SE": 2500,
}

// InEU reports whether the ISO 3166 country code is an EU member state.
func InEU(country string) bool {
	_, ok := euStandardRates[strings.ToUpper(country)]
	return ok
}

// VAT is the tax line of an invoice.
type VAT struct {
	Kind VATKind
	// Rate in hundredths of a percent.
	Rate int64
	// Country whose rate applies ("" when none does).
	Country string
}

// VATFor picks the rule for a buyer in buyerCountry with vatID, sold to by a
// seller in sellerCountry.
func VATFor(sellerCountry, buyerCountry, vatID string) VAT {
	seller, buyer := strings.ToUpper(sellerCountry), strings.ToUpper(buyerCountry)
	if !InEU(seller) {
		return VAT{Kind: VATOutsideEU}
	}
	switch {
	case buyer == "" || buyer == seller:
		return VAT{Kind: VATStandard, Rate: euStandardRates[seller], Country: seller}
	case InEU(buyer) && strings.TrimSpace(vatID) != "":
		return VAT{Kind: VATReverseCharge}
	case InEU(buyer):
		return VAT{Kind: VATStandard, Rate: euStandardRates[buyer], Country: buyer}
	}
	return VAT{Kind: VATOutsideEU}
}

// Tax is the VAT on net, rounded half-up to the cent.
func (v VAT) Tax(net Money) Money { return mulDivHalfUp(net, v.Rate, 10000) }

// RatePercent is the rate as people write it: "23", "25.5".
func (v VAT) RatePercent() string {
	s := Money(v.Rate).String()
	s = strings.TrimSuffix(strings.TrimSuffix(s, "0"), "0")
	return strings.TrimSuffix(s, ".")
}

// NetOf is the net part of gross, an amount with VAT at rate (hundredths of
// a percent) in it, rounded half-up: NetOf(123.00, 2300) is 100.00.
func NetOf(gross Money, rate int64) Money { return mulDivHalfUp(gross, 10000, 10000+rate) }
