package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"helpline/mail"
	"helpline/store"
	"helpline/views"
)

// Forgot password? by email: with mail configured, a one-time link valid
// for an hour goes to the address, and the page says the same whether or
// not an account has it. Without mail the page says to ask an
// Administrator. The email goes out after the answer, so how long the
// answer takes says nothing either.

// forgotLimits bound the links asked for: per address of the asker and
// per email address asked about.
type forgotLimits struct{ ip, email *limiter }

func newForgotLimits() *forgotLimits {
	return &forgotLimits{ip: newLimiter(10, 15*time.Minute), email: newLimiter(3, time.Hour)}
}

func (s *Server) forgotShow(c echo.Context) error {
	if _, err := s.st.MailSettings(c.Request().Context()); errors.Is(err, store.ErrNotFound) {
		return s.forgotPassword(c)
	} else if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.ForgotPasswordFormPage("", false, views.FieldErrors{}), nil)
}

func (s *Server) forgotSend(c echo.Context) error {
	ctx := c.Request().Context()
	cfg, err := s.st.MailSettings(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return s.forgotPassword(c)
	}
	if err != nil {
		return err
	}
	f := newForm(c)
	email := f.email("email")
	if !f.ok() {
		return s.render(c, http.StatusUnprocessableEntity, views.ForgotPasswordFormPage(email, false, f.errs), nil)
	}
	if !s.forgot.ip.take(c.RealIP()) || !s.forgot.email.take(store.NormalizeEmail(email)) {
		errs := views.FieldErrors{"": t(c, "ForgotThrottled")}
		return s.render(c, http.StatusTooManyRequests, views.ForgotPasswordFormPage(email, false, errs), nil)
	}
	a, token, err := s.st.ForgotPasswordLink(ctx, email, c.RealIP())
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	default:
		s.sendPasswordLink(cfg, a, s.absoluteURL(c, views.SetPasswordPath(token)), views.Lang(ctx), true)
	}
	return s.render(c, http.StatusOK, views.ForgotPasswordFormPage("", true, nil), nil)
}

// sendPasswordLink emails a one-time link in the background; a failure
// is logged (the link on screen, or asking again, remains).
func (s *Server) sendPasswordLink(cfg store.MailSettings, a store.Agent, link, lang string, forgot bool) {
	if a.Language != "" {
		lang = a.Language
	}
	msg, err := mail.PasswordLink(cfg, a.Name, a.Email, lang, views.PasswordEmailProps{Name: a.Name, Link: link, Forgot: forgot})
	if err != nil {
		s.log.Warn("password link email", "agent", a.ID, "err", err)
		return
	}
	s.mailWG.Go(func() {
		if err := mail.Send(context.Background(), cfg, msg); err != nil {
			s.log.Warn("password link email not sent", "agent", a.ID, "err", err)
		}
	})
}

// emailPasswordLink emails a new agent's (or a reset) set-password link
// when mail is configured, and says so; the link stays on screen too.
func (s *Server) emailPasswordLink(c echo.Context, a store.Agent, link string) string {
	cfg, err := s.st.MailSettings(c.Request().Context())
	if err != nil {
		return ""
	}
	s.sendPasswordLink(cfg, a, link, views.Lang(c.Request().Context()), false)
	return tf(c, "PasswordLinkEmailed", map[string]any{"Email": a.Email})
}
