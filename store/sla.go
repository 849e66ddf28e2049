package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"helpline/authz"
	"helpline/bizhours"
)

// SLA levels (Configuration → SLA, SPEC §6.6): targets for the first answer,
// the next answer and the resolution, in business time of the level's own
// hours, holidays and zone. docs/SLA.md says how the clocks run.

// Audit actions of Configuration → SLA.
const (
	ActionSLALevelCreate AuditAction = "sla_level.create"
	ActionSLALevelUpdate AuditAction = "sla_level.update"
)

// SLALevel is one level. A zero target means the level sets none.
type SLALevel struct {
	ID          int64
	Name        string
	FirstAnswer time.Duration
	NextAnswer  time.Duration
	Resolution  time.Duration
	TimeZone    string
	Week        [7][]bizhours.Interval
	Holidays    []string
	Default     bool
}

// Schedule is the level's business hours, for the clocks.
func (l SLALevel) Schedule() bizhours.Schedule {
	loc, err := time.LoadLocation(l.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	s := bizhours.Schedule{Week: l.Week, Zone: loc, Holidays: map[string]bool{}}
	for _, d := range l.Holidays {
		s.Holidays[d] = true
	}
	return s
}

const slaLevelColumns = `id, name, first_answer_min, next_answer_min, resolution_min, time_zone, week, holidays, is_default`

func scanSLALevel(row interface{ Scan(...any) error }) (SLALevel, error) {
	var l SLALevel
	var first, next, resolve int64
	var week, holidays string
	var isDefault int64
	if err := row.Scan(&l.ID, &l.Name, &first, &next, &resolve, &l.TimeZone, &week, &holidays, &isDefault); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return l, ErrNotFound
		}
		return l, err
	}
	l.FirstAnswer, l.NextAnswer, l.Resolution = time.Duration(first)*time.Minute, time.Duration(next)*time.Minute, time.Duration(resolve)*time.Minute
	if err := json.Unmarshal([]byte(week), &l.Week); err != nil {
		return l, fmt.Errorf("week of SLA level %d: %w", l.ID, err)
	}
	if holidays != "" {
		l.Holidays = strings.Split(holidays, ",")
	}
	l.Default = isDefault == 1
	return l, nil
}

// SLALevels lists the levels by name.
func (s *Store) SLALevels(ctx context.Context) ([]SLALevel, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+slaLevelColumns+` FROM sla_levels ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("store: SLA levels: %w", err)
	}
	defer rows.Close()
	var out []SLALevel
	for rows.Next() {
		l, err := scanSLALevel(rows)
		if err != nil {
			return nil, fmt.Errorf("store: SLA levels: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// SLALevel reads one level.
func (s *Store) SLALevel(ctx context.Context, id int64) (SLALevel, error) {
	l, err := scanSLALevel(s.r.QueryRowContext(ctx, `SELECT `+slaLevelColumns+` FROM sla_levels WHERE id = ?`, id))
	if err != nil {
		return l, fmt.Errorf("store: SLA level %d: %w", id, err)
	}
	return l, nil
}

// DefaultSLALevel is the level a ticket gets when no rule picks one;
// ErrNotFound when the desk has none.
func (s *Store) DefaultSLALevel(ctx context.Context) (SLALevel, error) {
	l, err := scanSLALevel(s.r.QueryRowContext(ctx, `SELECT `+slaLevelColumns+` FROM sla_levels WHERE is_default = 1`))
	if err != nil {
		return l, fmt.Errorf("store: default SLA level: %w", err)
	}
	return l, nil
}

func slaLevelArgs(l SLALevel) ([]any, error) {
	week, err := json.Marshal(l.Week)
	if err != nil {
		return nil, err
	}
	isDefault := 0
	if l.Default {
		isDefault = 1
	}
	return []any{l.Name, int64(l.FirstAnswer / time.Minute), int64(l.NextAnswer / time.Minute), int64(l.Resolution / time.Minute),
		l.TimeZone, string(week), strings.Join(l.Holidays, ","), isDefault}, nil
}

// clearDefault makes no level the default, before another becomes it.
func clearDefault(ctx context.Context, tx *sql.Tx, l SLALevel) error {
	if !l.Default {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE sla_levels SET is_default = 0 WHERE is_default = 1 AND id <> ?`, l.ID)
	return err
}

// CreateSLALevel stores a new level (already checked by the form); making
// it the default takes that from the previous one. Names are unique:
// ErrConflict{Field: "name"}.
func (s *Store) CreateSLALevel(ctx context.Context, actorID int64, l SLALevel) (int64, error) {
	args, err := slaLevelArgs(l)
	if err != nil {
		return 0, fmt.Errorf("store: create SLA level: %w", err)
	}
	var id int64
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.SLAManage); err != nil {
			return err
		}
		if err := clearDefault(ctx, tx, l); err != nil {
			return err
		}
		now := s.nowMs()
		err := tx.QueryRowContext(ctx, `INSERT INTO sla_levels (name, first_answer_min, next_answer_min, resolution_min, time_zone, week, holidays, is_default, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, append(args, now, now)...).Scan(&id)
		if err = uniqueViolation(err, "name"); err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionSLALevelCreate, TargetType: "sla_level", TargetID: id, Details: l.Name})
	})
	if err != nil {
		return 0, fmt.Errorf("store: create SLA level: %w", err)
	}
	return id, nil
}

// UpdateSLALevel changes a level. Tickets keep the due times their clocks
// already have; the new targets and hours apply from the next time a clock
// starts or resumes.
func (s *Store) UpdateSLALevel(ctx context.Context, actorID int64, l SLALevel) error {
	args, err := slaLevelArgs(l)
	if err != nil {
		return fmt.Errorf("store: update SLA level %d: %w", l.ID, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.SLAManage); err != nil {
			return err
		}
		if err := clearDefault(ctx, tx, l); err != nil {
			return err
		}
		now := s.nowMs()
		res, err := tx.ExecContext(ctx, `UPDATE sla_levels SET name = ?, first_answer_min = ?, next_answer_min = ?, resolution_min = ?,
			time_zone = ?, week = ?, holidays = ?, is_default = ?, updated_at = ? WHERE id = ?`, append(args, now, l.ID)...)
		if err = uniqueViolation(err, "name"); err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionSLALevelUpdate, TargetType: "sla_level", TargetID: l.ID, Details: l.Name})
	})
	if err != nil {
		return fmt.Errorf("store: update SLA level %d: %w", l.ID, err)
	}
	return nil
}
