package store

import (
	"context"
	"testing"

	"helpline/authz"
	"helpline/store/storetest"
)

// newTicket stores a contact-form ticket in dept from email.
func newTicket(t *testing.T, s *Store, dept int64, email string) Ticket {
	t.Helper()
	ctx := context.Background()
	code, err := s.CreateTicket(ctx, nil, NewTicketInput{Subject: "Hello", Body: "Hello there", Channel: ChannelContactForm,
		DepartmentID: dept, ContactName: "Carla", ContactEmail: email})
	if err != nil {
		t.Fatal(err)
	}
	tk, err := s.TicketByCode(ctx, authz.Viewer{Perms: authz.BuiltinPerms(authz.RoleOwner)}, code)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// A new ticket changes its department's tickets, its requester's and every
// ticket's, and nothing else: the generation (names, lists, settings,
// sessions) stays, and so do other departments' and requesters' topics. The
// desk's first ticket is the exception: it ends the hints on setup.
func TestChanges_ANewTicketChangesOnlyItsTopics(t *testing.T) {
	s := openDesk(t, storetest.DSN(t))
	ctx := context.Background()
	o := signUpOwner(t, s)
	sales, err := s.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "Sales"})
	if err != nil {
		t.Fatal(err)
	}
	support, err := s.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "Support"})
	if err != nil {
		t.Fatal(err)
	}
	g := s.Generation()
	first := newTicket(t, s, support, "first@example.com")
	if s.Generation() == g {
		t.Fatal("the desk's first ticket left the generation, so the setup hints stay")
	}
	g, tick := s.Generation(), s.Tick()
	tk := newTicket(t, s, sales, "carla@example.com")
	if s.Generation() != g {
		t.Fatal("a new ticket moved the generation: every kept page and session went")
	}
	for _, tp := range []Topic{{Kind: TopicAllTickets}, {TopicDepartment, sales}, {TopicContact, tk.ContactID}, {TopicTicket, tk.ID}} {
		if s.UnchangedSince(tick, []Topic{tp}) {
			t.Errorf("%+v unchanged after a new ticket of it", tp)
		}
	}
	for _, tp := range []Topic{{TopicDepartment, support}, {TopicContact, first.ContactID}, {TopicTicket, first.ID}} {
		if !s.UnchangedSince(tick, []Topic{tp}) {
			t.Errorf("%+v changed by a ticket of another department and requester", tp)
		}
	}
	// Anything else moves the generation, as before.
	g = s.Generation()
	if _, err := s.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "Billing"}); err != nil {
		t.Fatal(err)
	}
	if s.Generation() == g {
		t.Fatal("a new department left the generation")
	}
}

func TestChanges_PayloadRoundTrips(t *testing.T) {
	var c Change
	c.Ticket(42, 3, 17)
	c.Ticket(43, 4, 18)
	got, ok := parseChange(c.payload())
	if !ok || len(got.Topics) != len(c.Topics) {
		t.Fatalf("%q read back as %+v, %v", c.payload(), got, ok)
	}
	for i := range c.Topics {
		if got.Topics[i] != c.Topics[i] {
			t.Fatalf("topic %d: %+v, want %+v", i, got.Topics[i], c.Topics[i])
		}
	}
	for _, p := range []string{changedData, changedSessions, "topics x1", "topics d", "topics a1"} {
		if _, ok := parseChange(p); ok {
			t.Errorf("%q read as a change of topics", p)
		}
	}
}

// A new ticket through one instance changes the same topics on the other,
// through the database's notifications, and leaves the other's generation.
func TestInstances_ANewTicketOnOneChangesItsTopicsOnTheOther(t *testing.T) {
	a, b := twoInstances(t)
	ctx := context.Background()
	o := signUpOwner(t, a)
	sales, err := a.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "Sales"})
	if err != nil {
		t.Fatal(err)
	}
	support, err := a.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "Support"})
	if err != nil {
		t.Fatal(err)
	}
	newTicket(t, a, support, "first@example.com")
	// Notifications arrive in commit order: once B hears of this one, it
	// has heard of everything before it.
	tick0 := b.Tick()
	newTicket(t, a, support, "second@example.com")
	storetest.Eventually(t, "B to hear of the new ticket in Support", func() bool {
		return !b.UnchangedSince(tick0, []Topic{{TopicDepartment, support}})
	})
	g, tick := b.Generation(), b.Tick()
	newTicket(t, a, sales, "carla@example.com")
	storetest.Eventually(t, "B to hear of the new ticket in Sales", func() bool {
		return !b.UnchangedSince(tick, []Topic{{TopicDepartment, sales}})
	})
	if !b.UnchangedSince(tick, []Topic{{TopicDepartment, support}}) {
		t.Fatal("a new ticket in Sales changed Support's tickets on B")
	}
	if b.Generation() != g {
		t.Fatal("a new ticket moved B's generation")
	}
}
