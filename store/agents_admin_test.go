package store

import (
	"context"
	"errors"
	"fmt"
	"helpline/authz"
	"sync"
	"testing"
	"time"
)

// addAgent creates an agent through the rules (as actor) and gives them a
// password through their link; it returns the agent.
func addAgent(t *testing.T, s *Store, actorID int64, name string, role authz.Role) Agent {
	t.Helper()
	ctx := context.Background()
	email := fmt.Sprintf("%s@example.com", name)
	a, token, err := s.CreateAgent(ctx, actorID, AgentInput{Name: name, Email: email, Role: role, Status: StatusActive}, "")
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	if _, err := s.SetPasswordWithLink(ctx, token, testHash, ""); err != nil {
		t.Fatalf("set password of %s: %v", name, err)
	}
	return a
}

func lastAudit(t *testing.T, s *Store) AuditEntry {
	t.Helper()
	log, err := s.AuditLog(context.Background(), 0, 1)
	if err != nil || len(log) == 0 {
		t.Fatalf("audit log: %v (%d entries)", err, len(log))
	}
	return log[0]
}

func mustAgent(t *testing.T, s *Store, id int64) Agent {
	t.Helper()
	a, err := s.AgentByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func liveSession(t *testing.T, s *Store, token string, agentID int64) {
	t.Helper()
	if err := s.CreateSession(context.Background(), token, agentID, false, "", ""); err != nil {
		t.Fatal(err)
	}
}

func wantEnded(t *testing.T, s *Store, token string, want EndReason) {
	t.Helper()
	se, err := s.SessionByToken(context.Background(), token)
	if err != nil || se.EndedReason != want {
		t.Fatalf("session %s: reason %q (%v), want %q", token, se.EndedReason, err, want)
	}
}

func countAudit(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	s.r.QueryRow(`SELECT count(*) FROM audit_log`).Scan(&n)
	return n
}

func TestCreateAgent_StoresAgentWithDepartmentsAndAuditsActor(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	dep, err := s.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "Sales"})
	if err != nil {
		t.Fatal(err)
	}
	a, token, err := s.CreateAgent(ctx, o.ID, AgentInput{Name: "Ann", Email: " Ann@Example.com ", Alias: "A", Gender: "female",
		Role: authz.RoleAdmin, Status: StatusActive, DepartmentIDs: []int64{dep}}, "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if a.Email != "ann@example.com" || a.Role != authz.RoleAdmin || a.Gender != "female" || a.PasswordHash != "" || token == "" {
		t.Fatalf("created %+v, token %q", a, token)
	}
	if ids, _ := s.AgentDepartmentIDs(ctx, a.ID); len(ids) != 1 || ids[0] != dep {
		t.Fatalf("departments %v, want [%d]", ids, dep)
	}
	if e := lastAudit(t, s); e.Action != ActionAgentCreate || e.ActorID != o.ID || e.TargetID != a.ID || e.IP != "10.0.0.1" {
		t.Fatalf("audit %+v", e)
	}
}

func TestCreateAgent_DuplicateEmailInOtherCaseConflicts(t *testing.T) {
	s := newTestStore(t)
	o := signUpOwner(t, s)
	before := countAudit(t, s)
	_, _, err := s.CreateAgent(context.Background(), o.ID, AgentInput{Name: "X", Email: "OWNER@example.COM", Role: authz.RoleAgent}, "")
	var ce ErrConflict
	if !errors.As(err, &ce) || ce.Field != "email" {
		t.Fatalf("duplicate email: %v, want ErrConflict{email}", err)
	}
	if countAudit(t, s) != before {
		t.Fatal("refused create wrote an audit entry")
	}
}

func TestCreateAgent_UnknownDepartmentStoresNothing(t *testing.T) {
	s := newTestStore(t)
	o := signUpOwner(t, s)
	_, _, err := s.CreateAgent(context.Background(), o.ID, AgentInput{Name: "X", Email: "x@example.com", Role: authz.RoleAgent, DepartmentIDs: []int64{99}}, "")
	if !errors.Is(err, ErrUnknownDepartment) {
		t.Fatalf("unknown department: %v", err)
	}
	if _, err := s.AgentByEmail(context.Background(), "x@example.com"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("agent stored despite refusal: %v", err)
	}
}

