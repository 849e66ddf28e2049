package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"helpline/authz"
	"strings"
	"time"
)

// Rules of managing agents beyond those in errors.go.
const (
	RuleCreatorOnly     Rule = "creator_only"      // only the account creator hands the mark on
	RuleCreatorNotOwner Rule = "creator_not_owner" // the account creator must be an active Owner
)

// Audit actions of managing agents.
const (
	ActionAgentCreate        AuditAction = "agent.create"
	ActionAgentUpdate        AuditAction = "agent.update"
	ActionAgentRole          AuditAction = "agent.role"
	ActionAgentDisable       AuditAction = "agent.disable"
	ActionAgentEnable        AuditAction = "agent.enable"
	ActionAgentRemove        AuditAction = "agent.remove"
	ActionAgentPasswordReset AuditAction = "agent.password_reset"
	ActionAgentPasswordSet   AuditAction = "agent.password_set"
	ActionAgentDepartments   AuditAction = "agent.departments"
	ActionAccountCreator     AuditAction = "account.creator"
)

// ErrLinkInvalid answers a set-password link that is unknown, used or expired.
var ErrLinkInvalid = errors.New("password link is not valid")

// ErrUnknownDepartment answers a department ID that does not exist.
var ErrUnknownDepartment = errors.New("unknown department")

// PasswordLinkValid is how long a one-time set-password link works.
const PasswordLinkValid = 72 * time.Hour

// Genders an agent may state; "" is "Not specified".
var Genders = []string{"female", "male", "other"}

// AgentInput is what the agent form sets.
type AgentInput struct {
	Name   string
	Email  string
	Alias  string
	Gender string
	Role   authz.Role
	Status Status
	// DepartmentIDs: nil leaves an agent's departments as they are; giving
	// them needs agents:assign_departments.
	DepartmentIDs []int64
}

// loadActor reads the acting agent inside the transaction, so a permission
// taken away by a concurrent request counts: they must be live, active and
// hold need.
//
// Every change to the team, its roles and its departments starts here, so on
// PostgreSQL this is where such writes queue behind one another (teamLock):
// the owner rules read the team and then change it, and two instances must
// not both read the same team before either writes, as two demotions that
// each still see another Owner would leave none. SQLite's single writer
// orders them already.
func (s *Store) loadActor(ctx context.Context, tx *sql.Tx, actorID int64, need authz.Perm) (Agent, error) {
	if s.pg {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, teamLock); err != nil {
			return Agent{}, fmt.Errorf("store: wait for the team: %w", err)
		}
	}
	a, err := agentByID(ctx, tx, actorID)
	if errors.Is(err, ErrNotFound) {
		return Agent{}, RuleError{RuleNotPermitted}
	}
	if err != nil {
		return Agent{}, err
	}
	if a.Removed || a.Status != StatusActive {
		return Agent{}, RuleError{RuleNotPermitted}
	}
	if !a.Perms.Has(need) {
		if need == authz.OwnersManage {
			return Agent{}, RuleError{RuleOwnerOnly}
		}
		return Agent{}, RuleError{RuleNotPermitted}
	}
	return a, nil
}

// teamLock is the PostgreSQL advisory lock that team changes hold until
// they commit (any fixed number; "team" in ASCII).
const teamLock int64 = 0x7465616d

// loadTarget reads a live agent the actor may manage. Only an Owner manages
// an Owner (the owner rule); beyond that nobody manages someone who holds a
// permission they lack.
func loadTarget(ctx context.Context, tx *sql.Tx, actor Agent, targetID int64) (Agent, error) {
	t, err := agentByID(ctx, tx, targetID)
	if err != nil {
		return Agent{}, err
	}
	if t.Removed {
		return Agent{}, ErrNotFound
	}
	if !CanManage(actor, t) {
		if t.Role == authz.RoleOwner {
			return Agent{}, RuleError{RuleOwnerOnly}
		}
		return Agent{}, RuleError{RuleNotPermitted}
	}
	return t, nil
}

// resolveRole reads a role's permissions and the name the audit log shows,
// inside the transaction; an unknown custom role is ErrUnknownRole.
func resolveRole(ctx context.Context, tx *sql.Tx, role authz.Role) (authz.Set, string, error) {
	if role.Builtin() {
		return authz.BuiltinPerms(role), string(role), nil
	}
	id := role.CustomID()
	if id == 0 {
		return 0, "", ErrUnknownRole
	}
	var name, stored string
	err := tx.QueryRowContext(ctx, `SELECT name, permissions FROM custom_roles WHERE id = ?`, id).Scan(&name, &stored)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", ErrUnknownRole
	}
	if err != nil {
		return 0, "", err
	}
	return authz.CustomPerms(authz.ParseSet(stored)), name, nil
}

