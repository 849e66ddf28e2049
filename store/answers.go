package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"helpline/authz"
	"helpline/desk"
)

// Audit actions of Configuration → Predefined answers.
const (
	ActionAnswerCreate AuditAction = "answer.create"
	ActionAnswerUpdate AuditAction = "answer.update"
	ActionAnswerRemove AuditAction = "answer.remove"
)

// ErrInvalidAnswer reports an answer without a title or body, or with a
// placeholder desk.AnswerPlaceholders does not have.
var ErrInvalidAnswer = errors.New("store: a predefined answer needs a title, a body and known placeholders only")

// Answer is a predefined answer. DepartmentID 0 is every department;
// OwnerID 0 is a shared answer, any other its author's personal one.
type Answer struct {
	ID             int64
	Title          string
	Body           string
	DepartmentID   int64
	DepartmentName string
	OwnerID        int64
	UpdatedAt      time.Time
}

// Shared reports whether the answer is shared rather than personal.
func (a Answer) Shared() bool { return a.OwnerID == 0 }

// AnswerInput is the answer form.
type AnswerInput struct {
	Title        string
	Body         string
	DepartmentID int64 // 0: all departments
	Shared       bool
}

func (in AnswerInput) valid() bool {
	return strings.TrimSpace(in.Title) != "" && strings.TrimSpace(in.Body) != "" && len(desk.UnknownPlaceholders(in.Body)) == 0
}

// answerPerm is what managing an answer of that kind needs.
func answerPerm(shared bool) authz.Perm {
	if shared {
		return authz.CannedManageDepartments
	}
	return authz.CannedManageOwn
}

// answerScopeSQL is the answers v may manage: their own personal ones, and
// the shared ones when they hold canned:manage_departments. Anything else
// is not found, as if it did not exist.
func answerScopeSQL(v authz.Viewer) (string, []any) {
	if v.Can(authz.CannedManageDepartments) {
		return "(a.owner_id = ? OR a.owner_id IS NULL)", []any{v.ID}
	}
	return "a.owner_id = ?", []any{v.ID}
}

const answerColumns = `a.id, a.title, a.body, COALESCE(a.department_id, 0), COALESCE(d.name, ''), COALESCE(a.owner_id, 0), a.updated_at
	FROM canned_answers a LEFT JOIN departments d ON d.id = a.department_id`

