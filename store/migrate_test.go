package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pressly/goose/v3"
)

// shippedMigrations copies the program's SQLite migrations whose number
// keep accepts into a file system a test can add to.
func shippedMigrations(t *testing.T, keep func(version int64) bool) fstest.MapFS {
	t.Helper()
	dir, err := fs.Sub(migrationFiles, sqliteMigrations)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := fs.ReadDir(dir, ".")
	if err != nil {
		t.Fatal(err)
	}
	files := fstest.MapFS{}
	for _, e := range entries {
		if v := migrationNumber(t, e.Name()); keep(v) {
			body, err := fs.ReadFile(dir, e.Name())
			if err != nil {
				t.Fatal(err)
			}
			files[e.Name()] = &fstest.MapFile{Data: body}
		}
	}
	return files
}

func migrationNumber(t *testing.T, name string) int64 {
	t.Helper()
	num, _, _ := strings.Cut(name, "_")
	v, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		t.Fatalf("migration %q: name must start with a number and _", name)
	}
	return v
}

func all(int64) bool { return true }

func shippedVersions(t *testing.T) []int64 {
	t.Helper()
	var out []int64
	for name := range shippedMigrations(t, all) {
		out = append(out, migrationNumber(t, name))
	}
	slices.Sort(out)
	return out
}

// createTable is a migration that adds one table.
func createTable(name string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("-- +goose Up\nCREATE TABLE " + name + " (id INTEGER PRIMARY KEY);\n")}
}

func openTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func appliedMigrations(t *testing.T, s *Store) []int64 {
	t.Helper()
	rows, err := s.r.Query(`SELECT version_id FROM goose_db_version WHERE version_id > 0 ORDER BY version_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func hasTable(t *testing.T, s *Store, name string) bool {
	t.Helper()
	var n int
	if err := s.r.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// migrateByUserVersion builds a database as the runner before goose did:
// each migration it knew up to upTo run whole, then PRAGMA user_version.
func migrateByUserVersion(t *testing.T, s *Store, upTo int64) {
	t.Helper()
	ctx := context.Background()
	files := shippedMigrations(t, func(v int64) bool { return slices.Contains(userVersionMigrations, v) && v <= upTo })
	for _, v := range userVersionMigrations {
		if v > upTo {
			break
		}
		for name, f := range files {
			if migrationNumber(t, name) != v {
				continue
			}
			if _, err := s.w.ExecContext(ctx, string(f.Data)); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if _, err := s.w.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMigrate_FromZeroAppliesEveryMigrationOnce(t *testing.T) {
	s := newSQLiteStore(t)
	ctx := context.Background()
	want := shippedVersions(t)
	if got := appliedMigrations(t, s); !slices.Equal(got, want) {
		t.Fatalf("applied %v, want %v", got, want)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || int64(v) != want[len(want)-1] {
		t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, want[len(want)-1])
	}
	// A second run changes nothing and does not fail on existing tables.
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if got := appliedMigrations(t, s); !slices.Equal(got, want) {
		t.Fatalf("after a second run applied %v, want %v", got, want)
	}
	for _, table := range []string{"agents", "account", "sessions", "audit_log", "secrets", "departments", "department_members", "password_tokens", "tickets", "messages"} {
		if !hasTable(t, s, table) {
			t.Errorf("table %s missing", table)
		}
	}
}

func TestMigrate_AppliesALowerNumberedMigrationAddedLater(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	files := shippedMigrations(t, all)
	if err := s.migrate(ctx, files); err != nil {
		t.Fatal(err)
	}
	// A branch merged after the database moved past its number.
	files["0003_late_arrival.sql"] = createTable("late_arrival")
	gen := s.Generation()
	if err := s.migrate(ctx, files); err != nil {
		t.Fatal(err)
	}
	if !hasTable(t, s, "late_arrival") {
		t.Fatal("migration 0003 added after 0005 was skipped")
	}
	want := append([]int64{3}, shippedVersions(t)...)
	slices.Sort(want)
	if got := appliedMigrations(t, s); !slices.Equal(got, want) {
		t.Fatalf("applied %v, want %v", got, want)
	}
	if s.Generation() == gen {
		t.Error("the generation stayed after the schema changed, so kept reads would be served")
	}
}

func TestMigrate_AdoptsADatabaseOfTheUserVersionRunner(t *testing.T) {
	for _, tc := range []struct {
		name        string
		userVersion int64
		extra       fstest.MapFS
		wantApplied []int64
		wantTables  []string
	}{
		{name: "up to date", userVersion: 5},
		{name: "behind", userVersion: 2, wantTables: []string{"tickets"}},
		{
			// The runner before goose would have skipped 0003: it never ran there.
			name: "a lower number added since", userVersion: 5,
			extra:       fstest.MapFS{"0003_late_arrival.sql": createTable("late_arrival")},
			wantApplied: []int64{3}, wantTables: []string{"late_arrival"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTestStore(t)
			ctx := context.Background()
			migrateByUserVersion(t, s, tc.userVersion)
			// An agent written as the old schema had them.
			for _, q := range []string{
				`INSERT INTO agents (id, name, email, role, status, created_at, updated_at) VALUES (1, 'Olga', 'olga@example.com', 'owner', 'active', 0, 0)`,
				`INSERT INTO account (id, company_name, creator_id, created_at) VALUES (1, 'Acme', 1, 0)`,
			} {
				if _, err := s.w.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			owner := Agent{ID: 1}
			files := shippedMigrations(t, all)
			maps.Copy(files, tc.extra)
			if err := s.migrate(ctx, files); err != nil {
				t.Fatal(err)
			}
			// Every shipped migration and the late ones are recorded.
			want := append(append([]int64{}, tc.wantApplied...), shippedVersions(t)...)
			slices.Sort(want)
			if got := appliedMigrations(t, s); !slices.Equal(got, want) {
				t.Fatalf("applied %v, want %v", got, want)
			}
			for _, table := range tc.wantTables {
				if !hasTable(t, s, table) {
					t.Errorf("table %s missing", table)
				}
			}
			if _, err := s.AgentByID(ctx, owner.ID); err != nil {
				t.Errorf("the agent made before adoption: %v", err)
			}
			// Adopted once: the next run finds goose's table and runs nothing.
			if err := s.migrate(ctx, files); err != nil {
				t.Fatalf("second migrate: %v", err)
			}
		})
	}
}

func TestMigrate_RefusesADatabaseWithAMigrationItDoesNotHave(t *testing.T) {
	t.Run("recorded by goose", func(t *testing.T) {
		s := openTestStore(t)
		ctx := context.Background()
		newer := shippedMigrations(t, all)
		// Far above any shipped number, so it stays unknown as migrations are added.
		newer["9000_from_a_newer_helpline.sql"] = createTable("from_a_newer_helpline")
		if err := s.migrate(ctx, newer); err != nil {
			t.Fatal(err)
		}
		err := s.Migrate(ctx)
		var unknown ErrUnknownMigrations
		if !errors.As(err, &unknown) || !slices.Equal(unknown.Versions, []int64{9000}) {
			t.Fatalf("Migrate = %v, want ErrUnknownMigrations{9000}", err)
		}
		if !strings.Contains(err.Error(), "(9000)") {
			t.Errorf("the error %q does not name the migration", err)
		}
	})
	t.Run("by the user_version runner", func(t *testing.T) {
		s := openTestStore(t)
		ctx := context.Background()
		migrateByUserVersion(t, s, 5)
		if _, err := s.w.ExecContext(ctx, `PRAGMA user_version = 7`); err != nil {
			t.Fatal(err)
		}
		err := s.Migrate(ctx)
		var unknown ErrUnknownMigrations
		if !errors.As(err, &unknown) || !slices.Equal(unknown.Versions, []int64{7}) {
			t.Fatalf("Migrate = %v, want ErrUnknownMigrations{7}", err)
		}
		if hasTable(t, s, "goose_db_version") {
			t.Error("a refused database was adopted")
		}
	})
}

func TestMigrate_AFailingMigrationLeavesNothingBehind(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	files := shippedMigrations(t, all)
	files["9999_half_done.sql"] = &fstest.MapFile{Data: []byte("-- +goose Up\n" +
		"CREATE TABLE half_done (id INTEGER PRIMARY KEY);\n" +
		"INSERT INTO no_such_table (id) VALUES (1);\n")}
	if err := s.migrate(ctx, files); err == nil {
		t.Fatal("a failing migration was reported applied")
	}
	if hasTable(t, s, "half_done") {
		t.Error("the failed migration's first statement stayed")
	}
	if got, want := appliedMigrations(t, s), shippedVersions(t); !slices.Equal(got, want) {
		t.Errorf("applied %v, want the migrations before it, %v", got, want)
	}
}

// A migration number names one change: where both engines have it, it is
// the same change (the same file name), and a change one engine alone
// needs takes a number the other skips.
func TestMigrations_ANumberIsOneChangeOnBothEngines(t *testing.T) {
	names := map[int64]string{}
	for _, dir := range []string{sqliteMigrations, postgresMigrations} {
		entries, err := fs.ReadDir(migrationFiles, dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			v, err := goose.NumericComponent(e.Name())
			if err != nil {
				t.Fatalf("%s/%s: %v", dir, e.Name(), err)
			}
			if prev, ok := names[v]; ok && prev != e.Name() && v >= 8 {
				t.Errorf("migration %d is %s on one engine and %s on the other", v, prev, e.Name())
			}
			names[v] = e.Name()
		}
	}
}
