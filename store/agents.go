package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"helpline/authz"
	"strings"
	"time"
)

// Status of an agent account.
type Status string

const (
	StatusActive   Status = "active"
	StatusDisabled Status = "disabled"
)

// Agent is a person who signs in: an Agent, Administrator or Owner.
type Agent struct {
	ID     int64
	Name   string
	Email  string
	Alias  string
	Gender string
	// Role is a built-in role or "custom:ID"; RoleName names a custom role.
	Role         authz.Role
	RoleName     string
	Perms        authz.Set
	Status       Status
	PasswordHash string
	Language     string
	LastSignInAt time.Time
	Removed      bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// IsCreator marks the Owner who created the account.
	IsCreator bool
}

// DisplayName is the name shown in history: a removed agent keeps it, marked.
func (a Agent) DisplayName() string {
	if a.Removed {
		return a.Name + " (removed)"
	}
	return a.Name
}

const agentColumns = `a.id, a.name, a.email, a.alias, a.gender, a.role, a.status, a.password_hash,
	a.language, a.last_sign_in_at, a.removed_at IS NOT NULL, a.created_at, a.updated_at,
	a.id = (SELECT creator_id FROM account WHERE id = 1),
	COALESCE(a.custom_role_id, 0),
	COALESCE((SELECT r.name FROM custom_roles r WHERE r.id = a.custom_role_id), ''),
	COALESCE((SELECT r.permissions FROM custom_roles r WHERE r.id = a.custom_role_id), '')`

func scanAgent(row interface{ Scan(...any) error }) (Agent, error) {
	var a Agent
	var lastSignIn sql.NullInt64
	var created, updated, customID int64
	var customPerms string
	err := row.Scan(&a.ID, &a.Name, &a.Email, &a.Alias, &a.Gender, &a.Role, &a.Status, &a.PasswordHash,
		&a.Language, &lastSignIn, &a.Removed, &created, &updated, &a.IsCreator, &customID, &a.RoleName, &customPerms)
	if err != nil {
		return Agent{}, err
	}
	a.Perms = authz.BuiltinPerms(a.Role)
	if customID != 0 {
		a.Role = authz.CustomRoleKey(customID)
		a.Perms = authz.CustomPerms(authz.ParseSet(customPerms))
	}
	a.LastSignInAt = nullMsToTime(lastSignIn)
	a.CreatedAt = msToTime(created)
	a.UpdatedAt = msToTime(updated)
	return a, nil
}

// NormalizeEmail is how emails are compared and stored: trimmed, lower case.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// HasAccount reports whether the first sign-up has happened.
func (s *Store) HasAccount(ctx context.Context) (bool, error) {
	var n int
	err := s.rd.QueryRowContext(ctx, `SELECT count(*) FROM account`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: has account: %w", err)
	}
	return n > 0, nil
}

// Account is the company using the desk.
type Account struct {
	CompanyName string
	// TimeZone is the desk's IANA zone (Configuration → General), in which
	// the console shows every time.
	TimeZone  string
	CreatorID int64
	CreatedAt time.Time
}

// Account returns the account, or ErrNotFound before sign-up. Every page
// shows the company's name, so it is kept until the next commit like the
// other small reads of reader.go.
func (s *Store) Account(ctx context.Context) (Account, error) {
	return remember(&s.mem, memoKey{What: memoAccount}, func() (Account, error) { return account(ctx, s.rd) })
}

func account(ctx context.Context, q querier) (Account, error) {
	var a Account
	var created int64
	err := q.QueryRowContext(ctx, `SELECT company_name, time_zone, creator_id, created_at FROM account WHERE id = 1`).
		Scan(&a.CompanyName, &a.TimeZone, &a.CreatorID, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, ErrNotFound
	}
	if err != nil {
		return Account{}, fmt.Errorf("store: account: %w", err)
	}
	a.CreatedAt = msToTime(created)
	return a, nil
}

// SignUpInput is what the first person gives to create the account.
type SignUpInput struct {
	Company      string
	Name         string
	Email        string
	PasswordHash string
	Language     string
	IP           string
	// FirstDepartment names the department the desk starts with
	// (DefaultFirstDepartment when empty).
	FirstDepartment string
}

// DefaultFirstDepartment is the first department's name when sign-up gives
// none.
const DefaultFirstDepartment = "General"

// SignUp creates the account, its first Owner (the account creator) and a
// first department with that Owner serving its tickets, so a fresh desk can
// take tickets from the contact form at once. It answers ErrSignUpClosed
// once an account exists.
func (s *Store) SignUp(ctx context.Context, in SignUpInput) (Agent, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM account`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrSignUpClosed
		}
		now := s.nowMs()
		if err := tx.QueryRowContext(ctx, `INSERT INTO agents (name, email, role, status, password_hash, language, created_at, updated_at)
			VALUES (?, ?, 'owner', 'active', ?, ?, ?, ?)
			RETURNING id`,
			in.Name, NormalizeEmail(in.Email), in.PasswordHash, in.Language, now, now).Scan(&id); err != nil {
			return uniqueViolation(err, "email")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO account (id, company_name, creator_id, created_at) VALUES (1, ?, ?, ?)`,
			in.Company, id, now); err != nil {
			return err
		}
		if err := audit(ctx, tx, now, AuditEntry{ActorID: id, Action: ActionSignUp, TargetType: "agent", TargetID: id, Details: in.Company, IP: in.IP}); err != nil {
			return err
		}
		if _, err := s.lockSubscription(ctx, tx); err != nil { // the 14-day trial starts
			return err
		}
		return createFirstDepartment(ctx, tx, now, id, in)
	})
	if err != nil {
		return Agent{}, fmt.Errorf("store: sign up: %w", err)
	}
	return s.AgentByID(ctx, id)
}

