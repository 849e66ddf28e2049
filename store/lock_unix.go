//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// A desk's database has a lock file beside it, <db>.lock, which says who has
// the database open. SQLite cannot tell: between transactions a connection
// holds no lock on the database file, so an idle server looks the same as
// no server at all. Every open Store holds a shared flock on the lock file
// for its whole life (any number may, a server and a backup together);
// Restore takes it exclusively, so it cannot replace a database a Store has
// open, and no Store opens one while it is being replaced. flock belongs to
// the open file, not the process, so this holds inside one process as well.
// The file is never removed: removing a lock file races with its next taker.

// fileLock is a flock held on a database's lock file; release drops it.
type fileLock struct{ f *os.File }

func lockPath(db string) string { return db + ".lock" }

// tryLock takes the lock file of db shared or exclusive without waiting; it
// answers ErrInUse when a holder of the other kind has it.
func tryLock(db string, exclusive bool) (*fileLock, error) {
	// Read-only is enough for flock, and lets another account that may read
	// the database (a backup run by an operator) take the lock too.
	f, err := os.OpenFile(lockPath(db), os.O_RDONLY|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock file: %w", err)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err = syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrInUse
		}
		return nil, fmt.Errorf("lock %s: %w", lockPath(db), err)
	}
	return &fileLock{f: f}, nil
}

// release drops the lock: closing the file's only descriptor does. A second
// release (a Store closed twice) is no error.
func (l *fileLock) release() error {
	if l == nil {
		return nil
	}
	if err := l.f.Close(); err != nil && !errors.Is(err, os.ErrClosed) {
		return fmt.Errorf("store: release %s: %w", l.f.Name(), err)
	}
	return nil
}
