package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"helpline/authz"
)

func TestAPIToken_KeptHashedOpensAsItsAgentUntilRevoked(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	owner := signUpOwner(t, s)
	tok, secret, err := s.CreateAPIToken(ctx, owner.ID, "CRM", time.Time{}, "198.51.100.7")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, APITokenPrefix) || len(secret) < 40 || !strings.HasPrefix(secret, tok.Prefix) {
		t.Fatalf("secret %q prefix %q", secret, tok.Prefix)
	}
	var stored []byte
	if err := s.r.QueryRow(`SELECT token_hash FROM api_tokens WHERE id = ?`, tok.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(stored), secret) || string(stored) != string(HashToken(secret)) {
		t.Fatal("the table must keep the SHA-256 of the secret, never the secret")
	}
	got, a, err := s.AuthenticateAPIToken(ctx, secret)
	if err != nil || a.ID != owner.ID || got.ID != tok.ID || got.LastUsedAt.IsZero() {
		t.Fatalf("authenticate: %+v %+v %v", got, a, err)
	}
	if _, _, err := s.AuthenticateAPIToken(ctx, secret+"x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a wrong secret: %v", err)
	}
	list, err := s.APITokens(ctx, owner.ID)
	if err != nil || len(list) != 1 || list[0].LastUsedAt.IsZero() {
		t.Fatalf("list %+v, %v", list, err)
	}
	if _, err := s.RevokeAPIToken(ctx, authz.Viewer{ID: owner.ID, Perms: owner.Perms}, tok.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AuthenticateAPIToken(ctx, secret); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a revoked token still opens the API: %v", err)
	}
}

func TestAPIToken_ExpiresAtItsTime(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	owner := signUpOwner(t, s)
	now := time.Now().Truncate(time.Millisecond)
	s.SetClock(func() time.Time { return now })
	_, secret, err := s.CreateAPIToken(ctx, owner.ID, "Monitoring", now.Add(30*24*time.Hour), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AuthenticateAPIToken(ctx, secret); err != nil {
		t.Fatalf("a token within its time: %v", err)
	}
	s.SetClock(func() time.Time { return now.Add(30 * 24 * time.Hour) })
	if _, _, err := s.AuthenticateAPIToken(ctx, secret); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an expired token: %v, want ErrNotFound", err)
	}
}

func TestAPIToken_AgentsRevokeOnlyTheirOwnAdministratorsEveryones(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	owner := signUpOwner(t, s)
	admin := addAgent(t, s, owner.ID, "Adam Admin", authz.RoleAdmin)
	agent := addAgent(t, s, owner.ID, "Alice Agent", authz.RoleAgent)
	ownersTok, _, _ := s.CreateAPIToken(ctx, owner.ID, "Owner's", time.Time{}, "")
	agentsTok, agentSecret, _ := s.CreateAPIToken(ctx, agent.ID, "Alice's", time.Time{}, "")

	viewer := func(a Agent) authz.Viewer { return authz.Viewer{ID: a.ID, Perms: a.Perms} }
	if _, err := s.RevokeAPIToken(ctx, viewer(agent), ownersTok.ID, ""); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an agent revoking another's token: %v, want ErrNotFound", err)
	}
	if _, err := s.AllAPITokens(ctx, viewer(agent)); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("an agent listing every token: %v", err)
	}
	all, err := s.AllAPITokens(ctx, viewer(admin))
	if err != nil || len(all) != 2 {
		t.Fatalf("an administrator sees every token: %+v, %v", all, err)
	}
	if _, err := s.RevokeAPIToken(ctx, viewer(admin), agentsTok.ID, "203.0.113.9"); err != nil {
		t.Fatalf("an administrator revoking an agent's token: %v", err)
	}
	if _, _, err := s.AuthenticateAPIToken(ctx, agentSecret); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoked by an administrator, still opens: %v", err)
	}
	log, err := s.AuditLog(ctx, 0, 1)
	if err != nil || len(log) != 1 || log[0].Action != ActionAPITokenRevoke || log[0].ActorID != admin.ID {
		t.Fatalf("audit %+v, %v", log, err)
	}
}

func TestAPIToken_DisabledOrRemovedAgentsTokenStopsAndRoleChangeCountsAtOnce(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	owner := signUpOwner(t, s)
	admin := addAgent(t, s, owner.ID, "Adam Admin", authz.RoleAdmin)
	_, secret, _ := s.CreateAPIToken(ctx, admin.ID, "Script", time.Time{}, "")
	if err := s.ChangeRole(ctx, owner.ID, admin.ID, authz.RoleAgent, ""); err != nil {
		t.Fatal(err)
	}
	_, a, err := s.AuthenticateAPIToken(ctx, secret)
	if err != nil || a.Perms.Has(authz.AgentsManage) {
		t.Fatalf("after the role change the token must act as an Agent: %v %v", a.Perms, err)
	}
	if err := s.SetAgentStatus(ctx, owner.ID, admin.ID, StatusDisabled, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AuthenticateAPIToken(ctx, secret); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a disabled agent's token: %v", err)
	}
	if err := s.SetAgentStatus(ctx, owner.ID, admin.ID, StatusActive, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveAgent(ctx, owner.ID, admin.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AuthenticateAPIToken(ctx, secret); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a removed agent's token: %v", err)
	}
}
