package authz

import (
	"strings"
	"testing"
)

func TestCatalogue_NamesAreResourceActionAndUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, in := range Catalogue() {
		if res, act, ok := strings.Cut(in.Name, ":"); !ok || res == "" || act == "" {
			t.Errorf("permission %q is not resource:action", in.Name)
		}
		if seen[in.Name] {
			t.Errorf("permission %q twice", in.Name)
		}
		seen[in.Name] = true
		if in.DescID == "" || in.Group == "" {
			t.Errorf("%s has no description or group", in.Name)
		}
		if p, ok := ParsePerm(in.Name); !ok || p != in.Perm {
			t.Errorf("ParsePerm(%q) = %v, %v", in.Name, p, ok)
		}
	}
	if len(Catalogue()) != int(numPerms)-1 {
		t.Errorf("catalogue has %d entries, constants %d", len(Catalogue()), numPerms-1)
	}
}

func TestBuiltinRoles_NestAndOwnerOnlyStaysWithOwners(t *testing.T) {
	agent, admin, owner := BuiltinPerms(RoleAgent), BuiltinPerms(RoleAdmin), BuiltinPerms(RoleOwner)
	if !agent.Within(admin) || !admin.Within(owner) || agent == admin || admin == owner {
		t.Fatal("built-in roles do not nest Agent < Administrator < Owner")
	}
	for _, in := range Catalogue() {
		if in.OwnerOnly && admin.Has(in.Perm) {
			t.Errorf("Administrator holds Owner-only %s", in.Name)
		}
		if !owner.Has(in.Perm) {
			t.Errorf("Owner lacks %s", in.Name)
		}
	}
	if agent.Has(AgentsManage) || agent.Has(TicketsReadAll) {
		t.Error("Agent holds more than their own departments' tickets")
	}
}

func TestCustomPerms_StartFromAgentAndNeverReachAdministrator(t *testing.T) {
	all := SetOf(Catalogue()[0].Perm)
	for _, in := range Catalogue() {
		all = all.With(in.Perm)
	}
	got := CustomPerms(all)
	for _, p := range []Perm{OwnersManage, RolesManage, AgentsManageAdmins} {
		if got.Has(p) {
			t.Errorf("a custom role can hold %s", p)
		}
	}
	if !AgentBase().Within(CustomPerms(0)) {
		t.Error("a custom role with nothing ticked lacks the Agent's permissions")
	}
	if MayManage(got, BuiltinPerms(RoleAdmin)) || MayManage(got, BuiltinPerms(RoleOwner)) {
		t.Error("the widest custom role manages an Administrator or Owner")
	}
	if MayGrant(got, BuiltinPerms(RoleAdmin)) || MayGrant(got, BuiltinPerms(RoleOwner)) {
		t.Error("the widest custom role grants Administrator or Owner")
	}
	if !MayManage(got, BuiltinPerms(RoleAgent)) || !MayGrant(got, BuiltinPerms(RoleAgent)) {
		t.Error("the widest custom role cannot manage or grant Agent")
	}
}

func TestMayManage_NobodyManagesSomeoneHoldingMore(t *testing.T) {
	lead := CustomPerms(SetOf(AgentsManage, AgentsRole))
	wider := CustomPerms(SetOf(AgentsManage, AgentsRole, TicketsReadAll))
	admin, owner := BuiltinPerms(RoleAdmin), BuiltinPerms(RoleOwner)
	cases := []struct {
		name          string
		actor, target Set
		want          bool
	}{
		{"admin manages admin", admin, admin, true},
		{"admin manages custom", admin, wider, true},
		{"admin does not manage owner", admin, owner, false},
		{"owner manages owner", owner, owner, true},
		{"lead manages agent", lead, BuiltinPerms(RoleAgent), true},
		{"lead manages lead", lead, lead, true},
		{"lead does not manage a wider custom role", lead, wider, false},
		{"agent manages nobody", BuiltinPerms(RoleAgent), BuiltinPerms(RoleAgent), false},
	}
	for _, c := range cases {
		if got := MayManage(c.actor, c.target); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if MayGrant(CustomPerms(SetOf(AgentsManage)), BuiltinPerms(RoleAgent)) {
		t.Error("granting a role without agents:change_role")
	}
}

func TestSet_StoredFormRoundTripsAndForgetsUnknownNames(t *testing.T) {
	s := SetOf(TicketsRead, AgentsManage, RolesRead)
	if got := ParseSet(s.String()); got != s {
		t.Fatalf("round trip %q -> %v", s.String(), got)
	}
	if got := ParseSet("tickets:read,unknown:perm, nonsense"); got != SetOf(TicketsRead) {
		t.Fatalf("unknown names kept: %v", got)
	}
}

func TestRole_CustomKeys(t *testing.T) {
	r := CustomRoleKey(42)
	if r.CustomID() != 42 || r.Builtin() || !r.Valid() {
		t.Fatalf("custom key %q", r)
	}
	for _, bad := range []Role{"", "root", "custom:", "custom:0", "custom:-3", "custom:x"} {
		if bad.Valid() {
			t.Errorf("%q is valid", bad)
		}
	}
}
