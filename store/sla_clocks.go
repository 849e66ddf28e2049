package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"helpline/authz"
	"helpline/bizhours"
)

// The SLA clocks of a ticket (docs/SLA.md). Each change that moves a clock
// recomputes the due instants in its own transaction, so the queue sorts
// and filters on stored, indexed columns.

// SLATarget names one clock.
type SLATarget string

const (
	TargetFirstAnswer SLATarget = "first_answer"
	TargetNextAnswer  SLATarget = "next_answer"
	TargetResolution  SLATarget = "resolution"
)

// SLATargets lists the clocks in the order the ticket page shows them.
var SLATargets = []SLATarget{TargetFirstAnswer, TargetNextAnswer, TargetResolution}

// slaClock is one clock: running (Due set), paused (Left set) or stopped.
type slaClock struct {
	due, left sql.NullInt64
}

func (c slaClock) running() bool { return c.due.Valid }
func (c slaClock) paused() bool  { return c.left.Valid }
func (c *slaClock) stop()        { *c = slaClock{} }

func (c *slaClock) start(s bizhours.Schedule, target time.Duration, now int64, paused bool) {
	c.stop()
	switch {
	case target <= 0:
	case paused:
		c.left = sql.NullInt64{Int64: target.Milliseconds(), Valid: true}
	default:
		if due := s.Add(time.UnixMilli(now), target); !due.IsZero() {
			c.due = sql.NullInt64{Int64: due.UnixMilli(), Valid: true}
		}
	}
}

// pause keeps the business time left; a target already missed keeps none,
// so it is overdue again the moment its clock resumes.
func (c *slaClock) pause(s bizhours.Schedule, now int64) {
	if !c.running() {
		return
	}
	left := s.Between(time.UnixMilli(now), time.UnixMilli(c.due.Int64))
	*c = slaClock{left: sql.NullInt64{Int64: left.Milliseconds(), Valid: true}}
}

// resume runs the clock again for the business time it had left. Without
// any business hours the target can never fall due, and the clock stops.
func (c *slaClock) resume(s bizhours.Schedule, now int64) {
	if !c.paused() {
		return
	}
	left := time.Duration(c.left.Int64) * time.Millisecond
	c.stop()
	if due := s.Add(time.UnixMilli(now), left); !due.IsZero() {
		c.due = sql.NullInt64{Int64: due.UnixMilli(), Valid: true}
	}
}

// slaState is a ticket's level and clocks, read and written in one
// transaction.
type slaState struct {
	ticketID int64
	level    SLALevel
	hasLevel bool
	clocks   [3]slaClock // in the order of SLATargets
}

// clocksPaused is true in the statuses where no clock runs.
func clocksPaused(st TicketStatus) bool {
	switch st {
	case TicketPostponed, TicketResolved, TicketSpam, TicketDeleted:
		return true
	}
	return false
}

func loadSLA(ctx context.Context, tx *sql.Tx, ticketID int64) (slaState, error) {
	st := slaState{ticketID: ticketID}
	var levelID sql.NullInt64
	c := &st.clocks
	err := tx.QueryRowContext(ctx, `SELECT sla_level_id, sla_first_due, sla_first_left, sla_next_due, sla_next_left, sla_resolve_due, sla_resolve_left
		FROM tickets WHERE id = ?`, ticketID).Scan(&levelID, &c[0].due, &c[0].left, &c[1].due, &c[1].left, &c[2].due, &c[2].left)
	if err != nil {
		return st, fmt.Errorf("SLA of ticket %d: %w", ticketID, err)
	}
	if !levelID.Valid {
		return st, nil
	}
	st.level, err = scanSLALevel(tx.QueryRowContext(ctx, `SELECT `+slaLevelColumns+` FROM sla_levels WHERE id = ?`, levelID.Int64))
	if err != nil {
		return st, fmt.Errorf("SLA level of ticket %d: %w", ticketID, err)
	}
	st.hasLevel = true
	return st, nil
}

