package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
)

// reader runs read queries on the reader pool through prepared statements
// kept per SQL text, so SQLite parses and plans each query once per
// connection instead of on every page view. The queue's SQL varies only with
// the filters chosen, so the set of texts stays small; past maxStatements
// further texts run unprepared.
type reader struct {
	db    *sql.DB
	stmts sync.Map // SQL text -> *sql.Stmt
	n     atomic.Int32
}

const maxStatements = 2000

func (r *reader) stmt(ctx context.Context, q string) *sql.Stmt {
	if st, ok := r.stmts.Load(q); ok {
		return st.(*sql.Stmt)
	}
	if r.n.Load() >= maxStatements {
		return nil
	}
	st, err := r.db.PrepareContext(ctx, q)
	if err != nil {
		return nil // the unprepared run below reports the error
	}
	if prev, loaded := r.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt)
	}
	r.n.Add(1)
	return st
}

func (r *reader) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := r.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return r.db.QueryContext(ctx, q, args...)
}

func (r *reader) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := r.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return r.db.QueryRowContext(ctx, q, args...)
}

func (r *reader) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return r.db.ExecContext(ctx, q, args...)
}

func (r *reader) close() {
	r.stmts.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
}

// memo keeps small, often-read lists (departments, assignable agents) until
// the generation moves: every commit but one of new tickets alone moves it
// on (changes.go), and a value read under an older generation is never
// served. Nothing memoized may change with new tickets alone (the desk's
// first ticket, which Setup shows, moves the generation).
type memo struct {
	gen atomic.Uint64
	m   sync.Map // memoKey -> memoEntry
	// blind is set while changes made elsewhere cannot be heard (a store
	// on PostgreSQL whose listener is down): nothing is kept then.
	blind atomic.Bool
}

type memoEntry struct {
	gen uint64
	v   any
}

// memoKey names a memoized read: what is read, and whose (an agent's id)
// where it differs between agents.
type memoKey struct {
	What memoWhat
	ID   int64
}

type memoWhat byte

const (
	memoAccount      memoWhat = iota + 1 // the account's company and settings
	memoAgent                            // one agent (ID)
	memoBans                             // the banned addresses
	memoSubscription                     // the subscription
	memoScopeTopics                      // the departments an agent (ID) sees, as topics
	memoDepartments                      // every department
	memoTicketFields                     // the ticket fields
	memoLanguages                        // the desk's languages
	memoDensity                          // an agent's (ID) queue density
	memoRoles                            // the roles
	memoSetup                            // how far the desk has come
	memoTags                             // the tags
	memoTagColours                       // the tags' colours
	memoAssignable                       // the agents assignable in a viewer's (ID, 0: every department) scope
	memoRules                            // the active rules, parsed
)

func remember[T any](m *memo, key memoKey, load func() (T, error)) (T, error) {
	if m.blind.Load() {
		return load()
	}
	g := m.gen.Load()
	if e, ok := m.m.Load(key); ok && e.(memoEntry).gen == g {
		return e.(memoEntry).v.(T), nil
	}
	v, err := load()
	if err == nil {
		m.m.Store(key, memoEntry{gen: g, v: v})
	}
	return v, err
}

// forgetReads makes every kept read stale, as a commit does, so the next
// read of each goes to the database. Benchmarks use it to time queries
// rather than memory.
func (s *Store) forgetReads() { s.mem.gen.Add(1) }
