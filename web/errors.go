package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"helpline/store"
	"helpline/views"
)

var (
	errSignInRequired = errors.New("sign-in required")
	errCSRF           = echo.NewHTTPError(http.StatusForbidden, "csrf")
)

// ruleMessages turn the store's refusals into messages and statuses.
var ruleMessages = map[store.Rule]struct {
	status int
	msgID  string
}{
	store.RuleLastOwner:         {http.StatusConflict, "ErrRuleLastOwner"},
	store.RuleAccountCreator:    {http.StatusConflict, "ErrRuleAccountCreator"},
	store.RuleOwnerOnly:         {http.StatusForbidden, "ErrRuleOwnerOnly"},
	store.RuleSelfChange:        {http.StatusConflict, "ErrRuleSelfChange"},
	store.RuleNotPermitted:      {http.StatusForbidden, "ErrorForbidden"},
	store.RuleCreatorOnly:       {http.StatusForbidden, "ErrRuleCreatorOnly"},
	store.RuleCreatorNotOwner:   {http.StatusConflict, "ErrRuleCreatorNotOwner"},
	store.RuleDepartmentInUse:   {http.StatusConflict, "ErrRuleDepartmentInUse"},
	store.RuleRoleInUse:         {http.StatusConflict, "ErrRuleRoleInUse"},
	store.RuleAssigneeNotMember: {http.StatusUnprocessableEntity, "ErrAssigneeNotMember"},
	store.RuleSameDepartment:    {http.StatusUnprocessableEntity, "ErrSameDepartment"},
	store.RulePostponeInPast:    {http.StatusUnprocessableEntity, "ErrPostponeInPast"},
	store.RuleStatusNotSettable: {http.StatusUnprocessableEntity, "ErrInvalidChoice"},
	store.RuleTicketDeleted:     {http.StatusConflict, "ErrTicketDeleted"},
}

// handleError is the one place that turns an error into a response: a full
// error page, or for htmx a message swapped into the flash area.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		s.log.Error("error after response started", "path", logPath(c), "err", err)
		return
	}
	if isAPI(c) { // the API answers problem+json, never a page
		_ = writeProblem(c, s.problemFor(c, err))
		return
	}
	if errors.Is(err, errSignInRequired) {
		to := views.PathSignIn
		if c.Request().Method == http.MethodGet && !isHTMX(c) {
			to += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
		}
		if isHTMX(c) {
			c.Response().Header().Set("HX-Redirect", to)
			_ = c.NoContent(http.StatusUnauthorized)
			return
		}
		_ = c.Redirect(http.StatusSeeOther, to)
		return
	}

	if errors.Is(err, errBodyTimeout) {
		// The request's context has ended with the read; answer without
		// rendering anything, and close the connection.
		c.Response().Header().Set("Connection", "close")
		_ = c.NoContent(http.StatusRequestTimeout)
		return
	}

	status, titleID, msgID := http.StatusInternalServerError, "ErrorServerTitle", "ErrorServer"
	var he *echo.HTTPError
	var re store.RuleError
	var ce store.ErrConflict
	switch {
	case err == errCSRF:
		status, titleID, msgID = http.StatusForbidden, "ErrorForbiddenTitle", "ErrorCSRF"
	case err == errInvalidText:
		status, titleID, msgID = http.StatusUnprocessableEntity, "ErrorBadRequestTitle", "ErrorInvalidText"
	case errors.Is(err, store.ErrNotFound):
		status, titleID, msgID = http.StatusNotFound, "ErrorNotFoundTitle", "ErrorNotFound"
	case errors.As(err, &re):
		status, titleID, msgID = http.StatusConflict, "ErrorConflictTitle", "ErrorServer"
		if m, ok := ruleMessages[re.Rule]; ok {
			status, msgID = m.status, m.msgID
		}
		if status == http.StatusForbidden {
			titleID = "ErrorForbiddenTitle"
		}
	case errors.As(err, &ce):
		status, titleID, msgID = http.StatusConflict, "ErrorConflictTitle", "ErrorServer"
	case errors.As(err, &he):
		status = he.Code
		switch he.Code {
		case http.StatusNotFound, http.StatusMethodNotAllowed:
			status, titleID, msgID = http.StatusNotFound, "ErrorNotFoundTitle", "ErrorNotFound"
		case http.StatusForbidden:
			titleID, msgID = "ErrorForbiddenTitle", "ErrorForbidden"
		case http.StatusTooManyRequests:
			titleID, msgID = "ErrorTooManyTitle", "ErrorTooMany"
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			titleID, msgID = "ErrorBadRequestTitle", "ErrorBadRequest"
		default:
			if he.Code < 500 {
				titleID, msgID = "ErrorBadRequestTitle", "ErrorBadRequest"
			}
		}
	}
	if status >= 500 {
		s.log.Error("request failed", "method", c.Request().Method, "path", logPath(c), "err", err)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	if isHTMX(c) {
		// Keep the page as it is and show the message in the flash area.
		c.Response().Header().Set("HX-Reswap", "none")
		kind := views.FlashError
		if err := s.render(c, status, views.Flashes([]views.Flash{{Kind: kind, Text: t(c, msgID)}}), nil); err != nil {
			s.log.Error("render error fragment", "err", err)
		}
		return
	}
	p := views.ErrorProps{Status: status, Title: t(c, titleID), Message: t(c, msgID)}
	if err := s.render(c, status, views.ErrorPage(p), nil); err != nil {
		s.log.Error("render error page", "err", err)
	}
}
