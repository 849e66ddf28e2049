package views

import "slices"

// PathLanguages is Configuration → System → Languages.
const PathLanguages = "/config/languages"

// LanguagesProps is the languages form: which interface languages the desk
// offers and its default.
type LanguagesProps struct {
	Offered []string
	Default string
	Errors  FieldErrors
}

func (p LanguagesProps) offers(code string) bool { return slices.Contains(p.Offered, code) }

// OfferedLanguages are the interface languages among codes, in the order
// of Languages: the choices of the Profile.
func OfferedLanguages(codes []string) []Language {
	var out []Language
	for _, l := range Languages {
		if slices.Contains(codes, l.Code) {
			out = append(out, l)
		}
	}
	return out
}
