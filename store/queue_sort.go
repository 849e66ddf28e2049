package store

import (
	"context"
	"strings"

	"helpline/authz"
)

// QueueSort is the order of the queue: one of its sortable columns.
type QueueSort string

const (
	// SortPriority is the queue's own order (SPEC §4): New and Open
	// first, then Answered, Postponed and Resolved, each by priority
	// (urgent first), then oldest first. The key is sort_key.
	SortPriority QueueSort = ""
	// SortUpdated puts unfinished work first (New, Open and Answered
	// together, then Postponed, then Resolved), each by the latest change.
	SortUpdated QueueSort = "updated"
	// SortCreated is like SortUpdated by creation: newest first.
	SortCreated QueueSort = "created"
)

// QueueSorts lists the orders in the queue's column order.
var QueueSorts = []QueueSort{SortPriority, SortUpdated, SortCreated}

// Valid reports whether o is a known order.
func (o QueueSort) Valid() bool {
	return o == SortPriority || o == SortUpdated || o == SortCreated || o == SortDue
}

// The Updated and Created orders page by a key of their own, like sort_key:
// phase << 42 | (2^42 - 1 - time), indexed as expressions (migration
// 0008_queue_density.sql), spelled with constants beyond 32 bits so that
// PostgreSQL reckons it in 64. These are the indexes' expressions with the
// tickets table named t; both engines use an index only for the same
// expression.
const (
	updatedKeySQL = `(CASE t.status WHEN 'postponed' THEN 4398046511104 WHEN 'resolved' THEN 8796093022208 WHEN 'spam' THEN 13194139533312 WHEN 'deleted' THEN 17592186044416 ELSE 0 END + (4398046511103 - t.updated_at))`
	createdKeySQL = `(CASE t.status WHEN 'postponed' THEN 4398046511104 WHEN 'resolved' THEN 8796093022208 WHEN 'spam' THEN 13194139533312 WHEN 'deleted' THEN 17592186044416 ELSE 0 END + (4398046511103 - t.created_at))`
)

// keyArg binds a value compared with an order's key expression (see
// recentKeysetSQL). The 64-bit zero makes PostgreSQL take the value as a
// 64-bit integer, as it would a 32-bit one beside a plain 0.
const keyArg = "(? + 0 * 4294967296)"

// timeMask is the largest time in milliseconds a key holds (the year 2109).
const timeMask = 1<<createdBits - 1

// phase groups statuses for the Updated and Created orders: unfinished
// (New, Open, Answered), Postponed, Resolved, Spam, Deleted.
func phase(st TicketStatus) int64 {
	switch st {
	case TicketPostponed:
		return 1
	case TicketResolved:
		return 2
	case TicketSpam:
		return 3
	case TicketDeleted:
		return 4
	}
	return 0
}

// recentKey is the key of the Updated or Created order for a ticket in
// status st at time ms, as SQLite computes it in updatedKeySQL.
func recentKey(st TicketStatus, ms int64) int64 {
	return phase(st)<<createdBits | (timeMask - ms)
}

// keySQL is the expression of the order's key on tickets t.
func (o QueueSort) keySQL() string {
	switch o {
	case SortUpdated:
		return updatedKeySQL
	case SortCreated:
		return createdKeySQL
	}
	return "t.sort_key"
}

// deptIndex is the index of the order per department; the Updated order
// has no other (see the migration), so its queries name it rather than
// leave SQLite a choice that might sort. The Created order reads the
// queue's own indexes (queue_created.go).
func (o QueueSort) deptIndex() string {
	if o == SortUpdated {
		return "tickets_dept_updated"
	}
	return ""
}

// from is the FROM of a query over tickets t in the order.
func (o QueueSort) from() string {
	if idx := o.deptIndex(); idx != "" {
		return " FROM tickets t INDEXED BY " + idx
	}
	return " FROM tickets t"
}

// keyOf is where a ticket stands in the order.
func (o QueueSort) keyOf(t Ticket) Cursor {
	switch o {
	case SortUpdated:
		return Cursor{Key: recentKey(t.Status, t.UpdatedAt.UnixMilli()), ID: t.ID}
	case SortCreated:
		return Cursor{Key: recentKey(t.Status, t.CreatedAt.UnixMilli()), ID: t.ID}
	case SortDue:
		return dueKeyOf(t)
	}
	return Cursor{Key: t.SortKey, ID: t.ID}
}

// recentRange is the range [lo, hi) of the Updated or Created key that the
// status filter allows: one phase, the unfinished one for Open, or all but
// Spam and Deleted.
func recentRange(f QueueFilter) (lo, hi int64) {
	switch {
	case f.Status != "":
		p := phase(f.Status)
		return p << createdBits, (p + 1) << createdBits
	case f.Open:
		return 0, 1 << createdBits
	}
	return 0, phase(TicketSpam) << createdBits
}

// openKeyLimit: every New, Open and Answered ticket sorts below it in the
// queue's own order (sort_key), every other one above.
var openKeyLimit = int64(2*4) << createdBits

// defaultFewAssigned is how many tickets of one assignee (or of nobody) a
// page in the Updated or Created order reads and sorts at most. Fewer than
// that are read from tickets_assignee_queue, the assignee's range, and
// sorted: an Agent with a few hundred open tickets in a department of
// thousands would otherwise walk the department's range past everyone
// else's. More are walked in order in each department's range, where they
// are common enough to fill a page soon.
const defaultFewAssigned = 2000

// fewAssigned reports whether the tickets of f's assignee and statuses that
// v sees are few, by the kept counts.
func (s *Store) fewAssigned(ctx context.Context, v authz.Viewer, f QueueFilter) (bool, error) {
	c, err := s.QueueCounts(ctx, v, f.DepartmentID)
	if err != nil {
		return false, err
	}
	f.Channel, f.Tag, f.Search, f.Fields = "", "", "", nil
	n, _ := c.Matching(f)
	return n < s.fewAssignedRows, nil
}

// fewAssignedSQL reads a page of an assignee's few tickets in the Updated or
// Created order: the assignee's range of tickets_assignee_queue (its
// statuses a range of sort_key), sorted. At most s.fewAssignedRows rows, so
// the sort is bounded.
func fewAssignedSQL(v authz.Viewer, f QueueFilter, depts []int64, backward bool) (string, []any) {
	g := f
	g.Sort = SortPriority // statuses as ranges of sort_key, which the index holds
	where, args := filterSQL(v, g)
	if f.Status != "" {
		lo := statusGroup(f.Status) * 4 << createdBits
		where = append(where, "t.sort_key >= ?", "t.sort_key < ?")
		args = append(args, lo, lo+4<<createdBits)
	}
	if depts != nil {
		where = append(where, "t.department_id IN ("+repeatArg(len(depts), intArg)+")")
		for _, d := range depts {
			args = append(args, d)
		}
	}
	where, args, order := recentKeysetSQL(f, backward, where, args)
	args = append(args, f.Limit+1)
	return `SELECT ` + ticketColumns + strings.Replace(ticketJoins, " FROM tickets t", " FROM tickets t INDEXED BY tickets_assignee_queue", 1) +
		` WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + ` LIMIT ?`, args
}

// departmentIDs lists every department's id.
func (s *Store) departmentIDs(ctx context.Context) ([]int64, error) {
	all, err := s.Departments(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(all))
	for i, d := range all {
		ids[i] = d.ID
	}
	return ids, nil
}
