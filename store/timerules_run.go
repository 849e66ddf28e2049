package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"

	"helpline/automation"
)

// The minute's run of the time rules (jobs runs it under RunAlone). Each
// Apply when is true from a moment on: the ticket's creation, its last
// status change or its SLA due time, moved by the rule's duration. A run
// reads, for each active rule, the tickets whose moment fell since the
// rule's checked_until, as a range of the index on that column (never the
// whole desk), and records each (rule, ticket, moment) it looks at in
// time_rule_hits in the same transaction as the rule's actions: a moment is
// acted on once, even by two instances at once, and a ticket whose status
// changes or whose due time moves has a new moment, looked at again.

// timeRuleBatch bounds the tickets one read of the index takes.
const timeRuleBatch = 500

// TimeRuleRun is what a run did: tickets looked at, rules applied.
type TimeRuleRun struct {
	Looked, Applied int
}

// timeCandidate is a ticket whose moment fell in the window.
type timeCandidate struct {
	ticketID, base int64
}

// timeBase is, for each Apply when, the indexed expression whose value the
// moment is measured from. The SQL must be the indexes' own expressions
// (migrations 0016, 0023, 0027) for the planner to use them.
var timeBase = map[automation.TimeKind]string{
	automation.OlderThan:         "created_at",
	automation.StatusUnchanged:   "coalesce(status_changed_at, created_at)",
	automation.DueInLessThan:     "sla_due",
	automation.OverdueByMoreThan: "sla_due",
}

// timeCandidatesSQL reads base values in (?, ?], oldest first; Deleted and
// merged tickets take no part.
func timeCandidatesSQL(kind automation.TimeKind) string {
	b := timeBase[kind]
	return `SELECT id, ` + b + ` FROM tickets WHERE ` + b + ` > ? AND ` + b + ` <= ?
		AND status <> 'deleted' AND merged_into IS NULL ORDER BY ` + b + ` LIMIT ?`
}

// timeTiesSQL reads every ticket at one base value: a full batch ends in
// the middle of tickets that share it.
func timeTiesSQL(kind automation.TimeKind) string {
	b := timeBase[kind]
	return `SELECT id, ` + b + ` FROM tickets WHERE ` + b + ` = ? AND status <> 'deleted' AND merged_into IS NULL`
}

// RunTimeRules applies the active time rules, in their order, to the
// tickets whose Apply when became true since the last run.
func (s *Store) RunTimeRules(ctx context.Context) (TimeRuleRun, error) {
	var run TimeRuleRun
	// An ended desk is read-only: its tickets wait for the account to be
	// resumed, when the run takes up where it stopped.
	if ended, err := s.DeskEnded(ctx); err != nil || ended {
		return run, err
	}
	rules, err := s.timeRules(ctx, `SELECT `+timeRuleColumns+` FROM time_rules WHERE active = 1 ORDER BY position, id`)
	if err != nil {
		return run, err
	}
	now := s.nowMs()
	// Stop other rules: the rules below leave that ticket alone this run.
	stopped := map[int64]bool{}
	for _, r := range rules {
		if err := s.runTimeRule(ctx, r, now, stopped, &run); err != nil {
			return run, fmt.Errorf("store: time rule %d: %w", r.ID, err)
		}
	}
	return run, nil
}

// dueSoonSQL reads the tickets due in (?, ?] whose moment the rule (?) has
// not looked at yet (the moment: sla_due less ? ms), soonest first.
const dueSoonSQL = `SELECT id, sla_due FROM tickets WHERE sla_due > ? AND sla_due <= ?
	AND status <> 'deleted' AND merged_into IS NULL
	AND NOT EXISTS (SELECT 1 FROM time_rule_hits h WHERE h.rule_id = ? AND h.ticket_id = tickets.id AND h.moment = tickets.sla_due - ?)
	ORDER BY sla_due LIMIT ?`

// dueSoonRounds bounds the batches one run of Due in less than reads.
const dueSoonRounds = 200

