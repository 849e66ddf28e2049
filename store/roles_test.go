package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"helpline/authz"
)

// addRole creates a custom role as the Owner ownerID.
func addRole(t *testing.T, s *Store, ownerID int64, name string, perms ...authz.Perm) authz.Role {
	t.Helper()
	r, err := s.CreateCustomRole(context.Background(), ownerID, CustomRoleInput{Name: name, Perms: authz.SetOf(perms...)}, "")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCustomRole_NameUniqueInAnyLetterCaseAndOnlyOwnersManageRoles(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	admin := addAgent(t, s, o.ID, "adam", authz.RoleAdmin)
	addRole(t, s, o.ID, "Łącznik")
	for _, name := range []string{"łącznik", "ŁĄCZNIK", " Łącznik "} {
		_, err := s.CreateCustomRole(ctx, o.ID, CustomRoleInput{Name: name}, "")
		var ce ErrConflict
		if !errors.As(err, &ce) || ce.Field != "name" {
			t.Errorf("second role %q: %v, want a name conflict", name, err)
		}
	}
	before := countAudit(t, s)
	if _, err := s.CreateCustomRole(ctx, admin.ID, CustomRoleInput{Name: "Other"}, ""); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("administrator creates a role: %v", err)
	}
	if roles, _ := s.Roles(ctx); len(roles) != 4 || countAudit(t, s) != before {
		t.Fatalf("refused creation stored something: %d roles", len(roles))
	}
}

func TestCustomRole_KeepsAgentPermissionsAndNeverOwnerOnlyOnes(t *testing.T) {
	s := newTestStore(t)
	o := signUpOwner(t, s)
	r := addRole(t, s, o.ID, "Wide", authz.OwnersManage, authz.RolesManage, authz.AgentsManageAdmins, authz.TicketsReadAll)
	got, err := s.CustomRole(context.Background(), r.CustomID())
	if err != nil {
		t.Fatal(err)
	}
	want := authz.AgentBase().With(authz.TicketsReadAll)
	if got.Perms != want {
		t.Fatalf("stored %s, want %s", got.Perms, want)
	}
}

func TestCustomRole_HolderWithAgentManagementManagesOnlyAgentsAndCustomRoles(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	lead := addRole(t, s, o.ID, "Team lead", authz.AgentsManage, authz.AgentsRole, authz.AgentsPassword)
	wider := addRole(t, s, o.ID, "Supervisor", authz.AgentsManage, authz.AgentsRole, authz.TicketsReadAll)
	l := addAgent(t, s, o.ID, "lena", lead)
	agent := addAgent(t, s, o.ID, "pat", authz.RoleAgent)
	peer := addAgent(t, s, o.ID, "lee", lead)
	sup := addAgent(t, s, o.ID, "sue", wider)
	admin := addAgent(t, s, o.ID, "adam", authz.RoleAdmin)

	if err := s.ChangeRole(ctx, l.ID, agent.ID, lead, ""); err != nil {
		t.Fatalf("lead gives an Agent their own role: %v", err)
	}
	if err := s.ChangeRole(ctx, l.ID, agent.ID, authz.RoleAgent, ""); err != nil {
		t.Fatalf("lead gives back Agent: %v", err)
	}
	if _, err := s.ResetPassword(ctx, l.ID, peer.ID, ""); err != nil {
		t.Fatalf("lead resets a peer's password: %v", err)
	}
	refusals := []struct {
		name string
		err  error
	}{
		{"grant Administrator", s.ChangeRole(ctx, l.ID, agent.ID, authz.RoleAdmin, "")},
		{"grant a role holding more", s.ChangeRole(ctx, l.ID, agent.ID, wider, "")},
		{"disable an Administrator", s.SetAgentStatus(ctx, l.ID, admin.ID, StatusDisabled, "")},
		{"remove the Owner", s.RemoveAgent(ctx, l.ID, o.ID, "")},
		{"remove a role holding more", s.RemoveAgent(ctx, l.ID, sup.ID, "")},
	}
	for _, r := range refusals {
		if !IsRule(r.err, RuleNotPermitted) && !IsRule(r.err, RuleOwnerOnly) {
			t.Errorf("%s: %v, want a refusal", r.name, r.err)
		}
	}
	_, _, err := s.CreateAgent(ctx, l.ID, AgentInput{Name: "New", Email: "new@example.com", Role: authz.RoleAdmin}, "")
	if !IsRule(err, RuleNotPermitted) {
		t.Errorf("lead creates an Administrator: %v", err)
	}
	if mustAgent(t, s, agent.ID).Role != authz.RoleAgent || mustAgent(t, s, admin.ID).Status != StatusActive || mustAgent(t, s, sup.ID).Removed {
		t.Fatal("a refused change was stored")
	}
}

