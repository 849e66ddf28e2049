package store

import (
	"context"
	"database/sql"

	"helpline/automation"
)

// Rules run after every change to a ticket, so the active ones are kept
// parsed in the memo: reading and decoding fifty rules each time cost more
// than the change itself. Every change to the rules moves the generation
// (on every instance), which drops them.

// bumpRules counts a change to the rules in rules_version, which copies of
// the desk carry.
func bumpRules(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE rules_version SET version = version + 1 WHERE id = 1`)
	return err
}

// activeRules returns the active rules in order, from the memo while the
// rules have not changed.
func (s *Store) activeRules(ctx context.Context) ([]RuleDef, error) {
	return remember(&s.mem, memoKey{What: memoRules}, func() ([]RuleDef, error) {
		rows, err := s.rd.QueryContext(ctx, `SELECT `+ruleColumns+` FROM rules WHERE active = 1 ORDER BY position, id`)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []RuleDef
		for rows.Next() {
			r, err := scanRule(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, rows.Err()
	})
}

// rulesFor are the active rules a trigger runs, in order. A new ticket
// runs Ticket created and Ticket created from email rules alike; the
// latter check the channel when they run (RuleDef.applies).
func (s *Store) rulesFor(ctx context.Context, tr automation.Trigger) ([]RuleDef, error) {
	all, err := s.activeRules(ctx)
	if err != nil {
		return nil, err
	}
	var out []RuleDef
	for _, r := range all {
		if r.Trigger == tr || (tr == automation.TicketCreated && r.Trigger == automation.TicketCreatedFromEmail) {
			out = append(out, r)
		}
	}
	return out, nil
}
