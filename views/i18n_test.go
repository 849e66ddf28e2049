package views

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// pluralKeys are the plural categories go-i18n reads from a message table.
var pluralKeys = []string{"zero", "one", "two", "few", "many", "other"}

// messageKeys are all the keys go-i18n accepts in a message table; a table
// with only these keys is a message, any other table nests message IDs.
var messageKeys = append([]string{"id", "description", "hash", "leftdelim", "rightdelim"}, pluralKeys...)

// catalogMessage is one message of a message file: a plain text, or the
// texts of its plural forms.
type catalogMessage struct {
	text  string            // plain message
	forms map[string]string // plural message: category -> text
}

func (m catalogMessage) plural() bool { return m.forms != nil }

// texts returns every text of the message.
func (m catalogMessage) texts() []string {
	if !m.plural() {
		return []string{m.text}
	}
	var out []string
	for _, k := range pluralKeys {
		if s, ok := m.forms[k]; ok {
			out = append(out, s)
		}
	}
	return out
}

// readCatalogFile parses one embedded message file into message ID -> message.
func readCatalogFile(t *testing.T, name string) map[string]catalogMessage {
	t.Helper()
	data, err := fs.ReadFile(localeFiles, name)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	out := map[string]catalogMessage{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			id := prefix + k
			switch v := v.(type) {
			case string:
				out[id] = catalogMessage{text: v}
			case map[string]any:
				if isMessageTable(v) {
					forms := map[string]string{}
					for _, pk := range pluralKeys {
						if s, ok := v[pk].(string); ok {
							forms[pk] = s
						}
					}
					out[id] = catalogMessage{forms: forms}
				} else {
					walk(id+".", v)
				}
			default:
				t.Errorf("%s: %s has a value of type %T, want a string or a table", name, id, v)
			}
		}
	}
	walk("", raw)
	return out
}

func isMessageTable(m map[string]any) bool {
	for k := range m {
		if !slices.Contains(messageKeys, strings.ToLower(k)) {
			return false
		}
	}
	return len(m) > 0
}

// catalogFiles maps a language code to its message files: domain (the file
// name before the language, e.g. "common") -> embedded path.
func catalogFiles(t *testing.T) map[string]map[string]string {
	t.Helper()
	files, err := fs.Glob(localeFiles, "locales/*.toml")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for _, f := range files {
		parts := strings.Split(path.Base(f), ".")
		if len(parts) != 3 {
			t.Errorf("%s: want a name like common.<lang>.toml", f)
			continue
		}
		domain, lang := parts[0], parts[1]
		if !IsLanguage(lang) {
			t.Errorf("%s: %q is not one of views.Languages", f, lang)
			continue
		}
		if out[lang] == nil {
			out[lang] = map[string]string{}
		}
		out[lang][domain] = f
	}
	return out
}