func TestCustomRole_ChangingPermissionsEndsHoldersSessionsOnly(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	lead := addRole(t, s, o.ID, "Team lead", authz.AgentsManage)
	l := addAgent(t, s, o.ID, "lena", lead)
	other := addAgent(t, s, o.ID, "pat", authz.RoleAgent)
	for _, a := range []Agent{l, other} {
		if err := s.CreateSession(ctx, "tok-"+a.Name, a.ID, false, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	ended := func(name string) EndReason {
		se, err := s.SessionByToken(ctx, "tok-"+name)
		if err != nil {
			t.Fatal(err)
		}
		return se.EndedReason
	}
	// A rename alone keeps everyone signed in.
	if err := s.UpdateCustomRole(ctx, o.ID, lead.CustomID(), CustomRoleInput{Name: "Lead", Perms: authz.SetOf(authz.AgentsManage)}, ""); err != nil {
		t.Fatal(err)
	}
	if ended("lena") != "" {
		t.Fatal("renaming a role signed its holder out")
	}
	if err := s.UpdateCustomRole(ctx, o.ID, lead.CustomID(), CustomRoleInput{Name: "Lead"}, ""); err != nil {
		t.Fatal(err)
	}
	if ended("lena") != EndRoleChanged || ended("pat") != "" {
		t.Fatalf("after a permission change: lena %q, pat %q", ended("lena"), ended("pat"))
	}
	if mustAgent(t, s, l.ID).Perms.Has(authz.AgentsManage) {
		t.Fatal("the holder keeps the permission taken from the role")
	}
}

func TestCustomRole_RemovedOnlyWhenNoLiveAgentHoldsIt(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	r := addRole(t, s, o.ID, "Helper")
	a := addAgent(t, s, o.ID, "hal", r)
	if err := s.RemoveCustomRole(ctx, o.ID, r.CustomID(), ""); !IsRule(err, RuleRoleInUse) {
		t.Fatalf("remove a held role: %v", err)
	}
	if err := s.RemoveAgent(ctx, o.ID, a.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveCustomRole(ctx, o.ID, r.CustomID(), ""); err != nil {
		t.Fatalf("remove a role only a removed agent held: %v", err)
	}
	if got := mustAgent(t, s, a.ID); got.Role != authz.RoleAgent || got.DisplayName() != "hal (removed)" {
		t.Fatalf("removed holder after the role went: %+v", got)
	}
	if _, err := s.CustomRole(ctx, r.CustomID()); !errors.Is(err, ErrNotFound) {
		t.Fatalf("removed role still there: %v", err)
	}
}

func TestCustomRole_ScopeFollowsTicketsReadAll(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	sales, support := addDept(t, s, "Sales"), addDept(t, s, "Support")
	seeAll := addRole(t, s, o.ID, "Watcher", authz.TicketsReadAll)
	own := addRole(t, s, o.ID, "Helper")
	w := addMember(t, s, "Wanda", "wanda@example.com", seeAll, sales)
	h := addMember(t, s, "Hugo", "hugo@example.com", own, sales)
	code, err := s.CreateTicket(ctx, nil, NewTicketInput{Subject: "Printer", Body: "It jams", Channel: ChannelContactForm,
		DepartmentID: support, ContactName: "Carla", ContactEmail: "carla@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.TicketByCode(ctx, mustAgent(t, s, w.ID).Viewer(), code); err != nil {
		t.Errorf("custom role with tickets:read_all misses another department's ticket: %v", err)
	}
	if _, err := s.TicketByCode(ctx, mustAgent(t, s, h.ID).Viewer(), code); !errors.Is(err, ErrNotFound) {
		t.Errorf("custom role without tickets:read_all sees another department's ticket: %v", err)
	}
}

// TestCustomRole_EveryChangeIsAudited: who created, changed and removed a
// role, and what it held, is in the audit log.
func TestCustomRole_EveryChangeIsAudited(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	r := addRole(t, s, o.ID, "Helper", authz.AuditRead)
	if err := s.UpdateCustomRole(ctx, o.ID, r.CustomID(), CustomRoleInput{Name: "Aide", Perms: authz.SetOf(authz.RolesRead)}, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveCustomRole(ctx, o.ID, r.CustomID(), ""); err != nil {
		t.Fatal(err)
	}
	entries, err := s.AuditLog(ctx, 0, 3)
	if err != nil || len(entries) != 3 {
		t.Fatalf("audit log: %d entries, %v", len(entries), err)
	}
	want := []struct {
		action AuditAction
		detail string
	}{{ActionRoleRemove, "Aide"}, {ActionRoleUpdate, "roles:read"}, {ActionRoleCreate, "audit:read"}}
	for i, w := range want {
		e := entries[i]
		if e.Action != w.action || e.ActorID != o.ID || e.TargetID != r.CustomID() || !strings.Contains(e.Details, w.detail) {
			t.Errorf("entry %d: %+v, want %s by %d mentioning %q", i, e, w.action, o.ID, w.detail)
		}
	}
	if entries[1].IP != "192.0.2.1" {
		t.Errorf("the update's IP is %q", entries[1].IP)
	}
}
