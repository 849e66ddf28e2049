package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"helpline/store"
)

// runBackup copies the database, which a server may be using, to a new file.
func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	db := defaultDB(getenv)
	fs := flag.NewFlagSet("helpline backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&db, "db", db, "SQLite database file to back up; a server may be using it (HELPLINE_DB)")
	to := fs.String("to", "", "file to write the backup to; it must not exist")
	if err := parseCommand(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return usageError{errors.New("backup: --to FILE is required")}
	}
	if store.IsPostgres(db) {
		return errPostgresBackup
	}
	// Open would make an empty desk where there is none.
	if _, err := os.Stat(db); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	st, err := store.Open(db)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, *to); err != nil {
		return err
	}
	fi, err := os.Stat(*to)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up %s to %s (%s)\n", db, *to, byteSize(fi.Size()))
	return nil
}

// runRestore puts a backup in place of the database, which no server may be
// using.
func runRestore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	db := defaultDB(getenv)
	fs := flag.NewFlagSet("helpline restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "backup file to restore")
	fs.StringVar(&db, "db", db, "SQLite database file to replace; stop the server using it first (HELPLINE_DB)")
	if err := parseCommand(fs, args); err != nil {
		return err
	}
	if *from == "" {
		return usageError{errors.New("restore: --from FILE is required")}
	}
	if store.IsPostgres(db) || store.IsPostgres(*from) {
		return errPostgresRestore
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := store.Restore(ctx, *from, db); err != nil {
		if errors.Is(err, store.ErrInUse) {
			return fmt.Errorf("%w: stop the Helpline server using it, then restore", err)
		}
		return err
	}
	fi, err := os.Stat(db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Restored %s from %s (%s)\n", db, *from, byteSize(fi.Size()))
	return nil
}

// A desk on PostgreSQL is backed up and restored with PostgreSQL's own
// tools, which copy a live database consistently too.
var (
	errPostgresBackup  = errors.New("backup: copies a SQLite desk; back up a desk on PostgreSQL with pg_dump, e.g.  pg_dump --format=custom --file=helpline.dump 'postgres://…'")
	errPostgresRestore = errors.New("restore: puts back a SQLite desk; restore a desk on PostgreSQL with pg_restore, e.g.  pg_restore --clean --if-exists --dbname='postgres://…' helpline.dump")
)

func defaultDB(getenv func(string) string) string {
	if v := getenv("HELPLINE_DB"); v != "" {
		return v
	}
	return "data/helpline.db"
}

// parseCommand parses a subcommand's flags and refuses stray arguments, such
// as a file named without its flag.
func parseCommand(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))}
	}
	return nil
}

// byteSize is n bytes in the largest unit that keeps it at least 1.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	v, i := float64(n)/unit, 0
	for v >= unit && i < 3 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %s", v, []string{"KiB", "MiB", "GiB", "TiB"}[i])
}
