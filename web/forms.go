package web

import (
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"helpline/authz"
	"helpline/desk"
	"helpline/views"
)

// Limits on what forms accept.
const (
	maxName        = 100
	maxEmail       = 254
	minPassword    = 10
	maxPassword    = 200
	maxDescription = 1000
)

// form reads and checks posted fields, collecting a message per bad field.
type form struct {
	c    echo.Context
	errs views.FieldErrors
}

func newForm(c echo.Context) *form { return &form{c: c, errs: views.FieldErrors{}} }

func (f *form) ok() bool { return len(f.errs) == 0 }

// fail records msgID for field (the first message of a field wins).
func (f *form) fail(field, msgID string, data map[string]any) {
	if _, done := f.errs[field]; !done {
		f.errs[field] = tf(f.c, msgID, data)
	}
}

// text returns the trimmed field, checking presence and length.
func (f *form) text(field string, required bool, max int) string {
	v := strings.TrimSpace(f.c.FormValue(field))
	switch {
	case !utf8.ValidString(v):
		f.fail(field, "ErrInvalidText", nil)
	case required && v == "":
		f.fail(field, "ErrRequired", nil)
	case utf8.RuneCountInString(v) > max:
		f.fail(field, "ErrTooLong", map[string]any{"Max": max})
	case !plainText(v, false):
		f.fail(field, "ErrInvalidChoice", nil)
	}
	return v
}

// plainText is desk's rule for text people see: the same for agents' names
// as for a ticket's requester.
func plainText(v string, multiline bool) bool { return desk.PlainText(v, multiline) }

// email returns the field as a plain address (no display name).
func (f *form) email(field string) string {
	v := f.text(field, true, maxEmail)
	if v == "" || f.errs[field] != "" {
		return v
	}
	if !desk.ValidEmail(v) {
		f.fail(field, "ErrEmail", nil)
	}
	return v
}

// password returns the field untrimmed; newPassword also checks its length.
func (f *form) password(field string, newPassword bool) string {
	v := f.c.FormValue(field)
	n := utf8.RuneCountInString(v)
	switch {
	case !utf8.ValidString(v):
		f.fail(field, "ErrInvalidText", nil)
	case v == "":
		f.fail(field, "ErrRequired", nil)
	case n > maxPassword:
		f.fail(field, "ErrTooLong", map[string]any{"Max": maxPassword})
	case newPassword && n < minPassword:
		f.fail(field, "ErrPasswordShort", nil)
	}
	return v
}

// choice returns the field if it is one of allowed ("" allowed when optional).
func (f *form) choice(field string, required bool, allowed ...string) string {
	v := strings.TrimSpace(f.c.FormValue(field))
	if v == "" && !required {
		return ""
	}
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	if v == "" {
		f.fail(field, "ErrRequired", nil)
	} else {
		f.fail(field, "ErrInvalidChoice", nil)
	}
	return ""
}

// role returns a well-formed role from the field: built in or "custom:ID".
// Whether a custom role exists, and may be given, the store decides.
func (f *form) role(field string) authz.Role {
	r := authz.Role(strings.TrimSpace(f.c.FormValue(field)))
	switch {
	case r == "":
		f.fail(field, "ErrRequired", nil)
	case !r.Valid():
		f.fail(field, "ErrInvalidChoice", nil)
	default:
		return r
	}
	return ""
}

// language returns an interface language code from the field.
func (f *form) language(field string) string {
	v := strings.TrimSpace(f.c.FormValue(field))
	if !views.IsLanguage(v) {
		f.fail(field, "ErrLanguage", nil)
		return ""
	}
	return v
}

func (f *form) checked(field string) bool {
	v := f.c.FormValue(field)
	return v == "1" || v == "on" || v == "true"
}
