package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"golang.org/x/text/cases"

	"helpline/authz"
)

// Saved views: the queue's filters kept under a name, beside the ready
// views. A personal view is its agent's alone; a shared one is seen by
// everyone who sees tickets and changed only by those who may manage
// ticket filters (authz.TicketFiltersManage).

// SavedView is one saved view of the queue.
type SavedView struct {
	ID      int64
	AgentID int64 // 0: shared
	Name    string
	// Query is the queue's URL query the view shows (without paging).
	Query    string
	Position int
}

// Shared reports whether the view is the desk's rather than one agent's.
func (w SavedView) Shared() bool { return w.AgentID == 0 }

// SavedViewInput is what the Save view form sets.
type SavedViewInput struct {
	Name   string
	Query  string
	Shared bool
}

// Audit actions of saved views.
const (
	ActionSavedViewCreate AuditAction = "saved_view.create"
	ActionSavedViewRename AuditAction = "saved_view.rename"
	ActionSavedViewMove   AuditAction = "saved_view.move"
	ActionSavedViewRemove AuditAction = "saved_view.remove"
)

const savedViewColumns = `id, coalesce(agent_id, 0), name, query, position`

func scanSavedView(row interface{ Scan(...any) error }) (SavedView, error) {
	var w SavedView
	err := row.Scan(&w.ID, &w.AgentID, &w.Name, &w.Query, &w.Position)
	return w, err
}

