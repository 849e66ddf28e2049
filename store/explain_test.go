package store

import (
	"context"
	"fmt"
	"helpline/authz"
	"regexp"
	"strings"
	"testing"
)

// fullScan matches a plan line that reads a whole table of tickets or
// messages, or sorts rows outside an index.
var fullScan = regexp.MustCompile(`^SCAN (tickets|messages|t|m)\b|USE TEMP B-TREE FOR ORDER BY`)

// largeDeskStats are planner statistics a sampled ANALYZE wrote for a
// million tickets over twenty departments: with them SQLite chose to start
// from the departments and sort every ticket (seconds per page), which a
// fresh database hides.
const largeDeskStats = `
	INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
	('ticket_tags', 'ticket_tags_tag', '1443736 2001 1'),
	('ticket_tags', 'ticket_tags', '1443736 2 1'),
	('department_members', 'department_members_agent', '300 2 1'),
	('department_members', 'department_members', '300 15 1'),
	('departments', 'departments_name', '20 1'),
	('messages', 'messages_ticket', '9353301 10 1'),
	('tickets', 'tickets_postponed', '29820 1'),
	('tickets', 'tickets_contact', '1000000 5'),
	('tickets', 'tickets_assignee_queue', '1000000 2001 1'),
	('tickets', 'tickets_dept_status_queue', '1000000 2001 2001 1'),
	('tickets', 'tickets_status_queue', '1000000 2001 1'),
	('tickets', 'tickets_dept_queue', '1000000 2001 1'),
	('tickets', 'tickets_queue', '1000000 1'),
	('tickets', 'tickets_code', '1000000 1'),
	('tickets', 'tickets_dept_updated', '1000000 2001 1'),
	('tickets', 'tickets_dept_created', '1000000 2001 1'),
	('ticket_assigned_counts', 'ticket_assigned_counts', '5000 40 2 1'),
	('contacts', 'contacts_email', '250000 1'),
	('agents', '', '203')`

// TestExplain_HotQueriesUseIndexes fails when a query a page runs on every
// view stops using an index: with a million tickets a full scan is seconds.
// It checks the plans of a fresh database and of one with the statistics of
// a large desk.
func TestExplain_HotQueriesUseIndexes(t *testing.T) {
	for _, withStats := range []bool{false, true} {
		t.Run(map[bool]string{false: "fresh", true: "large desk statistics"}[withStats], func(t *testing.T) {
			w := newTicketWorldOn(t, newSQLiteStore(t))
			if withStats {
				if _, err := w.s.w.Exec(`ANALYZE`); err != nil {
					t.Fatal(err)
				}
				if _, err := w.s.w.Exec(`DELETE FROM sqlite_stat1`); err != nil {
					t.Fatal(err)
				}
				if _, err := w.s.w.Exec(largeDeskStats); err != nil {
					t.Fatal(err)
				}
				// Fresh connections read the statistics.
				w.s.r.SetMaxIdleConns(0)
				w.s.r.SetMaxIdleConns(4)
			}
			checkSQLitePlans(t, w.s, hotQueries(t, w))
		})
	}
}

// checkSQLitePlans fails for each query of qs whose plan scans tickets or
// messages or sorts outside an index, or misses what its own check wants.
func checkSQLitePlans(t *testing.T, s *Store, qs []query) {
	t.Helper()
	for _, q := range qs {
		plan := queryPlan(t, s, q.sql, q.args)
		switch {
		case q.sqlite != nil:
			for _, e := range q.sqlite(plan) {
				t.Errorf("%s %s:\n  %s", q.name, e, strings.Join(plan, "\n  "))
			}
		default:
			for _, line := range plan {
				if fullScan.MatchString(line) {
					t.Errorf("%s scans: %q\nplan:\n  %s", q.name, line, strings.Join(plan, "\n  "))
				}
			}
		}
		if testing.Verbose() {
			t.Logf("%s:\n  %s", q.name, strings.Join(plan, "\n  "))
		}
	}
}

