package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// AuditAction names what happened, in the audit log.
type AuditAction string

const (
	ActionSignUp         AuditAction = "account.sign_up"
	ActionSignIn         AuditAction = "session.sign_in"
	ActionSignInFailed   AuditAction = "session.sign_in_failed"
	ActionSignOut        AuditAction = "session.sign_out"
	ActionProfileUpdate  AuditAction = "profile.update"
	ActionPasswordChange AuditAction = "profile.password_change"

	ActionDepartmentCreate AuditAction = "department.create"
	ActionDepartmentMember AuditAction = "department.member"
)

// AuditEntry is one line of the audit log. ActorID 0 means nobody signed in.
type AuditEntry struct {
	ID         int64
	At         time.Time
	ActorID    int64
	ActorName  string
	Action     AuditAction
	TargetType string
	TargetID   int64
	Details    string
	IP         string
}

func audit(ctx context.Context, tx *sql.Tx, nowMs int64, e AuditEntry) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, action, target_type, target_id, details, ip)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, nowMs, nullID(e.ActorID), string(e.Action), e.TargetType, nullID(e.TargetID), truncate(e.Details, 1000), e.IP)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// RecordAudit writes one audit entry on its own (events without another change,
// such as a failed sign-in).
func (s *Store) RecordAudit(ctx context.Context, e AuditEntry) error {
	err := s.write(ctx, func(tx *sql.Tx) error { return audit(ctx, tx, s.nowMs(), e) })
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// AuditLog returns up to limit entries older than beforeID (0: the newest).
func (s *Store) AuditLog(ctx context.Context, beforeID int64, limit int) ([]AuditEntry, error) {
	return s.AuditPage(ctx, AuditFilter{}, beforeID, limit)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