// SavedViews lists the views v sees: the shared ones, then v's own, each
// in their order.
func (s *Store) SavedViews(ctx context.Context, v authz.Viewer) ([]SavedView, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT `+savedViewColumns+` FROM saved_views
		WHERE agent_id IS NULL OR agent_id = ?
		ORDER BY CASE WHEN agent_id IS NULL THEN 0 ELSE 1 END, position, id`, v.ID)
	if err != nil {
		return nil, fmt.Errorf("store: saved views: %w", err)
	}
	defer rows.Close()
	var out []SavedView
	for rows.Next() {
		w, err := scanSavedView(rows)
		if err != nil {
			return nil, fmt.Errorf("store: saved views: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// SavedView returns a view v sees: shared, or v's own. Another agent's
// personal view is ErrNotFound, as one that does not exist.
func (s *Store) SavedView(ctx context.Context, v authz.Viewer, id int64) (SavedView, error) {
	return savedViewFor(ctx, s.rd, v, id)
}

func savedViewFor(ctx context.Context, q querier, v authz.Viewer, id int64) (SavedView, error) {
	w, err := scanSavedView(q.QueryRowContext(ctx, `SELECT `+savedViewColumns+` FROM saved_views
		WHERE id = ? AND (agent_id IS NULL OR agent_id = ?)`, id, v.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return SavedView{}, ErrNotFound
	}
	if err != nil {
		return SavedView{}, fmt.Errorf("store: saved view %d: %w", id, err)
	}
	return w, nil
}

// viewNameKey is what makes two names one: Unicode's case folding.
func viewNameKey(name string) string { return cases.Fold().String(name) }

// MayChangeView reports whether v may rename, move or remove w: their own
// personal views anyone, shared ones those who manage ticket filters.
func MayChangeView(v authz.Viewer, w SavedView) bool {
	if w.Shared() {
		return v.Can(authz.TicketFiltersManage)
	}
	return w.AgentID == v.ID
}

// scopeOwner is the agent_id of a view in the scope: NULL when shared.
func scopeOwner(v authz.Viewer, shared bool) any {
	if shared {
		return nil
	}
	return v.ID
}

// checkViewChange reads the view inside the transaction and checks v may
// change it; for a shared view the agent is read afresh, so a permission
// taken away meanwhile counts.
func (s *Store) checkViewChange(ctx context.Context, tx *sql.Tx, v authz.Viewer, id int64) (SavedView, error) {
	w, err := savedViewFor(ctx, tx, v, id)
	if err != nil {
		return SavedView{}, err
	}
	if w.Shared() {
		if _, err := s.loadActor(ctx, tx, v.ID, authz.TicketFiltersManage); err != nil {
			return SavedView{}, err
		}
	} else if w.AgentID != v.ID {
		return SavedView{}, ErrNotFound
	}
	return w, nil
}

// CreateSavedView keeps a view at the end of its scope's list. A shared
// view needs ticket_filters:manage (RuleError{RuleNotPermitted}); the name
// must be unique in its scope in any letter case (ErrConflict{"name"}).
func (s *Store) CreateSavedView(ctx context.Context, v authz.Viewer, in SavedViewInput) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if in.Shared {
			if _, err := s.loadActor(ctx, tx, v.ID, authz.TicketFiltersManage); err != nil {
				return err
			}
		}
		owner, ownerID := scopeOwner(v, in.Shared), v.ID
		if in.Shared {
			ownerID = 0
		}
		now := s.nowMs()
		err := tx.QueryRowContext(ctx, `INSERT INTO saved_views (agent_id, name, name_key, query, position, created_at, updated_at)
			VALUES (?, ?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM saved_views WHERE coalesce(agent_id, 0) = ?), ?, ?)
			RETURNING id`, owner, in.Name, viewNameKey(in.Name), in.Query, ownerID, now, now).Scan(&id)
		if err != nil {
			return uniqueViolation(err, "name")
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: v.ID, Action: ActionSavedViewCreate, TargetType: "saved_view", TargetID: id,
			Details: viewAuditDetails(in.Name, in.Shared)})
	})
	if err != nil {
		return 0, fmt.Errorf("store: create saved view: %w", err)
	}
	return id, nil
}

func viewAuditDetails(name string, shared bool) string {
	if shared {
		return name + " (shared)"
	}
	return name + " (personal)"
}

// RenameSavedView renames a view v may change.
func (s *Store) RenameSavedView(ctx context.Context, v authz.Viewer, id int64, name string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		w, err := s.checkViewChange(ctx, tx, v, id)
		if err != nil {
			return err
		}
		now := s.nowMs()
		if _, err := tx.ExecContext(ctx, `UPDATE saved_views SET name = ?, name_key = ?, updated_at = ? WHERE id = ?`, name, viewNameKey(name), now, id); err != nil {
			return uniqueViolation(err, "name")
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: v.ID, Action: ActionSavedViewRename, TargetType: "saved_view", TargetID: id,
			Details: w.Name + " → " + name})
	})
	if err != nil {
		return fmt.Errorf("store: rename saved view %d: %w", id, err)
	}
	return nil
}

// MoveSavedView swaps a view with its neighbour in its scope's list.
func (s *Store) MoveSavedView(ctx context.Context, v authz.Viewer, id int64, up bool) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		w, err := s.checkViewChange(ctx, tx, v, id)
		if err != nil {
			return err
		}
		// On PostgreSQL the scope's rows are locked until the commit, so
		// two moves at once take turns instead of both renumbering the
		// order they read.
		lock := ""
		if s.pg {
			lock = " FOR UPDATE"
		}
		ids, err := queryIDs(ctx, tx, `SELECT id FROM saved_views WHERE coalesce(agent_id, 0) = ? ORDER BY position, id`+lock, w.AgentID)
		if err != nil {
			return err
		}
		moved, err := moveInOrder(ids, id, up)
		if err != nil {
			return err
		}
		if err := renumber(ctx, tx, "saved_views", moved); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: v.ID, Action: ActionSavedViewMove, TargetType: "saved_view", TargetID: id,
			Details: map[bool]string{true: "up", false: "down"}[up]})
	})
	if err != nil {
		return fmt.Errorf("store: move saved view %d: %w", id, err)
	}
	return nil
}

// RemoveSavedView removes a view v may change.
func (s *Store) RemoveSavedView(ctx context.Context, v authz.Viewer, id int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		w, err := s.checkViewChange(ctx, tx, v, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM saved_views WHERE id = ?`, id); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: v.ID, Action: ActionSavedViewRemove, TargetType: "saved_view", TargetID: id,
			Details: viewAuditDetails(w.Name, w.Shared())})
	})
	if err != nil {
		return fmt.Errorf("store: remove saved view %d: %w", id, err)
	}
	return nil
}
