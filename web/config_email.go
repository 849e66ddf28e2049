package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"helpline/mail"
	"helpline/store"
	"helpline/views"
)

// Configuration → Email: the outgoing mail server, and a test email that
// says in plain words what went wrong. The password is never shown back.

func (s *Server) emailShow(c echo.Context) error {
	p, err := s.emailProps(c)
	if err != nil {
		return err
	}
	return s.renderConfig(c, http.StatusOK, views.EmailPage(p), nil)
}

// emailProps fills the page from the saved settings.
func (s *Server) emailProps(c echo.Context) (views.EmailProps, error) {
	p := views.EmailProps{Errors: views.FieldErrors{}, TestErrors: views.FieldErrors{},
		Values: views.EmailValues{Port: "587", Security: string(store.SecurityStartTLS)}, TestTo: currentAgent(c).Email}
	m, err := s.st.MailSettings(c.Request().Context())
	if errors.Is(err, store.ErrNotFound) {
		return p, s.mailboxProps(c.Request().Context(), &p)
	}
	if err != nil {
		return p, err
	}
	p.Values, p.Configured, p.HasPassword = views.EmailValuesOf(m), true, m.Password != ""
	return p, s.mailboxProps(c.Request().Context(), &p)
}

func (s *Server) emailSave(c echo.Context) error {
	f := newForm(c)
	v := views.EmailValues{
		Host:     f.text("host", true, 255),
		Port:     strings.TrimSpace(c.FormValue("port")),
		Security: f.choice("security", true, string(store.SecurityNone), string(store.SecurityStartTLS), string(store.SecurityTLS)),
		Username: f.text("username", false, 255),
		FromName: f.text("from_name", false, maxName),
	}
	if v.Host != "" && strings.ContainsAny(v.Host, " /:@") {
		f.fail("host", "ErrMailHost", nil)
	}
	port, err := strconv.Atoi(v.Port)
	if err != nil || port < 1 || port > 65535 {
		f.fail("port", "ErrMailPort", nil)
	}
	v.FromAddress = f.email("from_address")
	password := c.FormValue("password")
	if len(password) > 500 {
		f.fail("password", "ErrTooLong", map[string]any{"Max": 500})
	}
	if !f.ok() {
		p, err := s.emailProps(c)
		if err != nil {
			return err
		}
		p.Values, p.Errors = v, f.errs
		return s.renderConfig(c, http.StatusUnprocessableEntity, views.EmailPage(p), nil)
	}
	m := store.MailSettings{Host: v.Host, Port: port, Security: store.MailSecurity(v.Security), Username: v.Username,
		Password: password, FromName: v.FromName, FromAddress: v.FromAddress}
	if err := s.st.SaveMailSettings(c.Request().Context(), currentAgent(c).ID, m, c.RealIP()); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "MailSaved"))
	return s.redirect(c, views.PathEmail)
}

// emailTest sends a test email with the saved settings. A failure is the
// page again with why, in plain words: bad settings are not a server error.
func (s *Server) emailTest(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := s.emailProps(c)
	if err != nil {
		return err
	}
	f := newForm(c)
	to := f.email("to")
	p.TestTo = to
	if !p.Configured {
		f.fail("", "MailNotConfigured", nil)
	}
	if f.ok() {
		cfg, err := s.st.MailSettings(ctx)
		if err != nil {
			return err
		}
		msg, err := mail.Test(cfg, to, views.Lang(ctx))
		if err == nil {
			err = mail.Send(ctx, cfg, msg)
		}
		if err != nil {
			problem, _ := mail.Explain(err)
			s.log.Info("test email failed", "err", err)
			f.errs[""] = t(c, string(problem)) + " (" + err.Error() + ")"
		}
	}
	if !f.ok() {
		p.TestErrors = f.errs
		return s.renderConfig(c, http.StatusUnprocessableEntity, views.EmailPage(p), nil)
	}
	flash(c, views.FlashSuccess, tf(c, "TestEmailSent", map[string]any{"Email": to}))
	return s.redirect(c, views.PathEmail)
}

// ticketMailRetry sends a Not delivered email again.
func (s *Server) ticketMailRetry(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.st.RetryMail(c.Request().Context(), viewer(c), ticketCode(c), id); err != nil {
		return err
	}
	return s.ticketDone(c, t(c, "RetryQueued"))
}

// The audit log names the changes of Channels → Email and the links asked
// for on Forgot password?.
func init() {
	auditActionLabels[store.ActionMailSettings] = "AuditMailSettings"
	auditActionLabels[store.ActionMailboxAdd] = "AuditMailboxAdd"
	auditActionLabels[store.ActionMailboxRemove] = "AuditMailboxRemove"
	auditActionLabels[store.ActionPasswordForgot] = "AuditPasswordForgot"
}
