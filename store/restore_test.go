package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// backedUpDesk is a desk at db with one ticket, backed up to the returned
// file, then given a second ticket the backup does not have.
func backedUpDesk(t *testing.T, db string) (backup, kept, later string) {
	t.Helper()
	s, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	signUpOwner(t, s)
	dept := addDept(t, s, "Support")
	kept = contactTicket(t, s, dept, "Backed up", "This one is in the backup")
	backup = filepath.Join(t.TempDir(), "desk-backup.db")
	if err := s.Backup(context.Background(), backup); err != nil {
		t.Fatal(err)
	}
	later = contactTicket(t, s, dept, "Too late", "Written after the backup")
	return backup, kept, later
}

func TestRestore_RefusesWhileAStoreHasTheDatabaseOpenAndRestoresOnceItIsClosed(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "helpline.db")
	backup, kept, later := backedUpDesk(t, db)

	s, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	// Idle, with no transaction open: SQLite itself holds no lock now.
	if err := Restore(ctx, backup, db); !errors.Is(err, ErrInUse) {
		s.Close()
		t.Fatalf("restore under an open store: %v, want ErrInUse", err)
	}
	if codes := ticketCodes(t, s); !slices.Contains(codes, later) {
		s.Close()
		t.Fatalf("the refused restore changed the desk: %v", codes)
	}
	s.Close()

	if err := Restore(ctx, backup, db); err != nil {
		t.Fatal(err)
	}
	r := openDesk(t, db)
	wantIntegrityOK(t, r)
	if codes := ticketCodes(t, r); !slices.Equal(codes, []string{kept}) {
		t.Fatalf("restored desk holds tickets %v, want only %s (not %s, written after the backup)", codes, kept, later)
	}
	if _, err := r.AgentByEmail(ctx, "owner@example.com"); err != nil {
		t.Fatalf("restored desk lost its Owner: %v", err)
	}
	wantOnly(t, filepath.Dir(db), "helpline.db", "helpline.db-shm", "helpline.db-wal")
}

func TestRestore_NoStoreOpensTheDatabaseWhileItIsReplaced(t *testing.T) {
	db := filepath.Join(t.TempDir(), "helpline.db")
	lock, err := tryLock(db, true) // as Restore holds it
	if err != nil {
		t.Fatal(err)
	}
	if s, err := Open(db); !errors.Is(err, ErrInUse) {
		if err == nil {
			s.Close()
		}
		t.Fatalf("open during a restore: %v, want ErrInUse", err)
	}
	lock.release()
	s, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Stores share the lock: a server and a backup have the database open at once.
	a, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
}

func TestRestore_RefusesWhatIsNotASoundHelplineDatabase(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "helpline.db")
	backup, _, later := backedUpDesk(t, db)
	good, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	file := func(name string, body []byte) string {
		p := filepath.Join(src, name)
		if err := os.WriteFile(p, body, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	sqliteFile := func(name string, stmts ...string) string {
		p := filepath.Join(src, name)
		d, err := sql.Open("sqlite", "file:"+p)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		for _, q := range stmts {
			if _, err := d.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	newer := file("newer.db", good)
	sqliteFile("newer.db", `INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, 1)`)
	live := file("live.db", good)
	file("live.db-wal", []byte("frames not yet checkpointed"))

	for _, c := range []struct {
		name, from string
		want       func(error) bool
	}{
		{"a text file", file("notes.txt", []byte(strings.Repeat("not a database\n", 400))), isNotDesk},
		{"an empty file", file("empty.db", nil), isNotDesk},
		{"another program's SQLite database", sqliteFile("other.db", `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)`, `INSERT INTO notes (body) VALUES ('hi')`), isNotDesk},
		{"a goose-migrated database without Helpline's tables", sqliteFile("goose.db", `CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY, version_id INTEGER, is_applied INTEGER, tstamp TIMESTAMP)`), isNotDesk},
		{"a backup cut short", file("cut.db", good[:len(good)/2]), isNotDesk},
		{"a backup with a damaged page", file("damaged.db", damage(good)), isNotDesk},
		{"a database with a -wal beside it", live, isNotDesk},
		{"a desk a newer Helpline migrated", newer, func(err error) bool { var u ErrUnknownMigrations; return errors.As(err, &u) }},
		{"a file that is not there", filepath.Join(src, "missing.db"), func(err error) bool { return errors.Is(err, fs.ErrNotExist) }},
		{"a folder", src, isNotDesk},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := Restore(ctx, c.from, db)
			if !c.want(err) {
				t.Fatalf("restore from %s: %v", c.name, err)
			}
			if err != nil && !strings.Contains(err.Error(), c.from) {
				t.Errorf("the error does not name the file: %v", err)
			}
			s := openDesk(t, db)
			if codes := ticketCodes(t, s); !slices.Contains(codes, later) {
				t.Fatalf("the refused restore changed the desk: %v", codes)
			}
			s.Close()
			wantOnly(t, filepath.Dir(db), "helpline.db")
		})
	}
}

func isNotDesk(err error) bool {
	var nd ErrNotDesk
	return errors.As(err, &nd)
}

// damage overwrites the header of the database's second page, as a torn
// or bit-rotten copy might.
func damage(db []byte) []byte {
	out := bytes.Clone(db)
	page := int(binary.BigEndian.Uint16(out[16:18]))
	copy(out[page:page+64], bytes.Repeat([]byte{0xA5}, 64))
	return out
}
