package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"helpline/security"
	"helpline/store"
	"helpline/views"
)

// Configuration → Security: the password policy and whether Administrators
// and Owners must sign in with two factors.

func (s *Server) securityShow(c echo.Context) error {
	st, err := s.st.SecuritySettings(c.Request().Context())
	if err != nil {
		return err
	}
	return s.securityPage(c, http.StatusOK, securityValues(st), nil)
}

func securityValues(st store.SecuritySettings) views.SecurityValues {
	p := st.Policy
	return views.SecurityValues{
		MinLength: strconv.Itoa(p.MinLength), MaxLength: strconv.Itoa(p.MaxLength),
		RequireDigit: p.RequireDigit, RequireLetter: p.RequireLetter, RefuseCommon: p.RefuseCommon,
		ExpiryDays: strconv.Itoa(p.ExpiryDays), RequireTwoFactor: st.RequireTwoFactor,
	}
}

func (s *Server) securityPage(c echo.Context, status int, v views.SecurityValues, errs views.FieldErrors) error {
	if errs == nil {
		errs = views.FieldErrors{}
	}
	p := views.SecurityProps{Values: v, Errors: errs}
	return s.renderConfig(c, status, views.SecurityPage(p), nil)
}

// number reads a whole number between lo and hi from field.
func (f *form) number(field string, lo, hi int) (string, int) {
	v := strings.TrimSpace(f.c.FormValue(field))
	n, err := strconv.Atoi(v)
	switch {
	case v == "":
		f.fail(field, "ErrRequired", nil)
	case err != nil || n < lo || n > hi:
		f.fail(field, "ErrNumberBetween", map[string]any{"Min": lo, "Max": hi})
	}
	return v, n
}

func (s *Server) securitySave(c echo.Context) error {
	f := newForm(c)
	var in store.SecuritySettings
	var v views.SecurityValues
	v.MinLength, in.Policy.MinLength = f.number("min_length", security.MinPasswordFloor, security.MaxPasswordCeiling)
	v.MaxLength, in.Policy.MaxLength = f.number("max_length", security.MinPasswordFloor, security.MaxPasswordCeiling)
	v.ExpiryDays, in.Policy.ExpiryDays = f.number("expiry_days", 0, 3650)
	v.RequireDigit, v.RequireLetter, v.RefuseCommon = f.checked("require_digit"), f.checked("require_letter"), f.checked("refuse_common")
	v.RequireTwoFactor = f.checked("require_two_factor")
	in.Policy.RequireDigit, in.Policy.RequireLetter, in.Policy.RefuseCommon = v.RequireDigit, v.RequireLetter, v.RefuseCommon
	in.RequireTwoFactor = v.RequireTwoFactor
	if f.ok() && in.Policy.MaxLength < in.Policy.MinLength {
		f.fail("max_length", "ErrMaxBelowMin", nil)
	}
	if !f.ok() {
		return s.securityPage(c, http.StatusUnprocessableEntity, v, f.errs)
	}
	err := s.st.SaveSecuritySettings(c.Request().Context(), currentAgent(c).ID, in, c.RealIP())
	if errors.Is(err, store.ErrInvalidPolicy) {
		return echo.ErrBadRequest // the form's checks let through what the store refuses
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "SecuritySaved"))
	return s.redirect(c, views.PathSecurity)
}
