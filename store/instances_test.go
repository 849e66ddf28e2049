package store

import (
	"context"
	"sync"
	"testing"
	"time"

	"helpline/authz"
	"helpline/store/storetest"
)

// twoInstances opens two stores on one fresh PostgreSQL desk, as two
// instances of the program behind a load balancer would. Several instances
// share a desk on PostgreSQL only; on a SQLite run these tests do not apply
// (make test-postgres runs them).
func twoInstances(t *testing.T) (a, b *Store) {
	t.Helper()
	if !storetest.Postgres() {
		t.Skip("several instances share one desk on PostgreSQL only")
	}
	dsn := storetest.DSN(t)
	a, b = openDesk(t, dsn), openDesk(t, dsn)
	for _, s := range []*Store{a, b} {
		storetest.Eventually(t, "the instance to hear the others", func() bool { return !s.mem.blind.Load() })
	}
	return a, b
}

func TestInstances_ACommitOnOneDropsWhatTheOtherKept(t *testing.T) {
	a, b := twoInstances(t)
	ctx := context.Background()
	o := signUpOwner(t, a)
	before, err := b.Departments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	g := b.Generation()
	if _, err := a.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "Billing"}); err != nil {
		t.Fatal(err)
	}
	storetest.Eventually(t, "instance B's generation to move", func() bool { return b.Generation() != g })
	after, err := b.Departments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+1 {
		t.Fatalf("instance B lists %d departments after A added one to %d", len(after), len(before))
	}
}

func TestInstances_ASessionEndedOnOneIsEndedOnTheOther(t *testing.T) {
	a, b := twoInstances(t)
	ctx := context.Background()
	o := signUpOwner(t, a)
	ag := addAgent(t, a, o.ID, "alice", authz.RoleAgent)
	if err := a.CreateSession(ctx, "tok-alice", ag.ID, false, "127.0.0.1", "test"); err != nil {
		t.Fatal(err)
	}
	// B reads the session, and keeps it.
	if se, err := b.SessionByToken(ctx, "tok-alice"); err != nil || se.AgentID != ag.ID || se.EndedReason != "" {
		t.Fatalf("instance B: %+v, %v", se, err)
	}
	if _, err := b.SessionByToken(ctx, "tok-alice"); err != nil {
		t.Fatal(err)
	}
	// A changes Alice's role, which ends her sessions.
	if err := a.ChangeRole(ctx, o.ID, ag.ID, authz.RoleAdmin, ""); err != nil {
		t.Fatal(err)
	}
	storetest.Eventually(t, "instance B to see the session ended", func() bool {
		se, err := b.SessionByToken(ctx, "tok-alice")
		return err == nil && se.EndedReason == EndRoleChanged
	})
}

