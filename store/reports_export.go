package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"helpline/authz"
)

// ExportedTicket is one row of Export tickets.
type ExportedTicket struct {
	Code, Subject, Department, Assignee string
	Channel                             Channel
	Status                              TicketStatus
	Priority                            Priority
	Tags                                string // sorted, joined by ", "
	Created                             time.Time
	FirstAnswered, Resolved             time.Time // zero: not yet
	Answers                             int
}

// exportPageRows is how many rows one read of Export tickets takes; tests
// lower it to cross page boundaries with a few tickets.
var exportPageRows = 1000

// ExportTickets calls fn for each ticket created in the period that f's
// Department and Channel filters keep, and under an Agent filter (or for a
// viewer without reports:read_all) assigned to that agent, oldest first.
// Spam and Deleted tickets are left out, as in every report.
//
// Rows are read a page at a time along the tickets_created index, each page
// from where the last one ended (created, id), so a year of tickets never
// sits in memory and no read holds the database's snapshot (and its
// connection) for the whole export. The next page is read while fn writes
// the current one. fn must not keep e past its call.
func (s *Store) ExportTickets(ctx context.Context, v authz.Viewer, f ReportFilter, fn func(e *ExportedTicket) error) error {
	f, err := reportScope(v, f)
	if err != nil {
		return fmt.Errorf("store: export tickets: %w", err)
	}
	names, err := s.exportNames(ctx)
	if err != nil {
		return fmt.Errorf("store: export tickets: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	pages := make(chan exportPage, 1)
	free := make(chan []ExportedTicket, 2)
	go s.readExportPages(ctx, f, names, pages, free)
	defer func() {
		// The reader stops at the cancel; wait for it, so no read outlives
		// the call.
		cancel()
		for range pages {
		}
	}()
	for p := range pages {
		if p.err != nil {
			return fmt.Errorf("store: export tickets: %w", p.err)
		}
		for i := range p.rows {
			if err := fn(&p.rows[i]); err != nil {
				return err
			}
		}
		select {
		case free <- p.rows:
		default:
		}
	}
	return ctx.Err()
}

// exportPage is one read of Export tickets, or the error that ended them.
type exportPage struct {
	rows []ExportedTicket
	err  error
}

// readExportPages sends f's rows to pages, a page at a time, reusing the
// buffers given back on free; it closes pages when done.
func (s *Store) readExportPages(ctx context.Context, f ReportFilter, names *exportNames, pages chan<- exportPage, free chan []ExportedTicket) {
	defer close(pages)
	at, id := f.From.UnixMilli(), int64(0)
	for {
		var buf []ExportedTicket
		select {
		case buf = <-free:
		default:
			buf = make([]ExportedTicket, 0, exportPageRows)
		}
		rows, lastAt, lastID, err := s.exportPage(ctx, f, names, at, id, buf[:0])
		select {
		case pages <- exportPage{rows: rows, err: err}:
		case <-ctx.Done():
			return
		}
		if err != nil || len(rows) < exportPageRows {
			return
		}
		at, id = lastAt, lastID
	}
}

// exportPage appends to buf the page of f's rows after (at, id), and
// returns the place of its last row.
func (s *Store) exportPage(ctx context.Context, f ReportFilter, names *exportNames, at, id int64, buf []ExportedTicket) ([]ExportedTicket, int64, int64, error) {
	q, args := s.exportPageSQL(f, at, id)
	rows, err := s.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return buf, 0, 0, err
	}
	defer rows.Close()
	var deptID, assigneeID, created int64
	var answered, resolved sql.NullInt64
	for rows.Next() {
		buf = append(buf, ExportedTicket{})
		e := &buf[len(buf)-1]
		if err := rows.Scan(&id, &e.Code, &e.Subject, &deptID, &assigneeID, &e.Channel, &e.Status, &e.Priority,
			&e.Tags, &created, &answered, &resolved, &e.Answers); err != nil {
			return buf, 0, 0, err
		}
		if e.Department, err = names.of(ctx, s, "departments", names.depts, deptID); err != nil {
			return buf, 0, 0, err
		}
		if e.Assignee, err = names.of(ctx, s, "agents", names.agents, assigneeID); err != nil {
			return buf, 0, 0, err
		}
		e.Created = time.UnixMilli(created)
		if answered.Valid {
			e.FirstAnswered = time.UnixMilli(answered.Int64)
		}
		if resolved.Valid {
			e.Resolved = time.UnixMilli(resolved.Int64)
		}
	}
	return buf, created, id, rows.Err()
}

// exportNames are the names of departments and agents by id, read once per
// export: a ticket's row then costs a map look-up instead of two joins.
type exportNames struct {
	depts, agents map[int64]string
}

func (s *Store) exportNames(ctx context.Context) (*exportNames, error) {
	n := &exportNames{depts: map[int64]string{}, agents: map[int64]string{}}
	for table, m := range map[string]map[int64]string{"departments": n.depts, "agents": n.agents} {
		rows, err := s.rd.QueryContext(ctx, `SELECT id, name FROM `+table)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return nil, err
			}
			m[id] = name
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// of is the name of id in table (0: no one); one added during the export
// is read then.
func (n *exportNames) of(ctx context.Context, s *Store, table string, m map[int64]string, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	if name, ok := m[id]; ok {
		return name, nil
	}
	var name string
	if err := s.rd.QueryRowContext(ctx, `SELECT name FROM `+table+` WHERE id = `+intArg, id).Scan(&name); err != nil {
		return "", err
	}
	m[id] = name
	return name, nil
}

// exportSQL is the first page of Export tickets for f.
func (s *Store) exportSQL(f ReportFilter) (string, []any) {
	return s.exportPageSQL(f, f.From.UnixMilli(), 0)
}

// exportPageSQL reads a page of Export tickets' rows for f after (at, id),
// oldest first: always along tickets_created (a department's or assignee's
// index would read fewer rows but sort them all before the first is sent),
// entered at the page's start. Names are looked up in memory (exportNames);
// the answer count is kept on the ticket's firsts (migration 0029).
func (s *Store) exportPageSQL(f ReportFilter, at, id int64) (string, []any) {
	tags := `(SELECT group_concat(tag, ', ') FROM (SELECT tt.tag FROM ticket_tags tt WHERE tt.ticket_id = t.id ORDER BY tt.tag) g)`
	if s.pg {
		tags = `(SELECT string_agg(tt.tag, ', ' ORDER BY tt.tag) FROM ticket_tags tt WHERE tt.ticket_id = t.id)`
	}
	where := []string{"t.created_at >= " + intArg, "t.created_at < " + intArg, "(t.created_at > " + intArg + " OR t.id > " + intArg + ")",
		"t.status NOT IN ('spam', 'deleted')"}
	args := []any{at, f.To.UnixMilli(), at, id}
	if f.DepartmentID != 0 {
		where = append(where, "t.department_id = "+intArg)
		args = append(args, f.DepartmentID)
	}
	if f.AgentID != 0 {
		where = append(where, "t.assignee_id = "+intArg)
		args = append(args, f.AgentID)
	}
	if f.Channel != "" {
		where = append(where, "t.channel = "+textArg)
		args = append(args, string(f.Channel))
	}
	return `SELECT t.id, t.code, t.subject, t.department_id, coalesce(t.assignee_id, 0), t.channel, t.status, t.priority,
			coalesce(` + tags + `, ''), t.created_at, f.first_reply_at, f.first_resolve_at, coalesce(f.answers, 0)
		FROM tickets t INDEXED BY tickets_created
		LEFT JOIN ticket_firsts f ON f.ticket_id = t.id
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY t.created_at, t.id LIMIT ` + strconv.Itoa(exportPageRows), args
}
