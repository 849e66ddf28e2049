package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestIdempotencyKey_ClaimedOnceReplayedMismatchedReleased(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	owner := signUpOwner(t, s)
	tok, _, err := s.CreateAPIToken(ctx, owner.ID, "Script", time.Time{}, "")
	if err != nil {
		t.Fatal(err)
	}
	hash := HashToken("POST /tickets {}")
	if _, claimed, err := s.ClaimIdempotencyKey(ctx, tok.ID, "k1", hash); err != nil || !claimed {
		t.Fatalf("first claim: %v %v", claimed, err)
	}
	if _, _, err := s.ClaimIdempotencyKey(ctx, tok.ID, "k1", hash); !errors.Is(err, ErrIdempotencyInFlight) {
		t.Fatalf("while the first runs: %v", err)
	}
	if _, _, err := s.ClaimIdempotencyKey(ctx, tok.ID, "k1", HashToken("other")); !errors.Is(err, ErrIdempotencyMismatch) {
		t.Fatalf("another request under the key: %v", err)
	}
	want := IdempotentAnswer{Status: 201, Body: []byte(`{"code":"X"}`), ContentType: "application/json"}
	if err := s.SaveIdempotentAnswer(ctx, tok.ID, "k1", want); err != nil {
		t.Fatal(err)
	}
	got, claimed, err := s.ClaimIdempotencyKey(ctx, tok.ID, "k1", hash)
	if err != nil || claimed || got.Status != 201 || string(got.Body) != string(want.Body) || got.ContentType != want.ContentType {
		t.Fatalf("replay %+v %v %v", got, claimed, err)
	}
	// A failed first request lets go of its key.
	if _, claimed, _ := s.ClaimIdempotencyKey(ctx, tok.ID, "k2", hash); !claimed {
		t.Fatal("k2 not claimed")
	}
	if err := s.ReleaseIdempotencyKey(ctx, tok.ID, "k2"); err != nil {
		t.Fatal(err)
	}
	if _, claimed, err := s.ClaimIdempotencyKey(ctx, tok.ID, "k2", hash); err != nil || !claimed {
		t.Fatalf("after release: %v %v", claimed, err)
	}
	// After 24 hours a key is new again.
	s.SetClock(func() time.Time { return time.Now().Add(IdempotencyWindow + time.Minute) })
	if _, claimed, err := s.ClaimIdempotencyKey(ctx, tok.ID, "k1", HashToken("other")); err != nil || !claimed {
		t.Fatalf("an expired key: %v %v", claimed, err)
	}
}
