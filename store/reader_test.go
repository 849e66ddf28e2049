package store

import (
	"context"
	"testing"
)

// Lists kept between commits must change with the next commit.
func TestMemo_ListsFollowEveryCommit(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	before, _ := s.Departments(ctx)
	id := addDept(t, s, "Returns")
	after, _ := s.Departments(ctx)
	if len(after) != len(before)+1 {
		t.Fatalf("departments %d then %d after adding %d", len(before), len(after), id)
	}
	names := func() map[string]bool {
		as, err := s.AssignableInScope(ctx, w.adminV)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]bool{}
		for _, a := range as {
			m[a.Name] = true
		}
		return m
	}
	if !names()["Ann Sales"] {
		t.Fatal("Ann is not assignable")
	}
	if err := s.RemoveAgent(ctx, w.owner.ID, w.ann.ID, ""); err != nil {
		t.Fatal(err)
	}
	if names()["Ann Sales"] {
		t.Fatal("a removed agent is still offered for assignment")
	}
}

func TestReader_PreparedStatementsAreReused(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if err := s.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Departments(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.rd.n.Load(); n == 0 || n > 3 {
		t.Fatalf("%d prepared statements after repeating two reads", n)
	}
}
