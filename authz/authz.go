// Package authz is the one table of who may do what: the permission
// catalogue, the built-in roles and their permissions, custom roles, and the
// Viewer value that web, the store and later the API ask. Nothing else
// decides by a role's name; the owner rules of the product (at least one
// Owner, the account creator) are about the Owner role itself and stay in
// the store's transactions.
package authz

import (
	"math/bits"
	"strconv"
	"strings"
)

// Perm is one permission, named resource:action. The zero value is no
// permission at all: a route that states none fails at start-up.
type Perm uint8

// The catalogue. Each permission guards at least one route or store
// decision (a test walks the catalogue); permissions of screens still to
// come join it with their screen.
const (
	_ Perm = iota
	ProfileEdit
	TicketsRead
	TicketsReply
	TicketsCreate
	TicketsReadAll
	AgentsManage
	AgentsRole
	AgentsDepartments
	AgentsPassword
	AgentsManageAdmins
	DepartmentsManage
	RolesRead
	AuditRead
	RolesManage
	OwnersManage
	SettingsManage
	BillingManage
	CannedManageOwn
	CannedManageDepartments
	TagsManage
	LanguagesManage
	TicketFieldsManage
	TicketFiltersManage
	ChannelsManage
	APITokensManageAll
	TicketsEdit
	TicketsMerge
	ContactsRead
	ContactsEdit
	ContactsRemove
	SecurityManage
	PluginsManage
	BansManage
	// Reports (SPEC §6.3).
	ReportsReadOwn
	ReportsReadAll
	SLAManage
	RulesManage
	numPerms
)

// Group is a heading of the permission matrix and of the custom role form.
type Group string

const (
	GroupProfile Group = "profile"
	GroupTickets Group = "tickets"
	GroupTeam    Group = "team"
	GroupSystem  Group = "system"
	GroupAccount Group = "account"
)

// Info describes one permission of the catalogue.
type Info struct {
	Perm  Perm
	Name  string // resource:action, as stored and shown
	Group Group
	// DescID is the message ID of its plain-language description.
	DescID string
	// OwnerOnly: only the Owner role holds it; never offered to custom roles.
	OwnerOnly bool
	// BuiltinOnly: held by built-in roles only; a custom role is never above
	// Administrator and never manages Administrators or Owners.
	BuiltinOnly bool
}

