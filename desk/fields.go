package desk

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// FieldType is the kind of value a ticket field holds.
type FieldType string

// The types of ticket fields.
const (
	FieldText     FieldType = "text"
	FieldLongText FieldType = "long_text"
	FieldNumber   FieldType = "number"
	FieldDate     FieldType = "date"
	FieldDropdown FieldType = "dropdown"
	FieldCheckbox FieldType = "checkbox"
)

// FieldTypes lists the types in the order forms offer them.
var FieldTypes = []FieldType{FieldText, FieldLongText, FieldNumber, FieldDate, FieldDropdown, FieldCheckbox}

// Valid reports whether t is one of FieldTypes.
func (t FieldType) Valid() bool { return slices.Contains(FieldTypes, t) }

// Filterable reports whether the queue filters by fields of this type: a
// few values each, so a filter is one range of the values' index.
func (t FieldType) Filterable() bool { return t == FieldDropdown || t == FieldCheckbox }

// Limits on ticket fields and their values, in characters.
const (
	MaxFieldText     = 200
	MaxFieldLongText = 5000
	MaxFieldNumber   = 30
	MaxFieldOption   = 100
	MaxFieldOptions  = 100
)

// Messages of a field's value that is not of its type.
const (
	MsgNotNumber = "ErrFieldNumber"
	MsgNotDate   = "ErrFieldDate"
)

// CheckboxOn is the stored value of a ticked Checkbox; an unticked one has
// no value.
const CheckboxOn = "1"

// FieldDef is what a ticket field's values are checked against.
type FieldDef struct {
	Type     FieldType
	Options  []string
	Required bool
}

// FieldValue checks a value given for a field as text and returns it as it
// is stored ("" for no value): trimmed; a Number with a point for a comma
// and without leading zeros; a Date as YYYY-MM-DD; a Checkbox ticked as
// CheckboxOn (any of "1", "on", "true"); a Dropdown's value one of its
// options. ok is false with the problem when the value may not be stored.
func FieldValue(def FieldDef, raw string) (value string, problem Problem, ok bool) {
	v := strings.TrimSpace(raw)
	if def.Type == FieldLongText {
		v = strings.TrimSpace(strings.ReplaceAll(raw, "\r\n", "\n"))
	}
	if def.Type == FieldCheckbox {
		switch strings.ToLower(v) {
		case "", "0", "off", "false":
			v = ""
		case CheckboxOn, "on", "true":
			v = CheckboxOn
		default:
			return "", Problem{MessageID: MsgInvalidChoice}, false
		}
	}
	if v == "" {
		if def.Required {
			return "", Problem{MessageID: MsgRequired}, false
		}
		return "", Problem{}, true
	}
	switch def.Type {
	case FieldText, FieldLongText:
		max := MaxFieldText
		if def.Type == FieldLongText {
			max = MaxFieldLongText
		}
		if utf8.RuneCountInString(v) > max {
			return "", Problem{MessageID: MsgTooLong, Max: max}, false
		}
		if !PlainText(v, def.Type == FieldLongText) {
			return "", Problem{MessageID: MsgInvalidChoice}, false
		}
	case FieldNumber:
		n, good := normalizeNumber(v)
		if !good {
			return "", Problem{MessageID: MsgNotNumber}, false
		}
		v = n
	case FieldDate:
		d, err := time.Parse(time.DateOnly, v)
		if err != nil || d.Year() < 1000 {
			return "", Problem{MessageID: MsgNotDate}, false
		}
		v = d.Format(time.DateOnly)
	case FieldDropdown:
		if !slices.Contains(def.Options, v) {
			return "", Problem{MessageID: MsgInvalidChoice}, false
		}
	case FieldCheckbox:
	default:
		return "", Problem{MessageID: MsgInvalidChoice}, false
	}
	return v, Problem{}, true
}

// normalizeNumber reads a decimal number written with a point or a comma
// ("-12", "3.50", "3,5") and writes it with a point, without a plus sign
// or leading zeros. Numbers stay text: exact, never rounded through a float.
func normalizeNumber(v string) (string, bool) {
	if len(v) > MaxFieldNumber {
		return "", false
	}
	sign := ""
	switch {
	case strings.HasPrefix(v, "-"):
		sign, v = "-", v[1:]
	case strings.HasPrefix(v, "+"):
		v = v[1:]
	}
	whole, frac, hasFrac := strings.Cut(strings.Replace(v, ",", ".", 1), ".")
	digits := func(s string) bool {
		for _, r := range s {
			if r < '0' || r > '9' {
				return false
			}
		}
		return s != ""
	}
	if !digits(whole) || (hasFrac && !digits(frac)) {
		return "", false
	}
	whole = strings.TrimLeft(whole, "0")
	if whole == "" {
		whole = "0"
	}
	out := whole
	if hasFrac {
		out += "." + frac
	}
	if strings.Trim(out, "0.") == "" {
		sign = ""
	}
	return sign + out, true
}

// FieldOptions reads a Dropdown's options, one per line: trimmed, blanks
// and repeats left out, in the order given.
func FieldOptions(text string) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line != "" && !slices.Contains(out, line) {
			out = append(out, line)
		}
	}
	return out
}

// ValidFieldCode reports whether code is a field's code: letters, digits
// and _, starting with a letter, at most 40 characters.
func ValidFieldCode(code string) bool {
	if code == "" || len(code) > 40 {
		return false
	}
	for i, r := range code {
		letter := (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !letter && (i == 0 || (r != '_' && (r < '0' || r > '9'))) {
			return false
		}
	}
	return true
}