func TestCreateAgent_OnlyOwnerGrantsOwnerAndAgentsCreateNobody(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	admin := addAgent(t, s, o.ID, "adam", authz.RoleAdmin)
	agent := addAgent(t, s, o.ID, "alice", authz.RoleAgent)
	if _, _, err := s.CreateAgent(ctx, admin.ID, AgentInput{Name: "O2", Email: "o2@example.com", Role: authz.RoleOwner}, ""); !IsRule(err, RuleOwnerOnly) {
		t.Fatalf("admin grants owner: %v, want RuleOwnerOnly", err)
	}
	if _, _, err := s.CreateAgent(ctx, agent.ID, AgentInput{Name: "A2", Email: "a2@example.com", Role: authz.RoleAgent}, ""); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("agent creates agent: %v, want RuleNotPermitted", err)
	}
	if _, _, err := s.CreateAgent(ctx, admin.ID, AgentInput{Name: "A3", Email: "a3@example.com", Role: authz.RoleAdmin}, ""); err != nil {
		t.Fatalf("admin creates admin: %v", err)
	}
}

func TestPasswordLink_WorksOnceAndNotAfter72Hours(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	now := time.Now()
	s.SetClock(func() time.Time { return now })
	a, token, err := s.CreateAgent(ctx, o.ID, AgentInput{Name: "Ann", Email: "ann@example.com", Role: authz.RoleAgent}, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.PasswordLinkAgent(ctx, token); err != nil || got.ID != a.ID {
		t.Fatalf("fresh link: %+v, %v", got, err)
	}
	got, err := s.SetPasswordWithLink(ctx, token, testHash, "")
	if err != nil || got.ID != a.ID || mustAgent(t, s, a.ID).PasswordHash != testHash {
		t.Fatalf("use link: %v", err)
	}
	if _, err := s.SetPasswordWithLink(ctx, token, "other", ""); !errors.Is(err, ErrLinkInvalid) {
		t.Fatalf("second use: %v, want ErrLinkInvalid", err)
	}
	if mustAgent(t, s, a.ID).PasswordHash != testHash {
		t.Fatal("second use changed the password")
	}

	b, token2, err := s.CreateAgent(ctx, o.ID, AgentInput{Name: "Bob", Email: "bob@example.com", Role: authz.RoleAgent}, "")
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(PasswordLinkValid - time.Minute)
	if _, err := s.PasswordLinkAgent(ctx, token2); err != nil {
		t.Fatalf("link just before 72 h: %v", err)
	}
	now = now.Add(2 * time.Minute)
	if _, err := s.PasswordLinkAgent(ctx, token2); !errors.Is(err, ErrLinkInvalid) {
		t.Fatalf("link after 72 h: %v, want ErrLinkInvalid", err)
	}
	if _, err := s.SetPasswordWithLink(ctx, token2, testHash, ""); !errors.Is(err, ErrLinkInvalid) || mustAgent(t, s, b.ID).PasswordHash != "" {
		t.Fatalf("expired link set a password: %v", err)
	}
}

func TestChangeRole_EndsTheirSessionsAndAuditsActor(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	a := addAgent(t, s, o.ID, "ann", authz.RoleAdmin)
	liveSession(t, s, "ann-1", a.ID)
	liveSession(t, s, "ann-2", a.ID)
	liveSession(t, s, "owner", o.ID)
	if err := s.ChangeRole(ctx, o.ID, a.ID, authz.RoleAgent, ""); err != nil {
		t.Fatal(err)
	}
	if mustAgent(t, s, a.ID).Role != authz.RoleAgent {
		t.Fatal("role not changed")
	}
	wantEnded(t, s, "ann-1", EndRoleChanged)
	wantEnded(t, s, "ann-2", EndRoleChanged)
	wantEnded(t, s, "owner", "")
	if e := lastAudit(t, s); e.Action != ActionAgentRole || e.ActorID != o.ID || e.TargetID != a.ID {
		t.Fatalf("audit %+v", e)
	}
}

func TestChangeRole_NobodyChangesOwnRole(t *testing.T) {
	s := newTestStore(t)
	o := signUpOwner(t, s)
	admin := addAgent(t, s, o.ID, "adam", authz.RoleAdmin)
	if err := s.ChangeRole(context.Background(), admin.ID, admin.ID, authz.RoleAgent, ""); !IsRule(err, RuleSelfChange) {
		t.Fatalf("self demotion: %v, want RuleSelfChange", err)
	}
	if mustAgent(t, s, admin.ID).Role != authz.RoleAdmin {
		t.Fatal("role changed")
	}
}

func TestChangeRole_AdminCannotGrantOwnerOrTouchOwner(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	o2 := addAgent(t, s, o.ID, "otto", authz.RoleOwner)
	admin := addAgent(t, s, o.ID, "adam", authz.RoleAdmin)
	agent := addAgent(t, s, o.ID, "alice", authz.RoleAgent)
	if err := s.ChangeRole(ctx, admin.ID, agent.ID, authz.RoleOwner, ""); !IsRule(err, RuleOwnerOnly) {
		t.Fatalf("admin grants owner: %v", err)
	}
	if err := s.ChangeRole(ctx, admin.ID, o2.ID, authz.RoleAgent, ""); !IsRule(err, RuleOwnerOnly) {
		t.Fatalf("admin demotes owner: %v", err)
	}
	if err := s.ChangeRole(ctx, agent.ID, admin.ID, authz.RoleAgent, ""); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("agent demotes admin: %v", err)
	}
	if mustAgent(t, s, agent.ID).Role != authz.RoleAgent || mustAgent(t, s, o2.ID).Role != authz.RoleOwner || mustAgent(t, s, admin.ID).Role != authz.RoleAdmin {
		t.Fatal("a refused change was stored")
	}
	// Administrators do manage Agents and Administrators.
	if err := s.ChangeRole(ctx, admin.ID, agent.ID, authz.RoleAdmin, ""); err != nil {
		t.Fatalf("admin promotes agent: %v", err)
	}
	// An Owner demotes another Owner.
	if err := s.ChangeRole(ctx, o.ID, o2.ID, authz.RoleAdmin, ""); err != nil {
		t.Fatalf("owner demotes owner: %v", err)
	}
}

