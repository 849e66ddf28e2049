package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"
)

// engine is one database the run measures: a SQLite file served by one
// instance, or a PostgreSQL database served by two.
type engine struct {
	name string // as the report names it
	// db is what the binary is given with --db: the SQLite file, or the
	// postgres:// address of the bench database.
	db        string
	instances int
}

func (e engine) postgres() bool {
	return strings.HasPrefix(e.db, "postgres://") || strings.HasPrefix(e.db, "postgresql://")
}

// open connects for reading the fixtures and counting stored tickets.
func (e engine) open() (*sql.DB, error) {
	if e.postgres() {
		return sql.Open("pgx", e.db)
	}
	return sql.Open("sqlite", "file:"+e.db+"?mode=ro&_pragma=busy_timeout(5000)")
}

// rebind turns the ? placeholders of a query into PostgreSQL's $1, $2, …
func (e engine) rebind(q string) string {
	if !e.postgres() {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// benchDatabase is the database of the PostgreSQL run on the server that
// --postgres names.
const benchDatabase = "helpline_bench_1m"

// withDatabase is address with its database name replaced.
func withDatabase(address, name string) (string, error) {
	u, err := url.Parse(address)
	if err != nil {
		return "", fmt.Errorf("--postgres %q: %w", address, err)
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return "", fmt.Errorf("--postgres %q: not a postgres:// address", address)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// ensurePostgres makes the bench database on the server unless it is there
// with the tickets already: built under another name by `helpline demo`,
// vacuumed and analysed, then renamed, so an interrupted build is never
// taken for a finished one. It returns the database's address.
func ensurePostgres(ctx context.Context, o options) (string, error) {
	final, err := withDatabase(o.postgres, benchDatabase)
	if err != nil {
		return "", err
	}
	building := benchDatabase + "_building"
	tmp, _ := withDatabase(o.postgres, building)
	admin, err := sql.Open("pgx", o.postgres)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	var exists bool
	if err := admin.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, benchDatabase).Scan(&exists); err != nil {
		return "", fmt.Errorf("postgres server %s: %w", redact(o.postgres), err)
	}
	if exists {
		n, err := storedTickets(ctx, final)
		if err == nil && n >= o.tickets {
			fmt.Fprintf(os.Stderr, "reusing PostgreSQL database %s (%s tickets)\n", benchDatabase, thousands(int64(n)))
			return final, nil
		}
		fmt.Fprintf(os.Stderr, "PostgreSQL database %s is incomplete (%d tickets, %v): making it again\n", benchDatabase, n, err)
		if _, err := admin.ExecContext(ctx, `DROP DATABASE `+benchDatabase+` WITH (FORCE)`); err != nil {
			return "", err
		}
	}
	if _, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+building+` WITH (FORCE)`); err != nil {
		return "", err
	}
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+building); err != nil {
		return "", fmt.Errorf("create database %s: %w", building, err)
	}
	start := time.Now()
	cmd := exec.CommandContext(ctx, o.bin, "demo", "--db", tmp, "--tickets", fmt.Sprint(o.tickets), "--password", o.password)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("demo data on PostgreSQL: %w", err)
	}
	took := time.Since(start).Round(time.Second)
	fmt.Fprintf(os.Stderr, "made PostgreSQL database %s in %v; vacuuming and analysing it\n", benchDatabase, took)
	if err := settle(ctx, tmp); err != nil {
		return "", err
	}
	if _, err := admin.ExecContext(ctx, `ALTER DATABASE `+building+` RENAME TO `+benchDatabase); err != nil {
		return "", err
	}
	return final, nil
}

// settle leaves a freshly filled database as a running desk would have it:
// visibility maps set (so index-only scans stay in the index), statistics
// current and the dirty pages written, so neither the first page views nor
// autovacuum pay for the load during the measurement.
func settle(ctx context.Context, address string) error {
	db, err := sql.Open("pgx", address)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM (ANALYZE)`); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	// CHECKPOINT needs a superuser or pg_checkpoint; without, the server
	// writes the pages in its own time.
	db.ExecContext(ctx, `CHECKPOINT`)
	return nil
}

func storedTickets(ctx context.Context, address string) (int, error) {
	db, err := sql.Open("pgx", address)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, `SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM ticket_counts`).Scan(&n)
	return n, err
}

// serverVersion names the PostgreSQL server and the settings that bear on
// the figures (durability, memory), for the report.
func serverVersion(ctx context.Context, address string) (version, settings string) {
	db, err := sql.Open("pgx", address)
	if err != nil {
		return "", ""
	}
	defer db.Close()
	db.QueryRowContext(ctx, `SHOW server_version`).Scan(&version)
	if f := strings.Fields(version); len(f) > 0 {
		version = f[0]
	}
	var parts []string
	for _, name := range []string{"fsync", "synchronous_commit", "shared_buffers"} {
		var v string
		if db.QueryRowContext(ctx, `SHOW `+name).Scan(&v) == nil {
			parts = append(parts, "`"+name+" = "+v+"`")
		}
	}
	return version, strings.Join(parts, ", ")
}

// redact hides a password in an address for messages.
func redact(address string) string {
	u, err := url.Parse(address)
	if err != nil {
		return "(address)"
	}
	return u.Redacted()
}
