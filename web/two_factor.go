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

// Two-factor sign-in: the code asked after the password, setting up an
// authenticator app (in Profile, or at sign-in when the desk requires it)
// and an Administrator's reset of someone's.

// signInCodeShow asks for the code after a right password.
func (s *Server) signInCodeShow(c echo.Context) error {
	_, _, ok, err := s.pending(c, stepCode)
	if err != nil || !ok {
		return orSignInAgain(s, c, err)
	}
	return s.render(c, http.StatusOK, views.TwoFactorCodePage(views.TwoFactorCodeProps{Errors: views.FieldErrors{}}), nil)
}

func orSignInAgain(s *Server, c echo.Context, err error) error {
	if err != nil {
		return err
	}
	return s.signInAgain(c)
}

// signInCodeCheck takes an authenticator code or a recovery code. Wrong
// codes count per agent: five in 15 minutes end the pending sign-in, and
// the password is needed again.
func (s *Server) signInCodeCheck(c echo.Context) error {
	ctx := c.Request().Context()
	p, agent, ok, err := s.pending(c, stepCode)
	if err != nil || !ok {
		return orSignInAgain(s, c, err)
	}
	f := newForm(c)
	code := f.text("code", true, 20)
	page := func(status int) error {
		return s.render(c, status, views.TwoFactorCodePage(views.TwoFactorCodeProps{Errors: f.errs}), nil)
	}
	if !f.ok() {
		return page(http.StatusUnprocessableEntity)
	}
	key := strconv.FormatInt(agent.ID, 10)
	if !s.signIn.code.take(key) {
		clearPending(c)
		f.fail("", "SignInCodeThrottled", nil)
		return page(http.StatusTooManyRequests)
	}
	good, err := s.checkSecondFactor(c, agent.ID, code)
	if err != nil {
		return err
	}
	if !good {
		if err := s.st.RecordFailedSecondFactor(ctx, agent.ID, c.RealIP()); err != nil {
			return err
		}
		f.fail("code", "ErrCodeWrong", nil)
		return page(http.StatusUnprocessableEntity)
	}
	s.signIn.code.reset(key)
	to, err := s.completeSignIn(c, agent, p.Remember, p.Next)
	if err != nil {
		return err
	}
	return s.redirect(c, to)
}

// checkSecondFactor takes code as an authenticator code (each time step
// once) or, failing that, as one of the agent's unused recovery codes.
func (s *Server) checkSecondFactor(c echo.Context, agentID int64, code string) (bool, error) {
	ctx := c.Request().Context()
	tf, err := s.st.TwoFactor(ctx, agentID)
	if err != nil || !tf.Enabled {
		return false, err
	}
	if step, ok := security.MatchTOTP(tf.Secret, code, s.now()); ok {
		return s.st.TakeTOTPStep(ctx, agentID, step)
	}
	if len(strings.TrimSpace(code)) <= 8 { // a six-digit code, wrong
		return false, nil
	}
	return s.st.UseRecoveryCode(ctx, agentID, security.HashRecoveryCode(code), c.RealIP())
}

// setupProps draws (or, after a wrong code, shows again) the agent's secret.
func (s *Server) setupProps(c echo.Context, agent store.Agent, fresh bool) (views.TwoFactorSetupProps, error) {
	ctx := c.Request().Context()
	settings, err := s.st.Settings(ctx)
	if err != nil {
		return views.TwoFactorSetupProps{}, err
	}
	issuer := settings.CompanyName
	if issuer == "" {
		issuer = "Helpline"
	}
	tf, err := s.st.TwoFactor(ctx, agent.ID)
	if err != nil {
		return views.TwoFactorSetupProps{}, err
	}
	secret := tf.Secret
	if fresh || secret == "" {
		key, err := security.NewTOTPKey(issuer, agent.Email)
		if err != nil {
			return views.TwoFactorSetupProps{}, err
		}
		secret = key.Secret()
		if err := s.st.StartTwoFactor(ctx, agent.ID, secret); err != nil {
			return views.TwoFactorSetupProps{}, err
		}
	}
	qr, err := security.QRCodeSVG(security.TOTPKeyURL(issuer, agent.Email, secret))
	if err != nil {
		return views.TwoFactorSetupProps{}, err
	}
	return views.TwoFactorSetupProps{QR: qr, Secret: secret, Errors: views.FieldErrors{}}, nil
}