func (s *Store) runTimeRule(ctx context.Context, r TimeRule, now int64, stopped map[int64]bool, run *TimeRuleRun) error {
	var from int64
	if err := s.r.QueryRowContext(ctx, `SELECT checked_until FROM time_rules WHERE id = ?`, r.ID).Scan(&from); err != nil {
		return err
	}
	if from >= now {
		return nil
	}
	if r.ApplyWhen == automation.DueInLessThan {
		if err := s.runDueSoon(ctx, r, from, now, stopped, run); err != nil {
			return err
		}
		return s.timeRuleChecked(ctx, r.ID, now)
	}
	for {
		lo, hi := r.ApplyWhen.BaseRange(msToTime(from), msToTime(now), r.After)
		cands, err := s.timeCandidates(ctx, timeCandidatesSQL(r.ApplyWhen), lo.UnixMilli(), hi.UnixMilli(), timeRuleBatch)
		if err != nil {
			return err
		}
		full := len(cands) == timeRuleBatch
		if full {
			last := cands[len(cands)-1].base
			ties, err := s.timeCandidates(ctx, timeTiesSQL(r.ApplyWhen), last)
			if err != nil {
				return err
			}
			cands = append(cands, ties...)
			from = r.ApplyWhen.Moment(msToTime(last), r.After).UnixMilli()
		}
		s.applyToCandidates(ctx, r, cands, stopped, run)
		if !full {
			break
		}
		if err := s.timeRuleChecked(ctx, r.ID, from); err != nil {
			return err
		}
	}
	return s.timeRuleChecked(ctx, r.ID, now)
}

// runDueSoon runs a Due in less than rule. A due time is often set closer
// than the rule's duration (a first answer due in one hour, a rule for
// less than two): its moment is then already past when the ticket comes,
// so instead of the moments since the last run it reads every ticket due
// within the duration (and, after a pause of the job, those that fell due
// meanwhile) whose moment it has not looked at: a range of the sla_due
// index as long as the duration, not the desk.
func (s *Store) runDueSoon(ctx context.Context, r TimeRule, from, now int64, stopped map[int64]bool, run *TimeRuleRun) error {
	after := r.After.Milliseconds()
	lo, hi := min(now, from+after), now+after
	for range dueSoonRounds {
		cands, err := s.timeCandidates(ctx, dueSoonSQL, lo, hi, r.ID, after, timeRuleBatch)
		if err != nil {
			return err
		}
		s.applyToCandidates(ctx, r, cands, stopped, run)
		if len(cands) < timeRuleBatch {
			break
		}
	}
	return nil
}

// applyToCandidates applies the rule to each ticket at its moment, logging
// what fails on the rule's page.
func (s *Store) applyToCandidates(ctx context.Context, r TimeRule, cands []timeCandidate, stopped map[int64]bool, run *TimeRuleRun) {
	for _, c := range cands {
		moment := r.ApplyWhen.Moment(msToTime(c.base), r.After).UnixMilli()
		applied, stop, err := s.applyTimeRule(ctx, r, c.ticketID, moment, stopped[c.ticketID])
		if err != nil {
			s.logTimeRuleFailure(ctx, r.ID, c.ticketID, moment, err)
		}
		run.Looked++
		if applied {
			run.Applied++
		}
		if stop {
			stopped[c.ticketID] = true
		}
	}
}

