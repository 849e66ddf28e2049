package desk

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// PlainText reports whether v is valid UTF-8 without control characters
// (line breaks and tabs only where multiline) and without the bidirectional
// controls that make a name display as something else ("‮" turns
// "gpj.exe" around).
func PlainText(v string, multiline bool) bool {
	if !utf8.ValidString(v) {
		return false
	}
	for _, r := range v {
		switch {
		case multiline && (r == '\n' || r == '\t'):
		case unicode.IsControl(r), IsBidiControl(r):
			return false
		}
	}
	return true
}

// ValidEmail reports whether v is a bare address (no display name, no angle
// brackets) whose domain has a dot.
func ValidEmail(v string) bool {
	addr, err := mail.ParseAddress(v)
	return err == nil && addr.Address == v && strings.Contains(v[strings.LastIndexByte(v, '@')+1:], ".")
}
