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
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
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
