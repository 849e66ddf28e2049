package store

import (
	"context"
	"helpline/authz"
	"testing"
)

// TestRemoveAgent_UnassignsOpenTicketsKeepsHistoryAndFreesEmail is SPEC §1
// rule 7 through the real removal, not only its parts.
func TestRemoveAgent_UnassignsOpenTicketsKeepsHistoryAndFreesEmail(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	code := contactTicket(t, s, w.sales, "Refund please", "I was charged twice")
	if err := s.Assign(ctx, w.adminV, code, w.ann.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Reply(ctx, w.annV, code, "Refund on its way"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveAgent(ctx, w.owner.ID, w.ann.ID, ""); err != nil {
		t.Fatal(err)
	}
	tk, err := s.TicketByCode(ctx, w.adminV, code)
	if err != nil {
		t.Fatal(err)
	}
	if tk.AssigneeID != 0 || tk.DepartmentID != w.sales {
		t.Fatalf("after removal the ticket is assigned to %d in department %d", tk.AssigneeID, tk.DepartmentID)
	}
	thread, err := s.Thread(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range thread {
		if m.Body == "Refund on its way" {
			found = true
			if m.AuthorName != "Ann Sales (removed)" {
				t.Fatalf("the removed agent's reply is by %q", m.AuthorName)
			}
		}
	}
	if !found {
		t.Fatal("the removed agent's reply is gone")
	}
	if _, _, err := s.CreateAgent(ctx, w.owner.ID, AgentInput{Name: "Ann Again", Email: "ANN@example.com", Role: authz.RoleAgent, Status: StatusActive}, ""); err != nil {
		t.Fatalf("email of a removed agent cannot be used again: %v", err)
	}
}

func TestRemoveDepartment_WithTicketsIsRefusedAndKept(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	contactTicket(t, s, w.sales, "Question", "Hello")
	if err := s.RemoveDepartment(ctx, w.owner.ID, w.sales); !IsRule(err, RuleDepartmentInUse) {
		t.Fatalf("remove department with tickets: %v, want RuleDepartmentInUse", err)
	}
	if _, err := s.DepartmentByID(ctx, w.sales); err != nil {
		t.Fatalf("department gone after refusal: %v", err)
	}
	if ids, _ := s.AgentDepartmentIDs(ctx, w.ann.ID); len(ids) != 1 {
		t.Fatalf("memberships changed after refusal: %v", ids)
	}
	empty := addDept(t, s, "Empty")
	if err := s.RemoveDepartment(ctx, w.owner.ID, empty); err != nil {
		t.Fatalf("remove empty department: %v", err)
	}
}
