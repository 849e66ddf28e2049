package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"helpline/authz"
	"time"
)

// Department groups agents and the tickets they work.
type Department struct {
	ID          int64
	Name        string
	Description string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// DepartmentInput is what a form sets on a department.
type DepartmentInput struct {
	Name        string
	Description string
}

// Channels an agent serves in a department.
type Channels struct {
	Tickets bool
	Chats   bool
	Calls   bool
}

// Departments lists every department by name.
func (s *Store) Departments(ctx context.Context) ([]Department, error) {
	return remember(&s.mem, memoKey{What: memoDepartments}, func() ([]Department, error) { return s.departments(ctx) })
}

func (s *Store) departments(ctx context.Context) ([]Department, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT id, name, description, created_at, updated_at
		FROM departments ORDER BY name COLLATE NOCASE, id`)
	if err != nil {
		return nil, fmt.Errorf("store: departments: %w", err)
	}
	defer rows.Close()
	var out []Department
	for rows.Next() {
		d, err := scanDepartment(rows)
		if err != nil {
			return nil, fmt.Errorf("store: departments: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func scanDepartment(row interface{ Scan(...any) error }) (Department, error) {
	var d Department
	var created, updated int64
	if err := row.Scan(&d.ID, &d.Name, &d.Description, &created, &updated); err != nil {
		return Department{}, err
	}
	d.CreatedAt, d.UpdatedAt = msToTime(created), msToTime(updated)
	return d, nil
}

// DepartmentByID returns one department.
func (s *Store) DepartmentByID(ctx context.Context, id int64) (Department, error) {
	d, err := scanDepartment(s.rd.QueryRowContext(ctx, `SELECT id, name, description, created_at, updated_at
		FROM departments WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Department{}, ErrNotFound
	}
	if err != nil {
		return Department{}, fmt.Errorf("store: department %d: %w", id, err)
	}
	return d, nil
}

// Every change to departments reads the acting agent inside its
// transaction (loadActor), so a permission taken away meanwhile counts.

// CanChangeMembership reports whether actor may change target's
// memberships: as editing that agent, only an Owner touches an Owner, and
// nobody touches someone who holds a permission they lack.
func CanChangeMembership(actor, target Agent) bool {
	return !ownerOnly(actor, target.Role) && target.Perms.Within(actor.Perms)
}

// checkMembershipChange applies CanChangeMembership to agentID inside the
// transaction.
func checkMembershipChange(ctx context.Context, tx *sql.Tx, actor Agent, agentID int64) error {
	t, err := agentByID(ctx, tx, agentID)
	if err != nil {
		return err
	}
	if t.Removed {
		return ErrNotFound
	}
	if CanChangeMembership(actor, t) {
		return nil
	}
	if ownerOnly(actor, t.Role) {
		return RuleError{RuleOwnerOnly}
	}
	return RuleError{RuleNotPermitted}
}

// CreateDepartment adds a department; the name must be unique (any case).
func (s *Store) CreateDepartment(ctx context.Context, actorID int64, in DepartmentInput) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.DepartmentsManage); err != nil {
			return err
		}
		now := s.nowMs()
		if err := tx.QueryRowContext(ctx, `INSERT INTO departments (name, description, created_at, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?)
			RETURNING id`, in.Name, in.Description, now, now, nullID(actorID)).Scan(&id); err != nil {
			return uniqueViolation(err, "name")
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionDepartmentCreate, TargetType: "department", TargetID: id, Details: in.Name})
	})
	if err != nil {
		return 0, fmt.Errorf("store: create department: %w", err)
	}
	return id, nil
}

