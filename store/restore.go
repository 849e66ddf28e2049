package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pressly/goose/v3"
)

// ErrInUse refuses to restore into a database a Store has open (a running
// server, a backup), and refuses to open one while a restore replaces it.
var ErrInUse = errors.New("database in use")

// ErrNotDesk refuses a restore from a file that is not a sound Helpline
// database: not SQLite at all, damaged, or another program's.
type ErrNotDesk struct{ Path, Reason string }

func (e ErrNotDesk) Error() string {
	return fmt.Sprintf("store: cannot restore from %s: %s", e.Path, e.Reason)
}

// Restore replaces the database at to with a copy of the database from, as
// Backup wrote it. It refuses with ErrInUse while a Store has to open (the
// server must be stopped), and with ErrNotDesk when from is not a sound
// Helpline database, or one migrated by a newer Helpline
// (ErrUnknownMigrations). A refused restore leaves the database at to as it
// was.
//
// Only Helpline's own opens are seen (through the lock file, lock_unix.go):
// another program with the database open, such as the sqlite3 shell, is not.
func Restore(ctx context.Context, from, to string) error {
	fail := func(err error) error { return fmt.Errorf("store: restore %s into %s: %w", from, to, err) }
	src, err := os.Open(from)
	if err != nil {
		return fail(err)
	}
	defer src.Close()
	if fi, err := src.Stat(); err != nil {
		return fail(err)
	} else if !fi.Mode().IsRegular() {
		return ErrNotDesk{Path: from, Reason: "not a regular file"}
	} else if old, err := os.Stat(to); err == nil && os.SameFile(fi, old) {
		return fail(errors.New("it is the database itself"))
	}
	// A live or crashed database keeps recent commits in its -wal; the main
	// file alone would be an older, possibly torn, state.
	if fi, err := os.Stat(from + "-wal"); err == nil && fi.Size() > 0 {
		return ErrNotDesk{Path: from, Reason: "it has a write-ahead log beside it (" + from + "-wal), so the file alone is not all of it; copy a live desk with helpline backup"}
	}

	dir := filepath.Dir(to)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fail(err)
	}
	// Held until the new file has its name, so meanwhile no Store opens the
	// old database or the new one half in place.
	lock, err := tryLock(to, true)
	if err != nil {
		return fail(err)
	}
	defer lock.release()

	// The checks run on the copy, so what was checked is exactly what is
	// put in place, and from is only read.
	f, err := os.CreateTemp(dir, "."+filepath.Base(to)+".*.restore")
	if err != nil {
		return fail(err)
	}
	tmp := f.Name()
	done := false
	defer func() {
		if !done {
			removeDatabaseFiles(tmp)
		}
	}()
	_, err = io.Copy(f, src)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(err)
	}
	// The restored file keeps the mode of the one it replaces (a new one
	// keeps CreateTemp's 0600).
	if old, err := os.Stat(to); err == nil {
		if err := os.Chmod(tmp, old.Mode().Perm()); err != nil {
			return fail(err)
		}
	}
	if err := checkDesk(ctx, tmp); err != nil {
		var nd ErrNotDesk
		if errors.As(err, &nd) {
			nd.Path = from
			return nd
		}
		return fail(err)
	}

	// The old database's -wal and -shm would be read as the new one's: gone
	// first. A crash between here and the rename loses what the old
	// database had not yet checkpointed, which was being replaced anyway.
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(to + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fail(err)
		}
	}
	if err := os.Rename(tmp, to); err != nil {
		return fail(err)
	}
	done = true
	if err := syncDir(dir); err != nil {
		return fail(err)
	}
	return nil
}

// checkDesk reports, as ErrNotDesk, whether the SQLite file at path fails
// its integrity check or is not a Helpline database, and, as
// ErrUnknownMigrations, whether a newer Helpline migrated it.
func checkDesk(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(1)")
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	defer func() {
		db.Close()
		// Reading a WAL-mode file makes its -shm; closing should remove it.
		removeSidecars(path)
	}()
	notDesk := func(reason string) error { return ErrNotDesk{Path: path, Reason: reason} }

	// Every problem is a row; a sound database answers one row, "ok".
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check(5)`)
	if err != nil {
		return notDesk(err.Error())
	}
	var problems []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return notDesk(err.Error())
		}
		problems = append(problems, p)
	}
	if err := rows.Close(); err != nil {
		return notDesk(err.Error())
	}
	if err := rows.Err(); err != nil {
		return notDesk(err.Error())
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return notDesk("integrity check: " + strings.Join(problems, "; "))
	}

	var tables int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN (?, 'tickets', 'agents')`,
		goose.DefaultTablename).Scan(&tables); err != nil {
		return notDesk(err.Error())
	}
	if tables != 3 {
		return notDesk("it lacks Helpline's tables")
	}
	known, err := knownMigrations()
	if err != nil {
		return err
	}
	vrows, err := db.QueryContext(ctx, `SELECT DISTINCT version_id FROM `+goose.DefaultTablename+` WHERE version_id > 0 ORDER BY version_id`)
	if err != nil {
		return notDesk(err.Error())
	}
	defer vrows.Close()
	var unknown []int64
	for vrows.Next() {
		var v int64
		if err := vrows.Scan(&v); err != nil {
			return notDesk(err.Error())
		}
		if !slices.Contains(known, v) {
			unknown = append(unknown, v)
		}
	}
	if err := vrows.Err(); err != nil {
		return notDesk(err.Error())
	}
	if len(unknown) > 0 {
		return ErrUnknownMigrations{Versions: unknown}
	}
	return nil
}

// knownMigrations lists the version numbers of this program's migrations.
func knownMigrations() ([]int64, error) {
	entries, err := fs.ReadDir(migrationFiles, sqliteMigrations)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	var known []int64
	for _, e := range entries {
		if v, err := goose.NumericComponent(e.Name()); err == nil {
			known = append(known, v)
		}
	}
	return known, nil
}
