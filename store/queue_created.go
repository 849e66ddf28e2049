package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"helpline/authz"
)

// The Created order needs no index of its own: sort_key is rank << 42 |
// created_at, so within one rank (a status group and a priority) the
// queue's own indexes hold the tickets in creation order. A page of the
// Created order reads each rank's range of its phase, newest first, and
// merges them; the next phase only when the page is not full. Every index
// costs each new ticket its writing, and the contact form's pace matters
// more than one more index here.

// createdCmp is the Created order: by key (phase, then newest first), then
// the newer ticket (the larger id) first, as the ranges are walked.
func createdCmp(a, b Cursor) int {
	if c := cmp.Compare(a.Key, b.Key); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
}

// createdKeyOfSortKey is the Created key of a ticket with sort_key sk.
func createdKeyOfSortKey(sk int64) int64 {
	return groupPhase(sk>>(createdBits+2))<<createdBits | (timeMask - sk&timeMask)
}

// groupPhase is the phase of a status group of sort_key: New, Open and
// Answered share the first.
func groupPhase(g int64) int64 { return max(g-1, 0) }

// createdPhases are the phases f's statuses span, each with the ranks of
// sort_key that hold it, in phase order.
func createdPhases(f QueueFilter) [][]int64 {
	var groups []int64
	switch {
	case f.Status != "":
		groups = []int64{statusGroup(f.Status)}
	case f.Open:
		groups = []int64{0, 1}
	default:
		groups = []int64{0, 1, 2, 3}
	}
	var phases [][]int64
	for i, g := range groups {
		ranks := []int64{g * 4, g*4 + 1, g*4 + 2, g*4 + 3}
		if i > 0 && groupPhase(g) == groupPhase(groups[i-1]) {
			phases[len(phases)-1] = append(phases[len(phases)-1], ranks...)
			continue
		}
		phases = append(phases, ranks)
	}
	return phases
}

