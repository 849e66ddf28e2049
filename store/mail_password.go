package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// ForgotPasswordValid is how long a link from Forgot password? works.
const ForgotPasswordValid = time.Hour

// ActionPasswordForgot is the audit entry of a Forgot password? link sent.
const ActionPasswordForgot AuditAction = "agent.password_forgot"

// ForgotPasswordLink makes a one-time link, valid for an hour, for the
// active agent with that email; ErrNotFound for any other address. Unlike a
// reset by an administrator it leaves the password and sessions alone: the
// agent may yet remember it, and whoever asked may not be the agent.
func (s *Store) ForgotPasswordLink(ctx context.Context, email, ip string) (Agent, string, error) {
	var a Agent
	var token string
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		var err error
		if a, err = scanAgent(tx.QueryRowContext(ctx, `SELECT `+agentColumns+` FROM agents a
			WHERE a.email = ? AND a.removed_at IS NULL AND a.status = 'active'`, NormalizeEmail(email))); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		token = base64.RawURLEncoding.EncodeToString(b)
		now := s.nowMs()
		if _, err := tx.ExecContext(ctx, `DELETE FROM password_tokens WHERE agent_id = ? AND used_at IS NULL`, a.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO password_tokens (token_hash, agent_id, created_by, created_at, expires_at)
			VALUES (?, ?, NULL, ?, ?)`, HashToken(token), a.ID, now, now+ForgotPasswordValid.Milliseconds()); err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: 0, Action: ActionPasswordForgot, TargetType: "agent", TargetID: a.ID, Details: a.Name, IP: ip})
	})
	if err != nil {
		return Agent{}, "", fmt.Errorf("store: forgot password link: %w", err)
	}
	return a, token, nil
}
