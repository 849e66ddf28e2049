package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"helpline/authz"
	"helpline/security"
)

// ActionSecuritySettings is a save of Configuration → Security.
const ActionSecuritySettings AuditAction = "security.settings"

// ErrInvalidPolicy reports a password policy whose numbers do not fit
// together (a minimum under 10, a maximum under the minimum...).
var ErrInvalidPolicy = errors.New("store: the password policy does not hold together")

// SecuritySettings are the desk's password policy and whether Administrators
// and Owners must sign in with two factors.
type SecuritySettings struct {
	Policy           security.PasswordPolicy
	RequireTwoFactor bool
}

// DefaultSecuritySettings hold until someone saves the screen.
func DefaultSecuritySettings() SecuritySettings {
	return SecuritySettings{Policy: security.DefaultPasswordPolicy()}
}

// SecuritySettings reads the settings; the defaults when none were saved.
func (s *Store) SecuritySettings(ctx context.Context) (SecuritySettings, error) {
	out, err := securitySettings(ctx, s.rd)
	if err != nil {
		return SecuritySettings{}, fmt.Errorf("store: security settings: %w", err)
	}
	return out, nil
}

func securitySettings(ctx context.Context, q querier) (SecuritySettings, error) {
	var p security.PasswordPolicy
	var digit, letter, common, twoFactor int
	err := q.QueryRowContext(ctx, `SELECT password_min_length, password_max_length, password_require_digit,
		password_require_letter, password_refuse_common, password_expiry_days, require_two_factor
		FROM security_settings WHERE id = 1`).Scan(&p.MinLength, &p.MaxLength, &digit, &letter, &common, &p.ExpiryDays, &twoFactor)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultSecuritySettings(), nil
	}
	if err != nil {
		return SecuritySettings{}, err
	}
	p.RequireDigit, p.RequireLetter, p.RefuseCommon = digit != 0, letter != 0, common != 0
	return SecuritySettings{Policy: p, RequireTwoFactor: twoFactor != 0}, nil
}

// SaveSecuritySettings stores the settings and writes to the audit log what
// changed. A new policy applies to passwords set from now on, and the
// expiry to every password by its age.
func (s *Store) SaveSecuritySettings(ctx context.Context, actorID int64, in SecuritySettings, ip string) error {
	if !in.Policy.Valid() {
		return ErrInvalidPolicy
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.SecurityManage); err != nil {
			return err
		}
		old, err := securitySettings(ctx, tx)
		if err != nil {
			return err
		}
		p := in.Policy
		if _, err := tx.ExecContext(ctx, `INSERT INTO security_settings (id, password_min_length, password_max_length,
			password_require_digit, password_require_letter, password_refuse_common, password_expiry_days, require_two_factor)
			VALUES (1, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET password_min_length = excluded.password_min_length,
				password_max_length = excluded.password_max_length, password_require_digit = excluded.password_require_digit,
				password_require_letter = excluded.password_require_letter, password_refuse_common = excluded.password_refuse_common,
				password_expiry_days = excluded.password_expiry_days, require_two_factor = excluded.require_two_factor`,
			p.MinLength, p.MaxLength, boolInt(p.RequireDigit), boolInt(p.RequireLetter), boolInt(p.RefuseCommon), p.ExpiryDays, boolInt(in.RequireTwoFactor)); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionSecuritySettings, TargetType: "account", TargetID: 1,
			Details: securityChanges(old, in), IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: save security settings: %w", err)
	}
	return nil
}

func securityChanges(old, in SecuritySettings) string {
	var out []string
	note := func(name string, a, b any) {
		if a != b {
			out = append(out, fmt.Sprintf("%s: %v → %v", name, a, b))
		}
	}
	note("minimum length", old.Policy.MinLength, in.Policy.MinLength)
	note("maximum length", old.Policy.MaxLength, in.Policy.MaxLength)
	note("require a digit", old.Policy.RequireDigit, in.Policy.RequireDigit)
	note("require a letter", old.Policy.RequireLetter, in.Policy.RequireLetter)
	note("refuse common passwords", old.Policy.RefuseCommon, in.Policy.RefuseCommon)
	note("expiry in days", old.Policy.ExpiryDays, in.Policy.ExpiryDays)
	note("require two-factor sign-in", old.RequireTwoFactor, in.RequireTwoFactor)
	return strings.Join(out, "; ")
}

// PasswordExpired reports whether agentID's password is older than the
// policy lets it be (never, when the policy has no expiry).
func (s *Store) PasswordExpired(ctx context.Context, agentID int64, p security.PasswordPolicy) (bool, error) {
	if p.ExpiryDays <= 0 {
		return false, nil
	}
	// An agent whose password was set with their account (the Owner at
	// sign-up) has no time of change: the account's creation is that time.
	var changed int64
	if err := s.rd.QueryRowContext(ctx, `SELECT coalesce(password_changed_at, created_at) FROM agents WHERE id = ?`, agentID).Scan(&changed); err != nil {
		return false, fmt.Errorf("store: password age of %d: %w", agentID, err)
	}
	expires := msToTime(changed).Add(time.Duration(p.ExpiryDays) * 24 * time.Hour)
	return !s.now().Before(expires), nil
}

// ExpiredPasswordValid is how long the link to replace an expired password
// works: the agent is on the page that uses it at once.
const ExpiredPasswordValid = 15 * time.Minute

// ActionPasswordExpired is the audit entry of a sign-in stopped by an
// expired password.
const ActionPasswordExpired AuditAction = "agent.password_expired"

// ExpiredPasswordLink makes the one-time link an agent whose password
// expired uses to set a new one, right after they proved they know the old
// one. Earlier links stop working; sessions stay as they were.
func (s *Store) ExpiredPasswordLink(ctx context.Context, agentID int64, ip string) (string, error) {
	var token string
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		now := s.nowMs()
		var err error
		token, err = issuePasswordTokenFor(ctx, tx, agentID, 0, now, ExpiredPasswordValid)
		if err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: agentID, Action: ActionPasswordExpired, TargetType: "agent", TargetID: agentID, IP: ip})
	})
	if err != nil {
		return "", fmt.Errorf("store: expired password link for %d: %w", agentID, err)
	}
	return token, nil
}
