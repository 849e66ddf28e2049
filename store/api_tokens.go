package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"helpline/authz"
)

// Audit actions of API tokens.
const (
	ActionAPITokenCreate AuditAction = "api_token.create"
	ActionAPITokenRevoke AuditAction = "api_token.revoke"
)

// APITokenPrefix starts every API token, so a leaked one is recognisable
// (secret scanners match it) and never mistaken for a session cookie.
const APITokenPrefix = "hlp_"

// apiTokenTouchEvery limits writes: last_used_at moves at most this often.
const apiTokenTouchEvery = time.Minute

// APIToken is one token as its list shows it; the secret itself is never
// kept, only its SHA-256.
type APIToken struct {
	ID        int64
	AgentID   int64
	AgentName string
	Name      string
	// Prefix is the start of the secret, enough to tell tokens apart.
	Prefix     string
	CreatedAt  time.Time
	ExpiresAt  time.Time // zero: never
	LastUsedAt time.Time // zero: never used
	RevokedAt  time.Time // zero: live
}

// Expired reports whether the token's time has run out at now.
func (t APIToken) Expired(now time.Time) bool {
	return !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt)
}

// Live reports whether the token still opens the API at now.
func (t APIToken) Live(now time.Time) bool { return t.RevokedAt.IsZero() && !t.Expired(now) }

// newAPISecret is 32 random bytes, base64url, behind the prefix: far too
// many to guess, so one SHA-256 (no slow hash) keeps it safe at rest.
func newAPISecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return APITokenPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// CreateAPIToken gives agentID a new token named name that expires at
// expires (zero: never). It returns the token and its secret, which is
// shown once and never again.
func (s *Store) CreateAPIToken(ctx context.Context, agentID int64, name string, expires time.Time, ip string) (APIToken, string, error) {
	secret := newAPISecret()
	now := s.now()
	tok := APIToken{AgentID: agentID, Name: name, Prefix: secret[:len(APITokenPrefix)+6], CreatedAt: now, ExpiresAt: expires}
	var exp sql.NullInt64
	if !expires.IsZero() {
		exp = sql.NullInt64{Int64: expires.UnixMilli(), Valid: true}
	}
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (agent_id, name, token_hash, prefix, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, agentID, name, HashToken(secret), tok.Prefix, now.UnixMilli(), exp).Scan(&tok.ID); err != nil {
			return err
		}
		return audit(ctx, tx, now.UnixMilli(), AuditEntry{ActorID: agentID, Action: ActionAPITokenCreate, TargetType: "api_token",
			TargetID: tok.ID, Details: name, IP: ip})
	})
	if err != nil {
		return APIToken{}, "", fmt.Errorf("store: create API token: %w", err)
	}
	return tok, secret, nil
}

const apiTokenColumns = `t.id, t.agent_id, a.name, t.name, t.prefix, t.created_at, t.expires_at, t.last_used_at, t.revoked_at`

func scanAPIToken(sc interface{ Scan(...any) error }) (APIToken, error) {
	var t APIToken
	var created int64
	var expires, used, revoked sql.NullInt64
	if err := sc.Scan(&t.ID, &t.AgentID, &t.AgentName, &t.Name, &t.Prefix, &created, &expires, &used, &revoked); err != nil {
		return APIToken{}, err
	}
	t.CreatedAt = msToTime(created)
	t.ExpiresAt, t.LastUsedAt, t.RevokedAt = nullMsToTime(expires), nullMsToTime(used), nullMsToTime(revoked)
	return t, nil
}

// APITokens lists agentID's tokens, newest first, revoked ones included
// (they show when they were revoked).
func (s *Store) APITokens(ctx context.Context, agentID int64) ([]APIToken, error) {
	return s.apiTokens(ctx, `WHERE t.agent_id = ?`, agentID)
}

// AllAPITokens lists every agent's tokens, newest first, for someone who
// holds api_tokens:manage_all; anyone else gets RuleNotPermitted.
func (s *Store) AllAPITokens(ctx context.Context, viewer authz.Viewer) ([]APIToken, error) {
	if !viewer.Can(authz.APITokensManageAll) {
		return nil, RuleError{RuleNotPermitted}
	}
	return s.apiTokens(ctx, ``)
}

func (s *Store) apiTokens(ctx context.Context, where string, args ...any) ([]APIToken, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens t JOIN agents a ON a.id = t.agent_id `+
		where+` ORDER BY t.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: API tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, fmt.Errorf("store: API tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken ends token id for good. The viewer may revoke their own
// tokens, and everyone's when they hold api_tokens:manage_all; any other
// token is ErrNotFound, as if it did not exist. It returns the token's name.
func (s *Store) RevokeAPIToken(ctx context.Context, viewer authz.Viewer, id int64, ip string) (string, error) {
	var name string
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		var owner int64
		err := tx.QueryRowContext(ctx, `SELECT name, agent_id FROM api_tokens WHERE id = ? AND revoked_at IS NULL AND (agent_id = ? OR ?)`,
			id, viewer.ID, viewer.Can(authz.APITokensManageAll)).Scan(&name, &owner)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		now := s.nowMs()
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ?`, now, id); err != nil {
			return err
		}
		details := name
		if owner != viewer.ID {
			details = fmt.Sprintf("%s (agent %d)", name, owner)
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: viewer.ID, Action: ActionAPITokenRevoke, TargetType: "api_token",
			TargetID: id, Details: details, IP: ip})
	})
	if err != nil {
		return "", fmt.Errorf("store: revoke API token %d: %w", id, err)
	}
	return name, nil
}

// AuthenticateAPIToken finds the live token of secret and its agent as they
// are now: a revoked or expired token, or one whose agent was removed or
// disabled, is ErrNotFound. The agent's permissions are read afresh, so a
// role change counts from the next call. Use is noted at most once a minute.
func (s *Store) AuthenticateAPIToken(ctx context.Context, secret string) (APIToken, Agent, error) {
	if !strings.HasPrefix(secret, APITokenPrefix) || len(secret) > 200 {
		return APIToken{}, Agent{}, ErrNotFound
	}
	t, err := scanAPIToken(s.rd.QueryRowContext(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens t JOIN agents a ON a.id = t.agent_id
		WHERE t.token_hash = ?`, HashToken(secret)))
	if errors.Is(err, sql.ErrNoRows) {
		return APIToken{}, Agent{}, ErrNotFound
	}
	if err != nil {
		return APIToken{}, Agent{}, fmt.Errorf("store: API token: %w", err)
	}
	now := s.now()
	if !t.Live(now) {
		return APIToken{}, Agent{}, ErrNotFound
	}
	a, err := s.AgentByID(ctx, t.AgentID)
	if err != nil {
		return APIToken{}, Agent{}, err
	}
	if a.Removed || a.Status != StatusActive {
		return APIToken{}, Agent{}, ErrNotFound
	}
	if now.Sub(t.LastUsedAt) >= apiTokenTouchEvery {
		err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now.UnixMilli(), t.ID)
			return err
		})
		if err != nil {
			return APIToken{}, Agent{}, fmt.Errorf("store: note API token use: %w", err)
		}
		t.LastUsedAt = now
	}
	return t, a, nil
}
