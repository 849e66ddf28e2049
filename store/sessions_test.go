package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func auditCount(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.r.QueryRow(`SELECT count(*) FROM audit_log`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSignIn_EndsOldSessionStartsNewNotesTimeAndAudits(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	owner := signUpOwner(t, s)
	now := time.Now().Truncate(time.Millisecond)
	s.SetClock(func() time.Time { return now })
	if err := s.CreateSession(ctx, "old-token", owner.ID, false, "", ""); err != nil {
		t.Fatal(err)
	}
	gen := s.Generation()
	err := s.SignIn(ctx, SignInInput{AgentID: owner.ID, PasswordHash: testHash, Token: "new-token", Remember: true,
		IP: "198.51.100.7", UserAgent: "Firefox", EndTokenHash: HashToken("old-token")})
	if err != nil {
		t.Fatal(err)
	}
	se, err := s.SessionByToken(ctx, "new-token")
	if err != nil || se.AgentID != owner.ID || !se.Remember || !se.ExpiresAt.Equal(now.Add(RememberFor)) {
		t.Fatalf("new session %+v, %v", se, err)
	}
	if _, err := s.SessionByToken(ctx, "old-token"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the browser's earlier session: %v, want ErrNotFound", err)
	}
	a, err := s.AgentByID(ctx, owner.ID)
	if err != nil || !a.LastSignInAt.Equal(now) {
		t.Fatalf("last sign-in %v (%v), want %v", a.LastSignInAt, err, now)
	}
	log, err := s.AuditLog(ctx, 0, 1)
	if err != nil || len(log) != 1 || log[0].Action != ActionSignIn || log[0].ActorID != owner.ID || log[0].IP != "198.51.100.7" {
		t.Fatalf("audit %+v, %v", log, err)
	}
	if s.Generation() == gen {
		t.Fatal("the last sign-in changed and the generation stayed: the agents list would show the old one")
	}
}

// The password is checked outside the transaction; whatever changed in
// between refuses the sign-in and leaves everything as it was.
func TestSignIn_RefusedWhenTheAgentChangedSinceThePasswordCheck(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change string
		want   error
	}{
		{"password changed", `UPDATE agents SET password_hash = 'another hash'`, ErrSignInStale},
		{"removed", `UPDATE agents SET removed_at = 1`, ErrSignInStale},
		{"disabled", `UPDATE agents SET status = 'disabled'`, ErrSignInDisabled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestStore(t)
			ctx := context.Background()
			owner := signUpOwner(t, s)
			if err := s.CreateSession(ctx, "old-token", owner.ID, false, "", ""); err != nil {
				t.Fatal(err)
			}
			if _, err := s.w.Exec(tc.change); err != nil {
				t.Fatal(err)
			}
			audits := auditCount(t, s)
			err := s.SignIn(ctx, SignInInput{AgentID: owner.ID, PasswordHash: testHash, Token: "new-token",
				EndTokenHash: HashToken("old-token")})
			if !errors.Is(err, tc.want) {
				t.Fatalf("sign in: %v, want %v", err, tc.want)
			}
			if _, err := s.SessionByToken(ctx, "new-token"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("refused sign-in left a session (%v)", err)
			}
			if _, err := s.SessionByToken(ctx, "old-token"); err != nil {
				t.Fatalf("refused sign-in ended the earlier session: %v", err)
			}
			var last *int64
			if err := s.r.QueryRow(`SELECT last_sign_in_at FROM agents WHERE id = ?`, owner.ID).Scan(&last); err != nil || last != nil {
				t.Fatalf("refused sign-in noted a sign-in time (%v)", err)
			}
			if n := auditCount(t, s); n != audits {
				t.Fatalf("refused sign-in wrote %d audit entries", n-audits)
			}
		})
	}
}