// roleAuditName is how the audit log names an agent's role.
func roleAuditName(a Agent) string {
	if a.RoleName != "" {
		return a.RoleName
	}
	return string(a.Role)
}

// checkGrant decides whether actor may give role: only an Owner grants the
// Owner role, and nobody hands out a permission they lack.
func checkGrant(ctx context.Context, tx *sql.Tx, actor Agent, role authz.Role, may func(actor, role authz.Set) bool) error {
	perms, _, err := resolveRole(ctx, tx, role)
	if err != nil {
		return err
	}
	if ownerOnly(actor, role) {
		return RuleError{RuleOwnerOnly}
	}
	if !may(actor.Perms, perms) {
		return RuleError{RuleNotPermitted}
	}
	return nil
}

// roleColumns is how a role is stored: a custom role's holder has role
// 'agent' and the custom role's ID.
func roleColumns(role authz.Role) (string, any) {
	if id := role.CustomID(); id != 0 {
		return string(authz.RoleAgent), id
	}
	return string(role), nil
}

// checkOwnerLoss refuses to take the last active Owner, or the account
// creator, out of the Owners' ranks. It counts inside the transaction.
func checkOwnerLoss(ctx context.Context, tx *sql.Tx, target Agent) error {
	if target.Role != authz.RoleOwner {
		return nil
	}
	if target.IsCreator {
		return RuleError{RuleAccountCreator}
	}
	var others int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM agents
		WHERE role = 'owner' AND status = 'active' AND removed_at IS NULL AND id <> ?`, target.ID).Scan(&others)
	if err != nil {
		return err
	}
	if others == 0 {
		return RuleError{RuleLastOwner}
	}
	return nil
}

func (s *Store) applyRole(ctx context.Context, tx *sql.Tx, actor, target Agent, role authz.Role, ip string) error {
	if role == target.Role {
		return nil
	}
	if actor.ID == target.ID {
		return RuleError{RuleSelfChange}
	}
	if err := checkGrant(ctx, tx, actor, role, authz.MayGrant); err != nil {
		return err
	}
	_, newName, err := resolveRole(ctx, tx, role)
	if err != nil {
		return err
	}
	if target.Status == StatusActive {
		if err := checkOwnerLoss(ctx, tx, target); err != nil {
			return err
		}
	} else if target.IsCreator {
		return RuleError{RuleAccountCreator}
	}
	now := s.nowMs()
	builtin, customID := roleColumns(role)
	if _, err := tx.ExecContext(ctx, `UPDATE agents SET role = ?, custom_role_id = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
		builtin, customID, now, actor.ID, target.ID); err != nil {
		return err
	}
	if err := endSessions(ctx, tx, target.ID, EndRoleChanged); err != nil {
		return err
	}
	return audit(ctx, tx, now, AuditEntry{ActorID: actor.ID, Action: ActionAgentRole, TargetType: "agent", TargetID: target.ID,
		Details: fmt.Sprintf("%s: %s → %s", target.Name, roleAuditName(target), newName), IP: ip})
}

