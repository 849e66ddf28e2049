package store

import (
	"context"
	"strings"

	"helpline/authz"
)

// The Due order and the Overdue filter (SPEC §6.6, docs/SLA.md) read the
// ticket's stored earliest due time, sla_due, from its index: tickets with
// the earliest due first, paged by (due, id). Only tickets with a running
// SLA clock have a due time, so only they are in this order; Overdue keeps
// those whose due time has passed, most overdue first.

// SortDue orders the queue by the earliest SLA due time. It is not one of
// QueueSorts, which each list every ticket of the filters.
const SortDue QueueSort = "due"

func (s *Store) queueDue(ctx context.Context, v authz.Viewer, f QueueFilter) (QueuePage, error) {
	g := f
	g.Sort = SortPriority // statuses as ranges of sort_key
	where, args := filterSQL(v, g)
	scope, sargs := scopeSQL(v)
	where = append([]string{"t.sla_due IS NOT NULL", scope}, where...)
	args = append(sargs, args...)
	if f.DepartmentID != 0 {
		where = append(where, "t.department_id = "+intArg)
		args = append(args, f.DepartmentID)
	}
	if f.Overdue {
		where = append(where, "t.sla_due <= "+intArg)
		args = append(args, s.nowMs())
	}
	backward := f.Before.ID != 0
	order := "t.sla_due, t.id"
	switch {
	case backward:
		where = append(where, "(t.sla_due, t.id) < ("+intArg+", "+intArg+")")
		args = append(args, f.Before.Key, f.Before.ID)
		order = "t.sla_due DESC, t.id DESC"
	case !f.After.IsZero():
		where = append(where, "(t.sla_due, t.id) > ("+intArg+", "+intArg+")")
		args = append(args, f.After.Key, f.After.ID)
	}
	args = append(args, f.Limit+1)
	q := `SELECT ` + ticketColumns + ticketJoins + ` WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + ` LIMIT ?`
	rows, err := s.queryTickets(ctx, q, args)
	if err != nil {
		return QueuePage{}, err
	}
	return s.finishPage(ctx, rows, f, backward, dueKeyOf)
}

func dueKeyOf(t Ticket) Cursor { return Cursor{Key: t.Due.UnixMilli(), ID: t.ID} }
