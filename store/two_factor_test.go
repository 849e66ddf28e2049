package store

import (
	"context"
	"errors"
	"testing"

	"helpline/authz"
)

func TestTwoFactor_StepsAndRecoveryCodesAreTakenOnce(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	if err := s.StartTwoFactor(ctx, o.ID, "SECRET"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.TakeTOTPStep(ctx, o.ID, 10); ok {
		t.Fatal("a step taken before two-factor sign-in was on")
	}
	codes := [][]byte{[]byte("hash-one"), []byte("hash-two")}
	if err := s.EnableTwoFactor(ctx, o.ID, 100, codes, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.EnableTwoFactor(ctx, o.ID, 101, codes, ""); !errors.Is(err, ErrTwoFactorOn) {
		t.Fatalf("enabled twice: %v", err)
	}
	if err := s.StartTwoFactor(ctx, o.ID, "OTHER"); !errors.Is(err, ErrTwoFactorOn) {
		t.Fatalf("a new secret drawn over one in use: %v", err)
	}
	for _, c := range []struct {
		step int64
		want bool
	}{{100, false}, {99, false}, {101, true}, {101, false}, {103, true}} {
		if ok, err := s.TakeTOTPStep(ctx, o.ID, c.step); err != nil || ok != c.want {
			t.Fatalf("step %d: %v %v, want %v", c.step, ok, err, c.want)
		}
	}
	if ok, _ := s.UseRecoveryCode(ctx, o.ID, []byte("hash-one"), ""); !ok {
		t.Fatal("recovery code refused")
	}
	if ok, _ := s.UseRecoveryCode(ctx, o.ID, []byte("hash-one"), ""); ok {
		t.Fatal("recovery code taken twice")
	}
	if n, _ := s.RecoveryCodesLeft(ctx, o.ID); n != 1 {
		t.Fatalf("%d codes left", n)
	}
}

func TestResetTwoFactor_EndsSessionsNeedsThePermission(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	agent := addAgent(t, s, o.ID, "Alice", authz.RoleAgent)
	bob := addAgent(t, s, o.ID, "Bob", authz.RoleAgent)
	if err := s.StartTwoFactor(ctx, agent.ID, "SECRET"); err != nil {
		t.Fatal(err)
	}
	if err := s.EnableTwoFactor(ctx, agent.ID, 1, nil, ""); err != nil {
		t.Fatal(err)
	}
	liveSession(t, s, "alice-token", agent.ID)
	if err := s.ResetTwoFactor(ctx, bob.ID, agent.ID, ""); err == nil {
		t.Fatal("an Agent reset someone's two-factor sign-in")
	}
	if err := s.ResetTwoFactor(ctx, o.ID, agent.ID, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if tf, _ := s.TwoFactor(ctx, agent.ID); tf.Enabled {
		t.Fatal("still on")
	}
	wantEnded(t, s, "alice-token", EndTwoFactorReset)
	if e := lastAudit(t, s); e.Action != ActionTwoFactorReset || e.TargetID != agent.ID {
		t.Fatalf("audit %+v", e)
	}
}
