package security

import (
	"strings"
	"testing"
	"time"
)

func TestMasker_CardsIBANsAndOwnPatterns(t *testing.T) {
	m, err := NewMasker([]MaskRule{
		{Kind: MaskCard, Replacement: "[card]"},
		{Kind: MaskIBAN, Replacement: "[iban]"},
		{Kind: MaskRegex, Pattern: `(?i)password:\s*(\S+)`, Replacement: "password: [hidden]"},
	})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"my card 4111 1111 1111 1111 thanks":         "my card [card] thanks",
		"card 4111-1111-1111-1111.":                  "card [card].",
		"5500005555555559":                           "[card]",
		"order 4111 1111 1111 1112 (fails Luhn)":     "order 4111 1111 1111 1112 (fails Luhn)",
		"phone 1234567890":                           "phone 1234567890",
		"IBAN GB82 WEST 1234 5698 7654 32 please":    "IBAN [iban] please",
		"IBAN DE89370400440532013000":                "IBAN [iban]",
		"not an IBAN GB82WEST12345698765433":         "not an IBAN GB82WEST12345698765433",
		"my password: hunter2 ok":                    "my password: [hidden] ok",
		"two: 4111111111111111 and 5500005555555559": "two: [card] and [card]",
	}
	for in, want := range cases {
		if got := m.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
	var none *Masker
	if none.Mask("4111111111111111") != "4111111111111111" {
		t.Error("a nil masker changed the text")
	}
}

func TestCompileMaskPattern_RefusesBadAndEmptyMatchingPatterns(t *testing.T) {
	for _, p := range []string{"(", "[a-", `\`, "", "a*", strings.Repeat("a", MaxMaskPattern+1), `(?<name>x)y\1`} {
		if _, err := CompileMaskPattern(p); err == nil {
			t.Errorf("%q accepted", p)
		}
	}
}

// TestMasker_CatastrophicPatternRunsInLinearTime: a pattern that makes
// backtracking engines run for ever finishes at once with RE2.
func TestMasker_CatastrophicPatternRunsInLinearTime(t *testing.T) {
	m, err := NewMasker([]MaskRule{{Kind: MaskRegex, Pattern: `(a+)+$`, Replacement: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("a", 50_000) + "!"
	start := time.Now()
	m.Mask(text)
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v", d)
	}
}
