package web

import (
	"strings"

	"helpline/authz"
)

// access is what a route asks of the user: nothing (Public), or one of a
// few permissions of the authz table. The zero value asks nothing and is
// refused at start-up, so every route states what it needs.
type access struct {
	public bool
	anyOf  []authz.Perm
}

// Public marks a route anyone may open, signed in or not. It is a value a
// route must state; no route is public by default.
var Public = access{public: true}

// need is a route that asks for p (or, given several, any one of them).
func need(p ...authz.Perm) access { return access{anyOf: p} }

func (a access) declared() bool { return a.public || len(a.anyOf) > 0 }

// allows reports whether a user holding perms may pass.
func (a access) allows(perms authz.Set) bool {
	if a.public {
		return true
	}
	for _, p := range a.anyOf {
		if perms.Has(p) {
			return true
		}
	}
	return false
}

func (a access) String() string {
	if a.public {
		return "public"
	}
	names := make([]string, len(a.anyOf))
	for i, p := range a.anyOf {
		names[i] = p.String()
	}
	return strings.Join(names, " or ")
}