func scanAnswers(rows *sql.Rows) ([]Answer, error) {
	defer rows.Close()
	var out []Answer
	for rows.Next() {
		var a Answer
		var updated int64
		if err := rows.Scan(&a.ID, &a.Title, &a.Body, &a.DepartmentID, &a.DepartmentName, &a.OwnerID, &updated); err != nil {
			return nil, err
		}
		a.UpdatedAt = msToTime(updated)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Answers lists the answers v may manage, shared ones first, by title.
func (s *Store) Answers(ctx context.Context, v authz.Viewer) ([]Answer, error) {
	scope, args := answerScopeSQL(v)
	rows, err := s.rd.QueryContext(ctx, `SELECT `+answerColumns+` WHERE `+scope+`
		ORDER BY a.owner_id IS NOT NULL, a.title, a.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: answers: %w", err)
	}
	out, err := scanAnswers(rows)
	if err != nil {
		return nil, fmt.Errorf("store: answers: %w", err)
	}
	return out, nil
}

// AnswersFor lists the answers v may insert into a reply on a ticket of
// department: the shared ones for it or for every department, and v's own
// personal ones for it or for every department. The caller has found the
// ticket with v's scope.
func (s *Store) AnswersFor(ctx context.Context, v authz.Viewer, departmentID int64) ([]Answer, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT `+answerColumns+`
		WHERE (a.owner_id IS NULL OR a.owner_id = ?) AND (a.department_id IS NULL OR a.department_id = ?)
		ORDER BY a.title, a.id`, v.ID, departmentID)
	if err != nil {
		return nil, fmt.Errorf("store: answers for department %d: %w", departmentID, err)
	}
	out, err := scanAnswers(rows)
	if err != nil {
		return nil, fmt.Errorf("store: answers for department %d: %w", departmentID, err)
	}
	return out, nil
}

// AnswerByID returns an answer v may manage; any other is ErrNotFound.
func (s *Store) AnswerByID(ctx context.Context, v authz.Viewer, id int64) (Answer, error) {
	return answerByID(ctx, s.rd, v, id)
}

func answerByID(ctx context.Context, q querier, v authz.Viewer, id int64) (Answer, error) {
	scope, args := answerScopeSQL(v)
	rows, err := q.QueryContext(ctx, `SELECT `+answerColumns+` WHERE a.id = ? AND `+scope, append([]any{id}, args...)...)
	if err != nil {
		return Answer{}, fmt.Errorf("store: answer %d: %w", id, err)
	}
	out, err := scanAnswers(rows)
	if err != nil {
		return Answer{}, fmt.Errorf("store: answer %d: %w", id, err)
	}
	if len(out) == 0 {
		return Answer{}, ErrNotFound
	}
	return out[0], nil
}

// checkAnswerDepartment refuses a department that does not exist (removed
// meanwhile, or never there).
func checkAnswerDepartment(ctx context.Context, tx *sql.Tx, id int64) error {
	if id == 0 {
		return nil
	}
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM departments WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrConflict{Field: "department"}
	}
	return err
}

// answerOwner is the owner_id an answer of that kind gets: none when shared.
func answerOwner(shared bool, actorID int64) any {
	if shared {
		return nil
	}
	return actorID
}

// CreateAnswer adds a personal answer of the actor, or a shared one when
// they hold canned:manage_departments.
func (s *Store) CreateAnswer(ctx context.Context, actorID int64, in AnswerInput, ip string) (int64, error) {
	if !in.valid() {
		return 0, ErrInvalidAnswer
	}
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, answerPerm(in.Shared)); err != nil {
			return err
		}
		if err := checkAnswerDepartment(ctx, tx, in.DepartmentID); err != nil {
			return err
		}
		now := s.nowMs()
		if err := tx.QueryRowContext(ctx, `INSERT INTO canned_answers (title, body, department_id, owner_id, created_at, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.Title, in.Body, nullID(in.DepartmentID), answerOwner(in.Shared, actorID), now, now, actorID).Scan(&id); err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionAnswerCreate, TargetType: "answer", TargetID: id, Details: answerDetails(in), IP: ip})
	})
	if err != nil {
		return 0, fmt.Errorf("store: create answer: %w", err)
	}
	return id, nil
}

func answerDetails(in AnswerInput) string {
	kind := "personal"
	if in.Shared {
		kind = "shared"
	}
	return fmt.Sprintf("%s (%s, department %d)", in.Title, kind, in.DepartmentID)
}

// UpdateAnswer changes an answer the actor may manage; making it shared or
// personal needs what managing that kind needs (a shared answer made
// personal becomes the actor's).
func (s *Store) UpdateAnswer(ctx context.Context, actorID, id int64, in AnswerInput, ip string) error {
	if !in.valid() {
		return ErrInvalidAnswer
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		actor, err := s.loadActor(ctx, tx, actorID, answerPerm(in.Shared))
		if err != nil {
			return err
		}
		old, err := answerByID(ctx, tx, actor.Viewer(), id)
		if err != nil {
			return err
		}
		if !actor.Perms.Has(answerPerm(old.Shared())) {
			return ErrNotFound
		}
		if err := checkAnswerDepartment(ctx, tx, in.DepartmentID); err != nil {
			return err
		}
		now := s.nowMs()
		if _, err := tx.ExecContext(ctx, `UPDATE canned_answers SET title = ?, body = ?, department_id = ?, owner_id = ?, updated_at = ?, updated_by = ?
			WHERE id = ?`, in.Title, in.Body, nullID(in.DepartmentID), answerOwner(in.Shared, actorID), now, actorID, id); err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionAnswerUpdate, TargetType: "answer", TargetID: id, Details: answerDetails(in), IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: update answer %d: %w", id, err)
	}
	return nil
}

// RemoveAnswer removes an answer the actor may manage.
func (s *Store) RemoveAnswer(ctx context.Context, actorID, id int64, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		actor, err := s.loadActor(ctx, tx, actorID, authz.CannedManageOwn)
		if err != nil {
			return err
		}
		old, err := answerByID(ctx, tx, actor.Viewer(), id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM canned_answers WHERE id = ?`, id); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionAnswerRemove, TargetType: "answer", TargetID: id,
			Details: answerDetails(AnswerInput{Title: old.Title, DepartmentID: old.DepartmentID, Shared: old.Shared()}), IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: remove answer %d: %w", id, err)
	}
	return nil
}
