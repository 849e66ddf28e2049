package main

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"helpline/authz"
	"helpline/demo"
	"helpline/store"
)

// runDemo fills a new database with a sample desk and prints how to sign in.
func runDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	// The demo writes a file of its own, so it works beside a desk that
	// `make run` already signed up in data/helpline.db. A PostgreSQL
	// database in HELPLINE_DB is filled, as the server has no file of the
	// demo's own; a database that holds a desk is refused either way.
	db := demoDB
	if v := getenv("HELPLINE_DB"); store.IsPostgres(v) {
		db = v
	}
	fs := flag.NewFlagSet("helpline demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&db, "db", db, "SQLite database file to create, or an empty PostgreSQL database (postgres://…; HELPLINE_DB if it names one)")
	tickets := fs.Int("tickets", 1000, "number of tickets")
	departments := fs.Int("departments", 0, "number of departments (default 4, or 20 from 100,000 tickets)")
	agents := fs.Int("agents", 0, "number of Agents (default 12, or 200 from 100,000 tickets)")
	password := fs.String("password", "", "password of every demo account (default: a random one, printed)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same desk")
	if err := parseCommand(fs, args); err != nil {
		return err
	}
	if *tickets < 0 {
		return fmt.Errorf("--tickets must not be negative")
	}
	large := *tickets >= 100000
	if *departments == 0 {
		*departments = 4
		if large {
			*departments = 20
		}
	}
	if *agents == 0 {
		*agents = 12
		if large {
			*agents = 200
		}
	}
	if *password == "" {
		b := make([]byte, 10)
		rand.Read(b)
		*password = strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	}
	hash, err := store.HashPassword(*password)
	if err != nil {
		return err
	}
	st, err := openDesk(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	// The load allocates many short-lived rows; collecting less often
	// leaves the second core to the database.
	debug.SetGCPercent(400)
	start := time.Now()
	shown := redactDB(db)
	fmt.Fprintf(stdout, "Filling %s with %d departments, %d agents and %d tickets\n", shown, *departments, *agents, *tickets)
	accounts, err := demo.Fill(ctx, st, demo.Options{
		Tickets: *tickets, Departments: *departments, Agents: *agents, Admins: 2,
		PasswordHash: hash, Seed: *seed,
		Progress: func(done int) {
			el := time.Since(start)
			fmt.Fprintf(stdout, "\r  %d/%d tickets (%d%%) in %s   ", done, *tickets, done*100/max(*tickets, 1), el.Round(100*time.Millisecond))
		},
		Stage: func(step string) {
			fmt.Fprintf(stdout, "\n  %s at %s", step, time.Since(start).Round(100*time.Millisecond))
		},
	})
	if errors.Is(err, demo.ErrNotEmpty) {
		if store.IsPostgres(db) {
			return fmt.Errorf("%s already holds a desk: serve it with  %s  or name another database with --db", shown, serveCommand(shown))
		}
		return fmt.Errorf("%s already holds a desk: serve it with  %s  or remove it, or name another file with --db", db, serveCommand(db))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nDone in %s.\n\n", time.Since(start).Round(100*time.Millisecond))
	fmt.Fprintf(stdout, "Serve it with:  %s\n", serveCommand(shown))
	fmt.Fprintf(stdout, "Every demo account signs in with the password:  %s\n\n", *password)
	agentsShown := 0
	for _, a := range accounts {
		if a.Role == authz.RoleAgent {
			if agentsShown == 3 {
				fmt.Fprintf(stdout, "  … and more Agents: agent4@demo.example to agent%d@demo.example\n", *agents)
			}
			agentsShown++
			if agentsShown > 3 {
				continue
			}
		}
		line := fmt.Sprintf("  %-13s %-24s %s", roleName(a.Role), a.Email, a.Name)
		if len(a.Departments) > 0 {
			line += " (" + strings.Join(a.Departments, ", ") + ")"
		}
		fmt.Fprintln(stdout, line)
	}
	return nil
}

// demoDB is where `helpline demo` writes unless told otherwise.
const demoDB = "data/demo.db"

// redactDB is db as the demo shows it: a PostgreSQL address without its
// password.
func redactDB(db string) string {
	if !store.IsPostgres(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "the database"
	}
	return u.Redacted()
}

// serveCommand is how to serve db from a fresh clone, where no helpline is
// on the PATH.
func serveCommand(db string) string {
	if strings.ContainsAny(db, "?&;$ ") {
		db = "'" + db + "'" // a PostgreSQL address with parameters
	}
	return "go run ./cmd/helpline --db " + db + "   (or: HELPLINE_DB=" + db + " make run)"
}

func roleName(r authz.Role) string {
	switch r {
	case authz.RoleOwner:
		return "Owner"
	case authz.RoleAdmin:
		return "Administrator"
	}
	return "Agent"
}
