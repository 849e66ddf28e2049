package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"helpline/store"
)

// runMigrateTo moves a desk from its SQLite file into a new PostgreSQL
// database: every table, ids kept, checked by counting both sides at the end.
func runMigrateTo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	db := defaultDB(getenv)
	fs := flag.NewFlagSet("helpline migrate-to", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&db, "db", db, "SQLite database file of the desk to move; stop the server using it first (HELPLINE_DB)")
	// The address comes first, the flags before or after it.
	err := fs.Parse(args)
	if err == nil && fs.NArg() > 0 {
		rest := fs.Args()
		err = fs.Parse(rest[1:])
		args = append([]string{rest[0]}, fs.Args()...)
	} else {
		args = fs.Args()
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if len(args) != 1 {
		return usageError{errors.New("migrate-to: give the PostgreSQL database to move the desk into, once")}
	}
	target := args[0]
	// The address is not repeated: it may hold a password.
	u, err := url.Parse(target)
	if !store.IsPostgres(target) || err != nil || u.Path == "" || u.Path == "/" {
		return usageError{errors.New("migrate-to: the desk moves into a PostgreSQL database named as postgres://user:password@host:5432/database")}
	}
	if store.IsPostgres(db) {
		return usageError{errors.New("migrate-to: --db must name the SQLite file of the desk to move, not a PostgreSQL database")}
	}
	// Open would make an empty desk where there is none.
	if _, err := os.Stat(db); err != nil {
		return fmt.Errorf("migrate-to: %w", err)
	}
	if store.SQLiteInUse(db) {
		return fmt.Errorf("migrate-to: %s: %w: stop the Helpline server using it, then move it", db, store.ErrInUse)
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	from, err := store.Open(db)
	if err != nil {
		return err
	}
	defer from.Close()
	to, err := openDesk(ctx, target)
	if err != nil {
		return err
	}
	defer to.Close()

	shown := u.Redacted()
	start := time.Now()
	last := start
	fmt.Fprintf(stderr, "Moving %s to %s\n", db, shown)
	tables, err := store.CopyDesk(ctx, from, to, store.CopyOptions{
		MovedFrom: db,
		Progress: func(table string, rows int64) {
			now := time.Now()
			took := now.Sub(last).Round(time.Millisecond)
			last = now
			switch table {
			case store.CopyIndexes:
				fmt.Fprintf(stderr, "  %d indexes built  %s\n", rows, took)
			case store.CopyReferences:
				fmt.Fprintf(stderr, "  %d references checked  %s\n", rows, took)
			default:
				fmt.Fprintf(stderr, "  %-24s %10d rows  %s\n", table, rows, took)
			}
		},
	})
	var notEmpty store.ErrTargetNotEmpty
	if errors.As(err, &notEmpty) {
		return fmt.Errorf("migrate-to: %s already holds a desk (rows in %s); move into a new, empty database", shown, notEmpty.Table)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Moved %s to %s in %s. Rows on both sides:\n", db, shown, time.Since(start).Round(100*time.Millisecond))
	for _, t := range tables {
		switch {
		case t.Rebuilt:
			fmt.Fprintf(stdout, "  %-24s %10d rebuilt on PostgreSQL, as the copied rows require\n", t.Name, t.Target)
		case t.Added > 0:
			fmt.Fprintf(stdout, "  %-24s %10d = %d, and %d entry saying the desk moved\n", t.Name, t.Source, t.Target-t.Added, t.Added)
		default:
			fmt.Fprintf(stdout, "  %-24s %10d = %d\n", t.Name, t.Source, t.Target)
		}
	}
	fmt.Fprintf(stdout, "Every table matches. Serve the desk from PostgreSQL: give the server the same address with --db or HELPLINE_DB.\n")
	return nil
}