// catalogue lists every permission in the order of the Roles page.
var catalogue = []Info{
	{Perm: ProfileEdit, Name: "profile:edit", Group: GroupProfile, DescID: "PermProfileEdit"},
	{Perm: TicketsRead, Name: "tickets:read", Group: GroupTickets, DescID: "PermTicketsRead"},
	{Perm: TicketsReply, Name: "tickets:reply", Group: GroupTickets, DescID: "PermTicketsReply"},
	{Perm: TicketsCreate, Name: "tickets:create", Group: GroupTickets, DescID: "PermTicketsCreate"},
	{Perm: TicketsReadAll, Name: "tickets:read_all", Group: GroupTickets, DescID: "PermTicketsReadAll"},
	{Perm: CannedManageOwn, Name: "canned:manage_own", Group: GroupTickets, DescID: "PermCannedManageOwn"},
	{Perm: CannedManageDepartments, Name: "canned:manage_departments", Group: GroupTickets, DescID: "PermCannedManageDepartments"},
	{Perm: TagsManage, Name: "tags:manage", Group: GroupTickets, DescID: "PermTagsManage"},
	{Perm: AgentsManage, Name: "agents:manage", Group: GroupTeam, DescID: "PermAgentsManage"},
	{Perm: AgentsRole, Name: "agents:change_role", Group: GroupTeam, DescID: "PermAgentsRole"},
	{Perm: AgentsDepartments, Name: "agents:assign_departments", Group: GroupTeam, DescID: "PermAgentsDepartments"},
	{Perm: AgentsPassword, Name: "agents:reset_password", Group: GroupTeam, DescID: "PermAgentsPassword"},
	{Perm: AgentsManageAdmins, Name: "agents:manage_admins", Group: GroupTeam, DescID: "PermAgentsManageAdmins", BuiltinOnly: true},
	{Perm: DepartmentsManage, Name: "departments:manage", Group: GroupTeam, DescID: "PermDepartmentsManage"},
	{Perm: RolesRead, Name: "roles:read", Group: GroupTeam, DescID: "PermRolesRead"},
	{Perm: SettingsManage, Name: "settings:manage", Group: GroupSystem, DescID: "PermSettingsManage"},
	{Perm: LanguagesManage, Name: "languages:manage", Group: GroupSystem, DescID: "PermLanguagesManage"},
	{Perm: TicketFieldsManage, Name: "ticket_fields:manage", Group: GroupTickets, DescID: "PermTicketFieldsManage"},
	{Perm: TicketFiltersManage, Name: "ticket_filters:manage", Group: GroupTickets, DescID: "PermTicketFiltersManage"},
	{Perm: AuditRead, Name: "audit:read", Group: GroupSystem, DescID: "PermAuditRead"},
	{Perm: ChannelsManage, Name: "channels:manage", Group: GroupSystem, DescID: "PermChannelsManage"},
	{Perm: APITokensManageAll, Name: "api_tokens:manage_all", Group: GroupSystem, DescID: "PermAPITokensManageAll", BuiltinOnly: true},
	{Perm: TicketsEdit, Name: "tickets:edit", Group: GroupTickets, DescID: "PermTicketsEdit"},
	{Perm: TicketsMerge, Name: "tickets:merge", Group: GroupTickets, DescID: "PermTicketsMerge"},
	{Perm: ContactsRead, Name: "contacts:read", Group: GroupTickets, DescID: "PermContactsRead"},
	{Perm: ContactsEdit, Name: "contacts:edit", Group: GroupTickets, DescID: "PermContactsEdit"},
	{Perm: ContactsRemove, Name: "contacts:remove", Group: GroupTickets, DescID: "PermContactsRemove"},
	{Perm: SecurityManage, Name: "security:manage", Group: GroupSystem, DescID: "PermSecurityManage"},
	{Perm: PluginsManage, Name: "plugins:manage", Group: GroupSystem, DescID: "PermPluginsManage"},
	{Perm: BansManage, Name: "bans:manage", Group: GroupSystem, DescID: "PermBansManage"},
	{Perm: SLAManage, Name: "sla:manage", Group: GroupSystem, DescID: "PermSLAManage"},
	{Perm: RulesManage, Name: "rules:manage", Group: GroupSystem, DescID: "PermRulesManage"},
	{Perm: RolesManage, Name: "roles:manage", Group: GroupAccount, DescID: "PermRolesManage", OwnerOnly: true},
	{Perm: OwnersManage, Name: "owners:manage", Group: GroupAccount, DescID: "PermOwnersManage", OwnerOnly: true},
	{Perm: BillingManage, Name: "billing:manage", Group: GroupAccount, DescID: "PermBillingManage", OwnerOnly: true},
	// Reports (SPEC §6.3).
	{Perm: ReportsReadOwn, Name: "reports:read_own", Group: GroupTeam, DescID: "PermReportsReadOwn"},
	{Perm: ReportsReadAll, Name: "reports:read_all", Group: GroupTeam, DescID: "PermReportsReadAll"},
}

// Catalogue returns every permission in display order.
func Catalogue() []Info { return catalogue }

// Info returns the catalogue entry of p.
func (p Perm) Info() Info {
	for _, in := range catalogue {
		if in.Perm == p {
			return in
		}
	}
	return Info{}
}

func (p Perm) String() string {
	if in := p.Info(); in.Name != "" {
		return in.Name
	}
	return "perm(" + strconv.Itoa(int(p)) + ")"
}

// ParsePerm finds a permission by its name.
func ParsePerm(name string) (Perm, bool) {
	for _, in := range catalogue {
		if in.Name == name {
			return in.Perm, true
		}
	}
	return 0, false
}

// Set is a set of permissions.
type Set uint64

// SetOf makes a set of ps.
func SetOf(ps ...Perm) Set {
	var s Set
	for _, p := range ps {
		s |= 1 << p
	}
	return s
}

// Has reports whether p is in the set.
func (s Set) Has(p Perm) bool { return p != 0 && s&(1<<p) != 0 }

// With returns the set with ps added.
func (s Set) With(ps ...Perm) Set { return s | SetOf(ps...) }

// Within reports whether every permission of s is also in o.
func (s Set) Within(o Set) bool { return s&^o == 0 }

// Len is the number of permissions in the set.
func (s Set) Len() int { return bits.OnesCount64(uint64(s)) }

// Perms lists the set in catalogue order.
func (s Set) Perms() []Perm {
	var out []Perm
	for _, in := range catalogue {
		if s.Has(in.Perm) {
			out = append(out, in.Perm)
		}
	}
	return out
}

// String is the stored form: names in catalogue order, comma-separated.
func (s Set) String() string {
	names := make([]string, 0, s.Len())
	for _, p := range s.Perms() {
		names = append(names, p.String())
	}
	return strings.Join(names, ",")
}

