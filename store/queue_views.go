package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"helpline/authz"
)

// QueueView is one of the ready views beside the queue: a status filter and
// an assignee, counted from the kept counts.
type QueueView string

const (
	ViewMine       QueueView = "mine"       // New, Open and Answered, assigned to the viewer
	ViewUnassigned QueueView = "unassigned" // New, Open and Answered, assigned to nobody
	ViewOpen       QueueView = "open"       // New, Open and Answered
	ViewPostponed  QueueView = "postponed"
	ViewResolved   QueueView = "resolved"
)

// QueueViews lists the views in the order they are shown.
var QueueViews = []QueueView{ViewMine, ViewUnassigned, ViewOpen, ViewPostponed, ViewResolved}

// Apply returns f showing the view: its statuses and assignee replace f's,
// the other filters stay.
func (w QueueView) Apply(f QueueFilter) QueueFilter {
	f.Status, f.Open, f.Assignee = "", false, AssigneeAnyone
	switch w {
	case ViewMine:
		f.Open, f.Assignee = true, AssigneeMe
	case ViewUnassigned:
		f.Open, f.Assignee = true, AssigneeUnassigned
	case ViewOpen:
		f.Open = true
	case ViewPostponed:
		f.Status = TicketPostponed
	case ViewResolved:
		f.Status = TicketResolved
	}
	return f
}

// Shows reports whether f shows exactly the view's statuses and assignee.
func (w QueueView) Shows(f QueueFilter) bool {
	if f.Status != "" {
		f.Open = false
	}
	v := w.Apply(f)
	return v.Status == f.Status && v.Open == f.Open && v.Assignee == f.Assignee
}

// openStatuses are the statuses of Open.
var openStatuses = []TicketStatus{TicketNew, TicketOpen, TicketAnswered}

// QueueCounts are the kept counts of the tickets a viewer sees (in one
// department when asked): per status, and per status of those assigned to
// the viewer and of those assigned to nobody.
type QueueCounts struct {
	Status     map[TicketStatus]int
	Mine       map[TicketStatus]int
	Unassigned map[TicketStatus]int
}

// Matching is how many tickets f matches, when the kept counts know: they
// hold status, department and assignee, not channel, tag or words. A
// filter with those answers ok false, and the queue says "of many" rather
// than counting a million rows.
func (c QueueCounts) Matching(f QueueFilter) (n int, ok bool) {
	if !f.SLA.IsZero() {
		return 0, false
	}
	if f.Channel != "" || NormalizeTag(f.Tag) != "" || strings.TrimSpace(f.Search) != "" || len(f.Fields) > 0 || !f.Drill.IsZero() {
		return 0, false
	}
	by := c.Status
	switch f.Assignee {
	case AssigneeMe:
		by = c.Mine
	case AssigneeUnassigned:
		by = c.Unassigned
	}
	switch {
	case f.Status != "":
		return by[f.Status], true
	case f.Open:
		for _, st := range openStatuses {
			n += by[st]
		}
		return n, true
	}
	for st, k := range by {
		if st != TicketSpam && st != TicketDeleted {
			n += k
		}
	}
	return n, true
}

// View is the number of tickets a view shows.
func (c QueueCounts) View(w QueueView) int {
	n, _ := c.Matching(w.Apply(QueueFilter{}))
	return n
}

// QueueCounts reads the kept counts of the tickets v sees, in departmentID
// when it is not 0: the status counts of a few rows per department, and
// the rows of the assigned counts for v and for every assignee (0), kept by
// triggers (migration 0008_queue_density.sql). The unassigned are all less
// the assigned. Nothing here grows with the number of tickets.
func (s *Store) QueueCounts(ctx context.Context, v authz.Viewer, departmentID int64) (QueueCounts, error) {
	status, err := s.StatusCounts(ctx, v, departmentID)
	if err != nil {
		return QueueCounts{}, err
	}
	c := QueueCounts{Status: status, Mine: map[TicketStatus]int{}, Unassigned: map[TicketStatus]int{}}
	for st, n := range status {
		c.Unassigned[st] = n
	}
	q, args := assigneeCountsSQL(v, departmentID)
	rows, err := s.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return QueueCounts{}, fmt.Errorf("store: assigned counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var assignee int64
		var st TicketStatus
		var n int
		if err := rows.Scan(&assignee, &st, &n); err != nil {
			return QueueCounts{}, fmt.Errorf("store: assigned counts: %w", err)
		}
		if assignee == 0 {
			c.Unassigned[st] -= n
		} else {
			c.Mine[st] = n
		}
	}
	if err := rows.Err(); err != nil {
		return QueueCounts{}, fmt.Errorf("store: assigned counts: %w", err)
	}
	return c, nil
}

// assigneeCountsSQL reads the kept counts of every assignee's tickets
// (assignee 0) and of v's: a range of the key for each, a few rows per
// department.
func assigneeCountsSQL(v authz.Viewer, departmentID int64) (string, []any) {
	where := []string{"k.assignee_id IN (0, ?)"}
	args := []any{v.ID}
	if !v.Can(authz.TicketsReadAll) {
		where = append(where, "k.department_id IN (SELECT department_id FROM department_members WHERE agent_id = ?)")
		args = append(args, v.ID)
	}
	if departmentID != 0 {
		where = append(where, "k.department_id = ?")
		args = append(args, departmentID)
	}
	return `SELECT k.assignee_id, k.status, sum(k.n) FROM ticket_assigned_counts k WHERE ` +
		strings.Join(where, " AND ") + ` GROUP BY k.assignee_id, k.status`, args
}

// Density is how tightly an agent's queue shows its rows.
type Density string

const (
	// DensityCompact shows one line per ticket, the default: a screen
	// shows as many tickets as it can.
	DensityCompact Density = "compact"
	// DensityComfortable adds a muted line with the start of the last
	// message under each subject.
	DensityComfortable Density = "comfortable"
)

// Valid reports whether d is a known density.
func (d Density) Valid() bool { return d == DensityCompact || d == DensityComfortable }

// QueueDensity returns the agent's chosen density. Every queue view reads
// it, so it is kept until the next commit like the agent.
func (s *Store) QueueDensity(ctx context.Context, agentID int64) (Density, error) {
	return remember(&s.mem, memoKey{What: memoDensity, ID: agentID}, func() (Density, error) {
		var d Density
		err := s.rd.QueryRowContext(ctx, `SELECT queue_density FROM agents WHERE id = ?`, agentID).Scan(&d)
		if errors.Is(err, sql.ErrNoRows) {
			return "", ErrNotFound
		}
		if err != nil {
			return "", fmt.Errorf("store: queue density of %d: %w", agentID, err)
		}
		return d, nil
	})
}

// SetQueueDensity keeps the agent's choice of density. It is the agent's
// own display preference, like a browser setting, so it is not audited.
func (s *Store) SetQueueDensity(ctx context.Context, agentID int64, d Density) error {
	if !d.Valid() {
		return fmt.Errorf("store: unknown queue density %q", d)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE agents SET queue_density = ? WHERE id = ? AND removed_at IS NULL`, string(d), agentID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: set queue density of %d: %w", agentID, err)
	}
	return nil
}
