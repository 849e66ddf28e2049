package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// EndReason says why a session ended; the sign-in page explains it.
type EndReason string

const (
	EndRoleChanged     EndReason = "role_changed"
	EndDisabled        EndReason = "disabled"
	EndRemoved         EndReason = "removed"
	EndPasswordReset   EndReason = "password_reset"
	EndPasswordChanged EndReason = "password_changed"
)

// Session lengths: an ordinary session ends after IdleTimeout without a
// request, and however busy never lasts longer than a remembered one;
// "Remember me" keeps one for RememberFor.
const (
	IdleTimeout = 12 * time.Hour
	RememberFor = 14 * 24 * time.Hour
	// touchEvery limits writes: last_seen_at moves at most this often.
	touchEvery = time.Minute
)

// Session is one signed-in browser.
type Session struct {
	TokenHash   []byte
	AgentID     int64
	CreatedAt   time.Time
	LastSeenAt  time.Time
	ExpiresAt   time.Time
	Remember    bool
	EndedReason EndReason
}

// HashToken is how a session token is kept in the table.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// CreateSession stores a new session for token.
func (s *Store) CreateSession(ctx context.Context, token string, agentID int64, remember bool, ip, userAgent string) error {
	err := s.writeSession(ctx, func(tx *sql.Tx) error {
		return createSession(ctx, tx, s.now(), token, agentID, remember, ip, userAgent)
	})
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

func createSession(ctx context.Context, tx *sql.Tx, now time.Time, token string, agentID int64, remember bool, ip, userAgent string) error {
	expires := now.Add(IdleTimeout)
	if remember {
		expires = now.Add(RememberFor)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, agent_id, created_at, last_seen_at, expires_at, remember, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		HashToken(token), agentID, now.UnixMilli(), now.UnixMilli(), expires.UnixMilli(), remember, ip, truncate(userAgent, 300))
	if err != nil {
		return err
	}
	return markSignedIn(ctx, tx, agentID, now.UnixMilli(), now.UnixMilli())
}

// ErrSignInStale answers a sign-in whose agent was removed, or whose
// password changed, after the password was checked: it counts as a failed
// attempt.
var ErrSignInStale = errors.New("sign-in: the agent or their password changed meanwhile")

// ErrSignInDisabled answers a sign-in with the right password by an agent
// whose account is disabled.
var ErrSignInDisabled = errors.New("sign-in: the agent is disabled")

// SignInInput is a sign-in whose password was checked, before and outside
// any transaction (argon2id is slow), against PasswordHash.
type SignInInput struct {
	AgentID      int64
	PasswordHash string // the stored hash the password matched
	Token        string // the new session's token, for the cookie
	Remember     bool
	IP           string
	UserAgent    string
	// EndTokenHash is the session the browser had before, if any: it ends
	// here, so its token is worth nothing to whoever may have copied it.
	EndTokenHash []byte
}

// SignIn signs an agent in, in one write transaction: it checks again that
// the agent is live, active and still has the hash the password was checked
// against, then ends the browser's earlier session, creates the new one,
// notes the time of the sign-in and writes it to the audit log. Either all
// of it happens or none (ErrSignInStale, ErrSignInDisabled).
//
// The generation moves on: the agents list shows the last sign-in.
func (s *Store) SignIn(ctx context.Context, in SignInInput) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var status Status
		var hash string
		err := tx.QueryRowContext(ctx, `SELECT status, password_hash FROM agents WHERE id = ? AND removed_at IS NULL`, in.AgentID).
			Scan(&status, &hash)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (hash == "" || hash != in.PasswordHash)) {
			return ErrSignInStale
		}
		if err != nil {
			return err
		}
		if status != StatusActive {
			return ErrSignInDisabled
		}
		if in.EndTokenHash != nil {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, in.EndTokenHash); err != nil {
				return err
			}
		}
		now := s.now()
		if err := createSession(ctx, tx, now, in.Token, in.AgentID, in.Remember, in.IP, in.UserAgent); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE agents SET last_sign_in_at = ? WHERE id = ?`, now.UnixMilli(), in.AgentID); err != nil {
			return err
		}
		return audit(ctx, tx, now.UnixMilli(), AuditEntry{ActorID: in.AgentID, Action: ActionSignIn, TargetType: "agent", TargetID: in.AgentID, IP: in.IP})
	})
	if err != nil {
		return fmt.Errorf("store: sign in %d: %w", in.AgentID, err)
	}
	return nil
}

// RecordFailedSignIn notes a refused sign-in for email in the audit log
// (agentID 0: no agent has that email). Anyone can cause one without
// signing in, so it moves no generation: kept pages and sessions stay.
func (s *Store) RecordFailedSignIn(ctx context.Context, email string, agentID int64, ip string) error {
	e := AuditEntry{Action: ActionSignInFailed, Details: email, IP: ip}
	if agentID != 0 {
		e.TargetType, e.TargetID = "agent", agentID
	}
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error { return audit(ctx, tx, s.nowMs(), e) })
	if err != nil {
		return fmt.Errorf("store: record failed sign-in: %w", err)
	}
	return nil
}

// SessionByToken finds the session of token. An expired session is
// ErrNotFound; an ended one is returned with its EndedReason set, so the
// caller can say why the user must sign in again.
func (s *Store) SessionByToken(ctx context.Context, token string) (Session, error) {
	hash := HashToken(token)
	gens := s.sessionGens()
	se, ok := s.sessions.get(string(hash), gens)
	if !ok {
		var created, seen, expires int64
		var reason string
		se.TokenHash = hash
		err := s.rd.QueryRowContext(ctx, `SELECT agent_id, created_at, last_seen_at, expires_at, remember, ended_reason
			FROM sessions WHERE token_hash = ?`, hash).Scan(&se.AgentID, &created, &seen, &expires, &se.Remember, &reason)
		if errors.Is(err, sql.ErrNoRows) {
			return Session{}, ErrNotFound
		}
		if err != nil {
			return Session{}, fmt.Errorf("store: session: %w", err)
		}
		se.CreatedAt, se.LastSeenAt, se.ExpiresAt = msToTime(created), msToTime(seen), msToTime(expires)
		se.EndedReason = EndReason(reason)
		s.sessions.put(string(hash), gens, s.sessionGens(), se)
	}
	if !s.now().Before(se.ExpiresAt) {
		return Session{}, ErrNotFound
	}
	return se, nil
}

// sessionMemo keeps the sessions read since the last commit that could
// change one. Every page view of a signed-in user reads its session; a
// commit of a session change (sign-in, sign-out, a touch) or of any other
// write (ending an Agent's sessions goes with other changes) moves one of
// the two generations on and starts the memo afresh.
type sessionMemo struct {
	mu   sync.Mutex
	gens [2]uint64
	m    map[string]Session
}

// maxSessionMemo bounds the memo; past it sessions are read each time.
const maxSessionMemo = 10000

func (s *Store) sessionGens() [2]uint64 { return [2]uint64{s.Generation(), s.sessGen.Load()} }

func (m *sessionMemo) get(key string, gens [2]uint64) (Session, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gens != gens {
		return Session{}, false
	}
	se, ok := m.m[key]
	return se, ok
}

// put keeps se, read under gens, unless a commit landed since (now differs).
func (m *sessionMemo) put(key string, gens, now [2]uint64, se Session) {
	if gens != now {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gens != gens || m.m == nil {
		m.gens, m.m = gens, map[string]Session{}
	}
	if len(m.m) < maxSessionMemo {
		m.m[key] = se
	}
}

// TouchSession moves an ordinary session's idle deadline forward. It writes
// at most once a minute per session so page views stay reads.
func (s *Store) TouchSession(ctx context.Context, se Session) error {
	now := s.now()
	if now.Sub(se.LastSeenAt) < touchEvery {
		return nil
	}
	expires := se.ExpiresAt
	if !se.Remember {
		expires = now.Add(IdleTimeout)
		if limit := se.CreatedAt.Add(RememberFor); expires.After(limit) {
			expires = limit
		}
	}
	err := s.writeSession(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ? AND ended_reason = ''`,
			now.UnixMilli(), expires.UnixMilli(), se.TokenHash)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		// The Ticket load report counts the agent signed in since the
		// session's last use.
		return markSignedIn(ctx, tx, se.AgentID, se.LastSeenAt.UnixMilli(), now.UnixMilli())
	})
	if err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// DeleteSession ends one session (sign-out, or after its end was reported).