func TestChangeRole_AccountCreatorCannotBeDemotedUntilMarkMoves(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	o2 := addAgent(t, s, o.ID, "otto", authz.RoleOwner)
	if err := s.ChangeRole(ctx, o2.ID, o.ID, authz.RoleAdmin, ""); !IsRule(err, RuleAccountCreator) {
		t.Fatalf("demote creator: %v, want RuleAccountCreator", err)
	}
	if err := s.SetAgentStatus(ctx, o2.ID, o.ID, StatusDisabled, ""); !IsRule(err, RuleAccountCreator) {
		t.Fatalf("disable creator: %v, want RuleAccountCreator", err)
	}
	if err := s.RemoveAgent(ctx, o2.ID, o.ID, ""); !IsRule(err, RuleAccountCreator) {
		t.Fatalf("remove creator: %v, want RuleAccountCreator", err)
	}
	if err := s.MakeAccountCreator(ctx, o.ID, o2.ID, ""); err != nil {
		t.Fatal(err)
	}
	if !mustAgent(t, s, o2.ID).IsCreator || mustAgent(t, s, o.ID).IsCreator {
		t.Fatal("mark did not move in one step")
	}
	if e := lastAudit(t, s); e.Action != ActionAccountCreator || e.ActorID != o.ID {
		t.Fatalf("audit %+v", e)
	}
	if err := s.ChangeRole(ctx, o2.ID, o.ID, authz.RoleAdmin, ""); err != nil {
		t.Fatalf("demote former creator: %v", err)
	}
}

