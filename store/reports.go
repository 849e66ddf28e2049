package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"helpline/authz"
)

// ReportFilter chooses the figures of a report (SPEC §6.3): the period
// [From, To), cut along whole UTC hours (report_hours keeps hours), and the
// Department, Agent and Channel filters (zero: all).
type ReportFilter struct {
	From, To     time.Time
	DepartmentID int64
	AgentID      int64
	Channel      Channel
}

// ReportFigures are the figures of one group or one day. Times are summed
// in milliseconds; the averages divide them by the tickets they are of.
type ReportFigures struct {
	Created   int64 // tickets created (under an agent: the tickets they logged)
	Replied   int64 // tickets first answered
	ReplyMs   int64
	Assigned  int64 // tickets first assigned
	AssignMs  int64
	Resolved  int64 // tickets resolved for the first time
	ResolveMs int64
	Answers   int64 // replies sent to customers
	Notes     int64 // internal notes
}

func avg(ms, n int64) time.Duration {
	if n == 0 {
		return 0
	}
	return time.Duration(ms/n) * time.Millisecond
}

// AvgReply is the New answer avg time: creation to first reply.
func (f ReportFigures) AvgReply() time.Duration { return avg(f.ReplyMs, f.Replied) }

// AvgAssign is the First assign avg time: creation to first assignment.
func (f ReportFigures) AvgAssign() time.Duration { return avg(f.AssignMs, f.Assigned) }

// AvgResolve is the First resolve avg time: creation to first Resolved.
func (f ReportFigures) AvgResolve() time.Duration { return avg(f.ResolveMs, f.Resolved) }

func (f *ReportFigures) add(o ReportFigures) {
	f.Created += o.Created
	f.Replied += o.Replied
	f.ReplyMs += o.ReplyMs
	f.Assigned += o.Assigned
	f.AssignMs += o.AssignMs
	f.Resolved += o.Resolved
	f.ResolveMs += o.ResolveMs
	f.Answers += o.Answers
	f.Notes += o.Notes
}

const reportSums = `sum(r.created), sum(r.replied), sum(r.reply_ms), sum(r.assigned), sum(r.assign_ms),
	sum(r.resolved), sum(r.resolve_ms), sum(r.answers), sum(r.notes)`

func (f *ReportFigures) scanTargets() []any {
	return []any{&f.Created, &f.Replied, &f.ReplyMs, &f.Assigned, &f.AssignMs, &f.Resolved, &f.ResolveMs, &f.Answers, &f.Notes}
}

// reportScope applies the viewer's reach: without reports:read_all only
// their own figures, and another agent's are not found (404), like a
// ticket out of scope.
func reportScope(v authz.Viewer, f ReportFilter) (ReportFilter, error) {
	if v.Can(authz.ReportsReadAll) {
		return f, nil
	}
	if !v.Can(authz.ReportsReadOwn) || (f.AgentID != 0 && f.AgentID != v.ID) {
		return f, ErrNotFound
	}
	f.AgentID = v.ID
	return f, nil
}

// hourOf is the report_hours hour holding t.
func hourOf(t time.Time) int64 {
	ms := t.UnixMilli()
	if ms < 0 {
		return (ms - 3599999) / 3600000
	}
	return ms / 3600000
}

// reportWhere is the WHERE of a report_hours read for f.
func reportWhere(f ReportFilter) (string, []any) {
	where := []string{"r.at_hour >= " + intArg, "r.at_hour < " + intArg}
	args := []any{hourOf(f.From), hourOf(f.To.Add(time.Hour - time.Millisecond))}
	return rollupFilterWhere(f, where, args)
}

// rollupFilterWhere adds f's agent, department and channel to the WHERE of
// a read of a rollup r (hours or days) and joins it.
func rollupFilterWhere(f ReportFilter, where []string, args []any) (string, []any) {
	if f.AgentID != 0 {
		where = append(where, "r.agent_id = "+intArg)
		args = append(args, f.AgentID)
	}
	if f.DepartmentID != 0 {
		where = append(where, "r.department_id = "+intArg)
		args = append(args, f.DepartmentID)
	}
	if f.Channel != "" {
		where = append(where, "r.channel = "+textArg)
		args = append(args, string(f.Channel))
	}
	return strings.Join(where, " AND "), args
}

// ReportDay is one day of a report, in the desk's time zone.
type ReportDay struct {
	Day time.Time // local midnight
	ReportFigures
}

// Overview is the Overview tab: the period's totals and days, the backlog
// now and the first answer time's median and 90th percentile.
type Overview struct {
	Totals ReportFigures
	Days   []ReportDay
	// Backlog is New + Open now; BacklogKnown is false under a Channel
	// filter, which the kept counts do not split by.
	Backlog      int64
	BacklogKnown bool
	// Median and P90 of the first answer times of the tickets first
	// answered in the period (nearest rank): from the day rollups'
	// histogram within 5% (half a second under one second), exact for a
	// period that is not whole days.
	Median, P90 time.Duration
}

