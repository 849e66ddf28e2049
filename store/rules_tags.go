package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
)

// Automation by tags (issue 17): the Tags screen shows which rules name a
// tag, and renaming or merging a tag carries the rules along.

// RulesByTag maps each tag rules name (in conditions or actions) to the
// names of those rules, in execution order.
func (s *Store) RulesByTag(ctx context.Context) (map[string][]string, error) {
	rules, err := s.Rules(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, r := range rules {
		for _, tag := range r.Definition.Tags() {
			if !slices.Contains(out[tag], r.Name) {
				out[tag] = append(out[tag], r.Name)
			}
		}
	}
	if err := s.addTimeRulesByTag(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// renameTagInRules rewrites every rule that names tag from to name to
// instead, in the transaction of the rename.
func renameTagInRules(ctx context.Context, tx *sql.Tx, from, to string) error {
	if err := renameTagInTimeRules(ctx, tx, from, to); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+ruleColumns+` FROM rules ORDER BY id`)
	if err != nil {
		return err
	}
	var changed []RuleDef
	for rows.Next() {
		r, err := scanRule(rows)
		if err != nil {
			rows.Close()
			return err
		}
		if r.Definition.RenameTag(from, to) {
			changed = append(changed, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range changed {
		def, err := json.Marshal(r.Definition)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rules SET definition = ? WHERE id = ?`, string(def), r.ID); err != nil {
			return fmt.Errorf("rename tag in rule %d: %w", r.ID, err)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	return bumpRules(ctx, tx)
}
