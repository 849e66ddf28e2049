package store

import (
	"context"
	"fmt"
	"strings"

	"helpline/authz"
)

// SLA compliance (SPEC §6.3, §6.6; docs/SLA.md): met and missed per target,
// per department and per agent, for a report's period and filters, read
// from the kept outcomes (sla_outcomes), never from the tickets.

// SLACount is how many tickets met a target and how many missed it.
type SLACount struct{ Met, Missed int64 }

// Total is Met + Missed.
func (c SLACount) Total() int64 { return c.Met + c.Missed }

// SLARow is one line of the report: a department, an agent or the total,
// with a count per target in the order of SLATargets.
type SLARow struct {
	ID      int64
	Name    string
	Targets [3]SLACount
}

// SLACompliance is the SLA compliance report.
type SLACompliance struct {
	Departments []SLARow
	Agents      []SLARow
	Total       SLARow
}

// slaReportSQL reads the period's outcomes under f, with the department
// the ticket is in now; Spam and Deleted tickets are left out, as the
// queue leaves them out. The outcomes lead (CROSS JOIN keeps SQLite from
// starting at a department's tickets instead): the rows read grow with the
// period's outcomes, each ticket read by its key.
func slaReportSQL(f ReportFilter) (string, []any) {
	where := []string{"o.at >= " + intArg, "o.at < " + intArg, "t.status NOT IN (" + textArg + ", " + textArg + ")"}
	args := []any{f.From.UnixMilli(), f.To.UnixMilli(), string(TicketSpam), string(TicketDeleted)}
	if f.AgentID != 0 {
		where = append(where, "o.agent_id = "+intArg)
		args = append(args, f.AgentID)
	}
	if f.DepartmentID != 0 {
		// + 0: the department is checked on each ticket read by its key,
		// never read as all of a department's tickets (PostgreSQL would).
		where = append(where, "t.department_id + 0 = "+intArg)
		args = append(args, f.DepartmentID)
	}
	if f.Channel != "" {
		where = append(where, "t.channel = "+textArg)
		args = append(args, string(f.Channel))
	}
	return `SELECT o.ticket_id, o.target, o.met, COALESCE(o.agent_id, 0), t.department_id
		FROM sla_outcomes o CROSS JOIN tickets t ON t.id = o.ticket_id
		WHERE ` + strings.Join(where, " AND "), args
}

// ReportSLA reads the SLA compliance report for f. A figure counts
// tickets: a ticket whose Next answer was missed twice in the period counts
// once among the missed (and, if another was met, once among the met), so
// each figure is the number of tickets its queue link lists. The total
// counts each ticket once too, so it can be less than the sum of the
// agents' lines when two agents answered one ticket.
func (s *Store) ReportSLA(ctx context.Context, v authz.Viewer, f ReportFilter) (SLACompliance, error) {
	var out SLACompliance
	f, err := reportScope(v, f)
	if err != nil {
		return out, fmt.Errorf("store: SLA compliance: %w", err)
	}
	q, args := slaReportSQL(f)
	rows, err := s.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return out, fmt.Errorf("store: SLA compliance: %w", err)
	}
	type key struct {
		group  int64 // department or agent id; 0 with total
		target int
		met    bool
		ticket int64
	}
	seen := map[string]map[key]bool{"dept": {}, "agent": {}, "total": {}}
	depts, agents := map[int64]*SLARow{}, map[int64]*SLARow{}
	count := func(kind string, rowOf func() *SLARow, k key) {
		if seen[kind][k] {
			return
		}
		seen[kind][k] = true
		c := &rowOf().Targets[k.target]
		if k.met {
			c.Met++
		} else {
			c.Missed++
		}
	}
	row := func(m map[int64]*SLARow, id int64) func() *SLARow {
		return func() *SLARow {
			if m[id] == nil {
				m[id] = &SLARow{ID: id}
			}
			return m[id]
		}
	}
	for rows.Next() {
		var ticket, agent, dept int64
		var target string
		var met bool
		if err := rows.Scan(&ticket, &target, &met, &agent, &dept); err != nil {
			rows.Close()
			return out, fmt.Errorf("store: SLA compliance: %w", err)
		}
		i := slaTargetIndex(SLATarget(target))
		if i < 0 {
			continue
		}
		count("total", func() *SLARow { return &out.Total }, key{0, i, met, ticket})
		count("dept", row(depts, dept), key{dept, i, met, ticket})
		if agent != 0 {
			count("agent", row(agents, agent), key{agent, i, met, ticket})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("store: SLA compliance: %w", err)
	}
	if f.AgentID != 0 {
		row(agents, f.AgentID)() // the agent's line, even with nothing in it
	}
	if out.Departments, err = s.slaReportLines(ctx, `SELECT id, name FROM departments ORDER BY name, id`, depts); err != nil {
		return out, err
	}
	if out.Agents, err = s.slaReportLines(ctx, `SELECT id, name FROM agents ORDER BY name, id`, agents); err != nil {
		return out, err
	}
	return out, nil
}

func slaTargetIndex(t SLATarget) int {
	for i, x := range SLATargets {
		if x == t {
			return i
		}
	}
	return -1
}

// slaReportLines puts the counted lines in the order of names (q lists id
// and name), with their names. The lists are the team's departments and
// agents, small beside the tickets.
func (s *Store) slaReportLines(ctx context.Context, q string, counted map[int64]*SLARow) ([]SLARow, error) {
	if len(counted) == 0 {
		return nil, nil
	}
	rows, err := s.rd.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("store: SLA compliance names: %w", err)
	}
	defer rows.Close()
	var out []SLARow
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("store: SLA compliance names: %w", err)
		}
		if r := counted[id]; r != nil {
			r.Name = name
			out = append(out, *r)
		}
	}
	return out, rows.Err()
}
