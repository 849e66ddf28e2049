package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"helpline/desk"
	"helpline/store"
	"helpline/views"
)

// Configuration → General: the company name given at sign-up and the
// desk's time zone, in which the console shows every time.

func (s *Server) generalShow(c echo.Context) error {
	st, err := s.st.Settings(c.Request().Context())
	if err != nil {
		return err
	}
	return s.generalPage(c, http.StatusOK, views.GeneralValues{Company: st.CompanyName, TimeZone: st.TimeZone}, nil)
}

func (s *Server) generalPage(c echo.Context, status int, v views.GeneralValues, errs views.FieldErrors) error {
	if errs == nil {
		errs = views.FieldErrors{}
	}
	p := views.GeneralProps{Values: v, Errors: errs, Zones: desk.TimeZones()}
	return s.renderConfig(c, status, views.GeneralPage(p), nil)
}

func (s *Server) generalSave(c echo.Context) error {
	f := newForm(c)
	v := views.GeneralValues{
		Company:  f.text("company", true, maxName), // as at sign-up
		TimeZone: strings.TrimSpace(c.FormValue("time_zone")),
	}
	switch {
	case v.TimeZone == "":
		f.fail("time_zone", "ErrRequired", nil)
	case !desk.ValidTimeZone(v.TimeZone):
		f.fail("time_zone", "ErrInvalidChoice", nil)
	}
	if !f.ok() {
		return s.generalPage(c, http.StatusUnprocessableEntity, v, f.errs)
	}
	err := s.st.SaveSettings(c.Request().Context(), currentAgent(c).ID, store.Settings{CompanyName: v.Company, TimeZone: v.TimeZone}, c.RealIP())
	if errors.Is(err, store.ErrInvalidTimeZone) || errors.Is(err, store.ErrInvalidCompany) {
		return echo.ErrBadRequest // the form's checks let through what the store refuses
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "SettingsSaved"))
	return s.redirect(c, views.PathGeneral)
}
