package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database to the file to, which must
// not exist yet (the error then wraps fs.ErrExist); its folder is created if
// needed. Writers go on meanwhile: VACUUM INTO reads one snapshot, in a
// read transaction on a reader connection, which WAL keeps apart from later
// commits. The copy is one self-contained, compacted file, readable only by
// its owner (it holds password hashes and secrets).
//
// It is written under a temporary name in the same folder, synced, and only
// then given its name, so a file with the final name is always whole.
func (s *Store) Backup(ctx context.Context, to string) error {
	fail := func(err error) error { return fmt.Errorf("store: back up to %s: %w", to, err) }
	if _, err := os.Lstat(to); err == nil {
		return fail(fs.ErrExist)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fail(err)
	}
	dir := filepath.Dir(to)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fail(err)
	}
	// VACUUM INTO accepts an existing empty file, so CreateTemp picks a name
	// nobody else has and sets the mode (0600).
	f, err := os.CreateTemp(dir, "."+filepath.Base(to)+".*.tmp")
	if err != nil {
		return fail(err)
	}
	tmp := f.Name()
	f.Close()
	done := false
	defer func() {
		if !done {
			removeDatabaseFiles(tmp)
		}
	}()
	if _, err := s.r.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return fail(err)
	}
	if err := syncFile(tmp); err != nil {
		return fail(err)
	}
	if err := placeNew(tmp, to); err != nil {
		return fail(err)
	}
	done = true
	if err := syncDir(dir); err != nil {
		return fail(err)
	}
	return nil
}

// placeNew gives the finished file tmp the name to, unless something took
// that name meanwhile: a link, unlike a rename, never replaces a file.
func placeNew(tmp, to string) error {
	err := os.Link(tmp, to)
	if err == nil {
		return os.Remove(tmp)
	}
	if errors.Is(err, fs.ErrExist) {
		return fs.ErrExist
	}
	// A file system without hard links: check again, then rename.
	if _, serr := os.Lstat(to); serr == nil {
		return fs.ErrExist
	}
	return os.Rename(tmp, to)
}

// removeDatabaseFiles removes a database file of ours that did not get its
// name, with whatever SQLite left beside it.
func removeDatabaseFiles(path string) {
	os.Remove(path)
	removeSidecars(path)
}

func removeSidecars(path string) {
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes a rename or link in dir survive a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
