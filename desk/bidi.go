package desk

import "strings"

// IsBidiControl reports whether r is one of the bidirectional embeddings,
// overrides or isolates, which can make text read as something else than
// what it is ("‮" turns "gpj.exe" around).
func IsBidiControl(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// NeutralBidi drops the bidirectional controls from text about to be shown.
// Messages keep what the customer sent (an email may carry them), but a
// page never lets them turn the text around; the marks that only hint a
// direction (U+200E, U+200F) stay, as right-to-left writing needs them.
func NeutralBidi(s string) string {
	if !strings.ContainsFunc(s, IsBidiControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if IsBidiControl(r) {
			return -1
		}
		return r
	}, s)
}