func (st slaState) save(ctx context.Context, tx *sql.Tx) error {
	var due sql.NullInt64
	for _, c := range st.clocks {
		if c.running() && (!due.Valid || c.due.Int64 < due.Int64) {
			due = c.due
		}
	}
	var levelID any
	if st.hasLevel {
		levelID = st.level.ID
	}
	c := st.clocks
	_, err := tx.ExecContext(ctx, `UPDATE tickets SET sla_level_id = ?, sla_first_due = ?, sla_first_left = ?, sla_next_due = ?, sla_next_left = ?,
		sla_resolve_due = ?, sla_resolve_left = ?, sla_due = ? WHERE id = ?`,
		levelID, c[0].due, c[0].left, c[1].due, c[1].left, c[2].due, c[2].left, due, st.ticketID)
	if err != nil {
		return fmt.Errorf("save SLA of ticket %d: %w", st.ticketID, err)
	}
	return nil
}

// startLevel gives the ticket level l and starts its First answer and
// Resolution clocks from now with l's full targets (paused if the ticket's
// status stops clocks). The Next answer clock is not running before a
// first answer.
func (st *slaState) startLevel(l SLALevel, status TicketStatus, now int64) {
	st.level, st.hasLevel = l, true
	s := l.Schedule()
	paused := clocksPaused(status)
	st.clocks[0].start(s, l.FirstAnswer, now, paused)
	st.clocks[1].stop()
	st.clocks[2].start(s, l.Resolution, now, paused)
}

// slaOnStatus moves the clocks for a status change made in setStatus:
// entering a status that stops clocks pauses them, leaving it resumes
// them; an agent's reply (Answered) stops First answer and Next answer;
// a customer's message that opens the ticket starts Next answer once the
// first answer was given, unless an earlier message is still waiting for
// its answer (that clock keeps its due time, so it does not drift).
func slaOnStatus(ctx context.Context, tx *sql.Tx, ticketID int64, from, to TicketStatus, by author, now int64) error {
	st, err := loadSLA(ctx, tx, ticketID)
	if err != nil || !st.hasLevel {
		return err
	}
	if err := slaOutcomes(ctx, tx, st, to, by, now); err != nil {
		return err
	}
	s := st.level.Schedule()
	if clocksPaused(to) && !clocksPaused(from) {
		for i := range st.clocks {
			st.clocks[i].pause(s, now)
		}
	}
	if !clocksPaused(to) && clocksPaused(from) {
		for i := range st.clocks {
			st.clocks[i].resume(s, now)
		}
	}
	if to == TicketAnswered && by.agentID != 0 {
		st.clocks[0].stop()
		st.clocks[1].stop()
	}
	first, next := st.clocks[0], st.clocks[1]
	waiting := first.running() || first.paused() || next.running() || next.paused()
	if to == TicketOpen && by.contactID != 0 && !waiting {
		st.clocks[1].start(s, st.level.NextAnswer, now, false)
	}
	return st.save(ctx, tx)
}

// startSLAOnCreation gives new tickets the desk's default level, if any,
// in the transaction that writes them.
func startSLAOnCreation(ctx context.Context, tx *sql.Tx, rows []newTicketRow) error {
	l, err := scanSLALevel(tx.QueryRowContext(ctx, `SELECT `+slaLevelColumns+` FROM sla_levels WHERE is_default = 1`))
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("default SLA level: %w", err)
	}
	for _, r := range rows {
		st := slaState{ticketID: r.id}
		st.startLevel(l, TicketNew, r.now)
		if err := st.save(ctx, tx); err != nil {
			return err
		}
	}
	return nil
}