// SetMember adds agentID to a department with the channels they serve there
// (or updates those channels).
func (s *Store) SetMember(ctx context.Context, actorID, departmentID, agentID int64, ch Channels) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		actor, err := s.loadActor(ctx, tx, actorID, authz.DepartmentsManage)
		if err != nil {
			return err
		}
		if err := checkMembershipChange(ctx, tx, actor, agentID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO department_members (department_id, agent_id, tickets, chats, calls)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (department_id, agent_id) DO UPDATE SET tickets = excluded.tickets, chats = excluded.chats, calls = excluded.calls`,
			departmentID, agentID, ch.Tickets, ch.Chats, ch.Calls)
		if err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionDepartmentMember, TargetType: "department", TargetID: departmentID,
			Details: fmt.Sprintf("agent %d", agentID)})
	})
	if err != nil {
		return fmt.Errorf("store: set member %d of department %d: %w", agentID, departmentID, err)
	}
	return nil
}

// AgentDepartmentIDs lists the departments an agent belongs to.
func (s *Store) AgentDepartmentIDs(ctx context.Context, agentID int64) ([]int64, error) {
	return agentDepartmentIDs(ctx, s.rd, agentID)
}

func agentDepartmentIDs(ctx context.Context, q querier, agentID int64) ([]int64, error) {
	ids, err := queryIDs(ctx, q, `SELECT department_id FROM department_members WHERE agent_id = ? ORDER BY department_id`, agentID)
	if err != nil {
		return nil, fmt.Errorf("store: departments of agent %d: %w", agentID, err)
	}
	return ids, nil
}

// Audit actions of managing departments.
const (
	ActionDepartmentUpdate       AuditAction = "department.update"
	ActionDepartmentRemove       AuditAction = "department.remove"
	ActionDepartmentMemberRemove AuditAction = "department.member_remove"
	ActionDepartmentMembers      AuditAction = "department.members"
)

// UpdateDepartment changes a department's name and description.
func (s *Store) UpdateDepartment(ctx context.Context, actorID, id int64, in DepartmentInput) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.DepartmentsManage); err != nil {
			return err
		}
		now := s.nowMs()
		res, err := tx.ExecContext(ctx, `UPDATE departments SET name = ?, description = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
			in.Name, in.Description, now, nullID(actorID), id)
		if err != nil {
			return uniqueViolation(err, "name")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionDepartmentUpdate, TargetType: "department", TargetID: id, Details: in.Name})
	})
	if err != nil {
		return fmt.Errorf("store: update department %d: %w", id, err)
	}
	return nil
}

// RemoveDepartment deletes a department and its memberships.
func (s *Store) RemoveDepartment(ctx context.Context, actorID, id int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.DepartmentsManage); err != nil {
			return err
		}
		var name string
		err := tx.QueryRowContext(ctx, `SELECT name FROM departments WHERE id = ?`, id).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var inUse bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM tickets WHERE department_id = ?)`, id).Scan(&inUse); err != nil {
			return err
		}
		if inUse {
			return RuleError{RuleDepartmentInUse}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM department_members WHERE department_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM departments WHERE id = ?`, id); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionDepartmentRemove, TargetType: "department", TargetID: id, Details: name})
	})
	if err != nil {
		return fmt.Errorf("store: remove department %d: %w", id, err)
	}
	return nil
}

// RemoveMember takes agentID out of a department.
func (s *Store) RemoveMember(ctx context.Context, actorID, departmentID, agentID int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		actor, err := s.loadActor(ctx, tx, actorID, authz.DepartmentsManage)
		if err != nil {
			return err
		}
		if err := checkMembershipChange(ctx, tx, actor, agentID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM department_members WHERE department_id = ? AND agent_id = ?`, departmentID, agentID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionDepartmentMemberRemove, TargetType: "department", TargetID: departmentID,
			Details: fmt.Sprintf("agent %d", agentID)})
	})
	if err != nil {
		return fmt.Errorf("store: remove member %d of department %d: %w", agentID, departmentID, err)
	}
	return nil
}

// Member is an agent of a department with the channels they serve there.
type Member struct {
	AgentID int64
	Name    string
	Email   string
	Role    authz.Role
	Channels
}

// DepartmentMembers lists the live agents of a department by name.
func (s *Store) DepartmentMembers(ctx context.Context, departmentID int64) ([]Member, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT a.id, a.name, a.email, a.role, m.tickets, m.chats, m.calls
		FROM department_members m JOIN agents a ON a.id = m.agent_id
		WHERE m.department_id = ? AND a.removed_at IS NULL
		ORDER BY a.name COLLATE NOCASE, a.id`, departmentID)
	if err != nil {
		return nil, fmt.Errorf("store: members of department %d: %w", departmentID, err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.AgentID, &m.Name, &m.Email, &m.Role, &m.Tickets, &m.Chats, &m.Calls); err != nil {
			return nil, fmt.Errorf("store: members of department %d: %w", departmentID, err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// DepartmentMemberCounts counts the live members of every department.
func (s *Store) DepartmentMemberCounts(ctx context.Context) (map[int64]int, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT m.department_id, count(*)
		FROM department_members m JOIN agents a ON a.id = m.agent_id
		WHERE a.removed_at IS NULL GROUP BY m.department_id`)
	if err != nil {
		return nil, fmt.Errorf("store: department member counts: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("store: department member counts: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// SetDepartmentMembers makes members (agent ID -> channels) the whole
// membership of a department.
func (s *Store) SetDepartmentMembers(ctx context.Context, actorID, departmentID int64, members map[int64]Channels) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		actor, err := s.loadActor(ctx, tx, actorID, authz.DepartmentsManage)
		if err != nil {
			return err
		}
		var one int
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM departments WHERE id = ?`, departmentID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := checkMembersChange(ctx, tx, actor, departmentID, members); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM department_members WHERE department_id = ?`, departmentID); err != nil {
			return err
		}
		for agentID, ch := range members {
			var removed bool
			err := tx.QueryRowContext(ctx, `SELECT removed_at IS NOT NULL FROM agents WHERE id = ?`, agentID).Scan(&removed)
			if errors.Is(err, sql.ErrNoRows) || removed {
				return ErrNotFound
			}
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO department_members (department_id, agent_id, tickets, chats, calls)
				VALUES (?, ?, ?, ?, ?)`, departmentID, agentID, ch.Tickets, ch.Chats, ch.Calls); err != nil {
				return err
			}
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionDepartmentMembers, TargetType: "department", TargetID: departmentID,
			Details: fmt.Sprintf("%d members", len(members))})
	})
	if err != nil {
		return fmt.Errorf("store: set members of department %d: %w", departmentID, err)
	}
	return nil
}

