package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"helpline/authz"
	"helpline/automation"
)

// Audit actions of Configuration → Time rules.
const (
	ActionTimeRuleCreate AuditAction = "time_rule.create"
	ActionTimeRuleUpdate AuditAction = "time_rule.update"
	ActionTimeRuleRemove AuditAction = "time_rule.remove"
	ActionTimeRuleMove   AuditAction = "time_rule.move"
)

// TimeRule is a rule of Configuration → Time rules: the same conditions
// and actions as a rule, applied when a ticket has been in a state for
// After.
type TimeRule struct {
	ID         int64
	Position   int64
	Active     bool
	Name       string
	Note       string
	ApplyWhen  automation.TimeKind
	After      time.Duration
	Definition automation.Definition
	UpdatedAt  time.Time
}

// TimeRuleInput is what the editor sends.
type TimeRuleInput struct {
	Active     bool
	Name       string
	Note       string
	ApplyWhen  automation.TimeKind
	After      time.Duration
	Definition automation.Definition
}

// rule is the input as a rule, for the checks and clean-up rules have.
func (in TimeRuleInput) rule() RuleInput {
	return RuleInput{Active: in.Active, Name: in.Name, Note: in.Note, Trigger: automation.TicketCreated, Definition: in.Definition}
}

func (in TimeRuleInput) normalized() TimeRuleInput {
	r := in.rule().normalized()
	in.Name, in.Note, in.Definition = r.Name, r.Note, r.Definition
	return in
}

// checkTimeRule is checkRule for a time rule, and its Apply when.
func checkTimeRule(ctx context.Context, tx *sql.Tx, in TimeRuleInput) RuleProblems {
	probs := checkRule(ctx, tx, in.rule())
	return append(probs, automation.CheckWhen(in.ApplyWhen, in.After)...)
}

const timeRuleColumns = `id, position, active, name, note, apply_when, after_min, definition, updated_at`

func scanTimeRule(sc interface{ Scan(...any) error }) (TimeRule, error) {
	var r TimeRule
	var active, afterMin, updated int64
	var def string
	if err := sc.Scan(&r.ID, &r.Position, &active, &r.Name, &r.Note, &r.ApplyWhen, &afterMin, &def, &updated); err != nil {
		return r, err
	}
	r.Active, r.After, r.UpdatedAt = active == 1, time.Duration(afterMin)*time.Minute, msToTime(updated)
	if err := json.Unmarshal([]byte(def), &r.Definition); err != nil {
		return r, fmt.Errorf("time rule %d: %w", r.ID, err)
	}
	return r, nil
}

// TimeRules lists every time rule in order.
func (s *Store) TimeRules(ctx context.Context) ([]TimeRule, error) {
	return s.timeRules(ctx, `SELECT `+timeRuleColumns+` FROM time_rules ORDER BY position, id`)
}

