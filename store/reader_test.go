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

// Every page shows the company's name: it is read from the database once per
// generation, and the next commit shows a change.
func TestAccount_ReadOncePerGeneration(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	if _, err := s.Account(ctx); err != ErrNotFound {
		t.Fatalf("account before sign-up: %v, want ErrNotFound", err)
	}
	o := signUpOwner(t, s)
	if acc, err := s.Account(ctx); err != nil || acc.CompanyName != "Acme" {
		t.Fatalf("account after sign-up = %+v, %v", acc, err)
	}
	// A change no commit announced is not seen: the name came from memory.
	if _, err := s.w.Exec(`UPDATE account SET company_name = 'Renamed' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if acc, _ := s.Account(ctx); acc.CompanyName != "Acme" {
		t.Fatalf("company read again from the database: %q", acc.CompanyName)
	}
	if _, err := s.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "Sales"}); err != nil {
		t.Fatal(err)
	}
	if acc, _ := s.Account(ctx); acc.CompanyName != "Renamed" {
		t.Fatalf("company after the next commit = %q, want Renamed", acc.CompanyName)
	}
}
