package store

import (
	"helpline/store/storetest"
	"path/filepath"

	"context"
	"database/sql"
	"errors"
	"fmt"
	"helpline/authz"
	"strings"
	"sync"
	"testing"
	"time"
)

func init() { storetest.UseSchema(PostgresSchemaKey(), PrepareSchema) }

// newTestStore opens a migrated store on a fresh database of the run's
// engine (storetest).
func newTestStore(t *testing.T) *Store {
	t.Helper()
	return openDesk(t, storetest.DSN(t))
}

// newSQLiteStore opens a migrated store on a SQLite file whatever the run's
// engine, for what only SQLite has (its pragmas, file backups).
func newSQLiteStore(t *testing.T) *Store {
	t.Helper()
	return openDesk(t, filepath.Join(t.TempDir(), "test.db"))
}

var testHash = func() string {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		panic(err)
	}
	return h
}()

func signUpOwner(t *testing.T, s *Store) Agent {
	t.Helper()
	a, err := s.SignUp(context.Background(), SignUpInput{Company: "Acme", Name: "Olivia Owner", Email: "Owner@Example.com", PasswordHash: testHash})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestOpen_PragmasOnBothPools(t *testing.T) {
	s := newSQLiteStore(t)
	for name, db := range map[string]*sql.DB{"writer": s.w, "reader": s.r} {
		var mode string
		var fk, sync, busy int
		db.QueryRow(`PRAGMA journal_mode`).Scan(&mode)
		db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
		db.QueryRow(`PRAGMA synchronous`).Scan(&sync)
		db.QueryRow(`PRAGMA busy_timeout`).Scan(&busy)
		if mode != "wal" || fk != 1 || sync != 1 || busy < 1000 {
			t.Errorf("%s: journal_mode=%s foreign_keys=%d synchronous=%d busy_timeout=%d", name, mode, fk, sync, busy)
		}
	}
	if n := s.w.Stats().MaxOpenConnections; n != 1 {
		t.Errorf("writer pool allows %d connections, want 1", n)
	}
}

func TestSignUp_CreatesOwnerAndAccountCreatorOnlyOnce(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	if ok, _ := s.HasAccount(ctx); ok {
		t.Fatal("fresh database has an account")
	}
	a := signUpOwner(t, s)
	if a.Role != authz.RoleOwner || !a.IsCreator || a.Email != "owner@example.com" || a.Status != StatusActive {
		t.Fatalf("first agent = %+v, want active owner and creator with lower-case email", a)
	}
	_, err := s.SignUp(ctx, SignUpInput{Company: "Evil", Name: "Mallory", Email: "m@example.com", PasswordHash: testHash})
	if !errors.Is(err, ErrSignUpClosed) {
		t.Fatalf("second sign-up: %v, want ErrSignUpClosed", err)
	}
	var n int
	s.r.QueryRow(`SELECT count(*) FROM agents`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d agents after refused sign-up, want 1", n)
	}
	acc, err := s.Account(ctx)
	if err != nil || acc.CompanyName != "Acme" || acc.CreatorID != a.ID {
		t.Fatalf("account = %+v, %v", acc, err)
	}
	log, _ := s.AuditLog(ctx, 0, 10)
	if len(log) != 2 || log[1].Action != ActionSignUp || log[1].ActorID != a.ID || log[0].Action != ActionDepartmentCreate {
		t.Fatalf("audit log after sign-up = %+v, want the sign-up and its first department", log)
	}
}

func TestSignUp_LeavesGeneralDepartmentWithTheOwnerServingTickets(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	depts, err := s.Departments(ctx)
	if err != nil || len(depts) != 1 || depts[0].Name != DefaultFirstDepartment {
		t.Fatalf("departments after sign-up = %+v, %v; want only %q", depts, err, DefaultFirstDepartment)
	}
	members, err := s.DepartmentMembers(ctx, depts[0].ID)
	if err != nil || len(members) != 1 || members[0].AgentID != o.ID || !members[0].Channels.Tickets {
		t.Fatalf("members of %s = %+v, %v; want the Owner serving tickets", depts[0].Name, members, err)
	}
	// The contact form can send to it at once, and the Owner sees it.
	code, err := s.CreateTicket(ctx, nil, NewTicketInput{Subject: "First", Body: "Hello", Channel: ChannelContactForm,
		DepartmentID: depts[0].ID, ContactName: "Carla", ContactEmail: "carla@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.TicketByCode(ctx, o.Viewer(), code); err != nil {
		t.Fatalf("the Owner cannot open the first ticket: %v", err)
	}
}

func TestSignUp_NamesTheFirstDepartmentInTheSignUpLanguage(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	_, err := s.SignUp(ctx, SignUpInput{Company: "Acme", Name: "Olga", Email: "olga@example.com", PasswordHash: testHash,
		Language: "pl", FirstDepartment: "Ogólny"})
	if err != nil {
		t.Fatal(err)
	}
	if depts, _ := s.Departments(ctx); len(depts) != 1 || depts[0].Name != "Ogólny" {
		t.Fatalf("departments = %+v, want Ogólny", depts)
	}
}

func TestSessions_EndForOneAgentAtOnceWithReason(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	a := signUpOwner(t, s)
	for _, tok := range []string{"tok-1", "tok-2"} {
		if err := s.CreateSession(ctx, tok, a.ID, false, "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.EndSessions(ctx, a.ID, EndRoleChanged); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{"tok-1", "tok-2"} {
		se, err := s.SessionByToken(ctx, tok)
		if err != nil || se.EndedReason != EndRoleChanged {
			t.Fatalf("session %s after end: %+v, %v", tok, se, err)
		}
	}
}

func TestSessions_ExpireWhenIdleAndRememberLasts14Days(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	a := signUpOwner(t, s)
	now := time.Now()
	s.SetClock(func() time.Time { return now })
	s.CreateSession(ctx, "short", a.ID, false, "", "")
	s.CreateSession(ctx, "long", a.ID, true, "", "")
	now = now.Add(IdleTimeout + time.Minute)
	if _, err := s.SessionByToken(ctx, "short"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("idle session: %v, want ErrNotFound", err)
	}
	if _, err := s.SessionByToken(ctx, "long"); err != nil {
		t.Fatalf("remembered session after %v: %v", IdleTimeout, err)
	}
	now = now.Add(RememberFor)
	if _, err := s.SessionByToken(ctx, "long"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("remembered session after 14 days: %v, want ErrNotFound", err)
	}
}

func TestSessions_TouchKeepsActiveSessionAlive(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	a := signUpOwner(t, s)
	now := time.Now()
	s.SetClock(func() time.Time { return now })
	s.CreateSession(ctx, "tok", a.ID, false, "", "")
	for i := 0; i < 3; i++ {
		now = now.Add(IdleTimeout - time.Hour)
		se, err := s.SessionByToken(ctx, "tok")
		if err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
		if err := s.TouchSession(ctx, se); err != nil {
			t.Fatal(err)
		}
	}
}

// A session in use every hour still ends when a remembered one would.
func TestSessions_BusySessionEndsAfterTheLongestLifetime(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	a := signUpOwner(t, s)
	start := time.Now()
	now := start
	s.SetClock(func() time.Time { return now })
	s.CreateSession(ctx, "busy", a.ID, false, "", "")
	for now.Before(start.Add(RememberFor - time.Hour)) {
		now = now.Add(time.Hour)
		se, err := s.SessionByToken(ctx, "busy")
		if err != nil {
			t.Fatalf("busy session ended after %v: %v", now.Sub(start), err)
		}
		if err := s.TouchSession(ctx, se); err != nil {
			t.Fatal(err)
		}
	}
	now = start.Add(RememberFor + time.Minute)
	if _, err := s.SessionByToken(ctx, "busy"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("busy session after %v: %v, want ErrNotFound", RememberFor, err)
	}
}

// Sessions are kept in memory between reads, yet every way a session ends
// or moves shows at the next read.
func TestSessions_KeptReadsFollowEveryChange(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	a := signUpOwner(t, s)
	now := time.Now()
	s.SetClock(func() time.Time { return now })
	tokens := []string{"out", "ended", "idle", "touched"}
	for _, tok := range tokens {
		if err := s.CreateSession(ctx, tok, a.ID, false, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	for _, tok := range tokens {
		if _, err := s.SessionByToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	// The reads above are kept: a row gone behind the store's back is
	// still served, which shows the memo is the one answering.
	if _, err := s.w.Exec(`DELETE FROM sessions WHERE token_hash = ?`, HashToken("idle")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByToken(ctx, "idle"); err != nil {
		t.Fatalf("kept session not served: %v", err)
	}
	now = now.Add(IdleTimeout + time.Second)
	if _, err := s.SessionByToken(ctx, "idle"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("kept session past its deadline: %v, want ErrNotFound", err)
	}
	now = now.Add(-IdleTimeout + 2*touchEvery)

	se, _ := s.SessionByToken(ctx, "touched")
	if err := s.TouchSession(ctx, se); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SessionByToken(ctx, "touched"); !got.LastSeenAt.After(se.LastSeenAt) {
		t.Fatalf("touched session still last seen %v", got.LastSeenAt)
	}

	if err := s.DeleteSession(ctx, HashToken("out")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByToken(ctx, "out"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("signed-out session: %v, want ErrNotFound", err)
	}

	if err := s.EndSessions(ctx, a.ID, EndRoleChanged); err != nil {
		t.Fatal(err)
	}
	if got, err := s.SessionByToken(ctx, "ended"); err != nil || got.EndedReason != EndRoleChanged {
		t.Fatalf("ended session: %+v, %v; want it ended for %s", got, err, EndRoleChanged)
	}
}

func TestChangeOwnPassword_EndsOtherSessionsOnly(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	a := signUpOwner(t, s)
	s.CreateSession(ctx, "mine", a.ID, false, "", "")
	s.CreateSession(ctx, "other", a.ID, false, "", "")
	newHash, _ := HashPassword("a brand new password")
	if err := s.ChangeOwnPassword(ctx, a.ID, a.PasswordHash, newHash, HashToken("mine"), ""); err != nil {
		t.Fatal(err)
	}
	if se, _ := s.SessionByToken(ctx, "mine"); se.EndedReason != "" {
		t.Fatalf("own session ended: %q", se.EndedReason)
	}
	if se, _ := s.SessionByToken(ctx, "other"); se.EndedReason != EndPasswordChanged {
		t.Fatalf("other session reason %q, want %q", se.EndedReason, EndPasswordChanged)
	}
	// The hash the caller checked is stale now: a second change is refused.
	if err := s.ChangeOwnPassword(ctx, a.ID, a.PasswordHash, newHash, nil, ""); !IsRule(err, RuleWrongPassword) {
		t.Fatalf("change with stale hash: %v, want RuleWrongPassword", err)
	}
}

func TestPasswords_Argon2idRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if h[:10] != "$argon2id$" {
		t.Fatalf("hash %q is not argon2id", h)
	}
	if !CheckPassword(h, "correct horse battery") || CheckPassword(h, "correct horse batterY") || CheckPassword("", "x") {
		t.Fatal("password check answers wrong")
	}
}

// A burst of sign-ins waits for a free slot instead of hashing all at once;
// a hash with costs this store never sets is refused without hashing.
func TestPasswords_HashingWaitsForAFreeSlot(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	for range cap(hashSlots) {
		hashSlots <- struct{}{}
	}
	done := make(chan bool)
	go func() { done <- CheckPassword(h, "correct horse battery") }()
	select {
	case <-done:
		t.Fatal("password checked while every slot was taken")
	case <-time.After(100 * time.Millisecond):
	}
	for range cap(hashSlots) {
		<-hashSlots
	}
	if !<-done {
		t.Fatal("password check after a slot freed answered wrong")
	}
	greedy := strings.Replace(h, "m=19456", "m=4194304", 1)
	if greedy == h || CheckPassword(greedy, "correct horse battery") {
		t.Fatal("a hash asking for 4 GiB was checked")
	}
}

// TestWriters_ConcurrentWritesAreAllStored runs 32 goroutines writing at once:
// every acknowledged write must be found afterwards.
func TestWriters_ConcurrentWritesAreAllStored(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	a := signUpOwner(t, s)
	const workers, each = 32, 25
	var wg sync.WaitGroup
	var mu sync.Mutex
	acked := 0
	var firstErr error
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				err := s.RecordAudit(ctx, AuditEntry{ActorID: a.ID, Action: "test.write", Details: fmt.Sprintf("%d-%d", w, i)})
				mu.Lock()
				if err == nil {
					acked++
				} else if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	if firstErr != nil {
		t.Fatalf("a write failed: %v", firstErr)
	}
	var stored int
	s.r.QueryRow(`SELECT count(DISTINCT details) FROM audit_log WHERE action = 'test.write'`).Scan(&stored)
	if stored != acked || acked != workers*each {
		t.Fatalf("stored %d, acknowledged %d, attempted %d", stored, acked, workers*each)
	}
}

func TestSecret_GeneratedOnceAndKept(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	a, err := s.Secret(ctx, "session", 64)
	if err != nil || len(a) != 64 {
		t.Fatalf("secret: %d bytes, %v", len(a), err)
	}
	b, _ := s.Secret(ctx, "session", 64)
	if string(a) != string(b) {
		t.Fatal("secret changed between calls")
	}
	c, _ := s.Secret(ctx, "csrf", 64)
	if string(a) == string(c) {
		t.Fatal("two secrets are equal")
	}
}
