package store

import (
	"context"
	"database/sql"
	"testing"
)

// While a write commits, what was kept before it is no longer served, and
// what is kept meanwhile (read before the change was visible) does not
// outlive the commit.
func TestWrite_KeptReadsGoStaleBeforeAndAfterTheCommit(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	loads := 0
	read := func() int {
		v, err := remember(&s.mem, memoKey{What: memoSetup}, func() (int, error) { loads++; return loads, nil })
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if read() != 1 || read() != 1 {
		t.Fatal("a read is not kept between commits")
	}
	during := 0
	s.beforeCommit = func() { during = read() }
	if err := s.write(ctx, func(*sql.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if during != 2 {
		t.Fatalf("while the write committed, the read kept from before it was served (load %d)", during)
	}
	if got := read(); got != 3 {
		t.Fatalf("the read kept while the write committed outlived the commit (load %d)", got)
	}

	var sessionGens [2]uint64
	s.beforeCommit = func() { sessionGens = s.sessionGens() }
	before := s.sessionGens()
	if err := s.writeSession(ctx, func(*sql.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if sessionGens == before || s.sessionGens() == sessionGens {
		t.Fatalf("session generations %v before, %v while committing, %v after: want a move before and after", before, sessionGens, s.sessionGens())
	}
}