func TestMakeAccountCreator_OnlyTheCreatorHandsItToAnActiveOwner(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	o2 := addAgent(t, s, o.ID, "otto", authz.RoleOwner)
	o3 := addAgent(t, s, o.ID, "oona", authz.RoleOwner)
	admin := addAgent(t, s, o.ID, "adam", authz.RoleAdmin)
	if err := s.MakeAccountCreator(ctx, o2.ID, o3.ID, ""); !IsRule(err, RuleCreatorOnly) {
		t.Fatalf("non-creator owner moves mark: %v", err)
	}
	if err := s.MakeAccountCreator(ctx, admin.ID, admin.ID, ""); !IsRule(err, RuleOwnerOnly) {
		t.Fatalf("admin takes mark: %v", err)
	}
	if err := s.MakeAccountCreator(ctx, o.ID, admin.ID, ""); !IsRule(err, RuleCreatorNotOwner) {
		t.Fatalf("mark to admin: %v", err)
	}
	if err := s.SetAgentStatus(ctx, o.ID, o3.ID, StatusDisabled, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.MakeAccountCreator(ctx, o.ID, o3.ID, ""); !IsRule(err, RuleCreatorNotOwner) {
		t.Fatalf("mark to disabled owner: %v", err)
	}
	if acc, _ := s.Account(ctx); acc.CreatorID != o.ID {
		t.Fatalf("creator is %d after refusals", acc.CreatorID)
	}
}

func TestSetAgentStatus_DisableEndsSessionsAndNobodyDisablesThemselves(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	admin := addAgent(t, s, o.ID, "adam", authz.RoleAdmin)
	agent := addAgent(t, s, o.ID, "alice", authz.RoleAgent)
	liveSession(t, s, "alice", agent.ID)
	if err := s.SetAgentStatus(ctx, admin.ID, admin.ID, StatusDisabled, ""); !IsRule(err, RuleSelfChange) {
		t.Fatalf("self disable: %v", err)
	}
	if err := s.SetAgentStatus(ctx, admin.ID, o.ID, StatusDisabled, ""); !IsRule(err, RuleOwnerOnly) {
		t.Fatalf("admin disables owner: %v", err)
	}
	if err := s.SetAgentStatus(ctx, admin.ID, agent.ID, StatusDisabled, ""); err != nil {
		t.Fatal(err)
	}
	wantEnded(t, s, "alice", EndDisabled)
	if e := lastAudit(t, s); e.Action != ActionAgentDisable || e.ActorID != admin.ID {
		t.Fatalf("audit %+v", e)
	}
	if err := s.SetAgentStatus(ctx, admin.ID, agent.ID, StatusActive, ""); err != nil || mustAgent(t, s, agent.ID).Status != StatusActive {
		t.Fatalf("enable: %v", err)
	}
}

func TestRemoveAgent_KeepsHistoryFreesEmailEndsSessions(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	dep, _ := s.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "Sales"})
	a, _, err := s.CreateAgent(ctx, o.ID, AgentInput{Name: "Ann", Email: "ann@example.com", Role: authz.RoleAgent, DepartmentIDs: []int64{dep}}, "")
	if err != nil {
		t.Fatal(err)
	}
	s.RecordAudit(ctx, AuditEntry{ActorID: a.ID, Action: "test.before_removal"})
	liveSession(t, s, "ann", a.ID)
	if err := s.RemoveAgent(ctx, o.ID, a.ID, ""); err != nil {
		t.Fatal(err)
	}
	wantEnded(t, s, "ann", EndRemoved)
	got := mustAgent(t, s, a.ID)
	if !got.Removed || got.DisplayName() != "Ann (removed)" {
		t.Fatalf("removed agent %+v shows as %q", got, got.DisplayName())
	}
	if _, err := s.AgentByEmail(ctx, "ann@example.com"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("removed agent still signs in by email: %v", err)
	}
	log, _ := s.AuditLog(ctx, 0, 10)
	if log[0].Action != ActionAgentRemove || log[0].ActorID != o.ID {
		t.Fatalf("audit %+v", log[0])
	}
	if log[1].ActorName != "Ann (removed)" {
		t.Fatalf("history shows actor %q, want %q", log[1].ActorName, "Ann (removed)")
	}
	if page, _ := s.ListAgents(ctx, AgentFilter{}); len(page.Agents) != 1 {
		t.Fatalf("agents table lists %d agents, want only the owner", len(page.Agents))
	}
	if ms, _ := s.DepartmentMembers(ctx, dep); len(ms) != 0 {
		t.Fatalf("removed agent still a member: %+v", ms)
	}
	again, _, err := s.CreateAgent(ctx, o.ID, AgentInput{Name: "Ann 2", Email: "ANN@example.com", Role: authz.RoleAgent}, "")
	if err != nil || again.ID == a.ID {
		t.Fatalf("reuse email: %v", err)
	}
	if err := s.RemoveAgent(ctx, o.ID, a.ID, ""); !errors.Is(err, ErrNotFound) {
		t.Fatalf("remove twice: %v, want ErrNotFound", err)
	}
}

