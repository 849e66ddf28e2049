package billing

import (
	"sort"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Country is one choice of the Country list.
type Country struct {
	Code string // ISO 3166-1 alpha-2
	Name string // in the language asked for
}

var (
	codesOnce sync.Once
	codes     []language.Region
)

// countryCodes are the ISO 3166-1 countries x/text knows.
func countryCodes() []language.Region {
	codesOnce.Do(func() {
		for a := 'A'; a <= 'Z'; a++ {
			for b := 'A'; b <= 'Z'; b++ {
				r, err := language.ParseRegion(string([]rune{a, b}))
				if err == nil && r.IsCountry() && r.String() == string([]rune{a, b}) && r.String() != "ZZ" {
					codes = append(codes, r)
				}
			}
		}
	})
	return codes
}

// Countries lists every country named in lang, sorted as that language
// sorts.
func Countries(lang string) []Country {
	tag, err := language.Parse(lang)
	if err != nil {
		tag = language.English
	}
	names := display.Regions(tag)
	var out []Country
	for _, r := range countryCodes() {
		if n := names.Name(r); n != "" {
			out = append(out, Country{Code: r.String(), Name: n})
		}
	}
	col := collate.New(tag)
	sort.SliceStable(out, func(i, j int) bool { return col.CompareString(out[i].Name, out[j].Name) < 0 })
	return out
}

// CountryName is the name of code in lang, or code itself when unknown.
func CountryName(lang, code string) string {
	r, err := language.ParseRegion(code)
	if err != nil || code == "" {
		return code
	}
	tag, err := language.Parse(lang)
	if err != nil {
		tag = language.English
	}
	if n := display.Regions(tag).Name(r); n != "" {
		return n
	}
	return code
}

// ValidCountry reports whether code is one of the listed countries.
func ValidCountry(code string) bool {
	for _, r := range countryCodes() {
		if r.String() == code {
			return true
		}
	}
	return false
}