// SetTicketSLALevel gives a ticket another level (the rules' Change SLA
// level): its First answer (if not yet answered) and Resolution clocks
// start again from now with the new level's targets; a running Next answer
// clock too. Level 0 takes the level away and stops every clock.
func (s *Store) SetTicketSLALevel(ctx context.Context, v authz.Viewer, code string, levelID int64) error {
	return s.act(ctx, v, code, "set SLA level of", func(tx *sql.Tx, t *ticketState, now int64) error {
		return setTicketSLALevel(ctx, tx, t.id, t.status, levelID, now)
	})
}

func setTicketSLALevel(ctx context.Context, tx *sql.Tx, ticketID int64, status TicketStatus, levelID, now int64) error {
	st, err := loadSLA(ctx, tx, ticketID)
	if err != nil {
		return err
	}
	if levelID == 0 {
		return slaState{ticketID: ticketID}.save(ctx, tx)
	}
	l, err := scanSLALevel(tx.QueryRowContext(ctx, `SELECT `+slaLevelColumns+` FROM sla_levels WHERE id = ?`, levelID))
	if err != nil {
		return fmt.Errorf("SLA level %d: %w", levelID, err)
	}
	answered := st.hasLevel && !st.clocks[0].running() && !st.clocks[0].paused()
	nextRunning := st.clocks[1].running() || st.clocks[1].paused()
	st.startLevel(l, status, now)
	sched := l.Schedule()
	if answered {
		st.clocks[0].stop()
	}
	if nextRunning {
		st.clocks[1].start(sched, l.NextAnswer, now, clocksPaused(status))
	}
	return st.save(ctx, tx)
}

// TicketSLATarget is one clock as the ticket page shows it: Due while it
// runs, and the business time Left until then, or by how much business
// time it is Overdue; while paused, the Left it keeps.
type TicketSLATarget struct {
	Target  SLATarget
	Due     time.Time
	Paused  bool
	Left    time.Duration
	Overdue time.Duration
	Missed  bool
}

// TicketSLA is a ticket's level and its clocks that run or are paused.
type TicketSLA struct {
	LevelID   int64
	LevelName string
	Targets   []TicketSLATarget
}

// TicketSLA reads the level and clocks of a ticket the caller already may see.
func (s *Store) TicketSLA(ctx context.Context, ticketID int64) (TicketSLA, error) {
	var out TicketSLA
	var levelID sql.NullInt64
	var name sql.NullString
	var c [3]slaClock
	err := s.r.QueryRowContext(ctx, `SELECT t.sla_level_id, l.name, t.sla_first_due, t.sla_first_left, t.sla_next_due, t.sla_next_left, t.sla_resolve_due, t.sla_resolve_left
		FROM tickets t LEFT JOIN sla_levels l ON l.id = t.sla_level_id WHERE t.id = ?`, ticketID).
		Scan(&levelID, &name, &c[0].due, &c[0].left, &c[1].due, &c[1].left, &c[2].due, &c[2].left)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err != nil {
		return out, fmt.Errorf("store: SLA of ticket %d: %w", ticketID, err)
	}
	out.LevelID, out.LevelName = levelID.Int64, name.String
	var sched bizhours.Schedule
	if levelID.Valid {
		l, err := s.SLALevel(ctx, levelID.Int64)
		if err != nil {
			return out, err
		}
		sched = l.Schedule()
	}
	now := s.now()
	for i, clock := range c {
		switch {
		case clock.running():
			tg := TicketSLATarget{Target: SLATargets[i], Due: time.UnixMilli(clock.due.Int64)}
			if tg.Due.After(now) {
				tg.Left = sched.Between(now, tg.Due)
			} else {
				tg.Missed, tg.Overdue = true, sched.Between(tg.Due, now)
			}
			out.Targets = append(out.Targets, tg)
		case clock.paused():
			out.Targets = append(out.Targets, TicketSLATarget{Target: SLATargets[i], Paused: true, Left: time.Duration(clock.left.Int64) * time.Millisecond})
		}
	}
	return out, nil
}
