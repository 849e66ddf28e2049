package store

import (
	"context"
	"errors"
	"helpline/authz"
	"slices"
	"testing"
)

func TestUpdateDepartment_NameUniqueInAnyCaseAndAudited(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	sales, _ := s.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "Sales"})
	support, _ := s.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "Support"})
	var ce ErrConflict
	if _, err := s.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "SALES"}); !errors.As(err, &ce) || ce.Field != "name" {
		t.Fatalf("duplicate name on create: %v", err)
	}
	if err := s.UpdateDepartment(ctx, o.ID, support, DepartmentInput{Name: "sales"}); !errors.As(err, &ce) {
		t.Fatalf("duplicate name on update: %v", err)
	}
	if err := s.UpdateDepartment(ctx, o.ID, sales, DepartmentInput{Name: "Sales EU", Description: "Europe"}); err != nil {
		t.Fatal(err)
	}
	d, _ := s.DepartmentByID(ctx, sales)
	if d.Name != "Sales EU" || d.Description != "Europe" {
		t.Fatalf("updated %+v", d)
	}
	if e := lastAudit(t, s); e.Action != ActionDepartmentUpdate || e.ActorID != o.ID || e.TargetID != sales {
		t.Fatalf("audit %+v", e)
	}
	if err := s.UpdateDepartment(ctx, o.ID, 999, DepartmentInput{Name: "X"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("update missing: %v", err)
	}
}

func TestRemoveDepartment_DropsMembershipsAndIsAudited(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	dep, _ := s.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "Sales"})
	if err := s.SetMember(ctx, o.ID, dep, o.ID, Channels{Tickets: true}); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveDepartment(ctx, o.ID, dep); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DepartmentByID(ctx, dep); !errors.Is(err, ErrNotFound) {
		t.Fatalf("department still there: %v", err)
	}
	if ids, _ := s.AgentDepartmentIDs(ctx, o.ID); slices.Contains(ids, dep) {
		t.Fatalf("membership kept: %v", ids)
	}
	if e := lastAudit(t, s); e.Action != ActionDepartmentRemove || e.Details != "Sales" {
		t.Fatalf("audit %+v", e)
	}
	if err := s.RemoveDepartment(ctx, o.ID, dep); !errors.Is(err, ErrNotFound) {
		t.Fatalf("remove twice: %v", err)
	}
}

func TestDepartmentMembers_SetReplaceAndRemove(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	a := addAgent(t, s, o.ID, "ann", authz.RoleAgent)
	b := addAgent(t, s, o.ID, "bob", authz.RoleAgent)
	dep, _ := s.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "Sales"})
	err := s.SetDepartmentMembers(ctx, o.ID, dep, map[int64]Channels{a.ID: {Tickets: true, Calls: true}, b.ID: {Chats: true}})
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := s.DepartmentMembers(ctx, dep)
	if len(ms) != 2 || ms[0].Name != "ann" || !ms[0].Calls || ms[0].Chats || !ms[1].Chats {
		t.Fatalf("members %+v", ms)
	}
	if err := s.SetDepartmentMembers(ctx, o.ID, dep, map[int64]Channels{a.ID: {Tickets: true}, 999: {}}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown agent: %v", err)
	}
	if ms2, _ := s.DepartmentMembers(ctx, dep); len(ms2) != 2 {
		t.Fatalf("refused change stored: %+v", ms2)
	}
	if err := s.RemoveMember(ctx, o.ID, dep, b.ID); err != nil {
		t.Fatal(err)
	}
	if counts, _ := s.DepartmentMemberCounts(ctx); counts[dep] != 1 {
		t.Fatalf("counts %v", counts)
	}
	if e := lastAudit(t, s); e.Action != ActionDepartmentMemberRemove || e.ActorID != o.ID {
		t.Fatalf("audit %+v", e)
	}
}

func TestSetAgentDepartments_KeepsChannelsOfKeptDepartments(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	a := addAgent(t, s, o.ID, "ann", authz.RoleAgent)
	sales, _ := s.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "Sales"})
	support, _ := s.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "Support"})
	s.SetMember(ctx, o.ID, sales, a.ID, Channels{Chats: true})
	if err := s.SetAgentDepartments(ctx, o.ID, a.ID, []int64{sales, support}); err != nil {
		t.Fatal(err)
	}
	ms, _ := s.DepartmentMembers(ctx, sales)
	if len(ms) != 1 || !ms[0].Chats || ms[0].Tickets {
		t.Fatalf("kept membership changed: %+v", ms)
	}
	if err := s.SetAgentDepartments(ctx, o.ID, a.ID, []int64{support}); err != nil {
		t.Fatal(err)
	}
	if ids, _ := s.AgentDepartmentIDs(ctx, a.ID); len(ids) != 1 || ids[0] != support {
		t.Fatalf("departments %v", ids)
	}
	if err := s.SetAgentDepartments(ctx, o.ID, a.ID, []int64{support, 4242}); !errors.Is(err, ErrUnknownDepartment) {
		t.Fatalf("unknown department: %v", err)
	}
	if ids, _ := s.AgentDepartmentIDs(ctx, a.ID); len(ids) != 1 {
		t.Fatalf("refused change stored: %v", ids)
	}
}

// The store refuses department changes by anyone but an active
// Administrator or Owner, whatever screen let the request through.
func TestDepartments_OnlyAdministratorsAndOwnersChangeThem(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	admin := w.admin.ID
	for name, as := range map[string]int64{"an Agent": w.ann.ID, "nobody": 0, "an unknown id": 9999} {
		checks := map[string]error{
			"create":       func() error { _, err := s.CreateDepartment(ctx, as, DepartmentInput{Name: "Shadow"}); return err }(),
			"update":       s.UpdateDepartment(ctx, as, w.sales, DepartmentInput{Name: "Renamed"}),
			"remove":       s.RemoveDepartment(ctx, as, w.support),
			"add member":   s.SetMember(ctx, as, w.support, w.ann.ID, Channels{Tickets: true}),
			"drop member":  s.RemoveMember(ctx, as, w.sales, w.ann.ID),
			"set members":  s.SetDepartmentMembers(ctx, as, w.sales, map[int64]Channels{}),
			"agent's list": s.SetAgentDepartments(ctx, as, w.bob.ID, []int64{w.sales}),
		}
		for what, err := range checks {
			if !IsRule(err, RuleNotPermitted) {
				t.Errorf("%s: %s answered %v, want RuleNotPermitted", name, what, err)
			}
		}
	}
	if d, _ := s.DepartmentByID(ctx, w.sales); d.Name != "Sales" {
		t.Fatalf("department renamed by a refused change: %q", d.Name)
	}
	if ids, _ := s.AgentDepartmentIDs(ctx, w.ann.ID); len(ids) != 1 || ids[0] != w.sales {
		t.Fatalf("Ann's departments after refused changes: %v", ids)
	}
	if err := s.UpdateDepartment(ctx, admin, w.sales, DepartmentInput{Name: "Sales EU"}); err != nil {
		t.Fatalf("an Administrator's change refused: %v", err)
	}
}
