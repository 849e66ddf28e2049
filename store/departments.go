package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	rows, err := s.r.QueryContext(ctx, `SELECT id, name, description, created_at, updated_at
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
	d, err := scanDepartment(s.r.QueryRowContext(ctx, `SELECT id, name, description, created_at, updated_at
		FROM departments WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Department{}, ErrNotFound
	}
	if err != nil {
		return Department{}, fmt.Errorf("store: department %d: %w", id, err)
	}
	return d, nil
}

// CreateDepartment adds a department; the name must be unique (any case).
func (s *Store) CreateDepartment(ctx context.Context, actorID int64, in DepartmentInput) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.nowMs()
		res, err := tx.ExecContext(ctx, `INSERT INTO departments (name, description, created_at, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?)`, in.Name, in.Description, now, now, nullID(actorID))
		if err != nil {
			return uniqueViolation(err, "name")
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
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
		_, err := tx.ExecContext(ctx, `INSERT INTO department_members (department_id, agent_id, tickets, chats, calls)
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
	return agentDepartmentIDs(ctx, s.r, agentID)
}

func agentDepartmentIDs(ctx context.Context, q querier, agentID int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT department_id FROM department_members WHERE agent_id = ? ORDER BY department_id`, agentID)
	if err != nil {
		return nil, fmt.Errorf("store: departments of agent %d: %w", agentID, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
