package desk

import "slices"

// LanguageCodes are the interface languages Helpline speaks, English first;
// the desk offers some or all of them (Configuration → System → Languages).
var LanguageCodes = []string{"en", "pl", "ro"}

// KnownLanguage reports whether code is one of LanguageCodes.
func KnownLanguage(code string) bool { return slices.Contains(LanguageCodes, code) }

// Languages are the languages the desk offers and its default among them.
type Languages struct {
	Offered []string // in the order of LanguageCodes, never empty
	Default string   // one of Offered
}

// AllLanguages is what a desk offers until an administrator chooses.
func AllLanguages() Languages {
	return Languages{Offered: slices.Clone(LanguageCodes), Default: "en"}
}

// Offers reports whether the desk offers code.
func (l Languages) Offers(code string) bool { return slices.Contains(l.Offered, code) }

// Valid reports whether l offers at least one known language, each once, and
// a default it offers.
func (l Languages) Valid() bool {
	if len(l.Offered) == 0 || !l.Offers(l.Default) {
		return false
	}
	for i, c := range l.Offered {
		if !KnownLanguage(c) || slices.Contains(l.Offered[:i], c) {
			return false
		}
	}
	return true
}

// For is the language someone who chose code sees: their choice while the
// desk offers it, the default otherwise (a withdrawn language included).
func (l Languages) For(code string) string {
	if l.Offers(code) {
		return code
	}
	return l.Default
}