func (s *Store) timeRules(ctx context.Context, q string) ([]TimeRule, error) {
	rows, err := s.r.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("store: time rules: %w", err)
	}
	defer rows.Close()
	var out []TimeRule
	for rows.Next() {
		r, err := scanTimeRule(rows)
		if err != nil {
			return nil, fmt.Errorf("store: time rules: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// TimeRuleByID reads one time rule.
func (s *Store) TimeRuleByID(ctx context.Context, id int64) (TimeRule, error) {
	r, err := scanTimeRule(s.r.QueryRowContext(ctx, `SELECT `+timeRuleColumns+` FROM time_rules WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	return r, err
}

// CreateTimeRule stores a time rule at the end of the list. It acts on what
// becomes true from now on: tickets already older than its duration when
// it is saved are not swept up. Refused input comes back as RuleProblems,
// nothing stored.
func (s *Store) CreateTimeRule(ctx context.Context, actorID int64, in TimeRuleInput, ip string) (int64, error) {
	in = in.normalized()
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.RulesManage); err != nil {
			return err
		}
		if p := checkTimeRule(ctx, tx, in); len(p) > 0 {
			return p
		}
		def, err := json.Marshal(in.Definition)
		if err != nil {
			return err
		}
		now := s.nowMs()
		if err := tx.QueryRowContext(ctx, `INSERT INTO time_rules (position, active, name, note, apply_when, after_min, definition, checked_until, created_at, updated_at)
			VALUES ((SELECT coalesce(max(position), 0) + 1 FROM time_rules), ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			activeFlag(in.Active), in.Name, in.Note, in.ApplyWhen, int64(in.After/time.Minute), string(def), now, now, now).Scan(&id); err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionTimeRuleCreate, TargetType: "time_rule", TargetID: id, Details: in.Name, IP: ip})
	})
	if err != nil {
		return 0, fmt.Errorf("store: create time rule: %w", err)
	}
	return id, nil
}

// UpdateTimeRule replaces a time rule's settings; its place in the list
// stays. A rule switched on, or given another Apply when or duration,
// starts afresh from now, as a new one would; otherwise it goes on where
// the last run left it.
func (s *Store) UpdateTimeRule(ctx context.Context, actorID, id int64, in TimeRuleInput, ip string) error {
	in = in.normalized()
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.RulesManage); err != nil {
			return err
		}
		if p := checkTimeRule(ctx, tx, in); len(p) > 0 {
			return p
		}
		def, err := json.Marshal(in.Definition)
		if err != nil {
			return err
		}
		now := s.nowMs()
		res, err := tx.ExecContext(ctx, `UPDATE time_rules SET
				checked_until = CASE WHEN active = ? AND apply_when = ? AND after_min = ? THEN checked_until ELSE ? END,
				active = ?, name = ?, note = ?, apply_when = ?, after_min = ?, definition = ?, updated_at = ?
			WHERE id = ?`,
			activeFlag(in.Active), in.ApplyWhen, int64(in.After/time.Minute), now,
			activeFlag(in.Active), in.Name, in.Note, in.ApplyWhen, int64(in.After/time.Minute), string(def), now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionTimeRuleUpdate, TargetType: "time_rule", TargetID: id, Details: in.Name, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: update time rule %d: %w", id, err)
	}
	return nil
}

// RemoveTimeRule deletes a time rule, its record of what it looked at and
// its failures.
func (s *Store) RemoveTimeRule(ctx context.Context, actorID, id int64, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.RulesManage); err != nil {
			return err
		}
		var name string
		if err := tx.QueryRowContext(ctx, `DELETE FROM time_rules WHERE id = ? RETURNING name`, id).Scan(&name); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionTimeRuleRemove, TargetType: "time_rule", TargetID: id, Details: name, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: remove time rule %d: %w", id, err)
	}
	return nil
}

// MoveTimeRule swaps a time rule with its neighbour above (up) or below; at
// either end it stays.
func (s *Store) MoveTimeRule(ctx context.Context, actorID, id int64, up bool, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.RulesManage); err != nil {
			return err
		}
		if moved, err := swapWithNeighbour(ctx, tx, "time_rules", id, up); err != nil || !moved {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionTimeRuleMove, TargetType: "time_rule", TargetID: id, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: move time rule %d: %w", id, err)
	}
	return nil
}

// TimeRuleFailures lists a time rule's newest failures first.
func (s *Store) TimeRuleFailures(ctx context.Context, ruleID int64, limit int) ([]RuleFailure, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT f.ticket_id, coalesce(t.code, ''), f.error, f.created_at
		FROM time_rule_failures f LEFT JOIN tickets t ON t.id = f.ticket_id
		WHERE f.rule_id = ? ORDER BY f.id DESC LIMIT ?`, ruleID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: failures of time rule %d: %w", ruleID, err)
	}
	defer rows.Close()
	var out []RuleFailure
	for rows.Next() {
		var f RuleFailure
		var at int64
		if err := rows.Scan(&f.TicketID, &f.TicketCode, &f.Error, &at); err != nil {
			return nil, err
		}
		f.At = msToTime(at)
		out = append(out, f)
	}
	return out, rows.Err()
}
