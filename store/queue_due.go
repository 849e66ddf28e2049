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
	backward := f.Before.ID != 0
	q, args := dueSQL(v, f, s.nowMs(), !s.pg)
	rows, err := s.queryTickets(ctx, q, args)
	if err != nil {
		return QueuePage{}, err
	}
	return s.finishPage(ctx, rows, f, backward, dueKeyOf)
}

// dueSQL is the query of a page in Due order, Overdue at nowMs when asked.
// On SQLite it names the index: with an Agent's departments as a subquery
// SQLite would otherwise read a department's queue range and sort it.
func dueSQL(v authz.Viewer, f QueueFilter, nowMs int64, sqlite bool) (string, []any) {
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
		args = append(args, nowMs)
	}
	order := "t.sla_due, t.id"
	switch {
	case f.Before.ID != 0:
		where = append(where, "(t.sla_due, t.id) < ("+intArg+", "+intArg+")")
		args = append(args, f.Before.Key, f.Before.ID)
		order = "t.sla_due DESC, t.id DESC"
	case !f.After.IsZero():
		where = append(where, "(t.sla_due, t.id) > ("+intArg+", "+intArg+")")
		args = append(args, f.After.Key, f.After.ID)
	}
	args = append(args, f.Limit+1)
	joins := ticketJoins
	if sqlite {
		index := "tickets_sla_due"
		if f.DepartmentID != 0 {
			index = "tickets_dept_sla_due"
		}
		joins = strings.Replace(ticketJoins, " FROM tickets t", " FROM tickets t INDEXED BY "+index, 1)
	}
	return `SELECT ` + ticketColumns + joins + ` WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + ` LIMIT ?`, args
}

func dueKeyOf(t Ticket) Cursor { return Cursor{Key: t.Due.UnixMilli(), ID: t.ID} }
