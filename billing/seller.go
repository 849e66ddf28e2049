package billing

import "os"

// Seller is who issues the invoices: the company running this Helpline.
type Seller struct {
	Name    string
	Address string
	Country string // ISO 3166-1 alpha-2; decides the VAT rules (vat.go)
	VATID   string
}

// SellerFromEnv reads the seller from HELPLINE_SELLER_NAME,
// HELPLINE_SELLER_ADDRESS, HELPLINE_SELLER_COUNTRY and
// HELPLINE_SELLER_VAT_ID; the country defaults to PL.
func SellerFromEnv() Seller {
	s := Seller{
		Name:    os.Getenv("HELPLINE_SELLER_NAME"),
		Address: os.Getenv("HELPLINE_SELLER_ADDRESS"),
		Country: os.Getenv("HELPLINE_SELLER_COUNTRY"),
		VATID:   os.Getenv("HELPLINE_SELLER_VAT_ID"),
	}
	if s.Name == "" {
		s.Name = "Helpline"
	}
	if s.Country == "" {
		s.Country = "PL"
	}
	return s
}