func (s *Store) applyStatus(ctx context.Context, tx *sql.Tx, actor, target Agent, status Status, ip string) error {
	if status == target.Status {
		return nil
	}
	if status != StatusActive && status != StatusDisabled {
		return fmt.Errorf("unknown status %q", status)
	}
	if actor.ID == target.ID {
		return RuleError{RuleSelfChange}
	}
	action := ActionAgentEnable
	if status == StatusDisabled {
		action = ActionAgentDisable
		if err := checkOwnerLoss(ctx, tx, target); err != nil {
			return err
		}
	}
	now := s.nowMs()
	if _, err := tx.ExecContext(ctx, `UPDATE agents SET status = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
		string(status), now, actor.ID, target.ID); err != nil {
		return err
	}
	if status == StatusDisabled {
		if err := endSessions(ctx, tx, target.ID, EndDisabled); err != nil {
			return err
		}
	}
	if err := s.seatsChanged(ctx, tx, actor.ID, target.ID, action); err != nil {
		return err
	}
	return audit(ctx, tx, now, AuditEntry{ActorID: actor.ID, Action: action, TargetType: "agent", TargetID: target.ID, Details: target.Name, IP: ip})
}

// ChangeRole gives target a new role. Their sessions end.
func (s *Store) ChangeRole(ctx context.Context, actorID, targetID int64, role authz.Role, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		actor, err := s.loadActor(ctx, tx, actorID, authz.AgentsRole)
		if err != nil {
			return err
		}
		target, err := loadTarget(ctx, tx, actor, targetID)
		if err != nil {
			return err
		}
		return s.applyRole(ctx, tx, actor, target, role, ip)
	})
	if err != nil {
		return fmt.Errorf("store: change role of agent %d: %w", targetID, err)
	}
	return nil
}

// SetAgentStatus disables or enables target. Disabling ends their sessions.
func (s *Store) SetAgentStatus(ctx context.Context, actorID, targetID int64, status Status, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		actor, err := s.loadActor(ctx, tx, actorID, authz.AgentsManage)
		if err != nil {
			return err
		}
		target, err := loadTarget(ctx, tx, actor, targetID)
		if err != nil {
			return err
		}
		return s.applyStatus(ctx, tx, actor, target, status, ip)
	})
	if err != nil {
		return fmt.Errorf("store: set status of agent %d: %w", targetID, err)
	}
	return nil
}

// CreateAgent adds an agent without a password and returns the one-time
// set-password link token to hand over.
func (s *Store) CreateAgent(ctx context.Context, actorID int64, in AgentInput, ip string) (Agent, string, error) {
	var id int64
	var token string
	err := s.write(ctx, func(tx *sql.Tx) error {
		actor, err := s.loadActor(ctx, tx, actorID, authz.AgentsManage)
		if err != nil {
			return err
		}
		if err := checkGrant(ctx, tx, actor, in.Role, authz.MayManage); err != nil {
			return err
		}
		if in.DepartmentIDs != nil && !actor.Perms.Has(authz.AgentsDepartments) {
			return RuleError{RuleNotPermitted}
		}
		status := in.Status
		if status == "" {
			status = StatusActive
		}
		now := s.nowMs()
		builtin, customID := roleColumns(in.Role)
		// A new agent speaks the desk's default language (Configuration →
		// Languages) until they choose another.
		if err := tx.QueryRowContext(ctx, `INSERT INTO agents (name, email, alias, gender, role, custom_role_id, status, created_at, updated_at, updated_by, language)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT default_language FROM account WHERE id = 1), ''))
			RETURNING id`,
			in.Name, NormalizeEmail(in.Email), in.Alias, in.Gender, builtin, customID, string(status), now, now, actor.ID).Scan(&id); err != nil {
			return uniqueViolation(err, "email")
		}
		if in.DepartmentIDs != nil {
			if err := setAgentDepartments(ctx, tx, id, in.DepartmentIDs); err != nil {
				return err
			}
		}
		if token, err = issuePasswordToken(ctx, tx, id, actor.ID, now); err != nil {
			return err
		}
		if err := s.seatsChanged(ctx, tx, actor.ID, id, ActionAgentCreate); err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actor.ID, Action: ActionAgentCreate, TargetType: "agent", TargetID: id,
			Details: fmt.Sprintf("%s <%s>, %s", in.Name, NormalizeEmail(in.Email), in.Role), IP: ip})
	})
	if err != nil {
		return Agent{}, "", fmt.Errorf("store: create agent: %w", err)
	}
	a, err := s.AgentByID(ctx, id)
	return a, token, err
}

// UpdateAgent changes target's details, role, status and departments in one
// step, under the same rules as the single changes.
func (s *Store) UpdateAgent(ctx context.Context, actorID, targetID int64, in AgentInput, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		actor, err := s.loadActor(ctx, tx, actorID, authz.AgentsManage)
		if err != nil {
			return err
		}
		target, err := loadTarget(ctx, tx, actor, targetID)
		if err != nil {
			return err
		}
		if err := s.applyRole(ctx, tx, actor, target, in.Role, ip); err != nil {
			return err
		}
		if err := s.applyStatus(ctx, tx, actor, target, in.Status, ip); err != nil {
			return err
		}
		now := s.nowMs()
		if _, err := tx.ExecContext(ctx, `UPDATE agents SET name = ?, email = ?, alias = ?, gender = ?, updated_at = ?, updated_by = ?
			WHERE id = ?`, in.Name, NormalizeEmail(in.Email), in.Alias, in.Gender, now, actor.ID, target.ID); err != nil {
			return uniqueViolation(err, "email")
		}
		if in.DepartmentIDs != nil {
			if !actor.Perms.Has(authz.AgentsDepartments) {
				return RuleError{RuleNotPermitted}
			}
			if err := setAgentDepartments(ctx, tx, target.ID, in.DepartmentIDs); err != nil {
				return err
			}
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actor.ID, Action: ActionAgentUpdate, TargetType: "agent", TargetID: target.ID,
			Details: fmt.Sprintf("%s <%s>", in.Name, NormalizeEmail(in.Email)), IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: update agent %d: %w", targetID, err)
	}
	return nil
}

// RemoveAgent removes target: the row stays for history (shown "(removed)"),
// the email is free again, their sessions and links end.
func (s *Store) RemoveAgent(ctx context.Context, actorID, targetID int64, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		actor, err := s.loadActor(ctx, tx, actorID, authz.AgentsManage)
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
		if target.IsCreator {
			return RuleError{RuleAccountCreator}
		}
		if target.Status == StatusActive {
			if err := checkOwnerLoss(ctx, tx, target); err != nil {
				return err
			}
		}
		now := s.nowMs()
		if _, err := tx.ExecContext(ctx, `UPDATE agents SET removed_at = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
			now, now, actor.ID, target.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM department_members WHERE agent_id = ?`, target.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM password_tokens WHERE agent_id = ? AND used_at IS NULL`, target.ID); err != nil {
			return err
		}
		if err := unassignOpenTickets(ctx, tx, target.ID, actor.ID); err != nil {
			return err
		}
		if err := endSessions(ctx, tx, target.ID, EndRemoved); err != nil {
			return err
		}
		if err := s.seatsChanged(ctx, tx, actor.ID, target.ID, ActionAgentRemove); err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actor.ID, Action: ActionAgentRemove, TargetType: "agent", TargetID: target.ID,
			Details: fmt.Sprintf("%s <%s>", target.Name, target.Email), IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: remove agent %d: %w", targetID, err)
	}
	return nil
}