// TestInstances_PostponedTicketsReturnOnceWhenBothSweep: both instances
// return due postponed tickets at the same moment; each ticket comes back
// once, with one event.
func TestInstances_PostponedTicketsReturnOnceWhenBothSweep(t *testing.T) {
	a, b := twoInstances(t)
	ctx := context.Background()
	w := newTicketWorldOn(t, a)
	const n = 40
	for i := range n {
		code := contactTicket(t, a, w.sales, "Call me later", "Ticket to postpone")
		if err := a.Postpone(ctx, w.adminV, code, time.Now().Add(time.Minute)); err != nil {
			t.Fatalf("ticket %d: %v", i, err)
		}
	}
	later := func() time.Time { return time.Now().Add(2 * time.Minute) }
	a.SetClock(later)
	b.SetClock(later)
	var wg sync.WaitGroup
	returned := make([]int, 2)
	errs := make([]error, 2)
	for i, s := range []*Store{a, b} {
		wg.Go(func() { returned[i], errs[i] = s.ReturnPostponed(ctx) })
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	if returned[0]+returned[1] != n {
		t.Fatalf("returned %v, want %d in all", returned, n)
	}
	var postponed, events int
	a.r.QueryRow(`SELECT count(*) FROM tickets WHERE status = 'postponed'`).Scan(&postponed)
	a.r.QueryRow(`SELECT count(*) FROM messages WHERE kind = 'event' AND event = 'status' AND agent_id IS NULL`).Scan(&events)
	if postponed != 0 || events != n {
		t.Fatalf("%d still postponed, %d return events; want 0 and %d", postponed, events, n)
	}
}

// TestInstances_ConcurrentDemotionsNeverLeaveZeroOwners is the owner-rule
// race with each Owner's request on a different instance.
func TestInstances_ConcurrentDemotionsNeverLeaveZeroOwners(t *testing.T) {
	a, b := twoInstances(t)
	ctx := context.Background()
	o := signUpOwner(t, a)
	p := addAgent(t, a, o.ID, "peter", authz.RoleOwner)
	q := addAgent(t, a, o.ID, "quinn", authz.RoleOwner)
	if _, err := a.w.Exec(`UPDATE agents SET role = 'agent', status = 'disabled' WHERE id = ?`, o.ID); err != nil {
		t.Fatal(err)
	}
	for round := range 20 {
		if _, err := a.w.Exec(`UPDATE agents SET role = 'owner' WHERE id IN (?, ?)`, p.ID, q.ID); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for i, c := range []struct {
			s             *Store
			actor, target int64
		}{{a, p.ID, q.ID}, {b, q.ID, p.ID}} {
			wg.Go(func() {
				<-start
				errs[i] = c.s.ChangeRole(ctx, c.actor, c.target, authz.RoleAdmin, "")
			})
		}
		close(start)
		wg.Wait()
		var owners int
		a.r.QueryRow(`SELECT count(*) FROM agents WHERE role = 'owner' AND status = 'active' AND removed_at IS NULL`).Scan(&owners)
		if owners != 1 {
			t.Fatalf("round %d: %d active owners (errors %v)", round, owners, errs)
		}
	}
}

func TestInstances_AJobRunsOnOneInstanceAtATime(t *testing.T) {
	a, b := twoInstances(t)
	ctx := context.Background()
	inside, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		_, err := a.RunAlone(ctx, "sweep", func(context.Context) error {
			close(inside)
			<-release
			return nil
		})
		done <- err
	}()
	<-inside
	ran, err := b.RunAlone(ctx, "sweep", func(context.Context) error { return nil })
	if err != nil || ran {
		t.Fatalf("instance B ran the sweep while A was running it (ran %v, %v)", ran, err)
	}
	if ran, err := b.RunAlone(ctx, "other work", func(context.Context) error { return nil }); err != nil || !ran {
		t.Fatalf("other work did not run on B: %v, %v", ran, err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if ran, err := b.RunAlone(ctx, "sweep", func(context.Context) error { return nil }); err != nil || !ran {
		t.Fatalf("B did not run the sweep after A finished: %v, %v", ran, err)
	}
}

// TestInstances_TicketsFromBothAreEachStoredOnceAndCounted: the contact
// form's tickets arrive through both instances at once, into two
// departments; each is stored once and the kept counts equal counting.
func TestInstances_TicketsFromBothAreEachStoredOnceAndCounted(t *testing.T) {
	a, b := twoInstances(t)
	ctx := context.Background()
	w := newTicketWorldOn(t, a)
	const n = 60
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		s, dept := a, w.sales
		if i%2 == 1 {
			s = b
		}
		if i%3 == 0 {
			dept = w.support
		}
		wg.Go(func() { _, errs[i] = s.CreateTicket(ctx, nil, contactInput(dept, i)) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("ticket %d: %v", i, err)
		}
	}
	var stored int
	a.r.QueryRow(`SELECT count(*) FROM tickets`).Scan(&stored)
	if stored != n {
		t.Fatalf("stored %d tickets, want %d", stored, n)
	}
	wantCreatedWhole(t, a.r)
}
