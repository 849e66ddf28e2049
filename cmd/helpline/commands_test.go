package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"helpline/store"
)

func noEnvAt(string) string { return "" }

// TestCommandLine_UnknownCommandsAndStrayArgumentsAreRefusedWithUsage runs the
// built binary: a typo or a stray word exits with status 2 and the usage,
// instead of starting a server on 8080.
func TestCommandLine_UnknownCommandsAndStrayArgumentsAreRefusedWithUsage(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "helpline")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	db := filepath.Join(t.TempDir(), "desk.db")
	for _, args := range [][]string{
		{"sevre"},
		{"--db", db, "extra"},
		{"serve", "--addr", "127.0.0.1:0", "--db", db, "stray"},
		{"demo", "--db", db, "--nope"},
		{"backup", "--db", db},
		{"migrate-to", "--db", db},
		{"migrate-to", "mysql://host/desk", "--db", db},
		{"reset-password", "--db", db},
		{"reset-password", "--db", db, "a@example.com", "b@example.com"},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 {
			t.Errorf("helpline %v: %v, want exit status 2", args, err)
			continue
		}
		if !strings.Contains(stderr.String(), "Usage:") {
			t.Errorf("helpline %v printed no usage:\n%s", args, stderr.String())
		}
	}
	out, err := exec.Command(bin, "help").Output()
	if err != nil || !strings.Contains(string(out), "helpline reset-password") {
		t.Fatalf("helpline help: %v\n%s", err, out)
	}
	if _, err := os.Stat(db); err == nil {
		t.Fatal("a refused command line created the database")
	}
}

// TestResetPassword_PrintsAOneTimeLinkEndsSessionsAndIsAudited is the way
// back in for the only Owner.
func TestResetPassword_PrintsAOneTimeLinkEndsSessionsAndIsAudited(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "desk.db")
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	hash, err := store.HashPassword("forgotten password")
	if err != nil {
		t.Fatal(err)
	}
	owner, err := st.SignUp(ctx, store.SignUpInput{Company: "Acme", Name: "Olga Owner", Email: "olga@example.com", PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSession(ctx, "tok", owner.ID, false, "", ""); err != nil {
		t.Fatal(err)
	}
	st.Close()

	var out bytes.Buffer
	err = run(ctx, []string{"reset-password", "--db", db, "--base-url", "https://help.example.com/", "OLGA@example.com"}, noEnvAt, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`https://help\.example\.com/set-password/(\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no link in:\n%s", out.String())
	}
	st, err = store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if se, err := st.SessionByToken(ctx, "tok"); err != nil || se.EndedReason != store.EndPasswordReset {
		t.Fatalf("the Owner's session: %+v, %v", se, err)
	}
	a, err := st.AgentByID(ctx, owner.ID)
	if err != nil || a.PasswordHash != "" {
		t.Fatalf("the old password still works: %v", err)
	}
	entries, err := st.AuditLog(ctx, 0, 10)
	if err != nil || len(entries) == 0 || entries[0].Action != store.ActionAgentPasswordResetOnServer {
		t.Fatalf("newest audit entry: %+v, %v", entries, err)
	}
	if _, err := st.SetPasswordWithLink(ctx, m[1], hash, ""); err != nil {
		t.Fatalf("the printed link does not work: %v", err)
	}
	if _, err := st.SetPasswordWithLink(ctx, m[1], hash, ""); !errors.Is(err, store.ErrLinkInvalid) {
		t.Fatalf("the link works twice: %v", err)
	}
	if err := run(ctx, []string{"reset-password", "--db", db, "nobody@example.com"}, noEnvAt, io.Discard, io.Discard); err == nil {
		t.Fatal("an unknown email got a link")
	}
}

// TestDemo_WritesItsOwnFileAndSaysHowToServeIt: make demo after make run
// works, and a second demo names the command that serves the first.
func TestDemo_WritesItsOwnFileAndSaysHowToServeIt(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"demo", "--tickets", "20", "--password", "demo password"}, func(k string) string {
		if k == "HELPLINE_DB" {
			return "data/helpline.db"
		}
		return ""
	}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, demoDB)); err != nil {
		t.Fatalf("the demo did not write %s: %v", demoDB, err)
	}
	if !strings.Contains(out.String(), "go run ./cmd/helpline --db "+demoDB) {
		t.Fatalf("the demo does not say how to serve it:\n%s", out.String())
	}
	err := run(context.Background(), []string{"demo", "--tickets", "5", "--password", "x"}, noEnvAt, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "go run ./cmd/helpline --db "+demoDB) {
		t.Fatalf("a second demo: %v", err)
	}
}