// createdRangeSQL reads one rank's range in one department (dept 0: all),
// newest first, or oldest first backward; bound puts the cursor's bound on
// it (the range is in the cursor's phase).
func createdRangeSQL(v authz.Viewer, f QueueFilter, dept, rank int64, bound, backward bool, selectFrom string) (string, []any) {
	// The ranks are the statuses (with f.Sort Created, filterSQL adds no
	// bound of sort_key, which would leave SQLite two upper bounds to
	// choose from); a status that shares its group is checked on each row.
	where, args := filterSQL(v, f)
	if dept != 0 {
		where = append(where, "t.department_id = "+intArg)
		args = append(args, dept)
	}
	where = append(where, "t.sort_key >= "+intArg, "t.sort_key < "+intArg)
	args = append(args, rank<<createdBits, (rank+1)<<createdBits)
	order := "t.sort_key DESC, t.id DESC"
	if bound {
		c, op := f.After, "<"
		if backward {
			c, op = f.Before, ">"
		}
		created := timeMask - c.Key&timeMask
		where = append(where, "(t.sort_key, t.id) "+op+" ("+intArg+", "+intArg+")")
		args = append(args, rank<<createdBits|created, c.ID)
	}
	if backward {
		order = "t.sort_key, t.id"
	}
	args = append(args, f.Limit+1)
	return selectFrom + ` WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + ` LIMIT ?`, args
}

// createdFrom is what a range of the Created order reads from: the
// assignee's index for "assigned to me" (few of each department's), else
// the queue's indexes as SQLite picks.
func createdFrom(f QueueFilter, rows bool) string {
	from := " FROM tickets t"
	if f.Assignee == AssigneeMe {
		from = " FROM tickets t INDEXED BY tickets_assignee_queue"
	}
	if rows {
		return `SELECT ` + ticketColumns + strings.Replace(ticketJoins, " FROM tickets t", from, 1)
	}
	return `SELECT t.sort_key, t.id` + from
}

// queueCreated reads a page in the Created order: the keys of each range
// from the indexes alone, then the page's rows, as queueMerged does.
func (s *Store) queueCreated(ctx context.Context, v authz.Viewer, f QueueFilter, depts []int64, backward bool) ([]Ticket, error) {
	order := createdCmp
	if backward {
		order = func(a, b Cursor) int { return createdCmp(b, a) }
	}
	// One range per department, or one over every department: all of
	// them, or for my tickets (from the assignee's index) the viewer's.
	ranges := []int64{0}
	if depts != nil && f.Assignee != AssigneeMe {
		ranges = depts
	}
	cursor := f.After
	if backward {
		cursor = f.Before
	}
	phases := createdPhases(f)
	if backward {
		slices.Reverse(phases)
	}
	var keys []Cursor
	for _, ranks := range phases {
		phase := groupPhase(ranks[0] / 4)
		curPhase := cursor.Key >> createdBits
		if !cursor.IsZero() && (!backward && phase < curPhase || backward && phase > curPhase) {
			continue
		}
		bound := !cursor.IsZero() && phase == curPhase
		var got []Cursor
		for _, d := range ranges {
			for _, r := range ranks {
				q, args := createdRangeSQL(v, f, d, r, bound, backward, createdFrom(f, false))
				q, args = inDepartments(q, args, depts, ranges)
				k, err := s.readKeys(ctx, q, args)
				if err != nil {
					return nil, err
				}
				for i := range k {
					k[i].Key = createdKeyOfSortKey(k[i].Key)
				}
				got = append(got, k...)
			}
		}
		slices.SortFunc(got, order)
		keys = append(keys, got...)
		if len(keys) > f.Limit {
			break
		}
	}
	keys = keys[:min(len(keys), f.Limit+1)]
	if len(keys) == 0 {
		return nil, nil
	}
	if s.betweenQueueReads != nil {
		s.betweenQueueReads()
	}
	q, args := pageRowsSQL(v, f, keys)
	rows, err := s.queryTickets(ctx, q, args)
	if err != nil {
		return nil, err
	}
	byOrder := func(a, b Ticket) int { return order(SortCreated.keyOf(a), SortCreated.keyOf(b)) }
	slices.SortFunc(rows, byOrder)
	same := len(rows) == len(keys)
	for i := 0; same && i < len(rows); i++ {
		same = SortCreated.keyOf(rows[i]) == keys[i]
	}
	if same {
		return rows, nil
	}
	// A ticket changed between the two reads: read the ranges whole.
	rows = rows[:0]
	for _, ranks := range phases {
		phase := groupPhase(ranks[0] / 4)
		curPhase := cursor.Key >> createdBits
		if !cursor.IsZero() && (!backward && phase < curPhase || backward && phase > curPhase) {
			continue
		}
		bound := !cursor.IsZero() && phase == curPhase
		var got []Ticket
		for _, d := range ranges {
			for _, r := range ranks {
				q, args := createdRangeSQL(v, f, d, r, bound, backward, createdFrom(f, true))
				q, args = inDepartments(q, args, depts, ranges)
				t, err := s.queryTickets(ctx, q, args)
				if err != nil {
					return nil, err
				}
				got = append(got, t...)
			}
		}
		slices.SortFunc(got, byOrder)
		rows = append(rows, got...)
		if len(rows) > f.Limit {
			break
		}
	}
	return rows[:min(len(rows), f.Limit+1)], nil
}

// inDepartments keeps a range over every department (ranges is {0}) to the
// viewer's departments depts, when there are such.
func inDepartments(q string, args []any, depts, ranges []int64) (string, []any) {
	if depts == nil || len(ranges) != 1 || ranges[0] != 0 {
		return q, args
	}
	in := "t.department_id IN (" + repeatArg(len(depts), intArg) + ") AND "
	i := strings.Index(q, " WHERE ") + len(" WHERE ")
	extra := make([]any, len(depts))
	for j, d := range depts {
		extra[j] = d
	}
	// The WHERE's own arguments come after those of the SELECT, which has
	// none: the departments go first.
	return q[:i] + in + q[i:], append(extra, args...)
}

// readKeys reads (key, id) rows.
func (s *Store) readKeys(ctx context.Context, q string, args []any) ([]Cursor, error) {
	rows, err := s.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: queue: %w", err)
	}
	defer rows.Close()
	var out []Cursor
	for rows.Next() {
		var c Cursor
		if err := rows.Scan(&c.Key, &c.ID); err != nil {
			return nil, fmt.Errorf("store: queue: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: queue: %w", err)
	}
	return out, nil
}
