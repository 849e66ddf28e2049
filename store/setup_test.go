package store

import (
	"context"
	"helpline/authz"
	"testing"
)

func TestSetup_FollowsDepartmentsAgentsAndTheFirstTicket(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	got, err := s.Setup(ctx)
	if err != nil || got != (Setup{Departments: 1, Agents: 1}) {
		t.Fatalf("setup after sign-up = %+v, %v", got, err)
	}
	addAgent(t, s, o.ID, "ann", authz.RoleAgent)
	depts, _ := s.Departments(ctx)
	if _, err := s.CreateTicket(ctx, nil, NewTicketInput{Subject: "Hi", Body: "Hello", Channel: ChannelContactForm,
		DepartmentID: depts[0].ID, ContactName: "Carla", ContactEmail: "carla@example.com"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Setup(ctx); got != (Setup{Departments: 1, Agents: 2, HasTickets: true}) {
		t.Fatalf("setup after an agent and a ticket = %+v", got)
	}
}