// ResetPassword clears target's password, ends their sessions and returns a
// new one-time set-password link token; earlier links stop working.
func (s *Store) ResetPassword(ctx context.Context, actorID, targetID int64, ip string) (string, error) {
	var token string
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
		token, err = s.resetPassword(ctx, tx, target, AuditEntry{ActorID: actor.ID, Action: ActionAgentPasswordReset, IP: ip})
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store: reset password of agent %d: %w", targetID, err)
	}
	return token, nil
}

// resetPassword clears target's password, gives a new one-time link (earlier
// ones stop working) and ends their sessions; entry names who did it (no
// actor: the server's command line) and is completed and audited.
func (s *Store) resetPassword(ctx context.Context, tx *sql.Tx, target Agent, entry AuditEntry) (string, error) {
	now := s.nowMs()
	if _, err := tx.ExecContext(ctx, `UPDATE agents SET password_hash = '', updated_at = ?, updated_by = ? WHERE id = ?`,
		now, nullID(entry.ActorID), target.ID); err != nil {
		return "", err
	}
	token, err := issuePasswordToken(ctx, tx, target.ID, entry.ActorID, now)
	if err != nil {
		return "", err
	}
	if err := endSessions(ctx, tx, target.ID, EndPasswordReset); err != nil {
		return "", err
	}
	entry.TargetType, entry.TargetID, entry.Details = "agent", target.ID, target.Name
	return token, audit(ctx, tx, now, entry)
}

// ActionAgentPasswordResetOnServer is a reset made on the server's command
// line rather than by a signed-in agent.
const ActionAgentPasswordResetOnServer AuditAction = "agent.password_reset_server"

// ResetPasswordOnServer is the way back in for an agent nobody else can
// help, such as the only Owner who forgot their password. Whoever runs the
// server runs it from the command line, so there is no acting agent. As with
// ResetPassword the old password stops working, the agent's sessions end and
// the link is one-time.
func (s *Store) ResetPasswordOnServer(ctx context.Context, email string) (Agent, string, error) {
	var token string
	var a Agent
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if a, err = scanAgent(tx.QueryRowContext(ctx, `SELECT `+agentColumns+` FROM agents a
			WHERE a.email = ? AND a.removed_at IS NULL`, NormalizeEmail(email))); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		token, err = s.resetPassword(ctx, tx, a, AuditEntry{Action: ActionAgentPasswordResetOnServer})
		return err
	})
	if err != nil {
		return Agent{}, "", fmt.Errorf("store: reset password of %s on the server: %w", NormalizeEmail(email), err)
	}
	return a, token, nil
}

