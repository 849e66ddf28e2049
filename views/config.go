package views

import (
	"context"
	"time"

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

// RoleLabelID is the message ID of a role's name.
func RoleLabelID(r store.Role) string {
	switch r {
	case store.RoleOwner:
		return "RoleOwner"
	case store.RoleAdmin:
		return "RoleAdmin"
	}
	return "RoleAgent"
}

func roleDescID(r store.Role) string { return RoleLabelID(r) + "Desc" }

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

func roleBadge(r store.Role) string {
	switch r {
	case store.RoleOwner:
		return "badge badge-warning"
	case store.RoleAdmin:
		return "badge badge-primary"
	}
	return "badge"
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04")
}

func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
