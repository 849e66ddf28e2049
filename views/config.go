package views

import (
	"context"

	"helpline/authz"
	"helpline/store"
)

type configNavKey struct{}

// WithConfigNav returns ctx carrying the Configuration sections the user may
// open; ConfigPage shows them as its sub-navigation.
func WithConfigNav(ctx context.Context, items []NavItem) context.Context {
	return context.WithValue(ctx, configNavKey{}, items)
}

func configNav(ctx context.Context) []NavItem {
	items, _ := ctx.Value(configNavKey{}).([]NavItem)
	return items
}

// roleLabelIDs are the message IDs of the built-in roles' names.
var roleLabelIDs = map[authz.Role]string{
	authz.RoleAgent: "RoleAgent",
	authz.RoleAdmin: "RoleAdmin",
	authz.RoleOwner: "RoleOwner",
}

// RoleLabel names a role: a built-in one from the catalogue, a custom one
// by the name its Owner gave it.
func RoleLabel(ctx context.Context, r authz.Role, customName string) string {
	if id, ok := roleLabelIDs[r]; ok {
		return T(ctx, id)
	}
	return customName
}

// roleDesc is the one line under a role in the agent form.
func roleDesc(ctx context.Context, r store.RoleInfo) string {
	if id, ok := roleLabelIDs[r.Role]; ok {
		return T(ctx, id+"Desc")
	}
	return Tn(ctx, "RoleCustomDesc", r.Perms.Len()-authz.AgentBase().Len(), nil)
}

func statusLabelID(s store.Status) string {
	if s == store.StatusDisabled {
		return "StatusDisabled"
	}
	return "StatusActive"
}

func genderLabelID(g string) string {
	switch g {
	case "female":
		return "GenderFemale"
	case "male":
		return "GenderMale"
	case "other":
		return "GenderOther"
	}
	return "GenderNone"
}

func roleBadge(r authz.Role) string {
	switch r {
	case authz.RoleOwner:
		return "badge badge-warning"
	case authz.RoleAdmin:
		return "badge badge-primary"
	}
	if !r.Builtin() {
		return "badge badge-custom"
	}
	return "badge"
}
