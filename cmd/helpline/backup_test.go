package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"helpline/store"
)

// departmentNames opens the desk at db as a second Store, which a running
// server allows, and lists its departments.
func departmentNames(t *testing.T, db string) []string {
	t.Helper()
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	depts, err := st.Departments(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range depts {
		names = append(names, d.Name)
	}
	return names
}

func addDepartment(t *testing.T, db, name string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	owner, err := st.AgentByEmail(ctx, "owner@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateDepartment(ctx, owner.ID, store.DepartmentInput{Name: name}); err != nil {
		t.Fatal(err)
	}
}

// A desk is backed up while its server runs, can't be restored until the
// server stops, then is restored to what the backup held.
func TestBackupAndRestore_BackUpARunningDeskRestoreOnlyOnceItStops(t *testing.T) {
	dir := t.TempDir()
	db, backup := filepath.Join(dir, "data", "helpline.db"), filepath.Join(dir, "backups", "monday.db")
	noEnv := func(string) string { return "" }
	ctx := context.Background()
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	hash, err := store.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SignUp(ctx, store.SignUpInput{Company: "Acme", Name: "Olivia Owner", Email: "owner@example.com", PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	addDepartment(t, db, "Support")

	serveCtx, stopServer := context.WithCancel(ctx)
	defer stopServer()
	var serverOut, serverErr syncBuffer
	served := make(chan error, 1)
	go func() {
		served <- run(serveCtx, []string{"--addr", "127.0.0.1:0", "--db", db}, noEnv, &serverOut, &serverErr)
	}()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(serverOut.String(), "serving"); time.Sleep(5 * time.Millisecond) {
		select {
		case err := <-served:
			t.Fatalf("server stopped before serving: %v\n%s", err, serverErr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not start")
		}
	}

	var out strings.Builder
	if err := run(ctx, []string{"backup", "--db", db, "--to", backup}, noEnv, &out, io.Discard); err != nil {
		t.Fatalf("backup of a running desk: %v", err)
	}
	if line := out.String(); !strings.HasPrefix(line, "Backed up "+db+" to "+backup+" (") || strings.Count(line, "\n") != 1 {
		t.Fatalf("backup printed %q, want one line with the file and its size", line)
	}
	if err := run(ctx, []string{"backup", "--db", db, "--to", backup}, noEnv, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("second backup to the same file: %v, want it refused", err)
	}
	addDepartment(t, db, "Made after the backup")

	err = run(ctx, []string{"restore", "--from", backup}, func(k string) string {
		if k == "HELPLINE_DB" {
			return db
		}
		return ""
	}, io.Discard, io.Discard)
	if !errors.Is(err, store.ErrInUse) || !strings.Contains(err.Error(), "stop the Helpline server") {
		t.Fatalf("restore under a running server: %v, want it refused", err)
	}

	stopServer()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("server: %v\n%s", err, serverErr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("server did not stop")
	}
	out.Reset()
	if err := run(ctx, []string{"restore", "--from", backup}, func(k string) string {
		if k == "HELPLINE_DB" {
			return db
		}
		return ""
	}, &out, io.Discard); err != nil {
		t.Fatalf("restore once the server stopped: %v", err)
	}
	if line := out.String(); !strings.HasPrefix(line, "Restored "+db+" from "+backup+" (") || strings.Count(line, "\n") != 1 {
		t.Fatalf("restore printed %q, want one line with the file and its size", line)
	}
	// Sign-up made General; Support was added before the backup.
	if names := departmentNames(t, db); !slices.Equal(names, []string{"General", "Support"}) {
		t.Fatalf("restored desk has departments %v, want General and Support, as when backed up", names)
	}
}

func TestBackupAndRestore_RefuseMissingFilesAndStrayArguments(t *testing.T) {
	dir := t.TempDir()
	noEnv := func(string) string { return "" }
	missing := filepath.Join(dir, "nowhere.db")
	for _, args := range [][]string{
		{"backup", "--db", missing, "--to", filepath.Join(dir, "b.db")},
		{"backup", "--db", missing},
		{"backup", "--db", missing, filepath.Join(dir, "b.db")},
		{"restore", "--db", filepath.Join(dir, "r.db")},
		{"restore", "--db", filepath.Join(dir, "r.db"), "--from", missing},
		{"restore", "--from", missing, "--no-such-flag"},
	} {
		if err := run(context.Background(), args, noEnv, io.Discard, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("refused commands left %v behind", entries)
	}
}
