package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	"github.com/pressly/goose/v3/lock"
)

// Each engine has its own migrations: migrations/sqlite and
// migrations/postgres hold the same data model, each in its engine's SQL.
// PostgreSQL's start at 0007, the whole schema of SQLite's 0001–0007 in one
// file. From 0008 on the numbers are shared: a change to the data model gets
// one number on both engines, and a change one engine alone needs (an index
// only PostgreSQL's planner wants, as 0009) takes a number the other skips.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// migrationSource is the engine's folder of migrations and goose's name for
// its dialect.
func (s *Store) migrationSource() (string, goose.Dialect) {
	if s.pg {
		return postgresMigrations, goose.DialectPostgres
	}
	return sqliteMigrations, goose.DialectSQLite3
}

const (
	sqliteMigrations   = "migrations/sqlite"
	postgresMigrations = "migrations/postgres"
)

// userVersionMigrations are the migrations the runner before goose knew. It
// applied them in number order and kept only the highest in PRAGMA
// user_version, so a database it made holds exactly those numbered up to its
// user_version. A lower number added since (0003 was left free for work in
// parallel) was never applied there and must still run.
var userVersionMigrations = []int64{1, 2, 4, 5}

// ErrUnknownMigrations refuses a database on which migrations this program
// does not have were applied: a newer Helpline has run on it, and this one
// was not written for its schema.
type ErrUnknownMigrations struct{ Versions []int64 }

func (e ErrUnknownMigrations) Error() string {
	nums := make([]string, len(e.Versions))
	for i, v := range e.Versions {
		nums[i] = strconv.FormatInt(v, 10)
	}
	return fmt.Sprintf("store: the database has migrations this program does not have (%s); a newer Helpline has run on it", strings.Join(nums, ", "))
}

// Migrate applies every migration in migrations/sqlite that the database has
// not recorded as applied, each in its own transaction together with its
// record in goose's table. A migration numbered below ones already applied,
// as when branches merge, is applied too rather than skipped. Files are
// never edited once shipped.
func (s *Store) Migrate(ctx context.Context) error {
	dir, _ := s.migrationSource()
	files, err := fs.Sub(migrationFiles, dir)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if err := s.migrate(ctx, files); err != nil {
		return err
	}
	return s.keepReportZone(ctx)
}

// migrate applies the migrations in files (NNNN_name.sql at its root); tests
// pass their own.
func (s *Store) migrate(ctx context.Context, files fs.FS) error {
	_, dialect := s.migrationSource()
	versions, err := database.NewStore(dialect, goose.DefaultTablename)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	opts := []goose.ProviderOption{
		goose.WithAllowOutofOrder(true),
		goose.WithDisableGlobalRegistry(true),
		goose.WithSlog(slog.New(slog.DiscardHandler)),
	}
	if s.pg {
		// Instances starting together on one database take turns: the
		// first applies what is missing, the others then find nothing to do.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return fmt.Errorf("store: migrations: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	// On SQLite goose runs on the writer pool's one connection, holding it
	// while it works, so no other write can interleave.
	p, err := goose.NewProvider(dialect, s.w, files, opts...)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	var known []int64
	for _, src := range p.ListSources() {
		known = append(known, src.Version)
	}
	if err := s.checkRecordedMigrations(ctx, versions, known); err != nil {
		return err
	}
	// The schema changes under any read kept in memory: drop them, also when
	// a migration fails after others committed.
	defer s.mem.gen.Add(1)
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	s.beforePlugins.Store(!slices.Contains(known, pluginsMigration))
	return nil
}

// checkRecordedMigrations adopts a database made by the runner before goose,
// then refuses one on which a migration not in known was applied.
func (s *Store) checkRecordedMigrations(ctx context.Context, versions database.Store, known []int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		tables := 0
		q := `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`
		if s.pg {
			q = `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?`
		}
		if err := tx.QueryRowContext(ctx, q, versions.Tablename()).Scan(&tables); err != nil {
			return fmt.Errorf("store: find the migrations table: %w", err)
		}
		if tables == 0 && s.pg {
			return nil // a new database: goose makes its table
		}
		if tables == 0 {
			var userVersion int64
			if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&userVersion); err != nil {
				return fmt.Errorf("store: read schema version: %w", err)
			}
			if userVersion == 0 {
				return nil // a new database: goose makes its table
			}
			if err := adoptUserVersion(ctx, tx, versions, userVersion); err != nil {
				return err
			}
		}
		recorded, err := versions.ListMigrations(ctx, tx)
		if err != nil {
			return fmt.Errorf("store: list applied migrations: %w", err)
		}
		var unknown []int64
		for _, m := range recorded {
			if m.Version != 0 && !slices.Contains(known, m.Version) {
				unknown = append(unknown, m.Version)
			}
		}
		if len(unknown) > 0 {
			slices.Sort(unknown)
			return ErrUnknownMigrations{Versions: slices.Compact(unknown)}
		}
		return nil
	})
}

// adoptUserVersion records in goose's table the migrations the runner before
// goose applied, without running them again. user_version stays as it was:
// once the table exists nothing reads it.
func adoptUserVersion(ctx context.Context, tx *sql.Tx, versions database.Store, userVersion int64) error {
	if last := userVersionMigrations[len(userVersionMigrations)-1]; userVersion > last {
		return ErrUnknownMigrations{Versions: []int64{userVersion}}
	}
	if err := versions.CreateVersionTable(ctx, tx); err != nil {
		return fmt.Errorf("store: create the migrations table: %w", err)
	}
	// Version 0 is the row goose writes with its table and expects to find.
	for _, v := range append([]int64{0}, userVersionMigrations...) {
		if v > userVersion {
			break
		}
		if err := versions.Insert(ctx, tx, database.InsertRequest{Version: v}); err != nil {
			return fmt.Errorf("store: record migration %d: %w", v, err)
		}
	}
	return nil
}

// SchemaVersion reports the highest migration number applied. Migrations
// numbered below it may have been applied after it, out of order.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.rd.QueryRowContext(ctx, `SELECT coalesce(max(version_id), 0) FROM `+goose.DefaultTablename).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("store: read schema version: %w", err)
	}
	return v, nil
}

// PostgresSchemaKey names the schema this program's PostgreSQL migrations
// build: it changes whenever one of them does. Tests keep a template
// database of the schema under it (storetest.UseSchema).
func PostgresSchemaKey() string {
	h := sha256.New()
	entries, _ := fs.ReadDir(migrationFiles, postgresMigrations)
	for _, e := range entries {
		b, _ := fs.ReadFile(migrationFiles, postgresMigrations+"/"+e.Name())
		h.Write([]byte(e.Name()))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// PrepareSchema applies the migrations to the empty database at dsn and
// closes it, for tests that copy it as a template.
func PrepareSchema(dsn string) error {
	s, err := Open(dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Migrate(context.Background())
}
