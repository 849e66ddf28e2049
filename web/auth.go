package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"helpline/store"
	"helpline/views"
)

func (s *Server) signUpNew(c echo.Context) error {
	if s.hasAccount.Load() {
		return s.redirect(c, views.PathSignIn)
	}
	p := views.SignUpProps{Errors: views.FieldErrors{}}
	return s.render(c, http.StatusOK, views.SignUpPage(p), views.SignUpForm(p))
}

func (s *Server) signUpCreate(c echo.Context) error {
	if s.hasAccount.Load() {
		return echo.ErrNotFound
	}
	f := newForm(c)
	v := views.SignUpValues{
		Company: f.text("company", true, maxName),
		Name:    f.text("name", true, maxName),
		Email:   f.email("email"),
	}
	pw := f.password("password", true)
	if err := s.checkNewPassword(f, "password", pw); err != nil {
		return err
	}
	p := views.SignUpProps{Values: v, Errors: f.errs}
	if !f.ok() {
		return s.render(c, http.StatusUnprocessableEntity, views.SignUpPage(p), views.SignUpForm(p))
	}
	hash, err := store.HashPassword(pw)
	if err != nil {
		return err
	}
	agent, err := s.st.SignUp(c.Request().Context(), store.SignUpInput{
		Company: v.Company, Name: v.Name, Email: v.Email, PasswordHash: hash,
		Language: views.Lang(c.Request().Context()), IP: c.RealIP(),
		FirstDepartment: t(c, "FirstDepartmentName"),
	})
	if errors.Is(err, store.ErrSignUpClosed) {
		s.hasAccount.Store(true)
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	s.hasAccount.Store(true)
	if err := s.startSession(c, agent, false); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "AccountCreated"))
	return s.redirect(c, views.PathHome)
}

// startSession signs agent in: a fresh server-side session and a fresh
// cookie (new token, new CSRF nonce). A session this browser already had
// ends, so its old token is worth nothing to whoever may have copied it.
func (s *Server) startSession(c echo.Context, agent store.Agent, remember bool) error {
	ctx := c.Request().Context()
	st := state(c)
	if st.session.TokenHash != nil {
		if err := s.st.DeleteSession(ctx, st.session.TokenHash); err != nil {
			return err
		}
	}
	token := randomToken()
	if err := s.st.CreateSession(ctx, token, agent.ID, remember, c.RealIP(), c.Request().UserAgent()); err != nil {
		return err
	}
	st.cookie.signIn(token, remember)
	return nil
}

func (s *Server) signInNew(c echo.Context) error {
	if currentUser(c) != nil {
		return s.redirect(c, views.PathHome)
	}
	v := views.SignInValues{Email: c.QueryParam("email"), Next: safeNext(c.QueryParam("next"))}
	p := views.SignInProps{Values: v, Errors: views.FieldErrors{}}
	return s.render(c, http.StatusOK, views.SignInPage(p), views.SignInForm(p))
}

func (s *Server) signInCreate(c echo.Context) error {
	ctx := c.Request().Context()
	f := newForm(c)
	email := store.NormalizeEmail(f.text("email", true, maxEmail))
	pw := f.password("password", false)
	v := views.SignInValues{Email: email, Remember: f.checked("remember"), Next: safeNext(c.QueryParam("next"))}
	fail := func(status int, msgID string) error {
		errs := f.errs
		if msgID != "" {
			errs = views.FieldErrors{"": t(c, msgID)}
		}
		p := views.SignInProps{Values: v, Errors: errs}
		return s.render(c, status, views.SignInPage(p), views.SignInForm(p))
	}
	if !f.ok() {
		return fail(http.StatusUnprocessableEntity, "")
	}
	ip := c.RealIP()
	// Every attempt takes its slot before the slow password check; a
	// successful one gives it back below.
	bucket, ok := s.signIn.admit(email, ip)
	if !ok {
		return fail(http.StatusTooManyRequests, "SignInThrottled")
	}
	agent, err := s.st.AgentByEmail(ctx, email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	// Always hash: an unknown email takes as long as a wrong password. A
	// disabled agent with the right password is told what a wrong password
	// is told, so the answer reveals neither the password nor the status.
	good := store.CheckPassword(agent.PasswordHash, pw) && err == nil && agent.Status == store.StatusActive
	if !good {
		return s.failedSignIn(c, email, agent.ID, ip, fail)
	}
	s.signIn.succeeded(email, ip, bucket)
	return s.passwordAccepted(c, agent, v.Remember, v.Next)
}

// failedSignIn answers a refused sign-in. A failure for an agent's email is
// written to the audit log; one for an email no agent has only to the
// server's log: anyone can send those from any number of addresses, and the
// audit log is kept for what happened to the desk's own accounts.
func (s *Server) failedSignIn(c echo.Context, email string, agentID int64, ip string, fail func(int, string) error) error {
	if agentID == 0 {
		s.log.Info("sign-in for an unknown email", "ip", ip)
	} else if err := s.st.RecordFailedSignIn(c.Request().Context(), email, agentID, ip); err != nil {
		return err
	}
	return fail(http.StatusUnprocessableEntity, "SignInFailed")
}

func (s *Server) signOut(c echo.Context) error {
	st := state(c)
	if st.user != nil {
		ctx := c.Request().Context()
		if err := s.st.DeleteSession(ctx, st.session.TokenHash); err != nil {
			return err
		}
		if err := s.st.RecordAudit(ctx, store.AuditEntry{ActorID: st.user.ID, Action: store.ActionSignOut,
			TargetType: "agent", TargetID: st.user.ID, IP: c.RealIP()}); err != nil {
			return err
		}
	}
	st.cookie.signOut()
	flash(c, views.FlashInfo, t(c, "SignedOut"))
	return s.redirect(c, views.PathSignIn)
}

func (s *Server) forgotPassword(c echo.Context) error {
	return s.render(c, http.StatusOK, views.ForgotPasswordPage(), nil)
}

// home sends the user to the first screen of their navigation.
func (s *Server) home(c echo.Context) error {
	if nav := state(c).env.Nav; len(nav) > 0 {
		return s.redirect(c, nav[0].Path)
	}
	return s.redirect(c, views.PathProfile)
}