// MakeAccountCreator moves the account creator mark to another active Owner.
// Only the current account creator may hand it on.
func (s *Store) MakeAccountCreator(ctx context.Context, actorID, targetID int64, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		actor, err := s.loadActor(ctx, tx, actorID, authz.OwnersManage)
		if err != nil {
			return err
		}
		if !actor.IsCreator {
			return RuleError{RuleCreatorOnly}
		}
		target, err := loadTarget(ctx, tx, actor, targetID)
		if err != nil {
			return err
		}
		if target.IsCreator {
			return nil
		}
		if target.Role != authz.RoleOwner || target.Status != StatusActive {
			return RuleError{RuleCreatorNotOwner}
		}
		now := s.nowMs()
		if _, err := tx.ExecContext(ctx, `UPDATE account SET creator_id = ? WHERE id = 1`, target.ID); err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actor.ID, Action: ActionAccountCreator, TargetType: "agent", TargetID: target.ID, Details: target.Name, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: make agent %d account creator: %w", targetID, err)
	}
	return nil
}

// issuePasswordToken makes a new one-time link for agentID; unused earlier
// links of that agent stop working.
func issuePasswordToken(ctx context.Context, tx *sql.Tx, agentID, actorID, nowMs int64) (string, error) {
	return issuePasswordTokenFor(ctx, tx, agentID, actorID, nowMs, PasswordLinkValid)
}

// issuePasswordTokenFor is issuePasswordToken with a link valid for valid.
func issuePasswordTokenFor(ctx context.Context, tx *sql.Tx, agentID, actorID, nowMs int64, valid time.Duration) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	if _, err := tx.ExecContext(ctx, `DELETE FROM password_tokens WHERE agent_id = ? AND used_at IS NULL`, agentID); err != nil {
		return "", err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO password_tokens (token_hash, agent_id, created_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?)`, HashToken(token), agentID, nullID(actorID), nowMs, nowMs+valid.Milliseconds())
	if err != nil {
		return "", err
	}
	return token, nil
}

func linkAgent(ctx context.Context, q querier, token string, nowMs int64) (Agent, error) {
	var agentID int64
	err := q.QueryRowContext(ctx, `SELECT agent_id FROM password_tokens
		WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`, HashToken(token), nowMs).Scan(&agentID)
	if errors.Is(err, sql.ErrNoRows) {
		return Agent{}, ErrLinkInvalid
	}
	if err != nil {
		return Agent{}, err
	}
	a, err := agentByID(ctx, q, agentID)
	if err != nil {
		return Agent{}, err
	}
	if a.Removed {
		return Agent{}, ErrLinkInvalid
	}
	return a, nil
}

// PasswordLinkAgent returns the agent a set-password link is for, or
// ErrLinkInvalid when it is unknown, used or older than PasswordLinkValid.
func (s *Store) PasswordLinkAgent(ctx context.Context, token string) (Agent, error) {
	a, err := linkAgent(ctx, s.rd, token, s.nowMs())
	if err != nil {
		return Agent{}, fmt.Errorf("store: password link: %w", err)
	}
	return a, nil
}

// SetPasswordWithLink uses a one-time link: it sets the password (already
// hashed by the caller, outside the writer) and spends the link.
func (s *Store) SetPasswordWithLink(ctx context.Context, token, hash, ip string) (Agent, error) {
	var a Agent
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.nowMs()
		var err error
		if a, err = linkAgent(ctx, tx, token, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE password_tokens SET used_at = ? WHERE token_hash = ?`, now, HashToken(token)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE agents SET password_hash = ?, password_changed_at = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
			hash, now, now, a.ID, a.ID); err != nil {
			return err
		}
		a.PasswordHash = hash
		return audit(ctx, tx, now, AuditEntry{ActorID: a.ID, Action: ActionAgentPasswordSet, TargetType: "agent", TargetID: a.ID, IP: ip})
	})
	if err != nil {
		return Agent{}, fmt.Errorf("store: set password with link: %w", err)
	}
	return a, nil
}

// AgentRow is one line of the agents table.
type AgentRow struct {
	Agent
	Departments []Department
}

// AgentFilter selects a page of the agents table.
type AgentFilter struct {
	Search  string // part of the name or email
	AfterID int64  // the last agent of the previous page
	Limit   int
}

