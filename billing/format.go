package billing

import (
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// separators are a language's decimal and grouping marks, as x/text's CLDR
// data gives them; the digits themselves are written from the integer
// cents, so no amount passes through a float.
type separators struct{ decimal, group string }

var (
	sepMu    sync.Mutex
	sepCache = map[string]separators{}
)

func separatorsOf(lang string) separators {
	sepMu.Lock()
	defer sepMu.Unlock()
	if s, ok := sepCache[lang]; ok {
		return s
	}
	tag, err := language.Parse(lang)
	if err != nil {
		tag = language.English
	}
	// 1234567.5 (exact in binary) shows both marks: "1,234,567.5",
	// "1 234 567,5".
	out := message.NewPrinter(tag).Sprint(number.Decimal(1234567.5, number.Scale(1)))
	s := separators{decimal: ".", group: ","}
	if i := strings.Index(out, "234"); i > 1 {
		s.group = out[1:i]
	}
	if i := strings.LastIndex(out, "567"); i >= 0 && i+3 < len(out)-1 {
		s.decimal = out[i+3 : len(out)-1]
	}
	sepCache[lang] = s
	return s
}

// FormatNumber writes m with the language's marks: 1,234.56 in English,
// 1 234,56 in Polish (a no-break space), 1.234,56 in Romanian.
func FormatNumber(lang string, m Money) string {
	sep := separatorsOf(lang)
	v := int64(m)
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	whole := []byte(strings.TrimSpace(Money(v / 100 * 100).String()))
	whole = whole[:len(whole)-3]
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(sep.group)
		}
		b.WriteByte(c)
	}
	b.WriteString(sep.decimal)
	b.WriteString(twoDigits(v % 100))
	return b.String()
}

// Format writes m with the currency: $1,234.56 in English, 1 234,56 USD
// in Polish and Romanian (where the code follows the amount).
func Format(lang string, m Money) string {
	if lang == "en" || lang == "" {
		if m < 0 {
			return "-$" + FormatNumber(lang, -m)
		}
		return "$" + FormatNumber(lang, m)
	}
	return FormatNumber(lang, m) + "\u00a0" + Currency
}
