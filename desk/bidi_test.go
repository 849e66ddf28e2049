package desk

import "testing"

func TestNeutralBidi_DropsOverridesKeepsMarks(t *testing.T) {
	cases := map[string]string{
		"invoice\u202egpj.exe":          "invoicegpj.exe",
		"a\u2066b\u2067c\u2068d\u2069e": "abcde",
		"\u202a\u202b\u202c\u202d":      "",
		"שלום\u200fworld":               "שלום\u200fworld",
		"plain text":                    "plain text",
	}
	for in, want := range cases {
		if got := NeutralBidi(in); got != want {
			t.Errorf("NeutralBidi(%q) = %q, want %q", in, got, want)
		}
	}
}
