package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"helpline/authz"
)

func TestSecuritySettings_DefaultsUntilSavedAndOnlyBySecurityManagers(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	got, err := s.SecuritySettings(ctx)
	if err != nil || got != DefaultSecuritySettings() {
		t.Fatalf("fresh desk: %+v, %v", got, err)
	}
	agent := addAgent(t, s, o.ID, "Alice", authz.RoleAgent)
	in := DefaultSecuritySettings()
	in.Policy.MinLength, in.RequireTwoFactor = 12, true
	if err := s.SaveSecuritySettings(ctx, agent.ID, in, ""); err == nil {
		t.Fatal("an Agent saved the security settings")
	}
	bad := in
	bad.Policy.MinLength = 8
	if err := s.SaveSecuritySettings(ctx, o.ID, bad, ""); !errors.Is(err, ErrInvalidPolicy) {
		t.Fatalf("minimum of 8: %v", err)
	}
	if err := s.SaveSecuritySettings(ctx, o.ID, in, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SecuritySettings(ctx); got != in {
		t.Fatalf("read back %+v, want %+v", got, in)
	}
	if e := lastAudit(t, s); e.Action != ActionSecuritySettings || e.Details == "" {
		t.Fatalf("audit %+v", e)
	}
}

func TestPasswordExpired_CountsFromTheLastChange(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	p := DefaultSecuritySettings().Policy
	now := time.Now()
	s.SetClock(func() time.Time { return now })
	p.ExpiryDays = 10
	for _, tc := range []struct {
		after time.Duration
		want  bool
	}{{9 * 24 * time.Hour, false}, {10*24*time.Hour + time.Minute, true}} {
		s.SetClock(func() time.Time { return now.Add(tc.after) })
		if got, err := s.PasswordExpired(ctx, o.ID, p); err != nil || got != tc.want {
			t.Fatalf("after %v: expired %v (%v), want %v", tc.after, got, err, tc.want)
		}
	}
	if err := s.ChangeOwnPassword(ctx, o.ID, o.PasswordHash, "new hash", nil, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.PasswordExpired(ctx, o.ID, p); got {
		t.Fatal("a password changed just now is expired")
	}
	p.ExpiryDays = 0
	s.SetClock(func() time.Time { return now.Add(1000 * 24 * time.Hour) })
	if got, _ := s.PasswordExpired(ctx, o.ID, p); got {
		t.Fatal("expired with no expiry set")
	}
}
