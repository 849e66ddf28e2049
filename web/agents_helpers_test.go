package web

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"

	"helpline/authz"
	"helpline/store"
)

var (
	testHashOnce sync.Once
	testHash     string
)

// passwordHash is testPassword hashed once for the whole package.
func passwordHash(t testing.TB) string {
	testHashOnce.Do(func() {
		h, err := store.HashPassword(testPassword)
		if err != nil {
			t.Fatal(err)
		}
		testHash = h
	})
	return testHash
}

// addAgent creates an agent through the store's rules as actorID and sets
// their password to testPassword through their one-time link. The email is
// the lower-cased name without spaces @example.com.
func (a *testApp) addAgent(actorID int64, name string, role authz.Role) store.Agent {
	a.t.Helper()
	ctx := context.Background()
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com"
	ag, token, err := a.st.CreateAgent(ctx, actorID, store.AgentInput{Name: name, Email: email, Role: role, Status: store.StatusActive}, "")
	if err != nil {
		a.t.Fatalf("create %s: %v", name, err)
	}
	if _, err := a.st.SetPasswordWithLink(ctx, token, passwordHash(a.t), ""); err != nil {
		a.t.Fatalf("password of %s: %v", name, err)
	}
	return ag
}

// team is an account with one agent of each role beside the creator.
type team struct {
	creator, owner, admin, agent store.Agent
}

func (a *testApp) team() team {
	a.t.Helper()
	tm := team{creator: a.owner()}
	tm.owner = a.addAgent(tm.creator.ID, "Otto Owner", authz.RoleOwner)
	tm.admin = a.addAgent(tm.creator.ID, "Adam Admin", authz.RoleAdmin)
	tm.agent = a.addAgent(tm.creator.ID, "Alice Agent", authz.RoleAgent)
	return tm
}

func (tm team) of(r authz.Role) store.Agent {
	switch r {
	case authz.RoleOwner:
		return tm.owner
	case authz.RoleAdmin:
		return tm.admin
	}
	return tm.agent
}

// signedIn returns a client signed in as agent.
func (a *testApp) signedIn(agent store.Agent) *client {
	a.t.Helper()
	c := a.client()
	c.signIn(agent.Email, testPassword)
	return c
}

func strconvFormat(id int64) string { return strconv.FormatInt(id, 10) }
