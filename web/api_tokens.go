package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"helpline/store"
	"helpline/views"
)

func init() {
	auditActionLabels[store.ActionAPITokenCreate] = "AuditAPITokenCreate"
	auditActionLabels[store.ActionAPITokenRevoke] = "AuditAPITokenRevoke"
}

func (s *Server) apiTokensShow(c echo.Context) error {
	return s.renderAPITokens(c, http.StatusOK, views.APITokensProps{Values: views.APITokenValues{Expiry: "90"}})
}

func (s *Server) renderAPITokens(c echo.Context, status int, p views.APITokensProps) error {
	rows, err := s.st.APITokens(c.Request().Context(), currentAgent(c).ID)
	if err != nil {
		return err
	}
	p.Rows = rows
	return s.render(c, status, views.APITokensPage(p), nil)
}

// apiTokenCreate makes a token and shows its secret on this answer only:
// it never goes into a redirect, a flash or a log.
func (s *Server) apiTokenCreate(c echo.Context) error {
	f := newForm(c)
	v := views.APITokenValues{Name: f.text("name", true, maxName), Expiry: c.FormValue("expiry")}
	var expires time.Time
	switch v.Expiry {
	case "never":
	case "30", "90", "365":
		days, _ := strconv.Atoi(v.Expiry)
		expires = time.Now().AddDate(0, 0, days)
	default:
		f.fail("expiry", "ErrAPITokenExpiry", nil)
	}
	if !f.ok() {
		return s.renderAPITokens(c, http.StatusUnprocessableEntity, views.APITokensProps{Values: v, Errors: f.errs})
	}
	tok, secret, err := s.st.CreateAPIToken(c.Request().Context(), currentAgent(c).ID, v.Name, expires, c.RealIP())
	if err != nil {
		return err
	}
	return s.renderAPITokens(c, http.StatusOK, views.APITokensProps{Values: views.APITokenValues{Expiry: "90"},
		NewSecret: secret, NewName: tok.Name})
}

func (s *Server) apiTokenRevoke(c echo.Context) error {
	return s.revokeAPIToken(c, views.PathAPITokens)
}

func (s *Server) configAPITokensShow(c echo.Context) error {
	rows, err := s.st.AllAPITokens(c.Request().Context(), viewer(c))
	if err != nil {
		return err
	}
	p := views.APITokensAllProps{Rows: rows}
	return s.renderConfig(c, http.StatusOK, views.APITokensAllPage(p), nil)
}

func (s *Server) configAPITokenRevoke(c echo.Context) error {
	return s.revokeAPIToken(c, views.PathConfigAPITokens)
}

// revokeAPIToken revokes the token of the path and goes back to back. The
// store decides whose tokens the viewer may revoke; any other is 404.
func (s *Server) revokeAPIToken(c echo.Context, back string) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	name, err := s.st.RevokeAPIToken(c.Request().Context(), viewer(c), id, c.RealIP())
	if errors.Is(err, store.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "APITokenRevokedFlash", map[string]any{"Name": name}))
	return s.redirect(c, back)
}