// timeRuleChecked moves the rule's checked_until on, never back (an
// instance whose clock is behind does not undo another's run).
func (s *Store) timeRuleChecked(ctx context.Context, ruleID, until int64) error {
	return s.writeUnkept(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE time_rules SET checked_until = ? WHERE id = ? AND checked_until < ?`, until, ruleID, until)
		return err
	})
}

func (s *Store) timeCandidates(ctx context.Context, q string, args ...any) ([]timeCandidate, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []timeCandidate
	for rows.Next() {
		var c timeCandidate
		if err := rows.Scan(&c.ticketID, &c.base); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// applyTimeRule records the ticket's moment and, if it is new and the
// rule's conditions hold, does the rule's actions in the same transaction,
// in the history "by rule NAME". applied says whether it acted; stop
// whether it ran Stop other rules.
func (s *Store) applyTimeRule(ctx context.Context, r TimeRule, ticketID, moment int64, stopped bool) (applied, stop bool, err error) {
	// Conditions are tested on a read first: a ticket the rule leaves alone
	// only has its moment recorded, which no page shows, so kept pages
	// stay.
	leave := stopped
	if !leave {
		_, facts, err := s.ruleFacts(ctx, s.r, false, ticketID)
		if err != nil {
			return false, false, err
		}
		leave = !r.Definition.Matches(facts)
	}
	if leave {
		return false, false, s.writeUnkept(ctx, func(tx *sql.Tx) error {
			_, err := recordTimeHit(ctx, tx, r.ID, ticketID, moment)
			return err
		})
	}
	var calls []ruleCall
	err = s.write(ctx, func(tx *sql.Tx) error {
		applied, stop, calls = false, false, nil
		if fresh, err := recordTimeHit(ctx, tx, r.ID, ticketID, moment); err != nil || !fresh {
			return err
		}
		t, facts, err := s.ruleFacts(ctx, tx, true, ticketID)
		if err != nil {
			return err
		}
		if !r.Definition.Matches(facts) {
			return nil
		}
		applied = true
		by, now := author{ruleName: r.Name}, s.nowMs()
		for _, a := range r.Definition.Actions {
			switch a.Kind {
			case automation.StopOthers:
				stop = true
			case automation.SendHTTP:
				body, err := ruleCallBody(ctx, tx, ticketID, RuleDef{ID: r.ID, Name: r.Name}, now)
				if err != nil {
					return err
				}
				calls = append(calls, ruleCall{url: a.Value, body: body})
			default:
				if err := doAction(ctx, tx, &t, a, by, now); err != nil {
					return fmt.Errorf("%s: %w", a.Kind, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return false, false, err
	}
	for _, c := range calls {
		s.ruleCalls.Add(1)
		go s.sendTimeRuleCall(context.WithoutCancel(ctx), r.ID, ticketID, c)
	}
	return applied, stop, nil
}

// recordTimeHit notes that the rule looked at the ticket's moment; fresh
// is false when it already had.
func recordTimeHit(ctx context.Context, tx *sql.Tx, ruleID, ticketID, moment int64) (fresh bool, err error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO time_rule_hits (rule_id, ticket_id, moment) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		ruleID, ticketID, moment)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// logTimeRuleFailure keeps what went wrong for the rule's page, and the
// moment as looked at: a failed action is not tried again every minute.
func (s *Store) logTimeRuleFailure(ctx context.Context, ruleID, ticketID, moment int64, cause error) {
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		if moment != 0 {
			if _, err := recordTimeHit(ctx, tx, ruleID, ticketID, moment); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO time_rule_failures (rule_id, ticket_id, error, created_at) VALUES (?, ?, ?, ?)`,
			ruleID, ticketID, truncate(cause.Error(), 1000), s.nowMs())
		return err
	})
	if err != nil {
		slog.Error("time rule failure", "rule", ruleID, "ticket", ticketID, "cause", cause, "err", err)
	}
}

// sendTimeRuleCall POSTs a time rule's request, as sendRuleCall does a
// rule's, its failure logged on the time rule's page.
func (s *Store) sendTimeRuleCall(ctx context.Context, ruleID, ticketID int64, c ruleCall) {
	defer s.ruleCalls.Done()
	err := func() error {
		ctx, cancel := context.WithTimeout(ctx, ruleCallTimeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(c.body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := s.ruleClient().Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			return fmt.Errorf("%s answered %s", c.url, resp.Status)
		}
		return nil
	}()
	if err != nil {
		s.logTimeRuleFailure(ctx, ruleID, ticketID, 0, fmt.Errorf("%s: %w", automation.SendHTTP, err))
	}
}
