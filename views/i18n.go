package views

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.toml
var localeFiles embed.FS

// Language is one interface language.
type Language struct {
	Code string
	Name string // in the language itself
}

// Languages are the interface languages, English first (the fallback).
var Languages = []Language{{"en", "English"}, {"pl", "Polski"}, {"ro", "Română"}}

var (
	bundle     *i18n.Bundle
	localizers = map[string]*i18n.Localizer{}
	matcher    language.Matcher
	bundleOnce sync.Once
)

func loadBundle() {
	bundle = i18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	files, err := fs.Glob(localeFiles, "locales/*.toml")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		if _, err := bundle.LoadMessageFileFS(localeFiles, f); err != nil {
			panic(fmt.Sprintf("views: translations %s: %v", f, err))
		}
	}
	var tags []language.Tag
	for _, l := range Languages {
		tags = append(tags, language.MustParse(l.Code))
		localizers[l.Code] = i18n.NewLocalizer(bundle, l.Code)
	}
	matcher = language.NewMatcher(tags)
}

// Bundle returns the translation catalogue.
func Bundle() *i18n.Bundle {
	bundleOnce.Do(loadBundle)
	return bundle
}

// IsLanguage reports whether code is an interface language.
func IsLanguage(code string) bool {
	for _, l := range Languages {
		if l.Code == code {
			return true
		}
	}
	return false
}

// Localizer returns the localizer of an interface language (English for an
// unknown code).
func Localizer(code string) *i18n.Localizer {
	bundleOnce.Do(loadBundle)
	if l, ok := localizers[code]; ok {
		return l
	}
	return localizers["en"]
}

// MatchLanguage picks the interface language for an Accept-Language header:
// English when the browser asks for none Helpline speaks.
func MatchLanguage(acceptLanguage string) string {
	if code := BrowserLanguage(acceptLanguage); code != "" {
		return code
	}
	return "en"
}

// BrowserLanguage is the language Helpline speaks that an Accept-Language
// header asks for, or "" when it asks for none of them (the desk's default
// language answers then).
func BrowserLanguage(acceptLanguage string) string {
	bundleOnce.Do(loadBundle)
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return ""
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return ""
	}
	return Languages[i].Code
}

// T translates a message of the catalogue.
func T(ctx context.Context, id string) string {
	return translate(ctx, &i18n.LocalizeConfig{MessageID: id})
}

// Tf translates a message with template data, e.g. {"Name": "Ann"}.
//
// The catalogue's templates only put values in ({{.Name}}; a test holds it
// to that), so a message is rendered once per language with a marker where
// each value goes and later calls fill the markers in, instead of running a
// text template each time: a queue page labels its fifty rows this way.
func Tf(ctx context.Context, id string, data map[string]any) string {
	e := envOf(ctx)
	if e.Localizer != Localizer(e.Lang) {
		return translate(ctx, &i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	}
	var b strings.Builder
	for _, part := range skeletonOf(ctx, e.Lang, id, data) {
		if part.key == "" {
			b.WriteString(part.text)
			continue
		}
		switch v := data[part.key].(type) {
		case string:
			b.WriteString(v)
		case int:
			b.WriteString(strconv.Itoa(v))
		default:
			return translate(ctx, &i18n.LocalizeConfig{MessageID: id, TemplateData: data})
		}
	}
	return b.String()
}

// skeletonPart is literal text, or with key set, where a value goes.
type skeletonPart struct{ text, key string }

// valueMarker brackets a value's key in a skeleton; no message contains it.
const valueMarker = "\x00"

func skeletonOf(ctx context.Context, lang, id string, data map[string]any) []skeletonPart {
	// Kept per language and message with the keys it was made for: a call
	// with the same keys (every call of a message, in practice) finds it
	// without sorting or joining them.
	cacheKey := translationKey{lang: lang, id: id, n: skeletonMessage}
	if v, ok := translations.Load(cacheKey); ok {
		if sk := v.(*skeleton); sk.madeFor(data) {
			return sk.parts
		}
	}
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	marked := make(map[string]any, len(keys))
	for _, k := range keys {
		marked[k] = valueMarker + k + valueMarker
	}
	text := translate(ctx, &i18n.LocalizeConfig{MessageID: id, TemplateData: marked})
	sk := &skeleton{keys: keys}
	for i, piece := range strings.Split(text, valueMarker) {
		switch {
		case i%2 == 1:
			sk.parts = append(sk.parts, skeletonPart{key: piece})
		case piece != "":
			sk.parts = append(sk.parts, skeletonPart{text: piece})
		}
	}
	translations.Store(cacheKey, sk)
	return sk.parts
}

// skeleton is a message's parts as made for a set of value keys: a key the
// message names but the data lacked is text in it ("<no value>"), so it
// serves only data with exactly those keys.
type skeleton struct {
	keys  []string
	parts []skeletonPart
}

func (sk *skeleton) madeFor(data map[string]any) bool {
	if len(data) != len(sk.keys) {
		return false
	}
	for _, k := range sk.keys {
		if _, ok := data[k]; !ok {
			return false
		}
	}
	return true
}

// Tn translates a message with a plural form chosen by n ({{.Count}} in it).
// Without other data and for small n ("5 minutes ago") the result is kept
// per language like a plain message: a queue page says such things fifty
// times.
func Tn(ctx context.Context, id string, n int, data map[string]any) string {
	if data == nil && n >= 0 && n < maxKeptCount {
		e := envOf(ctx)
		if e.Localizer == Localizer(e.Lang) {
			key := translationKey{lang: e.Lang, id: id, n: n}
			if s, ok := translations.Load(key); ok {
				return s.(string)
			}
			s := translate(ctx, &i18n.LocalizeConfig{MessageID: id, PluralCount: n, TemplateData: map[string]any{"Count": n}})
			translations.Store(key, s)
			return s
		}
	}
	if data == nil {
		data = map[string]any{}
	}
	data["Count"] = n
	return translate(ctx, &i18n.LocalizeConfig{MessageID: id, PluralCount: n, TemplateData: data})
}

// maxKeptCount bounds the counted messages kept: at most this many per
// message and language.
const maxKeptCount = 1000

// translations keeps what the catalogue gives for a language, never stale
// while the process runs (the catalogue is read once): plain messages
// (pages show hundreds), counted ones for small counts ("5 minutes ago"),
// and the skeletons of messages with values.
var translations sync.Map // translationKey -> string, or *skeleton

const (
	plainMessage    = -1
	skeletonMessage = -2
)

type translationKey struct {
	lang, id string
	n        int // the count of a counted message, else plainMessage or skeletonMessage
}

// TL translates for a language code outside a request (e-mails, flashes).
func TL(lang, id string, data map[string]any) string {
	s, err := Localizer(lang).Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return id
	}
	return s
}

func translate(ctx context.Context, cfg *i18n.LocalizeConfig) string {
	e := envOf(ctx)
	plain := cfg.TemplateData == nil && cfg.PluralCount == nil && e.Localizer == Localizer(e.Lang)
	key := translationKey{lang: e.Lang, id: cfg.MessageID, n: plainMessage}
	if plain {
		if s, ok := translations.Load(key); ok {
			return s.(string)
		}
	}
	loc := e.Localizer
	if loc == nil {
		loc = Localizer(e.Lang)
	}
	s, err := loc.Localize(cfg)
	if err != nil {
		// A missing message shows its ID, which a test catches.
		return cfg.MessageID
	}
	if plain {
		translations.Store(key, s)
	}
	return s
}
