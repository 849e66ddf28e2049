package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"helpline/automation"
)

// Rules run after every change to a ticket, so the active ones are kept
// parsed in memory: reading and decoding fifty rules each time cost more
// than the change itself. rules_version moves on with every change to the
// rules, on whichever instance, so one small read tells whether the kept
// list is still right.
type ruleCache struct {
	mu      sync.Mutex
	version int64
	loaded  bool
	active  []RuleDef // in execution order
}

func bumpRules(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE rules_version SET version = version + 1 WHERE id = 1`)
	return err
}

// activeRules returns the active rules in order, from memory while the
// rules have not changed.
func (s *Store) activeRules(ctx context.Context) ([]RuleDef, error) {
	var version int64
	if err := s.r.QueryRowContext(ctx, `SELECT version FROM rules_version WHERE id = 1`).Scan(&version); err != nil {
		return nil, fmt.Errorf("rules version: %w", err)
	}
	c := &s.rules
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loaded && c.version == version {
		return c.active, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+ruleColumns+` FROM rules WHERE active = 1 ORDER BY position, id`)
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
	if err := rows.Err(); err != nil {
		return nil, err
	}
	c.version, c.loaded, c.active = version, true, out
	return out, nil
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
