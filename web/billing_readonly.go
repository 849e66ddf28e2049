package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// RuleDeskEnded refuses a change to a desk whose account has ended.
const RuleDeskEnded store.Rule = "desk_ended"

func init() {
	ruleMessages[RuleDeskEnded] = struct {
		status int
		msgID  string
	}{http.StatusForbidden, "DeskReadOnly"}
}

// gettingIn are the steps of signing in and out. They stay open on an
// ended desk, or an Owner with two-factor sign-in, or who has forgotten the
// password, could never reach My account to resume.
var gettingIn = map[string]bool{
	views.PathSignIn: true, views.PathSignOut: true, views.PathSignInCode: true, views.PathSignInEnrol: true,
	views.PathForgot: true, views.PathSetPassword: true,
}

// stillOpen lets a route change the desk only while the account has not
// ended. Afterwards every page still shows (with a banner saying the desk is
// read-only) and nothing is deleted, but only My account takes changes, so
// the Owner can pay and resume; signing in and out keeps working.
func (s *Server) stillOpen(r route, h echo.HandlerFunc) echo.HandlerFunc {
	writes := r.method != http.MethodGet && r.method != http.MethodHead
	exempt := gettingIn[r.path] || (len(r.perm.anyOf) == 1 && r.perm.anyOf[0] == authz.BillingManage)
	if r.path == staticRoute || r.path == views.PathHealth {
		return h
	}
	return func(c echo.Context) error {
		sub, err := s.st.Subscription(c.Request().Context())
		if errors.Is(err, store.ErrNotFound) { // before sign-up
			return h(c)
		}
		if err != nil {
			return err
		}
		if !sub.Ended(s.now()) {
			return h(c)
		}
		// Only the request's own Env: state() outside a session falls back
		// to the shared empty one.
		if st, ok := c.Get(stateKey).(*reqState); ok && st.env != nil {
			st.env.ReadOnly = true
		}
		if writes && !exempt {
			return store.RuleError{Rule: RuleDeskEnded}
		}
		return h(c)
	}
}

// apiDeskEnded refuses an API operation that writes once the account has
// ended, as stillOpen refuses the console's: the desk is read-only through
// the API too (billing is not in the API, so nothing is exempt).
func (s *Server) apiDeskEnded(c echo.Context, op apiOp) *apiProblem {
	if !op.write {
		return nil
	}
	sub, err := s.st.Subscription(c.Request().Context())
	if err != nil || !sub.Ended(s.now()) {
		return nil // no account yet, or a read failing here fails in the operation too
	}
	return newProblem(http.StatusForbidden, t(c, "DeskReadOnly"))
}

func init() {
	for action, id := range map[store.AuditAction]string{
		store.ActionBillingPlan:       "AuditBillingPlan",
		store.ActionBillingInvoice:    "AuditBillingInvoice",
		store.ActionBillingPayment:    "AuditBillingPayment",
		store.ActionBillingCreditNote: "AuditBillingCreditNote",
		store.ActionBillingInfo:       "AuditBillingInfo",
		store.ActionBillingStop:       "AuditBillingStop",
		store.ActionBillingResume:     "AuditBillingResume",
	} {
		auditActionLabels[action] = id
	}
}
