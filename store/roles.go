package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"helpline/authz"
)

// Audit actions of custom roles.
const (
	ActionRoleCreate AuditAction = "role.create"
	ActionRoleUpdate AuditAction = "role.update"
	ActionRoleRemove AuditAction = "role.remove"
)

// RoleInfo is one role an agent may hold: built-in (Name empty: the view
// names it) or custom.
type RoleInfo struct {
	Role  authz.Role
	Name  string
	Perms authz.Set
	// Holders counts the live agents who hold a custom role.
	Holders   int
	UpdatedAt time.Time
}

// CustomRoleInput is what the custom role form sets; Perms are normalised
// to the Agent's permissions plus the offered ones chosen.
type CustomRoleInput struct {
	Name  string
	Perms authz.Set
}

// Roles lists the built-in roles, then the custom roles by name. It is read
// on every agents page and kept until the next commit.
func (s *Store) Roles(ctx context.Context) ([]RoleInfo, error) {
	return remember(&s.mem, memoKey{What: memoRoles}, func() ([]RoleInfo, error) {
		out := make([]RoleInfo, 0, len(authz.BuiltinRoles)+4)
		for _, r := range authz.BuiltinRoles {
			out = append(out, RoleInfo{Role: r, Perms: authz.BuiltinPerms(r)})
		}
		rows, err := s.rd.QueryContext(ctx, `SELECT r.id, r.name, r.permissions, r.updated_at,
			(SELECT count(*) FROM agents a WHERE a.custom_role_id = r.id AND a.removed_at IS NULL)
			FROM custom_roles r ORDER BY r.name_key, r.id`)
		if err != nil {
			return nil, fmt.Errorf("store: roles: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, updated int64
			var ri RoleInfo
			var stored string
			if err := rows.Scan(&id, &ri.Name, &stored, &updated, &ri.Holders); err != nil {
				return nil, fmt.Errorf("store: roles: %w", err)
			}
			ri.Role, ri.Perms, ri.UpdatedAt = authz.CustomRoleKey(id), authz.CustomPerms(authz.ParseSet(stored)), msToTime(updated)
			out = append(out, ri)
		}
		return out, rows.Err()
	})
}

// CustomRole returns one custom role.
func (s *Store) CustomRole(ctx context.Context, id int64) (RoleInfo, error) {
	roles, err := s.Roles(ctx)
	if err != nil {
		return RoleInfo{}, err
	}
	for _, r := range roles {
		if r.Role.CustomID() == id && id != 0 {
			return r, nil
		}
	}
	return RoleInfo{}, ErrNotFound
}

// roleNameKey folds a role name for the uniqueness check, in any letter.
func roleNameKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// CreateCustomRole adds a custom role; only those who may manage roles may.
func (s *Store) CreateCustomRole(ctx context.Context, actorID int64, in CustomRoleInput, ip string) (authz.Role, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		actor, err := s.loadActor(ctx, tx, actorID, authz.RolesManage)
		if err != nil {
			return err
		}
		perms := authz.CustomPerms(in.Perms)
		now := s.nowMs()
		if err := tx.QueryRowContext(ctx, `INSERT INTO custom_roles (name, name_key, permissions, created_at, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?)
			RETURNING id`, in.Name, roleNameKey(in.Name), perms.String(), now, now, actor.ID).Scan(&id); err != nil {
			return uniqueViolation(err, "name")
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actor.ID, Action: ActionRoleCreate, TargetType: "role", TargetID: id,
			Details: fmt.Sprintf("%s: %s", in.Name, perms), IP: ip})
	})
	if err != nil {
		return "", fmt.Errorf("store: create custom role: %w", err)
	}
	return authz.CustomRoleKey(id), nil
}