func (s *Store) DeleteSession(ctx context.Context, tokenHash []byte) error {
	err := s.writeSession(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// endSessions marks every live session of agentID ended for reason, inside
// the caller's transaction, so the change and the sign-out are one step.
func endSessions(ctx context.Context, tx *sql.Tx, agentID int64, reason EndReason) error {
	_, err := tx.ExecContext(ctx, `UPDATE sessions SET ended_reason = ? WHERE agent_id = ? AND ended_reason = ''`, string(reason), agentID)
	return err
}

// EndSessions ends every session of an agent at once.
func (s *Store) EndSessions(ctx context.Context, agentID int64, reason EndReason) error {
	err := s.write(ctx, func(tx *sql.Tx) error { return endSessions(ctx, tx, agentID, reason) })
	if err != nil {
		return fmt.Errorf("store: end sessions of %d: %w", agentID, err)
	}
	return nil
}

// PurgeSessions deletes sessions that expired before now. It writes only
// when there is one to delete: each commit of a session write starts the
// memo of sessions afresh.
func (s *Store) PurgeSessions(ctx context.Context) (int64, error) {
	var expired bool
	if err := s.rd.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sessions WHERE expires_at < ?)`, s.nowMs()).Scan(&expired); err != nil {
		return 0, fmt.Errorf("store: any session expired: %w", err)
	}
	if !expired {
		return 0, nil
	}
	var n int64
	err := s.writeSession(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ?`, s.nowMs())
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge sessions: %w", err)
	}
	return n, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
