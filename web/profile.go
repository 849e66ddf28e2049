package web

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"helpline/store"
	"helpline/views"
)

func (s *Server) profileShow(c echo.Context) error {
	a := currentAgent(c)
	offered, err := s.offeredLanguages(c)
	if err != nil {
		return err
	}
	twoFactor, err := s.twoFactorStatus(c)
	if err != nil {
		return err
	}
	notifyEmail, err := s.st.NotifyByEmail(c.Request().Context(), a.ID)
	if err != nil {
		return err
	}
	p := views.ProfileProps{Values: views.ProfileValues{Name: a.Name, Alias: a.Alias, Language: views.Lang(c.Request().Context()), NotifyEmail: notifyEmail}, Offered: offered, TwoFactor: twoFactor}
	return s.render(c, http.StatusOK, views.ProfilePage(p, views.PasswordProps{}), views.ProfileForm(p))
}

func (s *Server) profileUpdate(c echo.Context) error {
	a := currentAgent(c)
	f := newForm(c)
	v := views.ProfileValues{
		Name:        f.text("name", true, maxName),
		Alias:       f.text("alias", false, maxName),
		Language:    f.language("language"),
		NotifyEmail: f.checked("notify_email"),
	}
	offered, err := s.offeredLanguages(c)
	if err != nil {
		return err
	}
	twoFactor, err := s.twoFactorStatus(c)
	if err != nil {
		return err
	}
	if v.Language != "" && !slices.ContainsFunc(offered, func(l views.Language) bool { return l.Code == v.Language }) {
		f.fail("language", "ErrLanguage", nil) // one the desk no longer offers
		v.Language = ""
	}
	if !f.ok() {
		if v.Language == "" {
			v.Language = views.Lang(c.Request().Context())
		}
		p := views.ProfileProps{Values: v, Errors: f.errs, Offered: offered, TwoFactor: twoFactor}
		return s.render(c, http.StatusUnprocessableEntity, views.ProfilePage(p, views.PasswordProps{}), views.ProfileForm(p))
	}
	err = s.st.UpdateProfile(c.Request().Context(), a.ID, store.ProfileInput{Name: v.Name, Alias: v.Alias, Language: v.Language, NotifyEmail: v.NotifyEmail}, c.RealIP())
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, views.TL(v.Language, "ProfileSaved", nil))
	if isHTMX(c) && v.Language == views.Lang(c.Request().Context()) && v.Name == a.Name {
		p := views.ProfileProps{Values: v, Saved: true, Offered: offered, TwoFactor: twoFactor}
		return s.render(c, http.StatusOK, nil, views.ProfileForm(p))
	}
	// A new name or language changes the whole page.
	return s.redirect(c, views.PathProfile)
}

func (s *Server) passwordUpdate(c echo.Context) error {
	a := currentAgent(c)
	f := newForm(c)
	current := f.password("current_password", false)
	next := f.password("new_password", true)
	if f.ok() && !store.CheckPassword(a.PasswordHash, current) {
		f.fail("current_password", "ErrWrongPassword", nil)
	}
	if err := s.checkNewPassword(f, "new_password", next); err != nil {
		return err
	}
	if f.ok() && next == current {
		f.fail("new_password", "ErrPasswordSame", nil)
	}
	offered, err := s.offeredLanguages(c)
	if err != nil {
		return err
	}
	twoFactor, err := s.twoFactorStatus(c)
	if err != nil {
		return err
	}
	notifyEmail, err := s.st.NotifyByEmail(c.Request().Context(), a.ID)
	if err != nil {
		return err
	}
	p := views.ProfileProps{Values: views.ProfileValues{Name: a.Name, Alias: a.Alias, Language: views.Lang(c.Request().Context()), NotifyEmail: notifyEmail}, Offered: offered, TwoFactor: twoFactor}
	if !f.ok() {
		pw := views.PasswordProps{Errors: f.errs}
		return s.render(c, http.StatusUnprocessableEntity, views.ProfilePage(p, pw), views.PasswordForm(pw))
	}
	hash, err := store.HashPassword(next)
	if err != nil {
		return err
	}
	err = s.st.ChangeOwnPassword(c.Request().Context(), a.ID, a.PasswordHash, hash, state(c).session.TokenHash, c.RealIP())
	if store.IsRule(err, store.RuleWrongPassword) {
		f.fail("current_password", "ErrWrongPassword", nil)
		pw := views.PasswordProps{Errors: f.errs}
		return s.render(c, http.StatusUnprocessableEntity, views.ProfilePage(p, pw), views.PasswordForm(pw))
	}
	if err != nil {
		return err
	}
	pw := views.PasswordProps{Saved: true}
	return s.render(c, http.StatusOK, views.ProfilePage(p, pw), views.PasswordForm(pw))
}
