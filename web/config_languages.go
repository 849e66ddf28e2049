package web

import (
	"errors"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"helpline/desk"
	"helpline/store"
	"helpline/views"
)

// Configuration → System → Languages: which interface languages the desk
// offers and its default, which new agents get and everyone whose own
// language is not offered sees.

func init() {
	auditActionLabels[store.ActionLanguagesUpdate] = "AuditLanguagesUpdate"
}

func (s *Server) languagesShow(c echo.Context) error {
	l, err := s.st.Languages(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderConfig(c, http.StatusOK, views.LanguagesPage(views.LanguagesProps{Offered: l.Offered, Default: l.Default, Errors: views.FieldErrors{}}), nil)
}

func (s *Server) languagesSave(c echo.Context) error {
	f := newForm(c)
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	var in desk.Languages
	for _, code := range form["offered"] {
		if !desk.KnownLanguage(code) {
			f.fail("offered", "ErrInvalidChoice", nil)
			break
		}
		if !slices.Contains(in.Offered, code) {
			in.Offered = append(in.Offered, code)
		}
	}
	if len(form["offered"]) == 0 {
		f.fail("offered", "ErrNoLanguageOffered", nil)
	}
	in.Default = c.FormValue("default")
	switch {
	case !desk.KnownLanguage(in.Default):
		f.fail("default", "ErrInvalidChoice", nil)
	case f.errs["offered"] == "" && !slices.Contains(in.Offered, in.Default):
		f.fail("default", "ErrDefaultNotOffered", nil)
	}
	if !f.ok() {
		p := views.LanguagesProps{Offered: in.Offered, Default: in.Default, Errors: f.errs}
		return s.renderConfig(c, http.StatusUnprocessableEntity, views.LanguagesPage(p), nil)
	}
	err = s.st.SaveLanguages(c.Request().Context(), currentAgent(c).ID, in, c.RealIP())
	if errors.Is(err, store.ErrInvalidLanguages) {
		return echo.ErrBadRequest // the checks above let through what the store refuses
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "LanguagesSaved"))
	return s.redirect(c, views.PathLanguages)
}

// offeredLanguages are the desk's languages as the Profile offers them.
func (s *Server) offeredLanguages(c echo.Context) ([]views.Language, error) {
	l, err := s.st.Languages(c.Request().Context())
	if err != nil {
		return nil, err
	}
	return views.OfferedLanguages(l.Offered), nil
}

// inDefaultLanguage serves a page for customers (the contact form) in the
// desk's default language, whatever the visitor's browser asks for: the
// desk decides what its customers read.
func (s *Server) inDefaultLanguage(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		l, err := s.st.Languages(c.Request().Context())
		if err != nil {
			return err
		}
		if st, ok := c.Get(stateKey).(*reqState); ok && st.env != nil {
			st.env.Lang, st.env.Localizer = l.Default, views.Localizer(l.Default)
		}
		return h(c)
	}
}
