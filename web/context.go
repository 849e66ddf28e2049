package web

import (
	"errors"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"helpline/desk"
	"helpline/static"
	"helpline/store"
	"helpline/views"
)

// reqState is what the middleware learns about a request: its cookie, and
// the session and agent when someone is signed in.
type reqState struct {
	cookie  *cookieSession
	session store.Session
	agent   store.Agent
	user    *views.CurrentUser
	env     *views.Env
}

const stateKey = "helpline.state"

func state(c echo.Context) *reqState {
	if st, ok := c.Get(stateKey).(*reqState); ok {
		return st
	}
	return &reqState{env: views.EnvOf(c.Request().Context())}
}

func currentUser(c echo.Context) *views.CurrentUser { return state(c).user }

// currentAgent returns the signed-in agent; only call it behind a guard.
func currentAgent(c echo.Context) store.Agent { return state(c).agent }

var endMessages = map[store.EndReason]string{
	store.EndRoleChanged:     "SessionEndedRoleChanged",
	store.EndDisabled:        "SessionEndedDisabled",
	store.EndRemoved:         "SessionEndedRemoved",
	store.EndPasswordReset:   "SessionEndedPasswordReset",
	store.EndPasswordChanged: "SessionEndedPasswordChanged",
	store.EndTwoFactorReset:  "SessionEndedTwoFactorReset",
}

// loadSession reads the cookie, finds the server-side session and the agent,
// and puts the page environment into the request context.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := c.Request().URL.Path
		if strings.HasPrefix(p, static.Prefix) || p == views.PathHealth || isAPI(c) {
			return next(c)
		}
		ctx := c.Request().Context()
		cs := s.sess.load(c.Request())
		st := &reqState{cookie: cs}
		c.Response().Before(func() {
			if err := cs.save(c); err != nil {
				s.log.Error("save cookie", "err", err)
			}
		})
		lang := ""
		if tok := cs.token(); tok != "" {
			se, err := s.st.SessionByToken(ctx, tok)
			switch {
			case errors.Is(err, store.ErrNotFound):
				cs.signOut()
			case err != nil:
				return err
			default:
				ended := se.EndedReason
				var agent store.Agent
				if ended == "" {
					agent, err = s.st.AgentByID(ctx, se.AgentID)
					if err != nil {
						return err
					}
					if agent.Removed {
						ended = store.EndRemoved
					} else if agent.Status != store.StatusActive {
						ended = store.EndDisabled
					}
				}
				if ended != "" {
					lang = agent.Language
					cs.signOut()
					cs.addFlash(views.FlashInfo, views.TL(s.langFor(c, lang), endMessages[ended], nil))
					if err := s.st.DeleteSession(ctx, se.TokenHash); err != nil {
						return err
					}
					break
				}
				if err := s.st.TouchSession(ctx, se); err != nil {
					s.log.Warn("touch session", "err", err)
				}
				st.session, st.agent = se, agent
				st.user = &views.CurrentUser{ID: agent.ID, Name: agent.Name, Email: agent.Email, Role: agent.Role, Perms: agent.Perms}
				lang = agent.Language
			}
		}
		lang = s.langFor(c, lang)
		company, zone, err := s.deskIdentity(c)
		if err != nil {
			return err
		}
		st.env = &views.Env{
			User:      st.user,
			CSRFToken: cs.csrfToken(),
			Lang:      lang,
			Localizer: views.Localizer(lang),
			Nav:       navFor(st.user),
			Asset:     static.URL,
			Path:      p,
			Company:   company,
			Zone:      zone,
			Unread:    s.unreadCounter(ctx, st.agent),
		}
		c.Set(stateKey, st)
		c.SetRequest(c.Request().WithContext(views.WithEnv(ctx, st.env)))
		return next(c)
	}
}

// deskIdentity is the company's name ("" before sign-up) and the desk's
// time zone (Configuration → General), which every page shows. The store
// keeps the account between commits, so this costs no query.
func (s *Server) deskIdentity(c echo.Context) (string, *time.Location, error) {
	acc, err := s.st.Account(c.Request().Context())
	if errors.Is(err, store.ErrNotFound) {
		return "", time.UTC, nil
	}
	if err != nil {
		return "", nil, err
	}
	return acc.CompanyName, desk.Location(acc.TimeZone), nil
}

// langFor is the profile's language if set, else the browser's; either
// only while the desk offers it (Configuration → Languages), the desk's
// default language otherwise (a browser asking for none we speak too).
func (s *Server) langFor(c echo.Context, profile string) string {
	lang := profile
	if !views.IsLanguage(lang) {
		lang = views.BrowserLanguage(c.Request().Header.Get("Accept-Language"))
	}
	offered, err := s.st.Languages(c.Request().Context())
	if err != nil {
		s.log.Warn("languages", "err", err)
		return desk.AllLanguages().For(lang)
	}
	return offered.For(lang)
}

// checkCSRF refuses every state-changing request without the page's token,
// sent as the _csrf form field or the X-CSRF-Token header (htmx).
func (s *Server) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case "GET", "HEAD", "OPTIONS":
			return next(c)
		}
		if isAPI(c) { // a token, never a cookie, opens the API
			return next(c)
		}
		st := state(c)
		// From the header or the posted body only: a token in the query
		// string ends up in logs, history and Referer headers.
		tok := c.Request().Header.Get("X-CSRF-Token")
		if tok == "" {
			tok = c.Request().PostFormValue("_csrf")
		}
		if st.cookie == nil || !st.cookie.validCSRF(tok) {
			return errCSRF
		}
		return next(c)
	}
}

// flash queues a message for the next page the user sees.
func flash(c echo.Context, kind views.FlashKind, text string) {
	if st := state(c); st.cookie != nil {
		st.cookie.addFlash(kind, text)
	}
}

// t translates a message in the request's language.
func t(c echo.Context, id string) string { return views.T(c.Request().Context(), id) }

// tf translates a message with template data.
func tf(c echo.Context, id string, data map[string]any) string {
	return views.Tf(c.Request().Context(), id, data)
}