// ReportOverview reads the Overview for f; days are cut in loc.
func (s *Store) ReportOverview(ctx context.Context, v authz.Viewer, f ReportFilter, loc *time.Location) (Overview, error) {
	f, err := reportScope(v, f)
	if err != nil {
		return Overview{}, fmt.Errorf("store: report overview: %w", err)
	}
	var o Overview
	// Whole days of the zone the rollups are cut in (every period the
	// picker offers, in the desk's zone) read the day rollups; any other
	// period or zone the hours, with exact percentiles.
	p, whole, err := s.reportDayPeriod(ctx, f)
	if err != nil {
		return o, err
	}
	whole = whole && p.loc.String() == loc.String()
	if whole {
		o.Days, err = s.reportDaysFromRollup(ctx, f, p)
	} else {
		o.Days, err = s.reportDays(ctx, f, loc)
	}
	if err != nil {
		return o, err
	}
	for _, d := range o.Days {
		o.Totals.add(d.ReportFigures)
	}
	if o.Backlog, o.BacklogKnown, err = s.reportBacklog(ctx, f); err != nil {
		return o, err
	}
	if whole {
		o.Median, o.P90, err = s.replyPercentiles(ctx, f, p)
		return o, err
	}
	times, err := s.firstAnswerTimes(ctx, f)
	if err != nil {
		return o, err
	}
	o.Median, o.P90 = percentile(times, 50), percentile(times, 90)
	return o, nil
}

// reportDaysSQL sums the period's figures per hour.
func reportDaysSQL(f ReportFilter) (string, []any) {
	where, args := reportWhere(f)
	return `SELECT r.at_hour, ` + reportSums + ` FROM report_hours r WHERE ` + where + ` GROUP BY r.at_hour`, args
}

// reportDays sums the period hour by hour and folds the hours into the
// days of loc, every day of the period present.
func (s *Store) reportDays(ctx context.Context, f ReportFilter, loc *time.Location) ([]ReportDay, error) {
	q, args := reportDaysSQL(f)
	rows, err := s.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: report days: %w", err)
	}
	defer rows.Close()
	var days []ReportDay
	index := map[time.Time]int{}
	for d := localDay(f.From, loc); d.Before(f.To); d = d.AddDate(0, 0, 1) {
		index[d] = len(days)
		days = append(days, ReportDay{Day: d})
	}
	for rows.Next() {
		var hour int64
		var fig ReportFigures
		if err := rows.Scan(append([]any{&hour}, fig.scanTargets()...)...); err != nil {
			return nil, fmt.Errorf("store: report days: %w", err)
		}
		d := localDay(time.UnixMilli(hour*3600000), loc)
		i, ok := index[d]
		if !ok {
			index[d] = len(days)
			i = len(days)
			days = append(days, ReportDay{Day: d})
		}
		days[i].add(fig)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: report days: %w", err)
	}
	slices.SortFunc(days, func(a, b ReportDay) int { return a.Day.Compare(b.Day) })
	return days, nil
}

func localDay(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// reportBacklog is New + Open now, from the kept counts: per department,
// or the assignee's under an Agent filter.
func (s *Store) reportBacklog(ctx context.Context, f ReportFilter) (int64, bool, error) {
	if f.Channel != "" {
		return 0, false, nil
	}
	var n int64
	q, args := backlogSQL(f)
	if err := s.rd.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, false, fmt.Errorf("store: report backlog: %w", err)
	}
	return n, true, nil
}

func backlogSQL(f ReportFilter) (string, []any) {
	q, args := `SELECT coalesce(sum(k.n), 0) FROM ticket_counts k WHERE k.status IN ('new', 'open')`, []any{}
	if f.AgentID != 0 {
		q = `SELECT coalesce(sum(k.n), 0) FROM ticket_assigned_counts k WHERE k.status IN ('new', 'open') AND k.assignee_id = ` + intArg
		args = append(args, f.AgentID)
	}
	if f.DepartmentID != 0 {
		q += ` AND k.department_id = ` + intArg
		args = append(args, f.DepartmentID)
	}
	return q, args
}

// firstAnswersSQL reads the first answer times (ms) of the tickets first
// answered in the period from the ticket_firsts_reply index and the firsts
// alone (they carry the ticket's department, channel and Spam or Deleted).
func firstAnswersSQL(f ReportFilter) (string, []any) {
	// Only tickets neither Spam nor Deleted, as everywhere in the reports.
	where := []string{"f.first_reply_at >= " + intArg, "f.first_reply_at < " + intArg, "f.hidden = 0"}
	args := []any{hourOf(f.From) * 3600000, hourOf(f.To.Add(time.Hour-time.Millisecond)) * 3600000}
	if f.AgentID != 0 {
		where = append(where, "f.first_reply_by = "+intArg)
		args = append(args, f.AgentID)
	}
	if f.DepartmentID != 0 {
		where = append(where, "f.department_id = "+intArg)
		args = append(args, f.DepartmentID)
	}
	if f.Channel != "" {
		where = append(where, "f.channel = "+textArg)
		args = append(args, string(f.Channel))
	}
	return `SELECT f.first_reply_ms FROM ticket_firsts f INDEXED BY ticket_firsts_reply
		WHERE f.first_reply_at IS NOT NULL AND ` + strings.Join(where, " AND "), args
}

