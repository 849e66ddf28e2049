package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"helpline/views"
)

// route is one line of the route table.
type route struct {
	method  string
	path    string
	handler echo.HandlerFunc
	perm    Perm
}

const staticRoute = "/static/*"

// routes is the route table: every route the console serves, each with the
// permission it needs. Public is stated, never assumed.
func (s *Server) routes() []route {
	return []route{
		{http.MethodGet, views.PathHealth, s.health, Public},
		{http.MethodGet, staticRoute, s.staticFile, Public},

		{http.MethodGet, views.PathSignUp, s.signUpNew, Public},
		{http.MethodPost, views.PathSignUp, s.signUpCreate, Public},
		{http.MethodGet, views.PathSignIn, s.signInNew, Public},
		{http.MethodPost, views.PathSignIn, s.signInCreate, Public},
		{http.MethodGet, views.PathForgot, s.forgotPassword, Public},
		{http.MethodPost, views.PathSignOut, s.signOut, Public},

		{http.MethodGet, views.PathHome, s.home, PermProfileEdit},
		{http.MethodGet, views.PathProfile, s.profileShow, PermProfileEdit},
		{http.MethodPost, views.PathProfile, s.profileUpdate, PermProfileEdit},
		{http.MethodPost, views.PathPassword, s.passwordUpdate, PermProfileEdit},

		{http.MethodGet, views.PathSetPassword, s.setPasswordShow, Public},
		{http.MethodPost, views.PathSetPassword, s.setPasswordSave, Public},

		{http.MethodGet, views.PathConfig, s.configIndex, PermSettingsManage},
		{http.MethodGet, views.PathAgents, s.agentsList, PermAgentsManage},
		{http.MethodPost, views.PathAgents, s.agentCreate, PermAgentsManage},
		{http.MethodGet, views.PathAgentNew, s.agentNew, PermAgentsManage},
		{http.MethodGet, views.PathAgentEdit, s.agentEdit, PermAgentsManage},
		{http.MethodPost, views.PathAgent, s.agentUpdate, PermAgentsManage},
		{http.MethodPost, views.PathAgentRole, s.agentRoleUpdate, PermAgentsRole},
		{http.MethodGet, views.PathAgentRemove, s.agentRemoveConfirm, PermAgentsManage},
		{http.MethodPost, views.PathAgentRemove, s.agentRemove, PermAgentsManage},
		{http.MethodPost, views.PathAgentStatus, s.agentStatusUpdate, PermAgentsManage},
		{http.MethodPost, views.PathAgentPassword, s.agentPasswordReset, PermAgentsPassword},
		{http.MethodPost, views.PathAgentCreator, s.agentMakeCreator, PermOwnersManage},
		{http.MethodGet, views.PathRoles, s.rolesShow, PermRolesRead},
		{http.MethodGet, views.PathAudit, s.auditShow, PermAuditRead},
		{http.MethodGet, views.PathDepartments, s.departmentsList, PermDepartmentsManage},
		{http.MethodPost, views.PathDepartments, s.departmentCreate, PermDepartmentsManage},
		{http.MethodGet, views.PathDepartmentNew, s.departmentNew, PermDepartmentsManage},
		{http.MethodGet, views.PathDepartment, s.departmentEdit, PermDepartmentsManage},
		{http.MethodPost, views.PathDepartment, s.departmentUpdate, PermDepartmentsManage},
		{http.MethodPost, views.PathDepartmentMembers, s.departmentMembersSave, PermDepartmentsManage},
		{http.MethodGet, views.PathDepartmentRemove, s.departmentRemoveConfirm, PermDepartmentsManage},
		{http.MethodPost, views.PathDepartmentRemove, s.departmentRemove, PermDepartmentsManage},

		{http.MethodGet, views.PathTickets, s.queueShow, PermTicketsRead},
		{http.MethodPost, views.PathTicketBulk, s.queueBulk, PermTicketsReply},
		{http.MethodGet, views.PathTicketNew, s.ticketNew, PermTicketsCreate},
		{http.MethodPost, views.PathTicketNew, s.ticketCreate, PermTicketsCreate},
		{http.MethodGet, views.PathTicket, s.ticketShow, PermTicketsRead},
		{http.MethodPost, views.PathTicketReply, s.ticketReply, PermTicketsReply},
		{http.MethodPost, views.PathTicketNote, s.ticketNote, PermTicketsReply},
		{http.MethodPost, views.PathTicketAssign, s.ticketAssign, PermTicketsReply},
		{http.MethodPost, views.PathTicketTransfer, s.ticketTransfer, PermTicketsReply},
		{http.MethodPost, views.PathTicketStatus, s.ticketStatus, PermTicketsReply},
		{http.MethodPost, views.PathTicketPostpone, s.ticketPostpone, PermTicketsReply},
		{http.MethodPost, views.PathTicketTags, s.ticketTagAdd, PermTicketsReply},
		{http.MethodPost, views.PathTicketTagRemove, s.ticketTagRemove, PermTicketsReply},
		{http.MethodGet, views.PathContact, s.contactNew, Public},
		{http.MethodPost, views.PathContact, s.contactCreate, Public},
		{http.MethodGet, views.PathContactSent, s.contactSent, Public},
	}
}

// navItem is one entry of the top navigation, shown to those who hold perm.
type navItem struct {
	labelID string
	path    string
	perm    Perm
}

// navigation lists the top navigation in order; a test checks each path is
// a registered GET route guarded by the same permission.
var navigation = []navItem{
	{"NavTickets", views.PathTickets, PermTicketsRead},
	{"NavConfiguration", views.PathConfig, PermSettingsManage},
}

// register adds the table to the router, guarding each route with its
// permission. A route without one stops the server from starting.
func (s *Server) register(table []route) error {
	seen := map[string]bool{}
	for _, r := range table {
		if r.perm == "" {
			return fmt.Errorf("web: route %s %s declares no permission", r.method, r.path)
		}
		if r.handler == nil {
			return fmt.Errorf("web: route %s %s has no handler", r.method, r.path)
		}
		key := r.method + " " + r.path
		if seen[key] {
			return fmt.Errorf("web: route %s registered twice", key)
		}
		seen[key] = true
		s.e.Add(r.method, r.path, s.guard(r.perm, r.handler))
	}
	return nil
}

// guard lets a request through only when the signed-in user holds perm.
// Anonymous users are sent to sign in; others get 403.
func (s *Server) guard(perm Perm, h echo.HandlerFunc) echo.HandlerFunc {
	if perm == Public {
		return h
	}
	return func(c echo.Context) error {
		u := currentUser(c)
		if u == nil {
			return errSignInRequired
		}
		if !Can(u.Role, perm) {
			return echo.ErrForbidden
		}
		return h(c)
	}
}

// navFor builds the navigation a role may open.
func navFor(u *views.CurrentUser) []views.NavItem {
	if u == nil {
		return nil
	}
	var out []views.NavItem
	for _, n := range navigation {
		if Can(u.Role, n.perm) {
			out = append(out, views.NavItem{LabelID: n.labelID, Path: n.path})
		}
	}
	return out
}
