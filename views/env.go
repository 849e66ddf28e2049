package views

import (
	"context"
	"time"

	"helpline/authz"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// Env carries the values every page needs: who is signed in, the CSRF
// token, the language, the navigation, flash messages and asset URLs. The web
// layer puts one in the request context; components read it with the small
// helpers below.
type Env struct {
	User      *CurrentUser
	CSRFToken string
	Lang      string
	Localizer *i18n.Localizer
	Nav       []NavItem
	Flashes   []Flash
	Asset     func(name string) string
	Path      string
	Company   string
	// Zone is the desk's time zone: every time is shown in it.
	Zone *time.Location
	// ReadOnly: the account has ended and the desk takes no changes.
	ReadOnly bool
	// Unread counts the signed-in agent's unread notifications for the
	// top bar, asked only when a whole page is drawn.
	Unread func() int
}

// CurrentUser is the signed-in agent as the views see it.
type CurrentUser struct {
	ID    int64
	Name  string
	Email string
	Role  authz.Role
	Perms authz.Set
}

// NavItem is one entry of the top navigation.
type NavItem struct {
	LabelID string
	Path    string
}

// FlashKind is the tone of a flash message.
type FlashKind string

const (
	FlashSuccess FlashKind = "success"
	FlashError   FlashKind = "error"
	FlashInfo    FlashKind = "info"
)

// Flash is a short message shown once at the top of the page.
type Flash struct {
	Kind FlashKind
	Text string
}

type envKey struct{}

// WithEnv returns ctx carrying env.
func WithEnv(ctx context.Context, env *Env) context.Context {
	return context.WithValue(ctx, envKey{}, env)
}

var emptyEnv = &Env{Lang: "en", Asset: func(n string) string { return "/static/" + n }}

func envOf(ctx context.Context) *Env {
	if e, ok := ctx.Value(envKey{}).(*Env); ok && e != nil {
		return e
	}
	return emptyEnv
}

// EnvOf returns the request's Env (an empty one outside a request).
func EnvOf(ctx context.Context) *Env { return envOf(ctx) }

// User returns the signed-in agent, or nil.
func User(ctx context.Context) *CurrentUser { return envOf(ctx).User }

// CSRF returns the token forms and htmx requests must send back.
func CSRF(ctx context.Context) string { return envOf(ctx).CSRFToken }

// Lang returns the page language code.
func Lang(ctx context.Context) string { return envOf(ctx).Lang }

// Company returns the name of the company using the desk ("" before
// sign-up).
func Company(ctx context.Context) string { return envOf(ctx).Company }

// Zone returns the desk's time zone (UTC outside a request).
func Zone(ctx context.Context) *time.Location {
	if z := envOf(ctx).Zone; z != nil {
		return z
	}
	return time.UTC
}

// Asset returns the content-hashed URL of a static file.
func Asset(ctx context.Context, name string) string { return envOf(ctx).Asset(name) }

func csrfHeaders(ctx context.Context) string {
	return `{"X-CSRF-Token":"` + CSRF(ctx) + `"}`
}

func isActive(ctx context.Context, path string) bool {
	p := envOf(ctx).Path
	return p == path || (len(p) > len(path) && p[:len(path)] == path && p[len(path)] == '/')
}

func initial(name string) string {
	for _, r := range name {
		return string(r)
	}
	return "?"
}

// avatarClass picks one of eight avatar colours from the name, so a person
// keeps their colour everywhere.
func avatarClass(name string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(name); i++ {
		h = (h ^ uint32(name[i])) * 16777619
	}
	return "avatar-" + string(rune('0'+h%8))
}