// UpdateCustomRole renames a custom role and sets its permissions. When the
// permissions change, every holder's sessions end in the same transaction.
func (s *Store) UpdateCustomRole(ctx context.Context, actorID, id int64, in CustomRoleInput, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		actor, err := s.loadActor(ctx, tx, actorID, authz.RolesManage)
		if err != nil {
			return err
		}
		var oldName, oldStored string
		err = tx.QueryRowContext(ctx, `SELECT name, permissions FROM custom_roles WHERE id = ?`, id).Scan(&oldName, &oldStored)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		perms := authz.CustomPerms(in.Perms)
		now := s.nowMs()
		if _, err := tx.ExecContext(ctx, `UPDATE custom_roles SET name = ?, name_key = ?, permissions = ?, updated_at = ?, updated_by = ?
			WHERE id = ?`, in.Name, roleNameKey(in.Name), perms.String(), now, actor.ID, id); err != nil {
			return uniqueViolation(err, "name")
		}
		if perms != authz.CustomPerms(authz.ParseSet(oldStored)) {
			if _, err := tx.ExecContext(ctx, `UPDATE sessions SET ended_reason = ?
				WHERE ended_reason = '' AND agent_id IN (SELECT id FROM agents WHERE custom_role_id = ?)`,
				string(EndRoleChanged), id); err != nil {
				return err
			}
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actor.ID, Action: ActionRoleUpdate, TargetType: "role", TargetID: id,
			Details: fmt.Sprintf("%s → %s: %s", oldName, in.Name, perms), IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: update custom role %d: %w", id, err)
	}
	return nil
}

// RemoveCustomRole removes a custom role no live agent holds. Removed agents
// who held it keep their history and fall back to the Agent role.
func (s *Store) RemoveCustomRole(ctx context.Context, actorID, id int64, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		actor, err := s.loadActor(ctx, tx, actorID, authz.RolesManage)
		if err != nil {
			return err
		}
		var name string
		err = tx.QueryRowContext(ctx, `SELECT name FROM custom_roles WHERE id = ?`, id).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var holders int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM agents WHERE custom_role_id = ? AND removed_at IS NULL`, id).
			Scan(&holders); err != nil {
			return err
		}
		if holders > 0 {
			return RuleError{RuleRoleInUse}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE agents SET custom_role_id = NULL WHERE custom_role_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM custom_roles WHERE id = ?`, id); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actor.ID, Action: ActionRoleRemove, TargetType: "role", TargetID: id,
			Details: name, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: remove custom role %d: %w", id, err)
	}
	return nil
}

// ownerOnly is the owner rule: only an Owner grants the Owner role or
// touches an Owner. It is about the Owner role itself, so it names it.
func ownerOnly(actor Agent, role authz.Role) bool {
	return role == authz.RoleOwner && actor.Role != authz.RoleOwner
}

// CanManage reports whether actor may manage target at all, as the store
// decides when they act: only an Owner manages an Owner, only those who may
// manage Administrators manage one, and nobody manages someone holding a
// permission they lack.
func CanManage(actor, target Agent) bool {
	if ownerOnly(actor, target.Role) {
		return false
	}
	if target.Perms.Has(authz.AgentsManageAdmins) && !actor.Perms.Has(authz.AgentsManageAdmins) {
		return false
	}
	return authz.MayManage(actor.Perms, target.Perms)
}

// CanChangeAccess reports whether actor may change target's role or status,
// or remove them: as CanManage, but never one's own account.
func CanChangeAccess(actor, target Agent) bool {
	return actor.ID != target.ID && CanManage(actor, target)
}

// Grantable keeps the roles of all that actor may give with the role picker.
func Grantable(actor Agent, all []RoleInfo) []RoleInfo {
	return keepRoles(actor, all, authz.MayGrant)
}

// Creatable keeps the roles a new agent made by actor may have: those whose
// holders actor may manage.
func Creatable(actor Agent, all []RoleInfo) []RoleInfo {
	return keepRoles(actor, all, authz.MayManage)
}

func keepRoles(actor Agent, all []RoleInfo, may func(actor, role authz.Set) bool) []RoleInfo {
	var out []RoleInfo
	for _, r := range all {
		if ownerOnly(actor, r.Role) {
			continue
		}
		if may(actor.Perms, r.Perms) {
			out = append(out, r)
		}
	}
	return out
}
