package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// AuditFilter narrows the audit log: by who, what and when. Zero fields
// filter nothing.
type AuditFilter struct {
	ActorID int64 // an agent; with Nobody, entries made by nobody signed in
	Nobody  bool
	Action  AuditAction
	From    time.Time // entries at or after
	Until   time.Time // entries before
}

func (f AuditFilter) where() (string, []any) {
	var conds []string
	var args []any
	switch {
	case f.Nobody:
		conds = append(conds, "l.actor_id IS NULL")
	case f.ActorID != 0:
		conds, args = append(conds, "l.actor_id = ?"), append(args, f.ActorID)
	}
	if f.Action != "" {
		conds, args = append(conds, "l.action = ?"), append(args, string(f.Action))
	}
	if !f.From.IsZero() {
		conds, args = append(conds, "l.at >= ?"), append(args, f.From.UnixMilli())
	}
	if !f.Until.IsZero() {
		conds, args = append(conds, "l.at < ?"), append(args, f.Until.UnixMilli())
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " AND " + strings.Join(conds, " AND "), args
}

// AuditPage returns up to limit entries matching f that are older than
// beforeID (0: the newest), newest first: pages are keyed by the last id
// shown, so an entry written meanwhile never shifts a page.
func (s *Store) AuditPage(ctx context.Context, f AuditFilter, beforeID int64, limit int) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.eachAudit(ctx, f, beforeID, limit, func(e AuditEntry) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// EachAudit calls fn with every entry matching f, newest first, reading
// them as it goes (for an export as large as the log).
func (s *Store) EachAudit(ctx context.Context, f AuditFilter, fn func(AuditEntry) error) error {
	return s.eachAudit(ctx, f, 0, -1, fn)
}

func (s *Store) eachAudit(ctx context.Context, f AuditFilter, beforeID int64, limit int, fn func(AuditEntry) error) error {
	if beforeID <= 0 {
		beforeID = 1 << 62
	}
	where, args := f.where()
	q := `SELECT l.id, l.at, coalesce(l.actor_id, 0), coalesce(a.name, ''), a.removed_at IS NOT NULL,
			l.action, l.target_type, coalesce(l.target_id, 0), l.details, l.ip
		FROM audit_log l LEFT JOIN agents a ON a.id = l.actor_id
		WHERE l.id < ?` + where + ` ORDER BY l.id DESC`
	args = append([]any{beforeID}, args...)
	if limit >= 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := s.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e AuditEntry
		var at int64
		var removed bool
		if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.ActorName, &removed, &e.Action, &e.TargetType, &e.TargetID, &e.Details, &e.IP); err != nil {
			return fmt.Errorf("store: audit log: %w", err)
		}
		if removed {
			e.ActorName += " (removed)"
		}
		e.At = msToTime(at)
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: audit log: %w", err)
	}
	return nil
}

// AuditActor is someone the audit log may be filtered by.
type AuditActor struct {
	ID      int64
	Name    string
	Removed bool
}

// AuditActors lists every agent, removed ones too (their entries stay).
func (s *Store) AuditActors(ctx context.Context) ([]AuditActor, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT id, name, removed_at IS NOT NULL FROM agents ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("store: audit actors: %w", err)
	}
	defer rows.Close()
	var out []AuditActor
	for rows.Next() {
		var a AuditActor
		if err := rows.Scan(&a.ID, &a.Name, &a.Removed); err != nil {
			return nil, fmt.Errorf("store: audit actors: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
