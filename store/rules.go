package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"helpline/authz"
	"helpline/automation"
)

// Audit actions of Configuration → Rules.
const (
	ActionRuleCreate AuditAction = "rule.create"
	ActionRuleUpdate AuditAction = "rule.update"
	ActionRuleRemove AuditAction = "rule.remove"
	ActionRuleMove   AuditAction = "rule.move"
)

// RuleDef is a rule of Configuration → Rules. (Rule names the store's
// refusals.)
type RuleDef struct {
	ID         int64
	Position   int64
	Active     bool
	Name       string
	Note       string
	Trigger    automation.Trigger
	Definition automation.Definition
	UpdatedAt  time.Time
}

// RuleInput is what the editor sends.
type RuleInput struct {
	Active     bool
	Name       string
	Note       string
	Trigger    automation.Trigger
	Definition automation.Definition
}

// RuleProblems are why a rule was refused, by where in the form
// (automation.Problem.Where).
type RuleProblems []automation.Problem

func (p RuleProblems) Error() string { return fmt.Sprintf("rule has %d problems", len(p)) }

// checkRule adds to automation.Check what only the database knows: that
// departments, agents, answers and fields exist, and that HTTP requests go
// where webhooks may.
func checkRule(ctx context.Context, tx *sql.Tx, in RuleInput) RuleProblems {
	probs := automation.Check(in.Name, in.Trigger, in.Definition)
	bad := map[string]bool{}
	for _, p := range probs {
		bad[p.Where] = true
	}
	exists := func(table string, v string) bool {
		id, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		var n int
		_ = tx.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE id = ?`, id).Scan(&n)
		return n == 1
	}
	for gi, g := range in.Definition.Groups {
		for ci, c := range g.Conditions {
			where := fmt.Sprintf("groups.%d.conditions.%d", gi, ci)
			if bad[where] {
				continue
			}
			switch {
			case c.Subject == automation.OnDepartment && !exists("departments", c.Value),
				c.Subject == automation.OnAssignee && c.Value != "0" && !exists("agents", c.Value),
				c.Subject == automation.OnField && !exists("ticket_fields", strconv.FormatInt(c.FieldID, 10)):
				probs = append(probs, automation.Problem{Where: where, Why: automation.Invalid})
			}
		}
	}
	for ai, a := range in.Definition.Actions {
		where := fmt.Sprintf("actions.%d", ai)
		if bad[where] {
			continue
		}
		switch {
		case a.Kind == automation.Transfer && !exists("departments", a.Value),
			a.Kind == automation.Assign && !exists("agents", a.Value),
			a.Kind == automation.SendAnswer && !exists("canned_answers", a.Value),
			a.Kind == automation.ChangeSLALevel && !exists("sla_levels", a.Value),
			a.Kind == automation.SendHTTP && CheckWebhookURL(a.Value) != "":
			probs = append(probs, automation.Problem{Where: where, Why: automation.Invalid})
		}
	}
	return probs
}

func (in RuleInput) normalized() RuleInput {
	in.Name, in.Note = strings.TrimSpace(in.Name), strings.TrimSpace(in.Note)
	for ai := range in.Definition.Actions {
		a := &in.Definition.Actions[ai]
		a.Value = strings.TrimSpace(a.Value)
		if a.Kind == automation.AddTag || a.Kind == automation.RemoveTag {
			a.Value = NormalizeTag(a.Value)
		}
	}
	for gi := range in.Definition.Groups {
		for ci := range in.Definition.Groups[gi].Conditions {
			c := &in.Definition.Groups[gi].Conditions[ci]
			c.Value = strings.TrimSpace(c.Value)
			if c.Subject == automation.OnTag {
				c.Value = NormalizeTag(c.Value)
			}
		}
	}
	return in
}

const ruleColumns = `id, position, active, name, note, apply_when, definition, updated_at`

func scanRule(sc interface{ Scan(...any) error }) (RuleDef, error) {
	var r RuleDef
	var active int
	var def string
	var updated int64
	if err := sc.Scan(&r.ID, &r.Position, &active, &r.Name, &r.Note, &r.Trigger, &def, &updated); err != nil {
		return r, err
	}
	r.Active, r.UpdatedAt = active == 1, msToTime(updated)
	if err := json.Unmarshal([]byte(def), &r.Definition); err != nil {
		return r, fmt.Errorf("rule %d: %w", r.ID, err)
	}
	return r, nil
}

// Rules lists every rule in execution order.
func (s *Store) Rules(ctx context.Context) ([]RuleDef, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+ruleColumns+` FROM rules ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("store: rules: %w", err)
	}
	defer rows.Close()
	var out []RuleDef
	for rows.Next() {
		r, err := scanRule(rows)
		if err != nil {
			return nil, fmt.Errorf("store: rules: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RuleByID reads one rule.
func (s *Store) RuleByID(ctx context.Context, id int64) (RuleDef, error) {
	r, err := scanRule(s.r.QueryRowContext(ctx, `SELECT `+ruleColumns+` FROM rules WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	return r, err
}

// CreateRule stores a rule at the end of the list. Refused input comes
// back as RuleProblems, nothing stored.
func (s *Store) CreateRule(ctx context.Context, actorID int64, in RuleInput, ip string) (int64, error) {
	in = in.normalized()
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.RulesManage); err != nil {
			return err
		}
		if p := checkRule(ctx, tx, in); len(p) > 0 {
			return p
		}
		def, err := json.Marshal(in.Definition)
		if err != nil {
			return err
		}
		now := s.nowMs()
		if err := tx.QueryRowContext(ctx, `INSERT INTO rules (position, active, name, note, apply_when, definition, created_at, updated_at)
			VALUES ((SELECT coalesce(max(position), 0) + 1 FROM rules), ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			activeFlag(in.Active), in.Name, in.Note, in.Trigger, string(def), now, now).Scan(&id); err != nil {
			return err
		}
		if err := bumpRules(ctx, tx); err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionRuleCreate, TargetType: "rule", TargetID: id, Details: in.Name, IP: ip})
	})
	if err != nil {
		return 0, fmt.Errorf("store: create rule: %w", err)
	}
	return id, nil
}

// UpdateRule replaces a rule's settings; its place in the list stays.
func (s *Store) UpdateRule(ctx context.Context, actorID, id int64, in RuleInput, ip string) error {
	in = in.normalized()
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.RulesManage); err != nil {
			return err
		}
		if p := checkRule(ctx, tx, in); len(p) > 0 {
			return p
		}
		def, err := json.Marshal(in.Definition)
		if err != nil {
			return err
		}
		now := s.nowMs()
		res, err := tx.ExecContext(ctx, `UPDATE rules SET active = ?, name = ?, note = ?, apply_when = ?, definition = ?, updated_at = ? WHERE id = ?`,
			activeFlag(in.Active), in.Name, in.Note, in.Trigger, string(def), now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if err := bumpRules(ctx, tx); err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionRuleUpdate, TargetType: "rule", TargetID: id, Details: in.Name, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: update rule %d: %w", id, err)
	}
	return nil
}

// RemoveRule deletes a rule and its failures.
func (s *Store) RemoveRule(ctx context.Context, actorID, id int64, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.RulesManage); err != nil {
			return err
		}
		var name string
		if err := tx.QueryRowContext(ctx, `DELETE FROM rules WHERE id = ? RETURNING name`, id).Scan(&name); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		if err := bumpRules(ctx, tx); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionRuleRemove, TargetType: "rule", TargetID: id, Details: name, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: remove rule %d: %w", id, err)
	}
	return nil
}

// MoveRule swaps a rule with its neighbour above (up) or below; at either
// end it stays.
func (s *Store) MoveRule(ctx context.Context, actorID, id int64, up bool, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.RulesManage); err != nil {
			return err
		}
		if moved, err := swapWithNeighbour(ctx, tx, "rules", id, up); err != nil || !moved {
			return err
		}
		if err := bumpRules(ctx, tx); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionRuleMove, TargetType: "rule", TargetID: id, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: move rule %d: %w", id, err)
	}
	return nil
}

// RuleFailure is a time a rule could not do what it says on a ticket.
type RuleFailure struct {
	TicketID   int64
	TicketCode string
	Error      string
	At         time.Time
}

// RuleFailures lists a rule's newest failures first.
func (s *Store) RuleFailures(ctx context.Context, ruleID int64, limit int) ([]RuleFailure, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT f.ticket_id, coalesce(t.code, ''), f.error, f.created_at
		FROM rule_failures f LEFT JOIN tickets t ON t.id = f.ticket_id
		WHERE f.rule_id = ? ORDER BY f.id DESC LIMIT ?`, ruleID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: failures of rule %d: %w", ruleID, err)
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
