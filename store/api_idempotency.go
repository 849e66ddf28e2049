package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// IdempotencyWindow is how long an answer to a write sent with an
// Idempotency-Key is kept and given again.
const IdempotencyWindow = 24 * time.Hour

// ErrIdempotencyMismatch answers a key used again with another request.
var ErrIdempotencyMismatch = errors.New("the Idempotency-Key was used with another request")

// ErrIdempotencyInFlight answers a key whose first request is still running.
var ErrIdempotencyInFlight = errors.New("a request with this Idempotency-Key is still running")

// IdempotentAnswer is the first answer to a key.
type IdempotentAnswer struct {
	Status      int
	Body        []byte
	ContentType string
}

// ClaimIdempotencyKey starts the request of tokenID with key, whose method,
// path and body hash to requestHash. claimed: this request is the first and
// must record its answer (SaveIdempotentAnswer) or let go of the key
// (ReleaseIdempotencyKey). Otherwise the first answer is returned; a
// different request under the key is ErrIdempotencyMismatch, and one still
// running ErrIdempotencyInFlight. The claim is a row written at once, so two
// requests with one key at the same moment never both run, on any number
// of instances.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, tokenID int64, key string, requestHash []byte) (ans IdempotentAnswer, claimed bool, err error) {
	err = s.writeUnkept(ctx, func(tx *sql.Tx) error {
		ans, claimed = IdempotentAnswer{}, false
		now := s.nowMs()
		if _, err := tx.ExecContext(ctx, `DELETE FROM api_idempotency WHERE created_at < ?`, now-IdempotencyWindow.Milliseconds()); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO api_idempotency (token_id, key, request_hash, status, body, content_type, created_at)
			VALUES (?, ?, ?, 0, ?, '', ?) ON CONFLICT DO NOTHING`, tokenID, key, requestHash, []byte{}, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			claimed = true
			return nil
		}
		var hash []byte
		if err := tx.QueryRowContext(ctx, `SELECT request_hash, status, body, content_type FROM api_idempotency WHERE token_id = ? AND key = ?`,
			tokenID, key).Scan(&hash, &ans.Status, &ans.Body, &ans.ContentType); err != nil {
			return err
		}
		switch {
		case string(hash) != string(requestHash):
			return ErrIdempotencyMismatch
		case ans.Status == 0:
			return ErrIdempotencyInFlight
		}
		return nil
	})
	if err != nil {
		return IdempotentAnswer{}, false, fmt.Errorf("store: idempotency key: %w", err)
	}
	return ans, claimed, nil
}

// SaveIdempotentAnswer keeps the answer to a claimed key.
func (s *Store) SaveIdempotentAnswer(ctx context.Context, tokenID int64, key string, ans IdempotentAnswer) error {
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE api_idempotency SET status = ?, body = ?, content_type = ? WHERE token_id = ? AND key = ?`,
			ans.Status, ans.Body, ans.ContentType, tokenID, key)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: keep idempotent answer: %w", err)
	}
	return nil
}

// ReleaseIdempotencyKey lets go of a claimed key whose request failed on
// the server's side, so the client may try again with it.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, tokenID int64, key string) error {
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM api_idempotency WHERE token_id = ? AND key = ? AND status = 0`, tokenID, key)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: release idempotency key: %w", err)
	}
	return nil
}
