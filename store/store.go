// Package store keeps Helpline's data in one SQLite file. It knows nothing of
// HTTP or HTML: handlers call it, it enforces the rules of the product.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store holds two pools over one database file: a writer of exactly one
// connection, so write transactions queue in Go instead of failing with
// SQLITE_BUSY, and a reader pool for everything else (WAL lets readers run
// beside the writer).
type Store struct {
	// pg is set on PostgreSQL, where w and r are two pools of several
	// connections each: the server orders concurrent writes by row locks.
	pg  bool
	w   *sql.DB
	r   *sql.DB
	rd  *reader // s.r with prepared statements: use it for queries
	mem memo    // small lists kept until the next commit
	// topics stamps what each change of tickets alone changed (changes.go).
	topics topicClock
	// lock is held shared while the store is open, so Restore cannot
	// replace the database under it (lock_unix.go).
	lock *fileLock
	// sessGen moves on at each commit of a session-only write; sessions
	// memoizes sessions read until it or mem's generation moves.
	sessGen  atomic.Uint64
	sessions sessionMemo
	now      func() time.Time
	// rareTagRows: a queue filtered by a tag fewer tickets carry reads
	// them from the tag's index (queue.go).
	rareTagRows int
	// fewAssignedRows: below it an assignee's tickets are read and sorted
	// for the Updated and Created orders (queue_sort.go); tests lower it.
	fewAssignedRows int
	// intake writes new tickets in batches (intake.go).
	intake *intake
	// betweenQueueReads, when set by a test, runs between the two reads of
	// a merged queue page (queueMerged), where a change may land.
	betweenQueueReads func()
	// beforeCommit, when set by a test, runs just before a write commits.
	beforeCommit func()
	// listener hears other instances' commits on PostgreSQL (notify.go);
	// writers are the server process ids of w's connections, whose
	// notifications are the store's own (its commits moved the
	// generations already).
	listener *listener
	writers  *pidSet
	// beforePlugins: the schema was migrated only up to before the plugins
	// tables (tests of old migrations), so Search & Replace has nothing to read.
	beforePlugins atomic.Bool
	// ruleCalls are the HTTP requests of rules still under way (rules_run.go);
	// ruleHTTP sends them.
	ruleCalls sync.WaitGroup
	ruleHTTP  *http.Client
}

// writeTimeout bounds one write transaction; it is not tied to the request,
// so a client hanging up cannot turn a committed write into a reported error.
const writeTimeout = 15 * time.Second

// Open opens the database dsn names: a PostgreSQL database
// (postgres://user:pass@host:5432/name) or else a SQLite file, created if
// needed. Call Migrate next. A SQLite file is refused with ErrInUse while
// Restore is replacing it.
func Open(dsn string) (*Store, error) {
	if IsPostgres(dsn) {
		return openPostgres(dsn)
	}
	return openSQLite(dsn)
}

func openSQLite(path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create data folder: %w", err)
		}
	}
	lock, err := tryLock(path, false)
	if errors.Is(err, ErrInUse) {
		return nil, fmt.Errorf("store: open %s: a restore is replacing it: %w", path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	w, err := sql.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		lock.release()
		return nil, fmt.Errorf("store: open writer: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		w.Close()
		lock.release()
		return nil, fmt.Errorf("store: open readers: %w", err)
	}
	n := max(4, 2*runtime.NumCPU())
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxLifetime(0)
	s := &Store{w: w, r: r, lock: lock, rd: &reader{db: r}, now: time.Now, rareTagRows: defaultRareTagRows, fewAssignedRows: defaultFewAssigned}
	s.intake = s.startIntake()
	// The writer connects first so WAL mode is set before any reader opens.
	if err := w.Ping(); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: connect writer: %w", err)
	}
	if err := r.Ping(); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: connect reader: %w", err)
	}
	return s, nil
}

func sqliteDSN(path string, writer bool) string {
	q := url.Values{}
	// busy_timeout first: the pragmas after it may already need to wait.
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if writer {
		q.Set("_txlock", "immediate")
		// A statement that may need undoing within a transaction (an
		// insert whose triggers write, in a batch of tickets) keeps the
		// pages it changes in a statement journal: in memory, not in a
		// temporary file written for each statement.
		q.Add("_pragma", "temp_store(MEMORY)")
	}
	return "file:" + path + "?" + q.Encode()
}

// openPostgres opens a writer and a reader pool on a PostgreSQL database.
func openPostgres(dsn string) (*Store, error) {
	n := max(4, 2*runtime.NumCPU())
	own := &pidSet{}
	w, err := openPostgresDB(dsn, n, own)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", redactDSN(dsn), err)
	}
	r, err := openPostgresDB(dsn, n, nil)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", redactDSN(dsn), err)
	}
	s := &Store{pg: true, w: w, r: r, rd: &reader{db: r}, now: time.Now, rareTagRows: defaultRareTagRows, writers: own}
	s.intake = s.startIntake()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", redactDSN(dsn), err)
	}
	// Open returns once the store hears other instances' commits, so it
	// keeps reads from the start; should listening fail, it serves
	// without keeping any and keeps trying (notify.go).
	s.listener = s.listen(dsn)
	select {
	case <-s.listener.ready:
	case <-time.After(5 * time.Second):
	}
	return s, nil
}

// OpenSQL opens a plain database/sql pool on dsn that reads the store's SQL
// (? placeholders, on either engine), for tools and tests that look at rows
// directly. It applies no migrations and keeps none of the store's rules.
func OpenSQL(dsn string) (*sql.DB, error) {
	if IsPostgres(dsn) {
		return openPostgresDB(dsn, 4, nil)
	}
	return sql.Open("sqlite", sqliteDSN(dsn, false))
}