func TestRemoveAgent_AdminCannotRemoveOwnerNorAnyoneThemselves(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	o2 := addAgent(t, s, o.ID, "otto", authz.RoleOwner)
	admin := addAgent(t, s, o.ID, "adam", authz.RoleAdmin)
	if err := s.RemoveAgent(ctx, admin.ID, o2.ID, ""); !IsRule(err, RuleOwnerOnly) {
		t.Fatalf("admin removes owner: %v", err)
	}
	if err := s.RemoveAgent(ctx, admin.ID, admin.ID, ""); !IsRule(err, RuleSelfChange) {
		t.Fatalf("admin removes self: %v", err)
	}
	if err := s.RemoveAgent(ctx, o2.ID, o2.ID, ""); !IsRule(err, RuleSelfChange) {
		t.Fatalf("owner removes self: %v", err)
	}
	if mustAgent(t, s, o2.ID).Removed || mustAgent(t, s, admin.ID).Removed {
		t.Fatal("a refused removal was stored")
	}
	if err := s.RemoveAgent(ctx, o.ID, o2.ID, ""); err != nil {
		t.Fatalf("owner removes owner: %v", err)
	}
}

func TestResetPassword_EndsSessionsOldPasswordAndOldLink(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	a, first, err := s.CreateAgent(ctx, o.ID, AgentInput{Name: "Ann", Email: "ann@example.com", Role: authz.RoleAgent}, "")
	if err != nil {
		t.Fatal(err)
	}
	liveSession(t, s, "ann", a.ID)
	token, err := s.ResetPassword(ctx, o.ID, a.ID, "")
	if err != nil || token == "" || token == first {
		t.Fatalf("reset: %q, %v", token, err)
	}
	wantEnded(t, s, "ann", EndPasswordReset)
	if _, err := s.PasswordLinkAgent(ctx, first); !errors.Is(err, ErrLinkInvalid) {
		t.Fatalf("earlier link after reset: %v", err)
	}
	if _, err := s.SetPasswordWithLink(ctx, token, testHash, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ResetPassword(ctx, o.ID, o.ID, ""); !IsRule(err, RuleSelfChange) {
		t.Fatalf("reset own password: %v", err)
	}
	admin := addAgent(t, s, o.ID, "adam", authz.RoleAdmin)
	if _, err := s.ResetPassword(ctx, admin.ID, o.ID, ""); !IsRule(err, RuleOwnerOnly) {
		t.Fatalf("admin resets owner: %v", err)
	}
	if e := lastAudit(t, s); e.Action == ActionAgentPasswordReset && e.TargetID == o.ID {
		t.Fatal("refused reset was audited")
	}
}

func TestUpdateAgent_AppliesTheSameRules(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	admin := addAgent(t, s, o.ID, "adam", authz.RoleAdmin)
	agent := addAgent(t, s, o.ID, "alice", authz.RoleAgent)
	liveSession(t, s, "alice", agent.ID)
	in := AgentInput{Name: "Alice B", Email: "ALICE.B@example.com", Gender: "other", Role: authz.RoleAgent, Status: StatusActive}
	if err := s.UpdateAgent(ctx, admin.ID, agent.ID, in, ""); err != nil {
		t.Fatal(err)
	}
	got := mustAgent(t, s, agent.ID)
	if got.Name != "Alice B" || got.Email != "alice.b@example.com" || got.Gender != "other" {
		t.Fatalf("updated %+v", got)
	}
	wantEnded(t, s, "alice", "") // details alone do not sign anyone out
	in.Role = authz.RoleOwner
	if err := s.UpdateAgent(ctx, admin.ID, agent.ID, in, ""); !IsRule(err, RuleOwnerOnly) {
		t.Fatalf("admin grants owner by edit: %v", err)
	}
	self := AgentInput{Name: "Adam", Email: "adam@example.com", Role: authz.RoleAgent, Status: StatusActive}
	if err := s.UpdateAgent(ctx, admin.ID, admin.ID, self, ""); !IsRule(err, RuleSelfChange) {
		t.Fatalf("self demotion by edit: %v", err)
	}
	in = AgentInput{Name: "Taken", Email: "Owner@Example.com", Role: authz.RoleAgent, Status: StatusActive}
	var ce ErrConflict
	if err := s.UpdateAgent(ctx, admin.ID, agent.ID, in, ""); !errors.As(err, &ce) {
		t.Fatalf("email taken: %v", err)
	}
	if mustAgent(t, s, agent.ID).Name != "Alice B" || mustAgent(t, s, admin.ID).Role != authz.RoleAdmin {
		t.Fatal("a refused edit was stored")
	}
	in = AgentInput{Name: "Alice B", Email: "alice.b@example.com", Role: authz.RoleAdmin, Status: StatusDisabled}
	if err := s.UpdateAgent(ctx, admin.ID, agent.ID, in, ""); err != nil {
		t.Fatal(err)
	}
	wantEnded(t, s, "alice", EndRoleChanged)
	if got := mustAgent(t, s, agent.ID); got.Role != authz.RoleAdmin || got.Status != StatusDisabled {
		t.Fatalf("after edit %+v", got)
	}
}

// TestChangeRole_ConcurrentDemotionsNeverLeaveZeroOwners races two Owners
// demoting each other through the real writer pool. The account creator is
// set aside directly in the database first, so only the checks inside the
// transactions stand between the race and an account without Owners.
func TestChangeRole_ConcurrentDemotionsNeverLeaveZeroOwners(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	p := addAgent(t, s, o.ID, "peter", authz.RoleOwner)
	q := addAgent(t, s, o.ID, "quinn", authz.RoleOwner)
	if _, err := s.w.Exec(`UPDATE agents SET role = 'agent', status = 'disabled' WHERE id = ?`, o.ID); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 30; round++ {
		if _, err := s.w.Exec(`UPDATE agents SET role = 'owner' WHERE id IN (?, ?)`, p.ID, q.ID); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for i, pair := range [][2]int64{{p.ID, q.ID}, {q.ID, p.ID}} {
			wg.Add(1)
			go func(i int, actor, target int64) {
				defer wg.Done()
				<-start
				errs[i] = s.ChangeRole(ctx, actor, target, authz.RoleAdmin, "")
			}(i, pair[0], pair[1])
		}
		close(start)
		wg.Wait()
		var owners int
		s.r.QueryRow(`SELECT count(*) FROM agents WHERE role = 'owner' AND status = 'active' AND removed_at IS NULL`).Scan(&owners)
		if owners != 1 {
			t.Fatalf("round %d: %d active owners (errors %v)", round, owners, errs)
		}
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if !IsRule(err, RuleNotPermitted) && !IsRule(err, RuleLastOwner) && !IsRule(err, RuleOwnerOnly) {
				t.Fatalf("round %d: unexpected error %v", round, err)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d demotions succeeded, want exactly 1 (%v)", round, ok, errs)
		}
	}
}

func TestListAgents_SearchesNameOrEmailAndPagesByKey(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	for _, n := range []string{"bob", "Carla", "alice", "dave", "Eve"} {
		addAgent(t, s, o.ID, n, authz.RoleAgent)
	}
	var names []string
	var after int64
	for pages := 0; ; pages++ {
		page, err := s.ListAgents(ctx, AgentFilter{AfterID: after, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Agents {
			names = append(names, a.Name)
		}
		if page.Next == 0 {
			break
		}
		after = page.Next
		if pages > 5 {
			t.Fatal("paging does not end")
		}
	}
	if got := fmt.Sprint(names); got != "[alice bob Carla dave Eve Olivia Owner]" {
		t.Fatalf("pages gave %s", got)
	}
	page, _ := s.ListAgents(ctx, AgentFilter{Search: "CAR"})
	if len(page.Agents) != 1 || page.Agents[0].Name != "Carla" {
		t.Fatalf("search by name: %+v", page.Agents)
	}
	page, _ = s.ListAgents(ctx, AgentFilter{Search: "owner@"})
	if len(page.Agents) != 1 || page.Agents[0].ID != o.ID {
		t.Fatalf("search by email: %+v", page.Agents)
	}
	page, _ = s.ListAgents(ctx, AgentFilter{Search: "%"})
	if len(page.Agents) != 0 {
		t.Fatalf("a %% search matches everything: %d", len(page.Agents))
	}
}
