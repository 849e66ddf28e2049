package web

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/labstack/echo/v4"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// A sign-in whose password was right may have steps left: a code from the
// agent's authenticator app, or, where the desk requires two factors, setting
// one up. Until then the browser holds no session, only a pending sign-in in
// its encrypted, signed cookie: who, the fingerprint of the password hash
// they proved (so a password changed meanwhile voids it), what comes next,
// and until when it holds.
type pendingSignIn struct {
	AgentID  int64  `json:"a"`
	HashMark string `json:"h"`
	Remember bool   `json:"r,omitempty"`
	Next     string `json:"n,omitempty"`
	Step     string `json:"s"`
	Until    int64  `json:"u"`
}

const (
	stepCode  = "code"
	stepEnrol = "enrol"
	// pendingFor is how long the steps after the password may take.
	pendingFor = 10 * time.Minute
)

func hashMark(passwordHash string) string {
	sum := sha256.Sum256([]byte(passwordHash))
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

func setPending(c echo.Context, p pendingSignIn) {
	b, _ := json.Marshal(p)
	cs := state(c).cookie
	cs.s.Values[keyPending] = string(b)
	cs.changed = true
}

func clearPending(c echo.Context) {
	cs := state(c).cookie
	if _, ok := cs.s.Values[keyPending]; ok {
		delete(cs.s.Values, keyPending)
		cs.changed = true
	}
}

// pending returns the browser's pending sign-in at step and its agent, as
// long as it is in time and the agent still active with the same password.
func (s *Server) pending(c echo.Context, step string) (pendingSignIn, store.Agent, bool, error) {
	raw, _ := state(c).cookie.s.Values[keyPending].(string)
	var p pendingSignIn
	if raw == "" || json.Unmarshal([]byte(raw), &p) != nil || p.Step != step || s.now().Unix() > p.Until {
		return p, store.Agent{}, false, nil
	}
	a, err := s.st.AgentByID(c.Request().Context(), p.AgentID)
	if errors.Is(err, store.ErrNotFound) {
		return p, store.Agent{}, false, nil
	}
	if err != nil {
		return p, store.Agent{}, false, err
	}
	if a.Removed || a.Status != store.StatusActive || a.PasswordHash == "" || hashMark(a.PasswordHash) != p.HashMark {
		return p, store.Agent{}, false, nil
	}
	return p, a, true, nil
}

// mustHaveTwoFactor: the desk requires an authenticator of Administrators
// and Owners.
func mustHaveTwoFactor(sec store.SecuritySettings, a store.Agent) bool {
	return sec.RequireTwoFactor && (a.Role == authz.RoleAdmin || a.Role == authz.RoleOwner)
}

// needsSecondFactor reports whether a sign-in of a asks for more than the
// password: a code, or setting up an authenticator.
func (s *Server) needsSecondFactor(c echo.Context, a store.Agent) (bool, error) {
	ctx := c.Request().Context()
	tf, err := s.st.TwoFactor(ctx, a.ID)
	if err != nil {
		return false, err
	}
	sec, err := s.st.SecuritySettings(ctx)
	if err != nil {
		return false, err
	}
	return tf.Enabled || mustHaveTwoFactor(sec, a), nil
}

// passwordAccepted goes on from a right password: to the code, to setting
// up an authenticator, or straight on to the session.
func (s *Server) passwordAccepted(c echo.Context, agent store.Agent, remember bool, next string) error {
	ctx := c.Request().Context()
	tf, err := s.st.TwoFactor(ctx, agent.ID)
	if err != nil {
		return err
	}
	sec, err := s.st.SecuritySettings(ctx)
	if err != nil {
		return err
	}
	p := pendingSignIn{AgentID: agent.ID, HashMark: hashMark(agent.PasswordHash), Remember: remember, Next: next,
		Until: s.now().Add(pendingFor).Unix()}
	switch {
	case tf.Enabled:
		p.Step = stepCode
		setPending(c, p)
		return s.redirect(c, views.PathSignInCode)
	case mustHaveTwoFactor(sec, agent):
		p.Step = stepEnrol
		setPending(c, p)
		return s.redirect(c, views.PathSignInEnrol)
	}
	to, err := s.completeSignIn(c, agent, remember, next)
	if err != nil {
		return err
	}
	return s.redirect(c, to)
}

// completeSignIn ends a sign-in whose every step is done and returns where
// the browser goes next: the page asked for, or, when the password has
// expired, a one-time link to choose a new one (which then signs them in).
func (s *Server) completeSignIn(c echo.Context, agent store.Agent, remember bool, next string) (string, error) {
	ctx := c.Request().Context()
	ip := c.RealIP()
	clearPending(c)
	sec, err := s.st.SecuritySettings(ctx)
	if err != nil {
		return "", err
	}
	expired, err := s.st.PasswordExpired(ctx, agent.ID, sec.Policy)
	if err != nil {
		return "", err
	}
	if expired {
		token, err := s.st.ExpiredPasswordLink(ctx, agent.ID, ip)
		if err != nil {
			return "", err
		}
		flash(c, views.FlashInfo, t(c, "PasswordExpired"))
		return views.SetPasswordPath(token), nil
	}
	// The password was checked before, outside any transaction; the store
	// checks the agent and the hash again as it signs them in, in one step.
	st, token := state(c), randomToken()
	err = s.st.SignIn(ctx, store.SignInInput{AgentID: agent.ID, PasswordHash: agent.PasswordHash, Token: token,
		Remember: remember, IP: ip, UserAgent: c.Request().UserAgent(), EndTokenHash: st.session.TokenHash})
	switch {
	case errors.Is(err, store.ErrSignInDisabled), errors.Is(err, store.ErrSignInStale):
		if err := s.st.RecordFailedSignIn(ctx, agent.Email, agent.ID, ip); err != nil {
			return "", err
		}
		flash(c, views.FlashError, t(c, "SignInFailed"))
		return views.PathSignIn, nil
	case err != nil:
		return "", err
	}
	st.cookie.signIn(token, remember)
	return safeNext(next), nil
}

// signInAgain sends a browser without a pending step back to the sign-in.
func (s *Server) signInAgain(c echo.Context) error {
	clearPending(c)
	return s.redirect(c, views.PathSignIn)
}
