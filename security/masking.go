package security

import (
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Kinds of Search & Replace rule.
const (
	MaskCard  = "card"  // payment card numbers that pass the Luhn check
	MaskIBAN  = "iban"  // IBANs that pass the ISO 7064 mod-97 check
	MaskRegex = "regex" // a pattern of the desk's own
)

// MaskRule is one rule of Search & Replace: what to find and what to write
// in its place. For MaskRegex, Replacement may name groups ($1, ${name}).
type MaskRule struct {
	ID          int64
	Kind        string
	Pattern     string
	Replacement string
}

// Bounds of a rule as typed.
const (
	MaxMaskPattern     = 500
	MaxMaskReplacement = 100
)

// ErrMaskPattern reports a pattern Go's regular expressions do not accept.
var ErrMaskPattern = errors.New("security: not a valid regular expression")

// Go's regexp is RE2: matching runs in time linear in the text whatever the
// pattern, so no pattern of a desk's own can make the server backtrack for
// ever; there is no backtracking engine to fall back to here.
var (
	cardCandidate = regexp.MustCompile(`\b\d(?:[ -]?\d){12,18}\b`)
	ibanCandidate = regexp.MustCompile(`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b`)
)

type compiledRule struct {
	MaskRule
	re *regexp.Regexp
}

// Masker applies a list of rules, in order, to text before it is stored.
type Masker struct{ rules []compiledRule }

// NewMasker compiles rules; ErrMaskPattern names a bad own pattern.
func NewMasker(rules []MaskRule) (*Masker, error) {
	m := &Masker{}
	for _, r := range rules {
		c := compiledRule{MaskRule: r}
		switch r.Kind {
		case MaskCard:
			c.re = cardCandidate
		case MaskIBAN:
			c.re = ibanCandidate
		case MaskRegex:
			re, err := CompileMaskPattern(r.Pattern)
			if err != nil {
				return nil, err
			}
			c.re = re
		default:
			return nil, errors.New("security: unknown kind of rule " + r.Kind)
		}
		m.rules = append(m.rules, c)
	}
	return m, nil
}

// CompileMaskPattern checks and compiles a pattern of the desk's own. A
// pattern that matches the empty string is refused: it would write the
// replacement between every two characters.
func CompileMaskPattern(p string) (*regexp.Regexp, error) {
	if strings.TrimSpace(p) == "" || utf8.RuneCountInString(p) > MaxMaskPattern {
		return nil, ErrMaskPattern
	}
	re, err := regexp.Compile(p)
	if err != nil || re.MatchString("") {
		return nil, ErrMaskPattern
	}
	return re, nil
}

// Mask returns s with every rule applied. A nil Masker changes nothing.
func (m *Masker) Mask(s string) string {
	if m == nil {
		return s
	}
	for _, r := range m.rules {
		switch r.Kind {
		case MaskCard:
			s = r.re.ReplaceAllStringFunc(s, func(found string) string {
				if luhn(digitsOf(found)) {
					return r.Replacement
				}
				return found
			})
		case MaskIBAN:
			s = r.re.ReplaceAllStringFunc(s, func(found string) string {
				if validIBAN(strings.ReplaceAll(found, " ", "")) {
					return r.Replacement
				}
				return found
			})
		default:
			s = r.re.ReplaceAllString(s, r.Replacement)
		}
	}
	return s
}

// Empty reports whether m has no rule to apply.
func (m *Masker) Empty() bool { return m == nil || len(m.rules) == 0 }

func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// luhn is the check digit test of payment card numbers (13 to 19 digits).
func luhn(d string) bool {
	if len(d) < 13 || len(d) > 19 {
		return false
	}
	sum := 0
	for i := range len(d) {
		n := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

// validIBAN is the ISO 13616 check: country, check digits, then the whole
// number, moved and with letters as numbers, leaves 1 modulo 97.
func validIBAN(s string) bool {
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	moved := s[4:] + s[:4]
	rem := 0
	for _, r := range moved {
		switch {
		case r >= '0' && r <= '9':
			rem = (rem*10 + int(r-'0')) % 97
		case r >= 'A' && r <= 'Z':
			v := int(r-'A') + 10
			rem = (rem*100 + v) % 97
		default:
			return false
		}
	}
	return rem == 1
}