// firstAnswerTimes reads the first answer times and sorts them.
func (s *Store) firstAnswerTimes(ctx context.Context, f ReportFilter) ([]int64, error) {
	q, args := firstAnswersSQL(f)
	rows, err := s.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: first answer times: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var ms int64
		if err := rows.Scan(&ms); err != nil {
			return nil, fmt.Errorf("store: first answer times: %w", err)
		}
		out = append(out, ms)
	}
	slices.Sort(out)
	return out, rows.Err()
}

// percentile is the nearest-rank p-th percentile of sorted ms (0 if none).
func percentile(sorted []int64, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 × n)
	return time.Duration(sorted[max(rank, 1)-1]) * time.Millisecond
}

// ReportGroup is what the Performance tab groups by.
type ReportGroup string

const (
	GroupByAgent      ReportGroup = "agent"
	GroupByDepartment ReportGroup = "department"
)

// ReportRow is one line of the Performance tab: an agent or a department.
type ReportRow struct {
	ID   int64
	Name string
	ReportFigures
}

// ReportPerformance reads the Performance tab for f grouped by g: a line
// per agent (every agent still on the team, and any removed one with
// figures in the period) or per department, by name, and the totals.
func (s *Store) ReportPerformance(ctx context.Context, v authz.Viewer, f ReportFilter, g ReportGroup) ([]ReportRow, ReportFigures, error) {
	f, err := reportScope(v, f)
	if err != nil {
		return nil, ReportFigures{}, fmt.Errorf("store: report performance: %w", err)
	}
	col := "agent_id"
	if g == GroupByDepartment {
		col = "department_id"
	}
	p, whole, err := s.reportDayPeriod(ctx, f)
	if err != nil {
		return nil, ReportFigures{}, err
	}
	q, args := reportGroupSQL(f, "r."+col)
	if whole {
		q, args = dayRollupSQL(f, p, col)
	}
	rows, err := s.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, ReportFigures{}, fmt.Errorf("store: report performance: %w", err)
	}
	figs := map[int64]ReportFigures{}
	for rows.Next() {
		var id int64
		var fig ReportFigures
		if err := rows.Scan(append([]any{&id}, fig.scanTargets()...)...); err != nil {
			rows.Close()
			return nil, ReportFigures{}, fmt.Errorf("store: report performance: %w", err)
		}
		sum := figs[id] // the months and the days at the ends add up
		sum.add(fig)
		figs[id] = sum
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, ReportFigures{}, fmt.Errorf("store: report performance: %w", err)
	}
	names, err := s.reportNames(ctx, g, f)
	if err != nil {
		return nil, ReportFigures{}, err
	}
	var out []ReportRow
	var total ReportFigures
	for _, n := range names {
		fig, seen := figs[n.ID]
		if !seen && !n.current {
			continue
		}
		out = append(out, ReportRow{ID: n.ID, Name: n.Name, ReportFigures: fig})
		total.add(fig)
	}
	return out, total, nil
}

// reportGroupSQL sums the period's figures per agent or department (col).
func reportGroupSQL(f ReportFilter, col string) (string, []any) {
	where, args := reportWhere(f)
	return `SELECT ` + col + `, ` + reportSums + ` FROM report_hours r WHERE ` + where + ` GROUP BY ` + col, args
}

type reportName struct {
	ID      int64
	Name    string
	current bool // on the team (an agent not removed), shown even with no figures
}

// reportNames lists the lines a Performance report may have, by name: the
// agents (only the one, under an Agent filter) or the departments.
func (s *Store) reportNames(ctx context.Context, g ReportGroup, f ReportFilter) ([]reportName, error) {
	q := `SELECT id, name, removed_at IS NULL FROM agents`
	var args []any
	if f.AgentID != 0 {
		q += ` WHERE id = ` + intArg
		args = append(args, f.AgentID)
	}
	if g == GroupByDepartment {
		q, args = `SELECT id, name, TRUE FROM departments`, nil
		if f.DepartmentID != 0 {
			q += ` WHERE id = ` + intArg
			args = append(args, f.DepartmentID)
		}
	}
	rows, err := s.rd.QueryContext(ctx, q+` ORDER BY name, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: report names: %w", err)
	}
	defer rows.Close()
	var out []reportName
	for rows.Next() {
		var n reportName
		if err := rows.Scan(&n.ID, &n.Name, &n.current); err != nil {
			return nil, fmt.Errorf("store: report names: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// ReportAgents lists the agents on the team by name: the Agent filter's
// choices.
func (s *Store) ReportAgents(ctx context.Context) ([]ReportRow, error) {
	names, err := s.reportNames(ctx, GroupByAgent, ReportFilter{})
	if err != nil {
		return nil, err
	}
	var out []ReportRow
	for _, n := range names {
		if n.current {
			out = append(out, ReportRow{ID: n.ID, Name: n.Name})
		}
	}
	return out, nil
}
