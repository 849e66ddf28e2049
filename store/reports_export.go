package store

import (
	"context"
	"database/sql"
	"fmt"
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
	Tags                                []string
	Created                             time.Time
	FirstAnswered, Resolved             time.Time // zero: not yet
	Answers                             int
}

// ExportTickets calls fn for each ticket created in the period that f's
// Department and Channel filters keep, and under an Agent filter (or for a
// viewer without reports:read_all) assigned to that agent, oldest first.
// Spam and Deleted tickets are left out, as in every report. Rows are read
// one at a time from the tickets_created index, so a year of tickets never
// sits in memory.
func (s *Store) ExportTickets(ctx context.Context, v authz.Viewer, f ReportFilter, fn func(ExportedTicket) error) error {
	f, err := reportScope(v, f)
	if err != nil {
		return fmt.Errorf("store: export tickets: %w", err)
	}
	q, args := s.exportSQL(f)
	rows, err := s.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: export tickets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e ExportedTicket
		var tagList string
		var created int64
		var answered, resolved sql.NullInt64
		if err := rows.Scan(&e.Code, &e.Subject, &e.Department, &e.Assignee, &e.Channel, &e.Status, &e.Priority,
			&tagList, &created, &answered, &resolved, &e.Answers); err != nil {
			return fmt.Errorf("store: export tickets: %w", err)
		}
		if tagList != "" {
			e.Tags = strings.Split(tagList, ",")
		}
		e.Created = time.UnixMilli(created)
		if answered.Valid {
			e.FirstAnswered = time.UnixMilli(answered.Int64)
		}
		if resolved.Valid {
			e.Resolved = time.UnixMilli(resolved.Int64)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: export tickets: %w", err)
	}
	return nil
}

// exportSQL reads Export tickets' rows for f, oldest first: always along
// tickets_created (a department's or assignee's index would read fewer
// rows but sort them all before the first is sent). The answer count is
// kept on the ticket's firsts (migration 0029), not counted per row.
func (s *Store) exportSQL(f ReportFilter) (string, []any) {
	tags := `(SELECT group_concat(tag, ',') FROM (SELECT tt.tag FROM ticket_tags tt WHERE tt.ticket_id = t.id ORDER BY tt.tag) g)`
	if s.pg {
		tags = `(SELECT string_agg(tt.tag, ',' ORDER BY tt.tag) FROM ticket_tags tt WHERE tt.ticket_id = t.id)`
	}
	where := []string{"t.created_at >= " + intArg, "t.created_at < " + intArg, "t.status NOT IN ('spam', 'deleted')"}
	args := []any{f.From.UnixMilli(), f.To.UnixMilli()}
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
	return `SELECT t.code, t.subject, d.name, coalesce(a.name, ''), t.channel, t.status, t.priority,
			coalesce(` + tags + `, ''), t.created_at, f.first_reply_at, f.first_resolve_at, coalesce(f.answers, 0)
		FROM tickets t INDEXED BY tickets_created
		CROSS JOIN departments d ON d.id = t.department_id
		LEFT JOIN agents a ON a.id = t.assignee_id
		LEFT JOIN ticket_firsts f ON f.ticket_id = t.id
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY t.created_at, t.id`, args
}