// englishCatalog returns every English message by ID.
func englishCatalog(t *testing.T) map[string]catalogMessage {
	t.Helper()
	files := catalogFiles(t)
	if len(files["en"]) == 0 {
		t.Fatal("no English message files in locales/")
	}
	all := map[string]catalogMessage{}
	for _, f := range files["en"] {
		for id, m := range readCatalogFile(t, f) {
			if _, dup := all[id]; dup {
				t.Errorf("%s: message %s is also defined in another English file", f, id)
			}
			all[id] = m
		}
	}
	return all
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func TestCatalogHasSameIDsInEveryLanguage(t *testing.T) {
	files := catalogFiles(t)
	en := files["en"]
	if len(en) == 0 {
		t.Fatal("no English message files in locales/")
	}
	for _, l := range Languages {
		if l.Code == "en" {
			continue
		}
		for _, domain := range sortedKeys(en) {
			want := readCatalogFile(t, en[domain])
			f, ok := files[l.Code][domain]
			if !ok {
				t.Errorf("%s: missing locales/%s.%s.toml (English has %s)", l.Code, domain, l.Code, en[domain])
				continue
			}
			got := readCatalogFile(t, f)
			var missing, extra []string
			for _, id := range sortedKeys(want) {
				if _, ok := got[id]; !ok {
					missing = append(missing, id)
				}
			}
			for _, id := range sortedKeys(got) {
				if _, ok := want[id]; !ok {
					extra = append(extra, id)
				}
			}
			if len(missing) > 0 {
				t.Errorf("%s: %s lacks %d message(s) of English: %s", l.Code, f, len(missing), strings.Join(missing, ", "))
			}
			if len(extra) > 0 {
				t.Errorf("%s: %s has %d message(s) English does not: %s", l.Code, f, len(extra), strings.Join(extra, ", "))
			}
		}
		for _, domain := range sortedKeys(files[l.Code]) {
			if _, ok := en[domain]; !ok {
				t.Errorf("%s: %s has no English counterpart locales/%s.en.toml", l.Code, files[l.Code][domain], domain)
			}
		}
	}
}

// messageIDUse finds message IDs passed to the translation helpers, set in
// fields that hold message IDs, or given to the form helper f.fail.
var messageIDUse = regexp.MustCompile(`(?:\bT\(ctx, |\bTf\(ctx, |\bTn\(ctx, |\bTL\([^"\n]*?, |\bt\(c, |\btf\(c, |\b(?:LabelID|HintID|labelID): |\bf\.fail\("[^"\n]*", )"([^"\\\n]+)"`)

// messageIDLiteral finds string literals that look like message IDs by name.
var messageIDLiteral = regexp.MustCompile(`"((?:Err|Session)[A-Z][A-Za-z]*)"`)

func TestUsedMessageIDsExistInEnglish(t *testing.T) {
	en := englishCatalog(t)
	used := map[string][]string{} // ID -> where
	scanned := map[string]int{}   // root -> files scanned
	for _, root := range []string{".", "../web", "../desk"} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			name := d.Name()
			if strings.HasSuffix(name, "_test.go") || strings.HasSuffix(name, "_templ.go") {
				return nil
			}
			if !strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, ".templ") {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			scanned[root]++
			for i, line := range strings.Split(string(src), "\n") {
				where := p + ":" + strconv.Itoa(i+1)
				found := append(messageIDUse.FindAllStringSubmatch(line, -1), messageIDLiteral.FindAllStringSubmatch(line, -1)...)
				for _, m := range found {
					if !slices.Contains(used[m[1]], where) {
						used[m[1]] = append(used[m[1]], where)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("scan %s: %v", root, err)
		}
		if scanned[root] == 0 {
			t.Fatalf("scan %s: no .go or .templ files found", root)
		}
	}
	if len(used) == 0 {
		t.Fatal("the scan found no message IDs at all; is the pattern still right?")
	}
	var unknown []string
	for _, id := range sortedKeys(used) {
		if _, ok := en[id]; !ok {
			unknown = append(unknown, id+" ("+strings.Join(used[id], ", ")+")")
		}
	}
	if len(unknown) > 0 {
		t.Errorf("%d message ID(s) used in code are not in the English catalogue:\n\t%s", len(unknown), strings.Join(unknown, "\n\t"))
	}
}

// templateAction matches one {{...}} action; templateField a .Name in it.
var (
	templateAction = regexp.MustCompile(`\{\{.*?\}\}`)
	templateField  = regexp.MustCompile(`\.[A-Za-z_][A-Za-z0-9_]*`)
)

// placeholders returns the sorted, distinct template fields of the texts.
func placeholders(texts ...string) []string {
	set := map[string]bool{}
	for _, s := range texts {
		for _, a := range templateAction.FindAllString(s, -1) {
			for _, f := range templateField.FindAllString(a, -1) {
				set["{{"+f+"}}"] = true
			}
		}
	}
	return sortedKeys(set)
}

func TestTranslationsKeepPlaceholders(t *testing.T) {
	en := englishCatalog(t)
	files := catalogFiles(t)
	for _, l := range Languages {
		if l.Code == "en" {
			continue
		}
		for _, f := range files[l.Code] {
			for id, m := range readCatalogFile(t, f) {
				want, ok := en[id]
				if !ok {
					continue // reported by TestCatalogHasSameIDsInEveryLanguage
				}
				if m.plural() != want.plural() {
					t.Errorf("%s: %s is plural=%v, English plural=%v", f, id, m.plural(), want.plural())
					continue
				}
				if g, w := placeholders(m.texts()...), placeholders(want.texts()...); !slices.Equal(g, w) {
					t.Errorf("%s: %s has placeholders %v, English %v", f, id, g, w)
				}
				if m.plural() {
					// Each form must keep the placeholders too, or a count
					// would vanish from some numbers only.
					for form, s := range m.forms {
						if g, w := placeholders(s), placeholders(want.texts()...); !slices.Equal(g, w) {
							t.Errorf("%s: %s form %q has placeholders %v, English %v", f, id, form, g, w)
						}
					}
				}
			}
		}
	}
}

// integerPluralForms returns the plural categories a language uses for whole
// numbers, plus "other", which go-i18n always needs.
func integerPluralForms(lang string) []string {
	tag := language.MustParse(lang)
	set := map[string]bool{"other": true}
	names := map[plural.Form]string{plural.Zero: "zero", plural.One: "one", plural.Two: "two", plural.Few: "few", plural.Many: "many", plural.Other: "other"}
	for n := 0; n <= 1000; n++ {
		s := strconv.Itoa(n)
		digits := make([]byte, len(s))
		for i := range s {
			digits[i] = s[i] - '0'
		}
		set[names[plural.Cardinal.MatchDigits(tag, digits, len(digits), 0)]] = true
	}
	return sortedKeys(set)
}

func TestPluralMessagesHaveEveryForm(t *testing.T) {
	files := catalogFiles(t)
	for _, l := range Languages {
		need := integerPluralForms(l.Code)
		for _, f := range files[l.Code] {
			msgs := readCatalogFile(t, f)
			for _, id := range sortedKeys(msgs) {
				m := msgs[id]
				if !m.plural() {
					continue
				}
				var missing []string
				for _, form := range need {
					if _, ok := m.forms[form]; !ok {
						missing = append(missing, form)
					}
				}
				if len(missing) > 0 {
					t.Errorf("%s: plural message %s lacks form(s) %v (%s needs %v)", f, id, missing, l.Code, need)
				}
			}
		}
	}
}

func TestEveryMessageRenders(t *testing.T) {
	en := englishCatalog(t)
	for _, l := range Languages {
		loc := Localizer(l.Code)
		for _, id := range sortedKeys(en) {
			data := map[string]any{}
			for _, p := range placeholders(en[id].texts()...) {
				data[strings.TrimSuffix(strings.TrimPrefix(p, "{{."), "}}")] = 7
			}
			cfg := &i18n.LocalizeConfig{MessageID: id, TemplateData: data}
			counts := []int{0}
			if en[id].plural() {
				counts = []int{0, 1, 2, 5, 12, 21, 22, 101}
			}
			for _, n := range counts {
				if en[id].plural() {
					cfg.PluralCount = n
				}
				s, tag, err := loc.LocalizeWithTag(cfg)
				if err != nil {
					t.Errorf("%s: %s (n=%d): %v", l.Code, id, n, err)
					continue
				}
				if tag.String() != l.Code {
					t.Errorf("%s: %s (n=%d) fell back to %s: %q", l.Code, id, n, tag, s)
				}
				if s == "" || strings.Contains(s, "<no value>") || strings.Contains(s, "{{") {
					t.Errorf("%s: %s (n=%d) renders badly: %q", l.Code, id, n, s)
				}
			}
		}
	}
}

func TestPluralRules(t *testing.T) {
	cases := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "1 ticket"},
		{"en", 2, "2 tickets"},
		{"pl", 1, "1 zgłoszenie"},
		{"pl", 2, "2 zgłoszenia"},
		{"pl", 5, "5 zgłoszeń"},
		{"pl", 22, "22 zgłoszenia"},
		{"ro", 1, "1 tichet"},
		{"ro", 2, "2 tichete"},
		{"ro", 20, "20 de tichete"},
	}
	for _, c := range cases {
		got, err := Localizer(c.lang).Localize(&i18n.LocalizeConfig{
			MessageID:    "TicketCount",
			PluralCount:  c.n,
			TemplateData: map[string]any{"Count": c.n},
		})
		if err != nil {
			t.Errorf("%s, %d: %v", c.lang, c.n, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s, %d: got %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}

func TestMatchLanguage(t *testing.T) {
	cases := map[string]string{
		"pl-PL,pl;q=0.9,en;q=0.8": "pl",
		"ro":                      "ro",
		"de-DE":                   "en",
		"":                        "en",
	}
	for header, want := range cases {
		if got := MatchLanguage(header); got != want {
			t.Errorf("MatchLanguage(%q) = %q, want %q", header, got, want)
		}
	}
}

// Tn keeps small counts per language: the kept answer must be the right
// plural form of the right language, asked once or many times.
func TestTn_KeptCountsKeepLanguageAndPluralForm(t *testing.T) {
	cases := []struct {
		lang string
		n    int
		want string
	}{
		{"pl", 5, "5 zgłoszeń"},
		{"en", 5, "5 tickets"},
		{"pl", 22, "22 zgłoszenia"},
		{"ro", 20, "20 de tichete"},
		{"ro", 1, "1 tichet"},
		{"pl", 1002, "1002 zgłoszenia"},
		{"en", 1, "1 ticket"},
	}
	for range 2 {
		for _, c := range cases {
			ctx := WithEnv(context.Background(), &Env{Lang: c.lang, Localizer: Localizer(c.lang)})
			if got := Tn(ctx, "TicketCount", c.n, nil); got != c.want {
				t.Errorf("%s, %d: got %q, want %q", c.lang, c.n, got, c.want)
			}
		}
	}
}

// Tf fills values into a message rendered once; that is exact only while
// every template action in the catalogue just puts a value in.
func TestCatalogTemplatesOnlyPutValuesIn(t *testing.T) {
	simple := regexp.MustCompile(`^\{\{\.[A-Za-z]+\}\}$`)
	for _, files := range catalogFiles(t) {
		for _, f := range files {
			for id, m := range readCatalogFile(t, f) {
				for _, text := range m.texts() {
					for _, a := range templateAction.FindAllString(text, -1) {
						if !simple.MatchString(a) {
							t.Errorf("%s: %s has the template action %s; only {{.Name}}-like ones are allowed", f, id, a)
						}
					}
				}
			}
		}
	}
}

// Tf answers what the catalogue's own rendering does, for every message with
// values, in every language, with values that look like markup or templates.
func TestTf_EqualsTheCataloguesRendering(t *testing.T) {
	en := englishCatalog(t)
	for _, l := range Languages {
		ctx := WithEnv(context.Background(), &Env{Lang: l.Code, Localizer: Localizer(l.Code)})
		for _, id := range sortedKeys(en) {
			ph := placeholders(en[id].texts()...)
			if len(ph) == 0 || en[id].plural() {
				continue
			}
			for round, value := range []any{`<b>"Ann" & {{.Bob}}</b>`, "", 42, "Ann"} {
				data := map[string]any{}
				for i, p := range ph {
					data[strings.TrimSuffix(strings.TrimPrefix(p, "{{."), "}}")] = value
					if s, ok := value.(string); ok && i > 0 {
						data[strings.TrimSuffix(strings.TrimPrefix(p, "{{."), "}}")] = s + strconv.Itoa(i)
					}
				}
				want, err := Localizer(l.Code).Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
				if err != nil {
					t.Fatal(err)
				}
				if got := Tf(ctx, id, data); got != want {
					t.Errorf("%s %s round %d: Tf gave %q, the catalogue %q", l.Code, id, round, got, want)
				}
			}
			// A message's kept skeleton serves only data with the keys it
			// was made for: one value fewer, or one more, is rendered anew.
			full := map[string]any{}
			for _, p := range ph {
				full[strings.TrimSuffix(strings.TrimPrefix(p, "{{."), "}}")] = "v"
			}
			fewer, more := maps.Clone(full), maps.Clone(full)
			for k := range fewer {
				delete(fewer, k)
				break
			}
			more["NotInTheMessage"] = "x"
			for name, other := range map[string]map[string]any{"one value fewer": fewer, "one value more": more} {
				// Each after the other, both ways round, the first making
				// the message's skeleton.
				for _, pair := range [][2]map[string]any{{full, other}, {other, full}} {
					translations.Delete(translationKey{lang: l.Code, id: id, n: skeletonMessage})
					Tf(ctx, id, pair[0])
					want, err := Localizer(l.Code).Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: pair[1]})
					if err != nil {
						t.Fatal(err)
					}
					if got := Tf(ctx, id, pair[1]); got != want {
						t.Errorf("%s %s, all values and %s: Tf gave %q, the catalogue %q", l.Code, id, name, got, want)
					}
				}
			}
		}
	}
}