// hotQueries are the queries the pages run on every view, with the real
// arguments, for both engines' plan tests.
func hotQueries(t *testing.T, w *ticketWorld) []query {
	s := w.s
	code := contactTicket(t, s, w.sales, "Hello", "world")
	cur := Cursor{Key: 12345, ID: 7}
	var qs []query
	add := func(name, q string, args []any) { qs = append(qs, query{name: name, sql: q, args: args}) }
	// check adds a query that SQLite must plan as want says instead.
	check := func(name, q string, args []any, sorted bool, want func(plan []string) []string) {
		qs = append(qs, query{name: name, sql: q, args: args, sorted: sorted, sqlite: want})
	}
	filters := map[string]QueueFilter{
		"default":          {},
		"status":           {Status: TicketOpen},
		"mine":             {Assignee: AssigneeMe},
		"unassigned":       {Assignee: AssigneeUnassigned},
		"channel":          {Channel: ChannelCall},
		"tag":              {Tag: "vip"},
		"status+tag":       {Status: TicketOpen, Tag: "vip"},
		"next page":        {After: cur},
		"previous page":    {Before: cur},
		"status next page": {Status: TicketNew, After: cur},
		"postponed":        {Status: TicketPostponed},
		"open":             {Open: true},
		"open next page":   {Open: true, After: cur},
		"open previous":    {Open: true, Before: cur},
		"my open":          {Open: true, Assignee: AssigneeMe},
		"unassigned open":  {Open: true, Assignee: AssigneeUnassigned},
		"resolved mine":    {Status: TicketResolved, Assignee: AssigneeMe},
	}
	for name, f := range filters {
		for _, o := range QueueSorts {
			f.Sort = o
			qs = append(qs, queueQueries(w, f, name+" by "+string(o), cur)...)
		}
	}
	// The keys of an Agent's departments come from the index alone, in
	// every order.
	for _, o := range []QueueSort{SortPriority, SortUpdated} {
		for _, name := range []string{"default", "status", "next page", "previous page", "status next page", "open", "open next page", "open previous", "postponed"} {
			f := filters[name]
			f.Limit, f.Sort = 50, o
			if o != SortPriority && f.Status != "" && phase(f.Status) == 0 {
				continue // a status sharing its phase is read from each row
			}
			q, a := queueSQL(w.annV, f, w.sales, !f.Before.IsZero(), keysFrom(f.Sort))
			check(fmt.Sprintf("queue keys %s by %q", name, o), q, a, false, func(plan []string) []string {
				if len(plan) != 1 || !strings.Contains(plan[0], "USING COVERING INDEX tickets_dept_") {
					return []string{"reads more than an index"}
				}
				return nil
			})
		}
	}
	// The Created order's ranges come from the queue's indexes alone.
	for _, name := range []string{"default", "open", "open next page", "open previous", "postponed", "next page", "previous page"} {
		f := filters[name]
		f.Limit, f.Sort = 50, SortCreated
		backward := !f.Before.IsZero()
		for _, dept := range []int64{0, w.sales} {
			q, a := createdRangeSQL(w.adminV, f, dept, 4, !f.After.IsZero() || backward, backward, createdFrom(f, false))
			check(fmt.Sprintf("created range %s in department %d", name, dept), q, a, false, func(plan []string) []string {
				if len(plan) != 1 || !strings.Contains(plan[0], "USING COVERING INDEX tickets_") || !strings.Contains(plan[0], "sort_key>? AND sort_key<?") {
					return []string{"reads more than an index range"}
				}
				return nil
			})
		}
	}
	// Each order walks its own index from the cursor: the plan names it.
	for name, f := range map[string]QueueFilter{"everything": {}, "my open": {Open: true, Assignee: AssigneeMe},
		"next page": {After: cur}, "previous page": {Before: cur}, "resolved": {Status: TicketResolved, After: cur}} {
		for o, idx := range map[QueueSort]string{SortUpdated: "tickets_dept_updated"} {
			f.Sort, f.Limit = o, 50
			q, a := queueSQL(w.adminV, f, w.sales, !f.Before.IsZero(), rowsFrom(f.Sort))
			check(fmt.Sprintf("queue %s by %s", name, o), q, a, false, func(plan []string) []string {
				if len(plan) == 0 || !strings.HasPrefix(plan[0], "SEARCH t USING INDEX "+idx+" (department_id=? AND <expr>>? AND <expr><") {
					return []string{"does not walk " + idx + " from its bound"}
				}
				return nil
			})
		}
	}
	// An assignee's few tickets are read from the assignee's range and
	// sorted: at most defaultFewAssigned rows, so the sort is allowed, a
	// scan is not.
	for name, f := range map[string]QueueFilter{
		"my open":              {Open: true, Assignee: AssigneeMe},
		"unassigned next page": {Open: true, Assignee: AssigneeUnassigned, After: cur},
		"mine previous page":   {Assignee: AssigneeMe, Before: cur},
		"my resolved":          {Status: TicketResolved, Assignee: AssigneeMe},
		"mine by channel":      {Assignee: AssigneeMe, Channel: ChannelCall},
	} {
		for _, o := range []QueueSort{SortUpdated} {
			f.Sort, f.Limit = o, 50
			for _, c := range []struct {
				v     authz.Viewer
				depts []int64
			}{{w.adminV, nil}, {w.adminV, []int64{w.sales}}, {w.annV, []int64{w.sales, w.support}}} {
				q, a := fewAssignedSQL(c.v, f, c.depts, !f.Before.IsZero())
				check(fmt.Sprintf("few assigned %s by %s in %d departments", name, o, len(c.depts)), q, a, true, func(plan []string) []string {
					var errs []string
					if len(plan) == 0 || !strings.HasPrefix(plan[0], "SEARCH t USING INDEX tickets_assignee_queue (assignee_id") {
						errs = append(errs, "does not read the assignee's range")
					}
					return append(errs, scans(plan)...)
				})
			}
		}
	}
	add("tag rarity", `SELECT count(*) FROM (SELECT 1 FROM ticket_tags WHERE tag = ? LIMIT ?) AS few`, []any{"vip", defaultRareTagRows})
	// Renaming, merging and removing a tag (store/tags.go) find its tickets
	// by the same index as the queue's tag filter.
	add("tag's tickets", `SELECT ticket_id FROM ticket_tags WHERE tag = ?`, []any{"vip"})
	add("tag's tickets also carrying another", `SELECT ticket_id FROM ticket_tags WHERE tag = ?
		AND ticket_id IN (SELECT ticket_id FROM ticket_tags WHERE tag = ?)`, []any{"vip", "refund"})
	// A rare tag: with SQLite's statistics of a large desk every tag is;
	// PostgreSQL's desk has one of its own.
	rare := "vip"
	if s.pg {
		rare = pgRareTag
	}
	// A rare tag's tickets are read from the tag's index and sorted: at
	// most defaultRareTagRows rows, so the sort is allowed, a scan is not.
	for name, f := range map[string]QueueFilter{
		"rare tag":           {Tag: rare},
		"status rare tag":    {Status: TicketOpen, Tag: rare},
		"rare tag next page": {Tag: rare, After: cur},
		"rare tag prev page": {Tag: rare, Before: cur},
		"mine with rare tag": {Tag: rare, Assignee: AssigneeMe},
		"rare tag by update": {Tag: rare, Sort: SortUpdated, After: cur},
		"open rare tag":      {Tag: rare, Open: true, Sort: SortCreated},
	} {
		f.Limit = 50
		for _, depts := range [][]int64{nil, {w.sales}, {w.sales, w.support}} {
			q, a := rareTagSQL(w.adminV, f, depts, !f.Before.IsZero())
			check(fmt.Sprintf("queue %s in %d departments", name, len(depts)), q, a, true, func(plan []string) []string {
				var errs []string
				if len(plan) == 0 || !strings.HasPrefix(plan[0], "SEARCH tt USING COVERING INDEX ticket_tags_tag (tag=?)") {
					errs = append(errs, "does not start from the tag's index")
				}
				return append(errs, scans(plan)...)
			})
		}
	}
	for _, v := range []authz.Viewer{w.annV, w.adminV} {
		q, a := assigneeCountsSQL(v, 0)
		add("assignee counts "+viewerLabel(v), q, a)
		q, a = assigneeCountsSQL(v, w.sales)
		add("assignee counts department "+viewerLabel(v), q, a)
	}
	return restQueries(w, code, qs)
}