// createFirstDepartment adds the department a new desk starts with and
// puts the Owner in it, serving tickets.
func createFirstDepartment(ctx context.Context, tx *sql.Tx, now, ownerID int64, in SignUpInput) error {
	name := strings.TrimSpace(in.FirstDepartment)
	if name == "" {
		name = DefaultFirstDepartment
	}
	var deptID int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO departments (name, description, created_at, updated_at, updated_by)
		VALUES (?, '', ?, ?, ?) RETURNING id`, name, now, now, ownerID).Scan(&deptID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO department_members (department_id, agent_id, tickets, chats, calls)
		VALUES (?, ?, 1, 0, 0)`, deptID, ownerID); err != nil {
		return err
	}
	return audit(ctx, tx, now, AuditEntry{ActorID: ownerID, Action: ActionDepartmentCreate, TargetType: "department", TargetID: deptID, Details: name, IP: in.IP})
}

// AgentByID returns any agent, removed ones included (history needs them).
// Every request of a signed-in agent reads it, so it is kept until the next
// commit like the other small reads of reader.go.
func (s *Store) AgentByID(ctx context.Context, id int64) (Agent, error) {
	return remember(&s.mem, memoKey{What: memoAgent, ID: id}, func() (Agent, error) {
		return agentByID(ctx, s.rd, id)
	})
}

func agentByID(ctx context.Context, q querier, id int64) (Agent, error) {
	a, err := scanAgent(q.QueryRowContext(ctx, `SELECT `+agentColumns+` FROM agents a WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Agent{}, ErrNotFound
	}
	if err != nil {
		return Agent{}, fmt.Errorf("store: agent %d: %w", id, err)
	}
	return a, nil
}

// AgentByEmail returns the live (not removed) agent with that email.
func (s *Store) AgentByEmail(ctx context.Context, email string) (Agent, error) {
	a, err := scanAgent(s.r.QueryRowContext(ctx,
		`SELECT `+agentColumns+` FROM agents a WHERE a.email = ? AND a.removed_at IS NULL`, NormalizeEmail(email)))
	if errors.Is(err, sql.ErrNoRows) {
		return Agent{}, ErrNotFound
	}
	if err != nil {
		return Agent{}, fmt.Errorf("store: agent by email: %w", err)
	}
	return a, nil
}

// RecordSignIn notes a successful sign-in.
func (s *Store) RecordSignIn(ctx context.Context, agentID int64, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.nowMs()
		if _, err := tx.ExecContext(ctx, `UPDATE agents SET last_sign_in_at = ? WHERE id = ?`, now, agentID); err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: agentID, Action: ActionSignIn, TargetType: "agent", TargetID: agentID, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: record sign-in %d: %w", agentID, err)
	}
	return nil
}

// ProfileInput is what an agent may change about themselves.
type ProfileInput struct {
	Name     string
	Alias    string
	Language string
	// NotifyEmail is Email me my notifications.
	NotifyEmail bool
}

// UpdateProfile changes the agent's own name, alias, language and whether
// their notifications are also emailed.
func (s *Store) UpdateProfile(ctx context.Context, agentID int64, in ProfileInput, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.nowMs()
		res, err := tx.ExecContext(ctx, `UPDATE agents SET name = ?, alias = ?, language = ?, notify_email = ?, updated_at = ?, updated_by = ?
			WHERE id = ? AND removed_at IS NULL`, in.Name, in.Alias, in.Language, boolInt(in.NotifyEmail), now, agentID, agentID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: agentID, Action: ActionProfileUpdate, TargetType: "agent", TargetID: agentID, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: update profile %d: %w", agentID, err)
	}
	return nil
}

// ChangeOwnPassword sets a new password. The caller has checked the current
// password against checkedHash (slow hashing stays outside the writer); the
// change applies only if the stored hash is still that one. The agent's other
// sessions end; keepSession stays signed in.
func (s *Store) ChangeOwnPassword(ctx context.Context, agentID int64, checkedHash, newHash string, keepSession []byte, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.nowMs()
		res, err := tx.ExecContext(ctx, `UPDATE agents SET password_hash = ?, password_changed_at = ?, updated_at = ?, updated_by = ?
			WHERE id = ? AND password_hash = ? AND removed_at IS NULL`, newHash, now, now, agentID, agentID, checkedHash)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return RuleError{RuleWrongPassword}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET ended_reason = ? WHERE agent_id = ? AND token_hash <> ? AND ended_reason = ''`,
			string(EndPasswordChanged), agentID, keepSession); err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: agentID, Action: ActionPasswordChange, TargetType: "agent", TargetID: agentID, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: change password %d: %w", agentID, err)
	}
	return nil
}