// checkMembersChange applies checkMembershipChange to every agent whose
// membership or channels members would change.
func checkMembersChange(ctx context.Context, tx *sql.Tx, actor Agent, departmentID int64, members map[int64]Channels) error {
	rows, err := tx.QueryContext(ctx, `SELECT agent_id, tickets, chats, calls FROM department_members WHERE department_id = ?`, departmentID)
	if err != nil {
		return err
	}
	current := map[int64]Channels{}
	for rows.Next() {
		var id int64
		var ch Channels
		if err := rows.Scan(&id, &ch.Tickets, &ch.Chats, &ch.Calls); err != nil {
			rows.Close()
			return err
		}
		current[id] = ch
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	changed := map[int64]bool{}
	for id, ch := range members {
		if old, ok := current[id]; !ok || old != ch {
			changed[id] = true
		}
	}
	for id := range current {
		if _, ok := members[id]; !ok {
			changed[id] = true
		}
	}
	for id := range changed {
		if err := checkMembershipChange(ctx, tx, actor, id); err != nil {
			return err
		}
	}
	return nil
}

// SetAgentDepartments makes departmentIDs the departments of agentID: new
// memberships serve tickets, kept ones keep their channels.
func (s *Store) SetAgentDepartments(ctx context.Context, actorID, agentID int64, departmentIDs []int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		actor, err := s.loadActor(ctx, tx, actorID, authz.AgentsDepartments)
		if err != nil {
			return err
		}
		if err := checkMembershipChange(ctx, tx, actor, agentID); err != nil {
			return err
		}
		a, err := agentByID(ctx, tx, agentID)
		if err != nil {
			return err
		}
		if a.Removed {
			return ErrNotFound
		}
		if err := setAgentDepartments(ctx, tx, agentID, departmentIDs); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionAgentDepartments, TargetType: "agent", TargetID: agentID,
			Details: fmt.Sprint(departmentIDs)})
	})
	if err != nil {
		return fmt.Errorf("store: set departments of agent %d: %w", agentID, err)
	}
	return nil
}

func setAgentDepartments(ctx context.Context, tx *sql.Tx, agentID int64, departmentIDs []int64) error {
	keep := map[int64]bool{}
	for _, id := range departmentIDs {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM departments WHERE id = ?`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrUnknownDepartment
		}
		if err != nil {
			return err
		}
		keep[id] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO department_members (department_id, agent_id, tickets, chats, calls)
			VALUES (?, ?, 1, 0, 0) ON CONFLICT (department_id, agent_id) DO NOTHING`, id, agentID); err != nil {
			return err
		}
	}
	current, err := agentDepartmentIDs(ctx, tx, agentID)
	if err != nil {
		return err
	}
	for _, id := range current {
		if keep[id] {
			continue
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM department_members WHERE department_id = ? AND agent_id = ?`, id, agentID); err != nil {
			return err
		}
	}
	return nil
}