// AgentPage is one page of agents by name; Next is the cursor of the next
// page (0 on the last).
type AgentPage struct {
	Agents []AgentRow
	Next   int64
}

// ListAgents pages through live agents by (name, id), never by offset.
func (s *Store) ListAgents(ctx context.Context, f AgentFilter) (AgentPage, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	var afterName string
	if f.AfterID > 0 {
		if err := s.rd.QueryRowContext(ctx, `SELECT name FROM agents WHERE id = ?`, f.AfterID).Scan(&afterName); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return AgentPage{}, ErrNotFound
			}
			return AgentPage{}, fmt.Errorf("store: list agents: %w", err)
		}
	}
	like := "%" + escapeLike(strings.ToLower(strings.TrimSpace(f.Search))) + "%"
	rows, err := s.rd.QueryContext(ctx, `SELECT `+agentColumns+` FROM agents a
		WHERE a.removed_at IS NULL
		  AND (? = '%%' OR lower(a.name) LIKE ? ESCAPE '\' OR a.email LIKE ? ESCAPE '\')
		  AND (? = 0 OR a.name COLLATE NOCASE > ? OR (a.name COLLATE NOCASE = ? AND a.id > ?))
		ORDER BY a.name COLLATE NOCASE, a.id LIMIT ?`,
		like, like, like, f.AfterID, afterName, afterName, f.AfterID, f.Limit+1)
	if err != nil {
		return AgentPage{}, fmt.Errorf("store: list agents: %w", err)
	}
	defer rows.Close()
	var page AgentPage
	byID := map[int64]int{}
	for rows.Next() {
		a, err := scanAgent(rows)
		if err != nil {
			return AgentPage{}, fmt.Errorf("store: list agents: %w", err)
		}
		if len(page.Agents) == f.Limit {
			page.Next = page.Agents[len(page.Agents)-1].ID
			break
		}
		byID[a.ID] = len(page.Agents)
		page.Agents = append(page.Agents, AgentRow{Agent: a})
	}
	if err := rows.Err(); err != nil {
		return AgentPage{}, fmt.Errorf("store: list agents: %w", err)
	}
	rows.Close()
	if len(page.Agents) == 0 {
		return page, nil
	}
	args := make([]any, 0, len(page.Agents))
	for _, a := range page.Agents {
		args = append(args, a.ID)
	}
	drows, err := s.rd.QueryContext(ctx, `SELECT m.agent_id, d.id, d.name, d.description, d.created_at, d.updated_at
		FROM department_members m JOIN departments d ON d.id = m.department_id
		WHERE m.agent_id IN (?`+strings.Repeat(", ?", len(args)-1)+`)
		ORDER BY d.name COLLATE NOCASE, d.id`, args...)
	if err != nil {
		return AgentPage{}, fmt.Errorf("store: departments of agents: %w", err)
	}
	defer drows.Close()
	for drows.Next() {
		var agentID int64
		var d Department
		var created, updated int64
		if err := drows.Scan(&agentID, &d.ID, &d.Name, &d.Description, &created, &updated); err != nil {
			return AgentPage{}, fmt.Errorf("store: departments of agents: %w", err)
		}
		d.CreatedAt, d.UpdatedAt = msToTime(created), msToTime(updated)
		i := byID[agentID]
		page.Agents[i].Departments = append(page.Agents[i].Departments, d)
	}
	return page, drows.Err()
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// AgentRowByID returns one live agent as a row of the agents table.
func (s *Store) AgentRowByID(ctx context.Context, id int64) (AgentRow, error) {
	a, err := s.AgentByID(ctx, id)
	if err != nil {
		return AgentRow{}, err
	}
	if a.Removed {
		return AgentRow{}, ErrNotFound
	}
	rows, err := s.rd.QueryContext(ctx, `SELECT d.id, d.name, d.description, d.created_at, d.updated_at
		FROM department_members m JOIN departments d ON d.id = m.department_id
		WHERE m.agent_id = ? ORDER BY d.name COLLATE NOCASE, d.id`, id)
	if err != nil {
		return AgentRow{}, fmt.Errorf("store: departments of agent %d: %w", id, err)
	}
	defer rows.Close()
	row := AgentRow{Agent: a}
	for rows.Next() {
		d, err := scanDepartment(rows)
		if err != nil {
			return AgentRow{}, fmt.Errorf("store: departments of agent %d: %w", id, err)
		}
		row.Departments = append(row.Departments, d)
	}
	return row, rows.Err()
}
