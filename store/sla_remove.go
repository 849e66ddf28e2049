package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"helpline/authz"
	"helpline/automation"
)

// Removing an SLA level (Configuration → SLA). The default level and a level
// that rules choose are refused: the desk would silently lose its default,
// or rules would fail on every ticket. The tickets that have the level move
// to the default level keeping the due times and paused time their clocks
// already have (as when a level's targets change); without a default level
// they lose their level and their clocks stop.

// ActionSLALevelRemove is the audit action of a removal.
const ActionSLALevelRemove AuditAction = "sla_level.remove"

// SLALevelInUse is why a level may not be removed.
type SLALevelInUse struct {
	Default bool     // the desk's default level
	Rules   []string // names of the rules that choose it
}

func (e SLALevelInUse) Error() string {
	if e.Default {
		return "the default SLA level cannot be removed"
	}
	return "SLA level chosen by rules " + strings.Join(e.Rules, ", ")
}

// SLALevelUse is what removing a level would touch.
type SLALevelUse struct {
	InUse   SLALevelInUse
	Tickets int
	// MovesTo is the default level the tickets move to; empty: none.
	MovesTo string
}

// Refused tells whether the level may not be removed.
func (u SLALevelUse) Refused() bool { return u.InUse.Default || len(u.InUse.Rules) > 0 }

// SLALevelUses says what removing the level would do.
func (s *Store) SLALevelUses(ctx context.Context, id int64) (SLALevelUse, error) {
	u, err := slaLevelUse(ctx, s.r, id)
	if err != nil {
		return u, fmt.Errorf("store: uses of SLA level %d: %w", id, err)
	}
	return u, nil
}

func slaLevelUse(ctx context.Context, q querier, id int64) (SLALevelUse, error) {
	var u SLALevelUse
	l, err := scanSLALevel(q.QueryRowContext(ctx, `SELECT `+slaLevelColumns+` FROM sla_levels WHERE id = ?`, id))
	if err != nil {
		return u, err
	}
	u.InUse.Default = l.Default
	rows, err := q.QueryContext(ctx, `SELECT `+ruleColumns+` FROM rules ORDER BY position, id`)
	if err != nil {
		return u, err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRule(rows)
		if err != nil {
			return u, err
		}
		for _, a := range r.Definition.Actions {
			if a.Kind == automation.ChangeSLALevel && strings.TrimSpace(a.Value) == strconv.FormatInt(id, 10) {
				u.InUse.Rules = append(u.InUse.Rules, r.Name)
				break
			}
		}
	}
	if err := rows.Err(); err != nil {
		return u, err
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM tickets WHERE sla_level_id = ?`, id).Scan(&u.Tickets); err != nil {
		return u, err
	}
	if !l.Default {
		err = q.QueryRowContext(ctx, `SELECT name FROM sla_levels WHERE is_default = 1`).Scan(&u.MovesTo)
		if err == sql.ErrNoRows {
			err = nil
		}
	}
	return u, err
}

// RemoveSLALevel removes a level that is neither the default nor chosen by
// a rule (else SLALevelInUse); its tickets move to the default level.
func (s *Store) RemoveSLALevel(ctx context.Context, actorID, id int64, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.SLAManage); err != nil {
			return err
		}
		u, err := slaLevelUse(ctx, tx, id)
		if err != nil {
			return err
		}
		if u.Refused() {
			return u.InUse
		}
		if u.MovesTo != "" {
			_, err = tx.ExecContext(ctx, `UPDATE tickets SET sla_level_id = (SELECT id FROM sla_levels WHERE is_default = 1) WHERE sla_level_id = ?`, id)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE tickets SET sla_level_id = NULL, sla_first_due = NULL, sla_first_left = NULL, sla_next_due = NULL,
				sla_next_left = NULL, sla_resolve_due = NULL, sla_resolve_left = NULL, sla_due = NULL WHERE sla_level_id = ?`, id)
		}
		if err != nil {
			return err
		}
		var name string
		if err := tx.QueryRowContext(ctx, `DELETE FROM sla_levels WHERE id = ? RETURNING name`, id).Scan(&name); err != nil {
			return err
		}
		details := name
		if u.Tickets > 0 {
			details = fmt.Sprintf("%s (%d tickets to %q)", name, u.Tickets, u.MovesTo)
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionSLALevelRemove, TargetType: "sla_level", TargetID: id, Details: details, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: remove SLA level %d: %w", id, err)
	}
	return nil
}
