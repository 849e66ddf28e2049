package store

import (
	"context"
	"database/sql"
	"hash/fnv"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// Several instances on one PostgreSQL database each keep reads in memory
// (memo, sessions, the pages the web layer keeps) until a commit moves a
// generation on. A commit on one instance must move them on every instance:
// each write that moves a generation also sends a notification in its
// transaction (PostgreSQL delivers it at commit, and only if it commits),
// and every instance listens on one connection of its own and moves its
// generations on when one arrives from another (its own commits moved them
// already; a notification names the server process of the connection that
// sent it, and the store knows its writers').
//
// While the listening connection is down, an instance cannot hear the
// others: it keeps nothing (memo.blind) until it listens again, and then
// drops what it kept, as notifications may have been missed.

// changesChannel is the notification channel; the payload says which
// generation moves.
const changesChannel = "helpline_changes"

const (
	changedData     = "data"     // mem.gen: anything a page may show
	changedSessions = "sessions" // sessGen: sessions only
	// changedPrefix (changes.go) starts the payload of a change of tickets
	// alone, naming the topics it changed.
)

// notifyChange sends, inside tx, the notification of a commit that moves
// gen. Nothing is sent on SQLite, where one process holds the desk.
func (s *Store) notifyChange(ctx context.Context, tx *sql.Tx, gen *atomic.Uint64) error {
	if !s.pg {
		return nil
	}
	payload := changedData
	if gen == &s.sessGen {
		payload = changedSessions
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_notify(?, ?)`, changesChannel, payload)
	return err
}

// notifyTopics sends, inside tx, the notification of a commit that
// changed only the tickets ch names.
func (s *Store) notifyTopics(ctx context.Context, tx *sql.Tx, ch Change) error {
	if !s.pg {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_notify(?, ?)`, changesChannel, ch.payload())
	return err
}

// listener keeps one connection listening for other instances' commits.
type listener struct {
	cancel context.CancelFunc
	done   sync.WaitGroup
	// ready is closed when the first LISTEN has succeeded.
	ready     chan struct{}
	readyOnce sync.Once
}

// listen starts listening on dsn; the store keeps nothing until the first
// LISTEN succeeds.
func (s *Store) listen(dsn string) *listener {
	s.mem.blind.Store(true)
	ctx, cancel := context.WithCancel(context.Background())
	l := &listener{cancel: cancel, ready: make(chan struct{})}
	l.done.Add(1)
	go func() {
		defer l.done.Done()
		wait := 100 * time.Millisecond
		for ctx.Err() == nil {
			err := s.listenOnce(ctx, dsn, l)
			s.mem.blind.Store(true)
			if ctx.Err() != nil {
				return
			}
			slog.Warn("store: not hearing other instances' changes; keeping nothing in memory until it is back", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
			wait = min(2*wait, 5*time.Second)
		}
	}()
	return l
}

func (s *Store) listenOnce(ctx context.Context, dsn string, l *listener) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `LISTEN `+changesChannel); err != nil {
		return err
	}
	// Whatever was kept before may have missed a change: start afresh.
	s.mem.gen.Add(1)
	s.sessGen.Add(1)
	s.mem.blind.Store(false)
	l.readyOnce.Do(func() { close(l.ready) })
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if s.writers.has(n.PID) {
			continue // this store's own commit, which moved them already
		}
		if ch, ok := parseChange(n.Payload); ok {
			s.topics.change(ch.Topics)
			continue
		}
		switch n.Payload {
		case changedSessions:
			s.sessGen.Add(1)
		default:
			s.mem.gen.Add(1)
		}
	}
}

func (l *listener) stop() {
	if l == nil {
		return
	}
	l.cancel()
	l.done.Wait()
}

// RunAlone runs fn unless another instance on the same database is running
// the work named name at this moment, and reports whether it ran. On
// PostgreSQL a session advisory lock, held on a connection of its own for
// the run, decides; on SQLite one process holds the desk and fn always runs.
// Work that must happen once per item (a postponed ticket's return) is also
// made safe item by item (row locks); RunAlone keeps instances from doing
// the same sweep side by side.
func (s *Store) RunAlone(ctx context.Context, name string, fn func(context.Context) error) (bool, error) {
	if !s.pg {
		return true, fn(ctx)
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	key := jobLock(name)
	var got bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(?)`, key).Scan(&got); err != nil || !got {
		return false, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(?)`, key)
	return true, fn(ctx)
}

// jobLock is the advisory lock key of the work named name.
func jobLock(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("helpline job " + name))
	return int64(h.Sum64())
}