// Redacted is dsn fit to show: a PostgreSQL address without its password.
func Redacted(dsn string) string {
	if !IsPostgres(dsn) {
		return dsn
	}
	return redactDSN(dsn)
}

// redactDSN hides the password of a database address shown in a message.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "the database"
	}
	return u.Redacted()
}

// Close answers the tickets being written, refuses further ones, closes
// both pools, and only then lets a restore at the database.
func (s *Store) Close() error {
	s.intake.stop()
	s.ruleCalls.Wait()
	s.listener.stop()
	if s.rd != nil {
		s.rd.close()
	}
	return errors.Join(s.r.Close(), s.w.Close(), s.lock.release())
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.rd.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// SetClock replaces the store's clock; tests use it to move time.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

func (s *Store) nowMs() int64 { return s.now().UnixMilli() }

// write runs fn in one write transaction on the single writer connection.
// At commit the generation moves on, so reads kept in memory are dropped.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.writeTx(ctx, &s.mem.gen, fn)
}

// writeSession runs a write that changes only sessions, which no kept read
// shows: signing in or a page view moving an idle deadline must not throw
// away every cached queue page.
func (s *Store) writeSession(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.writeTx(ctx, &s.sessGen, fn)
}

// writeUnkept runs a write of rows no kept read shows, so it moves no
// generation: an audit entry alone (the audit log is read afresh on every
// view). Anyone can make a failed sign-in, and it must not empty every kept
// page or session. Should a kept read ever show such rows, use write.
func (s *Store) writeUnkept(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.writeTx(ctx, nil, fn)
}

// writeTx runs fn in a write transaction and moves gen (if any) on at commit.
//
// On PostgreSQL, where several transactions write side by side, one that
// the server ends to break a deadlock (two batches of new tickets updating
// the same counts in different orders) or a serialization failure is run
// again from the start, a few times: fn must be safe to run more than once
// (it sets what it reports afresh on each run).
func (s *Store) writeTx(ctx context.Context, gen *atomic.Uint64, fn func(tx *sql.Tx) error) error {
	return s.writeChanging(ctx, gen, nil, fn)
}

// writeTickets runs a write of tickets alone: fn says in ch which tickets
// it changed (or sets ch.All), and only the kept pages that read them go.
func (s *Store) writeTickets(ctx context.Context, fn func(tx *sql.Tx, ch *Change) error) error {
	var ch Change
	return s.writeChanging(ctx, nil, &ch, func(tx *sql.Tx) error {
		ch = Change{} // a write run again says afresh what it changed
		return fn(tx, &ch)
	})
}

func (s *Store) writeChanging(ctx context.Context, gen *atomic.Uint64, ch *Change, fn func(tx *sql.Tx) error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	for attempt := 1; ; attempt++ {
		err := s.writeOnce(ctx, gen, ch, fn)
		if !s.pg || attempt == 5 || ctx.Err() != nil {
			return err
		}
		if code := pgCode(err); code != "40P01" && code != "40001" {
			return err
		}
	}
}

func (s *Store) writeOnce(ctx context.Context, gen *atomic.Uint64, ch *Change, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		takeTriggers(tx)
		return err
	}
	// The generation moves on twice. Before the commit: from the moment the
	// change can be seen, nothing kept from before it is served as current
	// (moving only after, a request between the commit and the move got the
	// old page while other reads already showed the change). And after the
	// commit, even if Commit reports an error (the transaction may have
	// committed): what was read and kept between the first move and the
	// commit shows the old rows under the new generation, and must go too.
	// A change of tickets alone stamps its topics the same two times.
	if ch != nil && (ch.All || len(ch.Topics) > maxNotifiedTopics) {
		gen = &s.mem.gen
	} else if ch != nil {
		if err := s.notifyTopics(ctx, tx, *ch); err != nil {
			_ = tx.Rollback()
			takeTriggers(tx)
			return err
		}
		s.topics.change(ch.Topics)
		defer s.topics.change(ch.Topics)
	}
	if gen != nil {
		if err := s.notifyChange(ctx, tx, gen); err != nil {
			_ = tx.Rollback()
			takeTriggers(tx)
			return err
		}
		gen.Add(1)
		defer gen.Add(1)
	}
	if s.beforeCommit != nil {
		s.beforeCommit()
	}
	err = tx.Commit()
	if triggers := takeTriggers(tx); err == nil && len(triggers) > 0 {
		s.runRules(ctx, triggers)
	}
	return err
}

// Generation changes whenever a write that a page may show commits. A page
// built from reads made under one generation stays true until it changes;
// read it before the reads, never after.
//
// While a store on PostgreSQL cannot hear other instances' commits, every
// call gives a new generation, so nothing built from reads is kept.
func (s *Store) Generation() uint64 {
	if s.mem.blind.Load() {
		return s.mem.gen.Add(1)
	}
	return s.mem.gen.Load()
}

// querier is what both *sql.DB and *sql.Tx offer; reads that also run inside
// write transactions take it.
// queryIDs runs query, which selects one column of ids, on a connection,
// a transaction or the readers.
func queryIDs(ctx context.Context, q interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func msToTime(ms int64) time.Time { return time.UnixMilli(ms) }

func nullMsToTime(ms sql.NullInt64) time.Time {
	if !ms.Valid {
		return time.Time{}
	}
	return time.UnixMilli(ms.Int64)
}