// query is one hot query with its arguments.
type query struct {
	name string
	sql  string
	args []any
	// sorted: the query reads a bounded set of rows (a rare tag's tickets,
	// an assignee's few; on PostgreSQL a text search's matches) and sorts
	// them; a sort is allowed, a scan is not.
	sorted bool
	// sqlite, when set, says what is wrong with SQLite's plan of the query
	// in place of the check for scans and sorts.
	sqlite func(plan []string) []string
}

// scans are the lines of plan that scan a table.
func scans(plan []string) []string {
	var out []string
	for _, line := range plan {
		if strings.HasPrefix(line, "SCAN") {
			out = append(out, fmt.Sprintf("scans: %q", line))
		}
	}
	return out
}

// queueQueries are the queries of one queue filter for an Agent and an
// Administrator: whole rows and keys of a department's range, rows of a
// page by id, and (in the queue's own order) a search with the filter.
func queueQueries(w *ticketWorld, f QueueFilter, name string, cur Cursor) []query {
	var qs []query
	// On PostgreSQL a common tag's page may be planned as the department's
	// range joined to the tag's tickets, and the few that match sorted:
	// bounded by the department, and chosen from the statistics of the tag.
	add := func(name, q string, args []any) {
		qs = append(qs, query{name: name, sql: q, args: args, sorted: w.s.pg && f.Tag != ""})
	}
	f.Limit = 50
	if f.Sort == SortCreated {
		// A range of one rank (a status group and a priority), in a
		// department or in all, with the cursor's bound or without.
		backward := !f.Before.IsZero()
		for _, v := range []authz.Viewer{w.annV, w.adminV} {
			for _, dept := range []int64{0, w.sales} {
				for _, bound := range []bool{false, !f.After.IsZero() || backward} {
					for _, rows := range []bool{false, true} {
						q, a := createdRangeSQL(v, f, dept, 5, bound, backward, createdFrom(f, rows))
						q, a = inDepartments(q, a, map[bool][]int64{false: nil, true: {w.sales, w.support}}[f.Assignee == AssigneeMe && dept == 0], []int64{dept})
						add(fmt.Sprintf("created range %s dept %d bound %v rows %v %s", viewerLabel(v), dept, bound, rows, name), q, a)
					}
				}
			}
			q, a := pageRowsSQL(v, f, []Cursor{cur, {Key: 1, ID: 2}})
			add("queue page rows "+viewerLabel(v)+" "+name, q, a)
		}
		return qs
	}
	for _, v := range []authz.Viewer{w.annV, w.adminV} {
		role := viewerLabel(v)
		if v.Can(authz.TicketsReadAll) && f.Sort == SortPriority {
			// The Updated and Created orders always read by department.
			q, a := queueSQL(v, f, 0, !f.Before.IsZero(), rowsFrom(f.Sort))
			add("queue "+role+" all "+name, q, a)
		}
		q, a := queueSQL(v, f, w.sales, !f.Before.IsZero(), rowsFrom(f.Sort))
		add("queue "+role+" department "+name, q, a)
		q, a = queueSQL(v, f, w.sales, !f.Before.IsZero(), keysFrom(f.Sort))
		add("queue keys "+role+" department "+name, q, a)
		q, a = pageRowsSQL(v, f, []Cursor{cur, {Key: 1, ID: 2}})
		add("queue page rows "+role+" "+name, q, a)
		if f.Sort == SortPriority {
			f.Search = "hello"
			// PostgreSQL's index of words yields its matches unordered:
			// they are sorted, newest first.
			q, a = w.s.searchSQL(v, f)
			qs = append(qs, query{name: "search " + role + " " + name, sql: q, args: a, sorted: w.s.pg})
			q, a = w.s.refsSQL(v, f)
			qs = append(qs, query{name: "search codes and requesters " + role + " " + name, sql: q, args: a, sorted: w.s.pg})
			q, a = requesterSQL(v, f, "carla@example.com")
			add("search by email "+role+" "+name, q, a)
			f.Search = ""
		}
	}
	return qs
}

