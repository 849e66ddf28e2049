package store

import "database/sql"

// What the tests of package store_test reach inside the store. They fill
// desks through helpline/demo, which imports store, so they cannot be in
// package store.

// TestHash is a password hash made once for the tests.
var TestHash = testHash

// TestPools returns the writer and reader pools, for reading rows directly.
func (s *Store) TestPools() (w, r *sql.DB) { return s.w, s.r }

// ForgetReads makes every kept read stale, as a commit does.
func (s *Store) ForgetReads() { s.forgetReads() }
