package web

import "helpline/store"

// Perm is one permission, named resource:action. Every route declares one.
type Perm string

// Public marks a route anyone may open, signed in or not. It is a value a
// route must state; no route is public by default.
const Public Perm = "public"

// The permission catalogue. The order here is the order of the Roles page.
const (
	PermProfileEdit       Perm = "profile:edit"
	PermTicketsRead       Perm = "tickets:read"
	PermTicketsReply      Perm = "tickets:reply"
	PermTicketsCreate     Perm = "tickets:create"
	PermTicketsReadAll    Perm = "tickets:read_all"
	PermCannedOwn         Perm = "canned:manage_own"
	PermReportsOwn        Perm = "reports:read_own"
	PermAgentsManage      Perm = "agents:manage"
	PermAgentsRole        Perm = "agents:change_role"
	PermAgentsDepartments Perm = "agents:assign_departments"
	PermAgentsPassword    Perm = "agents:reset_password"
	PermDepartmentsManage Perm = "departments:manage"
	PermRolesRead         Perm = "roles:read"
	PermAuditRead         Perm = "audit:read"
	PermReportsAll        Perm = "reports:read_all"
	PermLanguagesManage   Perm = "languages:manage"
	PermTicketFilters     Perm = "ticket_filters:manage"
	PermTicketFields      Perm = "ticket_fields:manage"
	PermPluginsManage     Perm = "plugins:manage"
	PermBansManage        Perm = "bans:manage"
	PermAutomationManage  Perm = "automation:manage"
	PermRulesManage       Perm = "rules:manage"
	PermCannedDepartments Perm = "canned:manage_departments"
	PermSettingsManage    Perm = "settings:manage"
	PermOwnersManage      Perm = "owners:manage"
	PermBillingManage     Perm = "billing:manage"
)

// AllPerms lists the catalogue in display order.
var AllPerms = []Perm{
	PermProfileEdit, PermTicketsRead, PermTicketsReply, PermTicketsCreate, PermCannedOwn, PermReportsOwn,
	PermTicketsReadAll, PermAgentsManage, PermAgentsRole, PermAgentsDepartments, PermAgentsPassword,
	PermDepartmentsManage, PermRolesRead, PermAuditRead, PermReportsAll, PermLanguagesManage,
	PermTicketFilters, PermTicketFields, PermPluginsManage, PermBansManage, PermAutomationManage,
	PermRulesManage, PermCannedDepartments, PermSettingsManage,
	PermOwnersManage, PermBillingManage,
}

var agentPerms = []Perm{
	PermProfileEdit, PermTicketsRead, PermTicketsReply, PermTicketsCreate, PermCannedOwn, PermReportsOwn,
}

var adminPerms = append(append([]Perm{}, agentPerms...),
	PermTicketsReadAll, PermAgentsManage, PermAgentsRole, PermAgentsDepartments, PermAgentsPassword,
	PermDepartmentsManage, PermRolesRead, PermAuditRead, PermReportsAll, PermLanguagesManage,
	PermTicketFilters, PermTicketFields, PermPluginsManage, PermBansManage, PermAutomationManage,
	PermRulesManage, PermCannedDepartments, PermSettingsManage,
)

var ownerPerms = append(append([]Perm{}, adminPerms...), PermOwnersManage, PermBillingManage)

// rolePerms is the one table of who may do what: it guards every route,
// builds the navigation and renders Configuration → Roles.
var rolePerms = map[store.Role]map[Perm]bool{
	store.RoleAgent: set(agentPerms),
	store.RoleAdmin: set(adminPerms),
	store.RoleOwner: set(ownerPerms),
}

func set(ps []Perm) map[Perm]bool {
	m := make(map[Perm]bool, len(ps))
	for _, p := range ps {
		m[p] = true
	}
	return m
}

// Can reports whether role holds perm. Public is held by everyone.
func Can(role store.Role, perm Perm) bool {
	return perm == Public || rolePerms[role][perm]
}