// restQueries adds to qs the other hot queries: counts, a ticket and its
// thread, postponed tickets.
func restQueries(w *ticketWorld, code string, qs []query) []query {
	add := func(name, q string, args []any) { qs = append(qs, query{name: name, sql: q, args: args}) }
	for _, v := range []authz.Viewer{w.annV, w.adminV} {
		q, a := countsSQL(v, 0)
		add("counts "+viewerLabel(v), q, a)
		q, a = countsSQL(v, w.sales)
		add("counts department "+viewerLabel(v), q, a)
		scope, sargs := scopeSQL(v)
		add("ticket by code "+viewerLabel(v), `SELECT `+ticketColumns+ticketJoins+` WHERE t.code = ? AND `+scope, append([]any{code}, sargs...))
		add("lock ticket "+viewerLabel(v), `SELECT `+stateColumns+` FROM tickets t WHERE t.code = ? AND `+scope, append([]any{code}, sargs...))
	}
	add("thread", `SELECT m.id FROM messages m LEFT JOIN agents a ON a.id = m.agent_id LEFT JOIN contacts c ON c.id = m.contact_id
		WHERE m.ticket_id = ? ORDER BY m.id`, []any{1})
	add("postponed due", `SELECT `+stateColumns+` FROM tickets t INDEXED BY tickets_postponed WHERE t.status = 'postponed' AND t.postponed_until <= ? ORDER BY t.postponed_until LIMIT 1000`, []any{1})
	add("any postponed due", postponedDueSQL, []any{1})
	add("open tickets of agent", `SELECT `+stateColumns+` FROM tickets t WHERE t.assignee_id = ? AND t.status IN ('new', 'open', 'answered', 'postponed')`, []any{1})
	if w.s.pg {
		// The messages' trigger writes the document (0007_schema.sql).
		add("search index update", `SELECT string_agg(m.body, ' ' ORDER BY m.id) FROM messages m WHERE m.ticket_id = ? AND m.kind <> 'event'`, []any{1})
	} else {
		add("search index update", `SELECT group_concat(m.body, char(10)) FROM messages m WHERE m.ticket_id = ? AND m.kind <> 'event'`, []any{1})
	}
	return qs
}

// queryPlan returns the lines of EXPLAIN QUERY PLAN for q.
func queryPlan(t *testing.T, s *Store, q string, args []any) []string {
	t.Helper()
	rows, err := s.r.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return plan
}

// viewerLabel names a viewer in a plan's description by the scope it has.
func viewerLabel(v authz.Viewer) string {
	if v.Can(authz.TicketsReadAll) {
		return "all departments"
	}
	return "own departments"
}