// ParseSet reads the stored form. A name the catalogue no longer has is
// dropped: a permission that leaves the catalogue grants nothing.
func ParseSet(stored string) Set {
	var s Set
	for _, name := range strings.Split(stored, ",") {
		if p, ok := ParsePerm(strings.TrimSpace(name)); ok {
			s = s.With(p)
		}
	}
	return s
}

// Role is an agent's role: one of the built-in roles, or a custom role
// written "custom:ID".
type Role string

// The built-in roles.
const (
	RoleAgent Role = "agent"
	RoleAdmin Role = "admin"
	RoleOwner Role = "owner"
)

// BuiltinRoles lists the built-in roles from least to most powerful.
var BuiltinRoles = []Role{RoleAgent, RoleAdmin, RoleOwner}

const customPrefix = "custom:"

// CustomRoleKey is the Role of the custom role with that ID.
func CustomRoleKey(id int64) Role { return Role(customPrefix + strconv.FormatInt(id, 10)) }

// CustomID returns the custom role's ID, or 0 for a built-in role.
func (r Role) CustomID() int64 {
	rest, ok := strings.CutPrefix(string(r), customPrefix)
	if !ok {
		return 0
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// Builtin reports whether r is one of the built-in roles.
func (r Role) Builtin() bool { return r == RoleAgent || r == RoleAdmin || r == RoleOwner }

// Valid reports whether r is a built-in role or well-formed custom one.
func (r Role) Valid() bool { return r.Builtin() || r.CustomID() > 0 }

var (
	agentSet = SetOf(ProfileEdit, TicketsRead, TicketsReply, TicketsCreate, CannedManageOwn, ReportsReadOwn).With(togetherAgent...)
	adminSet = agentSet.With(TicketsReadAll, AgentsManage, AgentsRole, AgentsDepartments, AgentsPassword,
		AgentsManageAdmins, DepartmentsManage, RolesRead, SettingsManage, AuditRead,
		CannedManageDepartments, TagsManage, LanguagesManage, TicketFieldsManage, TicketFiltersManage,
		ChannelsManage, ReportsReadAll,
		APITokensManageAll, SecurityManage, PluginsManage, BansManage, SLAManage, RulesManage).With(togetherAdmin...)
	ownerSet = adminSet.With(RolesManage, OwnersManage, BillingManage)
)

// togetherAgent: every agent fixes the tickets in their departments
// (Edit ticket), merges duplicates among them (Merge into…), and looks up
// and keeps the cards of their requesters (Contacts, in the same scope).
var togetherAgent = []Perm{TicketsEdit, TicketsMerge, ContactsRead, ContactsEdit}

// togetherAdmin: removing a person's data (anonymising a contact) is a
// privacy decision for Administrators and Owners.
var togetherAdmin = []Perm{ContactsRemove}

// BuiltinPerms returns the permissions of a built-in role (none for others).
func BuiltinPerms(r Role) Set {
	switch r {
	case RoleAgent:
		return agentSet
	case RoleAdmin:
		return adminSet
	case RoleOwner:
		return ownerSet
	}
	return 0
}

// Offerable is what a custom role may hold: the Agent's permissions, which
// every custom role starts from and keeps, and whatever is neither
// Owner-only nor built-in only.
func Offerable() Set {
	var s Set
	for _, in := range catalogue {
		if !in.OwnerOnly && !in.BuiltinOnly {
			s = s.With(in.Perm)
		}
	}
	return s
}

// CustomPerms is the set a custom role holds when chosen is ticked: always
// the Agent's, never more than Offerable.
func CustomPerms(chosen Set) Set { return (chosen | agentSet) & Offerable() }

// AgentBase is the Agent role's set, which custom roles start from.
func AgentBase() Set { return agentSet }

// Viewer is who is acting: the signed-in agent (or, later, an API token
// acting as one) with the permissions their role gives.
type Viewer struct {
	ID    int64
	Perms Set
}

// Can reports whether the viewer holds p.
func (v Viewer) Can(p Perm) bool { return v.Perms.Has(p) }

// MayManage reports whether someone holding actor may manage an agent
// holding target: they need agents:manage, and never manage anyone who
// holds a permission they lack (so Administrators, who hold
// agents:manage_admins, are managed only by those who hold it too).
func MayManage(actor, target Set) bool {
	return actor.Has(AgentsManage) && target.Within(actor)
}

// MayGrant reports whether someone holding actor may give a role holding
// role: they need agents:change_role and may hand out no permission they
// lack themselves.
func MayGrant(actor, role Set) bool {
	return actor.Has(AgentsRole) && role.Within(actor)
}
