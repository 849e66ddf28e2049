package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
)

// Time rules name tags as rules do: the Tags screen lists them with the
// rules, and renaming or merging a tag carries them along.

// addTimeRulesByTag adds to byTag the names of the time rules naming each
// tag, in their order.
func (s *Store) addTimeRulesByTag(ctx context.Context, byTag map[string][]string) error {
	rules, err := s.TimeRules(ctx)
	if err != nil {
		return err
	}
	for _, r := range rules {
		for _, tag := range r.Definition.Tags() {
			if !slices.Contains(byTag[tag], r.Name) {
				byTag[tag] = append(byTag[tag], r.Name)
			}
		}
	}
	return nil
}

// renameTagInTimeRules rewrites every time rule that names tag from to name
// to instead, in the transaction of the rename.
func renameTagInTimeRules(ctx context.Context, tx *sql.Tx, from, to string) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+timeRuleColumns+` FROM time_rules ORDER BY id`)
	if err != nil {
		return err
	}
	var changed []TimeRule
	for rows.Next() {
		r, err := scanTimeRule(rows)
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
		if _, err := tx.ExecContext(ctx, `UPDATE time_rules SET definition = ? WHERE id = ?`, string(def), r.ID); err != nil {
			return fmt.Errorf("rename tag in time rule %d: %w", r.ID, err)
		}
	}
	return nil
}
