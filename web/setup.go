package web

import (
	"github.com/labstack/echo/v4"

	"helpline/authz"
	"helpline/views"
)

// A new desk says what to do next, on the empty queue and above the
// Configuration sections, until it is done: each step only to those who may
// open its page.

// absoluteURL is path as people outside open it: on the configured base
// URL, or else on the address this request came to.
func (s *Server) absoluteURL(c echo.Context, path string) string {
	base := s.cfg.BaseURL
	if base == "" {
		base = c.Scheme() + "://" + c.Request().Host
	}
	return base + path
}

// setupSteps are the next steps of the desk still to take that the
// signed-in agent may take; started reports whether a ticket has arrived.
func (s *Server) setupSteps(c echo.Context) (steps views.SetupProps, started bool, err error) {
	st, err := s.st.Setup(c.Request().Context())
	if err != nil {
		return views.SetupProps{}, false, err
	}
	perms := currentAgent(c).Perms
	steps.CreateDepartment = st.Departments == 0 && perms.Has(authz.DepartmentsManage)
	steps.CreateAgents = st.Agents <= 1 && perms.Has(authz.AgentsManage)
	// The contact form needs a department to send to.
	if !st.HasTickets && st.Departments > 0 {
		steps.ContactURL = s.absoluteURL(c, views.PathContact)
	}
	return steps, st.HasTickets, nil
}

// queueStart is what the empty queue of a desk without tickets shows, or
// nil once the first ticket has arrived.
func (s *Server) queueStart(c echo.Context) (*views.SetupProps, error) {
	steps, started, err := s.setupSteps(c)
	if err != nil || started {
		return nil, err
	}
	return &steps, nil
}

// isConfigSection reports whether the request opens a Configuration
// section's own page (not one of its forms), where the next steps show.
func isConfigSection(c echo.Context) bool {
	if c.Request().Method != "GET" {
		return false
	}
	for _, n := range configSections {
		if c.Path() == n.path {
			return true
		}
	}
	return false
}
