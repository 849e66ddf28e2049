package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"helpline/store"
	"helpline/store/storetest"
)

// TestDemo_FillsTheDatabaseNamed: --db names the database on either engine;
// a PostgreSQL address in HELPLINE_DB is filled too, shown without its
// password, and a second demo there is refused.
func TestDemo_FillsTheDatabaseNamed(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.DSN(t)
	args, env := []string{"demo", "--tickets", "30", "--password", "demo password"}, noEnvAt
	if store.IsPostgres(dsn) {
		env = func(k string) string {
			if k == "HELPLINE_DB" {
				return dsn
			}
			return ""
		}
	} else {
		args = append(args, "--db", dsn)
	}
	var out bytes.Buffer
	if err := run(ctx, args, env, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenSQL(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tickets int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM tickets`).Scan(&tickets); err != nil || tickets != 30 {
		t.Fatalf("%d tickets in the demo desk, %v", tickets, err)
	}
	if !strings.Contains(out.String(), "Done in") {
		t.Fatalf("the demo did not say it is done:\n%s", out.String())
	}
	if shown := redactDB("postgres://helpline:s3cret@db.example:5432/desk"); strings.Contains(shown, "s3cret") {
		t.Fatalf("the demo shows a database's password: %s", shown)
	}
	if err := run(ctx, args, env, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "already holds a desk") {
		t.Fatalf("a second demo into the same database: %v", err)
	}
}
