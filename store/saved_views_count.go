package store

import (
	"context"
	"fmt"
	"strings"

	"helpline/authz"
)

// ViewCount is how many tickets a saved view shows, as far as it is known
// without counting a million rows.
type ViewCount struct {
	N int
	// AtLeast: only the first viewCountBound candidates were looked at, and
	// N of them match; more may.
	AtLeast bool
	// Unknown: words are searched, and only opening the view tells.
	Unknown bool
}

// viewCountBound is the most tickets a saved view's count reads when the
// kept counts do not know it: a few index pages, so the list beside the
// queue costs about the same for ten views at any size of desk.
const viewCountBound = 1000

// CountView counts the tickets of a saved view's filter f that v sees. The
// kept counts answer for statuses, departments and assignees (as the ready
// views'); a tag or a field's value is counted from its own index and a
// channel from the queue's order, reading at most viewCountBound
// candidates, so a larger answer is "at least"; a search is not counted.
func (s *Store) CountView(ctx context.Context, v authz.Viewer, f QueueFilter) (ViewCount, error) {
	if n, known, err := s.KeptViewCount(ctx, v, f); known || err != nil {
		return n, err
	}
	q, args := viewCountSQL(v, f, viewCountBound)
	var seen, n int
	if err := s.rd.QueryRowContext(ctx, q, args...).Scan(&seen, &n); err != nil {
		return ViewCount{}, fmt.Errorf("store: count saved view: %w", err)
	}
	return ViewCount{N: n, AtLeast: seen >= viewCountBound}, nil
}

// KeptViewCount is CountView when it costs no more than the ready views'
// counts: known is false when the filter needs counting (CountView).
func (s *Store) KeptViewCount(ctx context.Context, v authz.Viewer, f QueueFilter) (n ViewCount, known bool, err error) {
	if strings.TrimSpace(f.Search) != "" {
		return ViewCount{Unknown: true}, true, nil
	}
	c, err := s.QueueCounts(ctx, v, f.DepartmentID)
	if err != nil {
		return ViewCount{}, false, err
	}
	if k, ok := c.Matching(f); ok {
		return ViewCount{N: k}, true, nil
	}
	return ViewCount{}, false, nil
}

// viewCountSQL reads up to bound candidates of f from the narrowest index
// it has (a field's value, a tag, or the queue's order) and counts how many
// were read and how many pass every filter and v's scope. A value's or a
// tag's candidates are its newest tickets, read from its index in order.
func viewCountSQL(v authz.Viewer, f QueueFilter, bound int) (string, []any) {
	f.Sort, f.After, f.Before = SortPriority, Cursor{}, Cursor{}
	var probe string
	var pargs []any
	switch tag := NormalizeTag(f.Tag); {
	case len(f.Fields) > 0:
		probe = `SELECT ticket_id AS id FROM ticket_field_values WHERE field_id = ` + intArg + ` AND value = ` + textArg + ` ORDER BY ticket_id DESC LIMIT ?`
		pargs = []any{f.Fields[0].FieldID, f.Fields[0].Value, bound}
	case tag != "":
		probe = `SELECT ticket_id AS id FROM ticket_tags WHERE tag = ` + textArg + ` ORDER BY ticket_id DESC LIMIT ?`
		pargs = []any{tag, bound}
	default:
		probe = `SELECT t.id AS id FROM tickets t WHERE t.sort_key < ? ORDER BY t.sort_key LIMIT ?`
		pargs = []any{activeKeyLimit, bound}
	}
	where, args := filterSQL(v, f)
	scope, sargs := scopeSQL(v)
	where = append(where, scope)
	args = append(args, sargs...)
	if f.DepartmentID != 0 {
		where = append(where, "t.department_id = "+intArg)
		args = append(args, f.DepartmentID)
	}
	return `SELECT count(*), coalesce(sum(CASE WHEN ` + strings.Join(where, " AND ") + ` THEN 1 ELSE 0 END), 0)
		FROM (` + probe + `) p CROSS JOIN tickets t ON t.id = p.id`, append(args, pargs...)
}
