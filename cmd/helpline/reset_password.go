package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"helpline/store"
	"helpline/views"
)

// runResetPassword prints a one-time link for the agent with that email to
// choose a new password: the way back in when nobody who could reset it in
// the console can sign in (the only Owner forgot theirs). It needs access to
// the server's database, which is the proof of being allowed.
func runResetPassword(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	db := defaultDB(getenv)
	base := getenv("HELPLINE_BASE_URL")
	fs := flag.NewFlagSet("helpline reset-password", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&db, "db", db, "SQLite database file of the desk (HELPLINE_DB)")
	fs.StringVar(&base, "base-url", base, "address people open the console at; the link is built on it (HELPLINE_BASE_URL)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() != 1 {
		return usageError{errors.New("reset-password: give the agent's email, once")}
	}
	email := fs.Arg(0)
	if base == "" {
		base = "http://127.0.0.1:8080"
	}
	base = strings.TrimSuffix(base, "/")
	if _, err := os.Stat(db); err != nil {
		return fmt.Errorf("reset-password: %w", err)
	}
	st, err := openDesk(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	a, token, err := st.ResetPasswordOnServer(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("reset-password: no agent has the email %q", email)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "The password of %s <%s> no longer works and their sessions have ended.\n", a.Name, a.Email)
	fmt.Fprintf(stdout, "This one-time link lets them choose a new one within %d hours:\n%s%s\n",
		int(store.PasswordLinkValid.Hours()), base, views.SetPasswordPath(token))
	return nil
}
