package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"helpline/authz"
)

// Audit actions of two-factor sign-in.
const (
	ActionTwoFactorOn      AuditAction = "agent.two_factor_on"
	ActionTwoFactorReset   AuditAction = "agent.two_factor_reset"
	ActionRecoveryCodeUsed AuditAction = "agent.recovery_code_used"
	ActionTwoFactorFailed  AuditAction = "session.two_factor_failed"
)

// EndTwoFactorReset ends an agent's sessions when an Administrator resets
// their two-factor sign-in.
const EndTwoFactorReset EndReason = "two_factor_reset"

// ErrTwoFactorOn answers an attempt to enrol an agent who already has an
// authenticator app turned on.
var ErrTwoFactorOn = errors.New("store: two-factor sign-in is already on")

// TwoFactor is an agent's authenticator: Secret drawn, Enabled once a code
// confirmed it, LastStep the last time step a code was taken for.
type TwoFactor struct {
	Secret   string
	Enabled  bool
	LastStep int64
}

// TwoFactor reads agentID's authenticator; the zero value when they have none.
func (s *Store) TwoFactor(ctx context.Context, agentID int64) (TwoFactor, error) {
	var tf TwoFactor
	var enabled sql.NullInt64
	err := s.rd.QueryRowContext(ctx, `SELECT secret, enabled_at, last_step FROM agent_totp WHERE agent_id = ?`, agentID).
		Scan(&tf.Secret, &enabled, &tf.LastStep)
	if errors.Is(err, sql.ErrNoRows) {
		return TwoFactor{}, nil
	}
	if err != nil {
		return TwoFactor{}, fmt.Errorf("store: two-factor of %d: %w", agentID, err)
	}
	tf.Enabled = enabled.Valid
	return tf, nil
}

// StartTwoFactor keeps a newly drawn secret for agentID until a code
// confirms it; a secret drawn before and never confirmed is replaced.
func (s *Store) StartTwoFactor(ctx context.Context, agentID int64, secret string) error {
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		var enabled sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT enabled_at FROM agent_totp WHERE agent_id = ?`, agentID).Scan(&enabled)
		if err == nil && enabled.Valid {
			return ErrTwoFactorOn
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO agent_totp (agent_id, secret, enabled_at, last_step, created_at) VALUES (?, ?, NULL, 0, ?)
			ON CONFLICT (agent_id) DO UPDATE SET secret = excluded.secret, last_step = 0, created_at = excluded.created_at`,
			agentID, secret, s.nowMs())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: start two-factor for %d: %w", agentID, err)
	}
	return nil
}

// EnableTwoFactor turns the drawn secret on, once a code of step confirmed
// it, and keeps the hashes of the agent's new recovery codes (earlier ones
// stop working). ErrTwoFactorOn if it was on already; ErrNotFound if no
// secret was drawn.
func (s *Store) EnableTwoFactor(ctx context.Context, agentID, step int64, codeHashes [][]byte, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.nowMs()
		res, err := tx.ExecContext(ctx, `UPDATE agent_totp SET enabled_at = ?, last_step = ? WHERE agent_id = ? AND enabled_at IS NULL`,
			now, step, agentID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			var on bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM agent_totp WHERE agent_id = ?)`, agentID).Scan(&on); err != nil {
				return err
			}
			if on {
				return ErrTwoFactorOn
			}
			return ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM agent_recovery_codes WHERE agent_id = ?`, agentID); err != nil {
			return err
		}
		for _, h := range codeHashes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO agent_recovery_codes (agent_id, code_hash) VALUES (?, ?)`, agentID, h); err != nil {
				return err
			}
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: agentID, Action: ActionTwoFactorOn, TargetType: "agent", TargetID: agentID, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: enable two-factor for %d: %w", agentID, err)
	}
	return nil
}

// TakeTOTPStep records that a code of step was used by agentID. It reports
// false when that step, or a later one, was taken already: each code signs
// in once.
func (s *Store) TakeTOTPStep(ctx context.Context, agentID, step int64) (bool, error) {
	var ok bool
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE agent_totp SET last_step = ? WHERE agent_id = ? AND enabled_at IS NOT NULL AND last_step < ?`,
			step, agentID, step)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		ok = n == 1
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: take a code of %d: %w", agentID, err)
	}
	return ok, nil
}

// UseRecoveryCode spends the recovery code with hash codeHash of agentID;
// false when there is no such unused code.
func (s *Store) UseRecoveryCode(ctx context.Context, agentID int64, codeHash []byte, ip string) (bool, error) {
	var ok bool
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		now := s.nowMs()
		res, err := tx.ExecContext(ctx, `UPDATE agent_recovery_codes SET used_at = ? WHERE agent_id = ? AND code_hash = ? AND used_at IS NULL`,
			now, agentID, codeHash)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		ok = true
		return audit(ctx, tx, now, AuditEntry{ActorID: agentID, Action: ActionRecoveryCodeUsed, TargetType: "agent", TargetID: agentID, IP: ip})
	})
	if err != nil {
		return false, fmt.Errorf("store: use a recovery code of %d: %w", agentID, err)
	}
	return ok, nil
}

// RecoveryCodesLeft counts agentID's unused recovery codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, agentID int64) (int, error) {
	var n int
	if err := s.rd.QueryRowContext(ctx, `SELECT count(*) FROM agent_recovery_codes WHERE agent_id = ? AND used_at IS NULL`, agentID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: recovery codes of %d: %w", agentID, err)
	}
	return n, nil
}

// ResetTwoFactor turns off another agent's two-factor sign-in (their
// authenticator was lost), forgets their recovery codes and ends their
// sessions; whoever may reset their password may do this.
func (s *Store) ResetTwoFactor(ctx context.Context, actorID, targetID int64, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		actor, err := s.loadActor(ctx, tx, actorID, authz.AgentsPassword)
		if err != nil {
			return err
		}
		target, err := loadTarget(ctx, tx, actor, targetID)
		if err != nil {
			return err
		}
		if actor.ID == target.ID {
			return RuleError{RuleSelfChange}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM agent_totp WHERE agent_id = ?`, target.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM agent_recovery_codes WHERE agent_id = ?`, target.ID); err != nil {
			return err
		}
		if err := endSessions(ctx, tx, target.ID, EndTwoFactorReset); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actor.ID, Action: ActionTwoFactorReset, TargetType: "agent", TargetID: target.ID,
			Details: target.Name, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: reset two-factor of %d: %w", targetID, err)
	}
	return nil
}

// RecordFailedSecondFactor notes a wrong code after a right password.
func (s *Store) RecordFailedSecondFactor(ctx context.Context, agentID int64, ip string) error {
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		return audit(ctx, tx, s.nowMs(), AuditEntry{Action: ActionTwoFactorFailed, TargetType: "agent", TargetID: agentID, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: record a wrong code: %w", err)
	}
	return nil
}
