// Package storetest gives tests a fresh, empty database on the engine the
// test run is for: SQLite by default, PostgreSQL when
// HELPLINE_TEST_ENGINE=postgres, on the server HELPLINE_TEST_POSTGRES names
// (make test-postgres starts one). Each test gets its own database, dropped
// when the test ends.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Postgres reports whether this test run is for PostgreSQL.
func Postgres() bool { return os.Getenv("HELPLINE_TEST_ENGINE") == "postgres" }

// Engine names the engine of this test run, for messages.
func Engine() string {
	if Postgres() {
		return "postgres"
	}
	return "sqlite"
}

// DSN makes a new empty database for t and returns its address: a file in
// t's temporary folder, or a PostgreSQL database dropped at the end of t.
// On a PostgreSQL run without a server to use, t fails: a run meant for
// PostgreSQL never passes by testing nothing.
func DSN(t testing.TB) string {
	t.Helper()
	if !Postgres() {
		return filepath.Join(t.TempDir(), "test.db")
	}
	base := os.Getenv("HELPLINE_TEST_POSTGRES")
	if base == "" {
		t.Fatal("HELPLINE_TEST_ENGINE=postgres needs HELPLINE_TEST_POSTGRES (postgres://user@host:port/db); make test-postgres starts a server")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("HELPLINE_TEST_POSTGRES: %v", err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := fmt.Sprintf("helpline_test_%x", b)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	create := `CREATE DATABASE ` + name
	if schema.prepare != nil {
		tmpl, err := template(ctx, admin, u)
		if err != nil {
			t.Fatalf("prepare the test schema: %v", err)
		}
		create += ` TEMPLATE ` + tmpl + ` STRATEGY FILE_COPY`
	}
	if _, err := admin.ExecContext(ctx, create); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() { drop(t, base, name) })
	u.Path = "/" + name
	return u.String()
}

func drop(t testing.TB, base, name string) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Error(err)
		return
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
		t.Errorf("drop test database %s: %v", name, err)
	}
}

// schema, when set by UseSchema, is how a new database gets the desk's
// schema; DSN then copies new databases from one template that has it,
// which is several times faster than migrating each.
var schema struct {
	key     string
	prepare func(dsn string) error
	once    sync.Once
	name    string
	err     error
}

// UseSchema makes DSN give PostgreSQL databases that already hold the
// schema named key (any name that changes when the schema does), which
// prepare builds on an empty database. Call it from an init function of a
// package's tests; the template stays on the server for the next run.
func UseSchema(key string, prepare func(dsn string) error) {
	schema.key, schema.prepare = key, prepare
}

// template makes, once per test process, the template database of the
// schema, unless another process has made it already.
func template(ctx context.Context, admin *sql.DB, base *url.URL) (string, error) {
	schema.once.Do(func() { schema.name, schema.err = makeTemplate(ctx, admin, base) })
	return schema.name, schema.err
}

func makeTemplate(ctx context.Context, admin *sql.DB, base *url.URL) (string, error) {
	name := "helpline_tmpl_" + schema.key
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	// Test processes of several packages start together: one makes it.
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7243)`); err != nil {
		return "", err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(7243)`)
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil || n == 1 {
		return name, err
	}
	building := name + "_new"
	if _, err := conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+building+` WITH (FORCE)`); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+building); err != nil {
		return "", err
	}
	u := *base
	u.Path = "/" + building
	if err := schema.prepare(u.String()); err != nil {
		return "", err
	}
	_, err = conn.ExecContext(ctx, `ALTER DATABASE `+building+` RENAME TO `+name)
	return name, err
}

// Eventually polls cond for up to two seconds and fails t if it never
// holds: a change made through one instance reaches another through a
// database notification, within milliseconds but not within the same call.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 2 s for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
