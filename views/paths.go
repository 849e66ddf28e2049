package views

import (
	"net/url"
	"strconv"
	"strings"
)

// Paths shared by markup and handlers: the route table registers these, and a
// test checks every one matches a registered route.
const (
	PathHome         = "/"
	PathSignUp       = "/signup"
	PathSignIn       = "/signin"
	PathSignOut      = "/signout"
	PathForgot       = "/forgot-password"
	PathProfile      = "/profile"
	PathPassword     = "/profile/password"
	PathHealth       = "/healthz"
	PathStaticPrefix = "/static/"
)

// API token paths: Profile → API tokens for one's own, Configuration → API
// tokens for everyone's. :id is a token.
const (
	PathAPITokens            = "/profile/tokens"
	PathAPITokenRevoke       = "/profile/tokens/:id/revoke"
	PathConfigAPITokens      = "/config/api-tokens"
	PathConfigAPITokenRevoke = "/config/api-tokens/:id/revoke"
)

// Configuration paths. Parameters are :id (agent or department) and :token.
const (
	PathConfig            = "/config"
	PathAgents            = "/config/agents"
	PathAgentNew          = "/config/agents/new"
	PathAgent             = "/config/agents/:id"
	PathAgentEdit         = "/config/agents/:id/edit"
	PathAgentRole         = "/config/agents/:id/role"
	PathAgentRemove       = "/config/agents/:id/remove"
	PathAgentStatus       = "/config/agents/:id/status"
	PathAgentPassword     = "/config/agents/:id/password"
	PathAgentCreator      = "/config/agents/:id/creator"
	PathSetPassword       = "/set-password/:token"
	PathRoles             = "/config/roles"
	PathRoleNew           = "/config/roles/new"
	PathRole              = "/config/roles/:id"
	PathRoleRemove        = "/config/roles/:id/remove"
	PathAudit             = "/config/audit"
	PathGeneral           = "/config/general"
	PathDepartments       = "/config/departments"
	PathDepartmentNew     = "/config/departments/new"
	PathDepartment        = "/config/departments/:id"
	PathDepartmentMembers = "/config/departments/:id/members"
	PathDepartmentRemove  = "/config/departments/:id/remove"
)

// WithID fills the :id of a path pattern.
func WithID(pattern string, id int64) string {
	return strings.Replace(pattern, ":id", strconv.FormatInt(id, 10), 1)
}

// SetPasswordPath is the one-time link for token.
func SetPasswordPath(token string) string {
	return strings.Replace(PathSetPassword, ":token", url.PathEscape(token), 1)
}

// AgentRowID is the id of an agent's row in the agents table.
func AgentRowID(id int64) string { return "agent-" + strconv.FormatInt(id, 10) }

// DepartmentRowID is the id of a department's row in the departments table.
func DepartmentRowID(id int64) string { return "department-" + strconv.FormatInt(id, 10) }

func removeDialogID(rowID string) string { return rowID + "-remove" }
