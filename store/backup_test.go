package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// openDesk opens and migrates the desk at path, closed when the test ends.
func openDesk(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func ticketCodes(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.r.Query(`SELECT code FROM tickets`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var codes []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return codes
}

func wantIntegrityOK(t *testing.T, s *Store) {
	t.Helper()
	var res string
	if err := s.r.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check = %q, %v", res, err)
	}
}

// wantOnly fails unless dir holds exactly the named files (lock files aside).
func wantOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".lock") {
			got = append(got, e.Name())
		}
	}
	slices.Sort(names)
	if !slices.Equal(got, names) {
		t.Fatalf("%s holds %v, want %v", dir, got, names)
	}
}

func TestBackup_HoldsEveryTicketAcknowledgedBeforeItWhileWritersGoOn(t *testing.T) {
	s := newSQLiteStore(t)
	signUpOwner(t, s)
	dept := addDept(t, s, "Support")
	ctx := context.Background()

	var mu sync.Mutex
	var acked []string
	stop := make(chan struct{})
	errc := make(chan error, 4)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				code, err := s.CreateTicket(ctx, nil, NewTicketInput{Subject: fmt.Sprintf("Question %d from writer %d", n, w),
					Body: "Where is my parcel?", Channel: ChannelContactForm, Priority: PriorityNormal, DepartmentID: dept,
					ContactName: "Carla Customer", ContactEmail: fmt.Sprintf("carla%d@example.com", w)})
				if err != nil {
					errc <- err
					return
				}
				mu.Lock()
				acked = append(acked, code)
				mu.Unlock()
			}
		})
	}
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(acked)
	}
	stopWriters := func() {
		close(stop)
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatalf("a writer failed: %v", err)
		}
	}
	for deadline := time.Now().Add(20 * time.Second); count() < 300; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			stopWriters()
			t.Fatalf("only %d tickets written in 20 s", count())
		}
	}

	mu.Lock()
	before := slices.Clone(acked)
	mu.Unlock()
	dir := t.TempDir()
	to := filepath.Join(dir, "backup.db")
	err := s.Backup(ctx, to)
	during := count() - len(before)
	time.Sleep(20 * time.Millisecond) // writes after the backup, which it must not need
	stopWriters()
	if err != nil {
		t.Fatal(err)
	}
	total := count()
	t.Logf("%d tickets acknowledged before the backup, %d while it ran, %d in all", len(before), during, total)
	wantOnly(t, dir, "backup.db")

	c := openDesk(t, to)
	wantIntegrityOK(t, c)
	if !slices.Equal(appliedMigrations(t, c), appliedMigrations(t, s)) {
		t.Fatalf("the copy records migrations %v, the desk %v", appliedMigrations(t, c), appliedMigrations(t, s))
	}
	inCopy := ticketCodes(t, c)
	for _, code := range before {
		if !slices.Contains(inCopy, code) {
			t.Fatalf("ticket %s, acknowledged before the backup began, is not in it (%d of %d there)", code, len(inCopy), len(before))
		}
	}
	if len(inCopy) > total {
		t.Fatalf("the copy holds %d tickets, more than the %d ever acknowledged", len(inCopy), total)
	}
}

func TestBackup_RefusesAnExistingTarget(t *testing.T) {
	s := newSQLiteStore(t)
	dir := t.TempDir()
	to := filepath.Join(dir, "backup.db")
	if err := os.WriteFile(to, []byte("yesterday's backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(context.Background(), to); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("backup over an existing file: %v, want fs.ErrExist", err)
	}
	if b, _ := os.ReadFile(to); string(b) != "yesterday's backup" {
		t.Fatalf("the existing file now holds %q", b)
	}
	wantOnly(t, dir, "backup.db")
}

// placeNew is where a file that appears after Backup's first look is kept:
// the finished copy never replaces it.
func TestBackup_NeverReplacesAFileThatAppearsWhileItRuns(t *testing.T) {
	dir := t.TempDir()
	tmp, to := filepath.Join(dir, ".copy.tmp"), filepath.Join(dir, "backup.db")
	os.WriteFile(tmp, []byte("new"), 0o600)
	os.WriteFile(to, []byte("someone else's"), 0o600)
	if err := placeNew(tmp, to); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("placeNew over an existing file: %v", err)
	}
	if b, _ := os.ReadFile(to); string(b) != "someone else's" {
		t.Fatalf("the existing file now holds %q", b)
	}
}