// confirmSetup checks the first code against the drawn secret and, when it
// is right, turns two-factor sign-in on and returns the recovery codes.
func (s *Server) confirmSetup(c echo.Context, f *form, agent store.Agent) ([]string, error) {
	ctx := c.Request().Context()
	code := f.text("code", true, 20)
	if !f.ok() {
		return nil, nil
	}
	tf, err := s.st.TwoFactor(ctx, agent.ID)
	if err != nil {
		return nil, err
	}
	step, ok := security.MatchTOTP(tf.Secret, code, s.now())
	if tf.Secret == "" || tf.Enabled || !ok {
		f.fail("code", "ErrCodeWrong", nil)
		return nil, nil
	}
	codes, err := security.NewRecoveryCodes()
	if err != nil {
		return nil, err
	}
	hashes := make([][]byte, len(codes))
	for i, rc := range codes {
		hashes[i] = security.HashRecoveryCode(rc)
	}
	err = s.st.EnableTwoFactor(ctx, agent.ID, step, hashes, c.RealIP())
	if errors.Is(err, store.ErrTwoFactorOn) || errors.Is(err, store.ErrNotFound) {
		f.fail("code", "ErrCodeWrong", nil)
		return nil, nil
	}
	return codes, err
}

// signInEnrolShow: the desk requires two factors of this Administrator or
// Owner, who has none yet; they set it up before their session starts.
func (s *Server) signInEnrolShow(c echo.Context) error {
	_, agent, ok, err := s.pending(c, stepEnrol)
	if err != nil || !ok {
		return orSignInAgain(s, c, err)
	}
	props, err := s.setupProps(c, agent, true)
	if err != nil {
		return err
	}
	props.Action, props.Required = views.PathSignInEnrol, true
	return s.render(c, http.StatusOK, views.TwoFactorSetupPage(props), nil)
}

func (s *Server) signInEnrolConfirm(c echo.Context) error {
	p, agent, ok, err := s.pending(c, stepEnrol)
	if err != nil || !ok {
		return orSignInAgain(s, c, err)
	}
	key := strconv.FormatInt(agent.ID, 10)
	if !s.signIn.code.take(key) {
		clearPending(c)
		return s.redirect(c, views.PathSignIn)
	}
	f := newForm(c)
	codes, err := s.confirmSetup(c, f, agent)
	if err != nil {
		return err
	}
	if codes == nil {
		props, err := s.setupProps(c, agent, false)
		if err != nil {
			return err
		}
		props.Action, props.Required, props.Errors = views.PathSignInEnrol, true, f.errs
		return s.render(c, http.StatusUnprocessableEntity, views.TwoFactorSetupPage(props), nil)
	}
	s.signIn.code.reset(key)
	to, err := s.completeSignIn(c, agent, p.Remember, p.Next)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.RecoveryCodesPage(views.RecoveryCodesProps{Codes: codes, Continue: to}), nil)
}

// profileTwoFactorStart draws a secret and shows the set-up page.
func (s *Server) profileTwoFactorStart(c echo.Context) error {
	agent := currentAgent(c)
	tf, err := s.st.TwoFactor(c.Request().Context(), agent.ID)
	if err != nil {
		return err
	}
	if tf.Enabled {
		return s.redirect(c, views.PathProfile)
	}
	props, err := s.setupProps(c, agent, true)
	if err != nil {
		return err
	}
	props.Action, props.InConsole = views.PathProfileTwoFactorConfirm, true
	return s.render(c, http.StatusOK, views.TwoFactorSetupPage(props), nil)
}

func (s *Server) profileTwoFactorConfirm(c echo.Context) error {
	agent := currentAgent(c)
	key := strconv.FormatInt(agent.ID, 10)
	if !s.signIn.code.take(key) {
		return echo.NewHTTPError(http.StatusTooManyRequests, t(c, "SignInCodeThrottled"))
	}
	f := newForm(c)
	codes, err := s.confirmSetup(c, f, agent)
	if err != nil {
		return err
	}
	if codes == nil {
		props, err := s.setupProps(c, agent, false)
		if err != nil {
			return err
		}
		props.Action, props.InConsole, props.Errors = views.PathProfileTwoFactorConfirm, true, f.errs
		return s.render(c, http.StatusUnprocessableEntity, views.TwoFactorSetupPage(props), nil)
	}
	s.signIn.code.reset(key)
	return s.render(c, http.StatusOK, views.RecoveryCodesPage(views.RecoveryCodesProps{Codes: codes, Continue: views.PathProfile, InConsole: true}), nil)
}

// twoFactorStatus is what Profile shows of the agent's two-factor sign-in.
func (s *Server) twoFactorStatus(c echo.Context) (views.TwoFactorStatus, error) {
	ctx := c.Request().Context()
	id := currentAgent(c).ID
	tf, err := s.st.TwoFactor(ctx, id)
	if err != nil || !tf.Enabled {
		return views.TwoFactorStatus{}, err
	}
	left, err := s.st.RecoveryCodesLeft(ctx, id)
	return views.TwoFactorStatus{On: true, RecoveryLeft: left}, err
}

// agentTwoFactorReset: an Administrator turns off another agent's two-factor
// sign-in (a lost phone); their sessions end.
func (s *Server) agentTwoFactorReset(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	target, err := s.st.AgentByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	if err := s.st.ResetTwoFactor(ctx, currentAgent(c).ID, id, c.RealIP()); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "TwoFactorResetDone", map[string]any{"Name": target.Name}))
	return s.redirect(c, views.WithID(views.PathAgentEdit, id))
}
