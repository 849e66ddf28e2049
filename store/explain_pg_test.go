package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"helpline/store/storetest"
)

// PostgreSQL's twin of TestExplain_HotQueriesUseIndexes. PostgreSQL plans
// from statistics, and on a small desk a sequential scan is rightly the
// cheapest plan: the desk here is large enough that it is not, so a scan or
// a sort of a department's tickets in a plan is a plan that a large desk
// would run too.

// The desk the plans are checked on: as a large desk is shaped (about as
// many contacts as tickets, ten departments, forty agents, four in five
// tickets resolved), small enough to load in seconds.
const (
	pgDeskTickets     = 150_000
	pgDeskContacts    = 110_000
	pgDeskDepartments = 8 // besides the ticket world's two
	pgDeskAgents      = 40
)

// pgRareTag is a tag on fewer tickets than defaultRareTagRows.
const pgRareTag = "legal"

// pgWholeTables are the tables a hot query must never read whole: they grow
// with the desk.
var pgWholeTables = map[string]bool{
	"tickets": true, "messages": true, "contacts": true, "ticket_tags": true,
	"ticket_search": true, "ticket_refs": true, "ticket_field_values": true,
}

// pgSortedRows is the most rows a plan may sort where SQLite reads an index
// in order: a few pages. PostgreSQL may rightly sort a few hundred rows it
// found from two indexes (an assignee's tickets in one department) rather
// than walk a department's range for them; it may not sort a department's.
const pgSortedRows = 500

// pgPageRows is a page of the queue and the row that tells whether more
// follow.
const pgPageRows = 51

// TestExplainPG_HotQueriesUseIndexes fails when PostgreSQL plans a hot
// query with a sequential scan of a table that grows with the desk, or,
// where SQLite walks an index in order, with a sort of more than a few
// pages, or of more than a page read from an index range whose order was
// not the one asked for. Queries that sort a bounded set by design (a rare
// tag's tickets, an assignee's few, a text search's matches) may sort.
// The plans are those of the store's SQL as the rewriting layer sends it,
// with the arguments the store binds.
func TestExplainPG_HotQueriesUseIndexes(t *testing.T) {
	if !storetest.Postgres() {
		t.Skip("PostgreSQL's plans; TestExplain_HotQueriesUseIndexes checks SQLite's")
	}
	w := newTicketWorld(t)
	start := time.Now()
	loadPGDesk(t, w.s)
	t.Logf("loaded %d tickets in %v", pgDeskTickets, time.Since(start).Round(time.Millisecond))
	for _, q := range hotQueries(t, w) {
		plan := pgPlan(t, w.s, q.sql, q.args)
		for _, e := range plan.problems(q.sorted) {
			t.Errorf("%s %s:\n%s", q.name, e, plan.String())
		}
		if testing.Verbose() {
			t.Logf("%s:\n%s", q.name, plan.String())
		}
	}
}

// loadPGDesk adds a large desk to s set-based: departments, agents,
// contacts, tickets in every status with two messages each, tags, search
// documents and the kept counts, then gathers statistics as autovacuum
// would. It loads as a restore would: the tables' own indexes are made
// again from their definitions after the rows are in (building an index is
// many times faster than growing it row by row), and the rows' triggers are
// off (they would write documents and counts row by row; the load writes
// what they would, at once).
func loadPGDesk(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UnixMilli()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	exec := func(q string) {
		t.Helper()
		if _, err := tx.ExecContext(ctx, q); err != nil {
			t.Fatalf("load a large desk: %v\n%s", err, q)
		}
	}
	// A superuser loads without triggers and foreign key checks; anyone
	// else owns the tables the migrations made and turns their triggers off.
	var super bool
	if err := tx.QueryRowContext(ctx, `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&super); err != nil {
		t.Fatal(err)
	}
	tables := []string{"tickets", "messages", "contacts", "ticket_tags", "ticket_search", "ticket_refs"}
	if super {
		exec(`SET LOCAL session_replication_role = replica`)
	} else {
		for _, tb := range tables {
			exec(`ALTER TABLE ` + tb + ` DISABLE TRIGGER USER`)
		}
	}
	// The indexes that are not constraints (those stay: the keys are
	// written in order), by name and definition.
	rows, err := tx.QueryContext(ctx, `SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
		FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
		WHERE c.relname = ANY ($1) AND pg_table_is_visible(c.oid)
		AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`, tables)
	if err != nil {
		t.Fatal(err)
	}
	var drop, create []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			t.Fatal(err)
		}
		drop, create = append(drop, `DROP INDEX `+name), append(create, def)
	}
	rows.Close()
	for _, q := range drop {
		exec(q)
	}
	// A ticket's messages, k = 0 and 1, are its words and two of 20 000
	// others.
	body := func(k int) string {
		return fmt.Sprintf(`'About ' || lower(t.subject) || ' see w' || ((t.id * 7919 + %[1]d) %% 20000) || ' and w' || ((t.id * 104729 + %[1]d) %% 20000)`, k)
	}
	for _, q := range []string{
		`SELECT setseed(0.5)`,
		fmt.Sprintf(`INSERT INTO departments (name, created_at, updated_at)
			SELECT 'Department ' || i, %[2]d, %[2]d FROM generate_series(1::bigint, %[1]d) i`, pgDeskDepartments, now),
		fmt.Sprintf(`INSERT INTO agents (name, email, role, created_at, updated_at)
			SELECT 'Agent ' || i, 'agent' || i || '@desk.example', 'agent', %[2]d, %[2]d FROM generate_series(1::bigint, %[1]d) i`, pgDeskAgents, now),
		`INSERT INTO department_members (department_id, agent_id)
			SELECT d.id, a.id FROM departments d JOIN agents a ON a.id % 3 = d.id % 3 AND a.email LIKE 'agent%@desk.example'`,
		fmt.Sprintf(`INSERT INTO contacts (id, name, email, created_at)
			SELECT 1000000 + i, 'Customer ' || i, 'customer' || i || '@mail.example', %[2]d - i * 60000
			FROM generate_series(1::bigint, %[1]d) i`, pgDeskContacts, now),
		// One ticket every minute up to now; four in five resolved, the
		// rest spread over the other statuses as on a busy desk.
		fmt.Sprintf(`INSERT INTO tickets (id, code, subject, status, priority, channel, department_id, assignee_id,
				contact_id, sort_key, postponed_until, preview, message_count, created_at, updated_at)
			WITH d AS (SELECT array_agg(id ORDER BY id) AS ids FROM departments),
				a AS (SELECT array_agg(id ORDER BY id) AS ids FROM agents),
				g AS (SELECT i, %[1]d - (%[2]d - i) * 60000 AS created, random() AS st, random() AS r,
					(ARRAY['Invoice', 'Refund', 'Login', 'Password', 'Delivery', 'Broken', 'Question', 'Order',
						'Account', 'Payment', 'Shipping', 'Return', 'Upgrade', 'Cancel', 'Address'])[1 + (random() * 14)::int]
					|| ' ' || (ARRAY['problem', 'request', 'missing', 'late', 'wrong', 'again', 'urgent', 'please'])[1 + (random() * 7)::int]
					|| CASE WHEN random() < 0.01 THEN ' hello' ELSE '' END AS subject,
					(ARRAY[1, 1, 1, 1, 1, 1, 0, 2, 2, 3])[1 + (random() * 9)::int] AS priority,
					(ARRAY['email', 'email', 'email', 'contact_form', 'contact_form', 'chat', 'call', 'api'])[1 + (random() * 7)::int] AS channel
					FROM generate_series(1::bigint, %[2]d) i),
				s AS (SELECT g.*, CASE WHEN st < 0.80 THEN 'resolved' WHEN st < 0.84 THEN 'new' WHEN st < 0.89 THEN 'open'
					WHEN st < 0.93 THEN 'answered' WHEN st < 0.96 THEN 'postponed' WHEN st < 0.98 THEN 'spam' ELSE 'deleted' END AS status
					FROM g)
			SELECT 1000000 + i, 'BLK-' || to_hex(i), subject, status, priority, channel,
				d.ids[1 + (random() * (array_length(d.ids, 1) - 1))::int],
				CASE WHEN status = 'new' OR random() < 0.2 THEN NULL ELSE a.ids[1 + (random() * (array_length(a.ids, 1) - 1))::int] END,
				1000000 + 1 + (i * 7919) %% %[3]d,
				((CASE status WHEN 'new' THEN 0 WHEN 'open' THEN 0 WHEN 'answered' THEN 1 WHEN 'postponed' THEN 2
					WHEN 'resolved' THEN 3 WHEN 'spam' THEN 4 ELSE 5 END) * 4 + 3 - priority) * 4398046511104 + created,
				CASE WHEN status = 'postponed' THEN %[1]d + (r * 864000000)::bigint END,
				'Hello, about my ' || lower(subject), 2, created,
				least(%[1]d, created + (r * 864000000)::bigint)
			FROM s, d, a`, now, pgDeskTickets, pgDeskContacts),
		`INSERT INTO messages (id, ticket_id, kind, agent_id, contact_id, body, created_at)
			SELECT 2 * t.id + k, t.id, CASE k WHEN 0 THEN 'customer' ELSE 'reply' END,
				CASE k WHEN 1 THEN coalesce(t.assignee_id, 1) END, CASE k WHEN 0 THEN t.contact_id END,
				CASE k WHEN 0 THEN ` + body(0) + ` ELSE ` + body(1) + ` END, t.created_at + k * 60000
			FROM tickets t, generate_series(0, 1) k WHERE t.id >= 1000000`,
		// One ticket in 33 is a VIP's, too many to be a rare tag (the
		// queue walks its order for them); one in 200 is legal's, few
		// enough (the queue reads them from the tag's index).
		`INSERT INTO ticket_tags (ticket_id, tag)
			SELECT id, 'vip' FROM tickets WHERE id >= 1000000 AND random() < 0.03
			UNION ALL SELECT id, '` + pgRareTag + `' FROM tickets WHERE id >= 1000000 AND random() < 0.005
			UNION ALL SELECT id, 'billing' FROM tickets WHERE id >= 1000000 AND random() < 0.15
			UNION ALL SELECT id, 'urgent' FROM tickets WHERE id >= 1000000 AND random() < 0.05
			UNION ALL SELECT id, 't' || (random() * 500)::int FROM tickets WHERE id >= 1000000 AND random() < 0.3`,
		// The documents the triggers would write, as lists of words.
		`INSERT INTO ticket_search (rowid, doc)
			SELECT t.id, lower(t.subject || ' ' || ` + body(0) + ` || ' ' || ` + body(1) + `)::tsvector
			FROM tickets t WHERE t.id >= 1000000`,
		`INSERT INTO ticket_refs (rowid, doc)
			SELECT t.id, ('blk ' || to_hex(t.id - 1000000) || ' customer ' || (t.contact_id - 1000000)
				|| ' customer' || (t.contact_id - 1000000) || ' mail example')::tsvector
			FROM tickets t WHERE t.id >= 1000000`,
		`INSERT INTO ticket_counts (department_id, status, n)
			SELECT department_id, status, count(*) FROM tickets WHERE id >= 1000000 GROUP BY department_id, status
			ON CONFLICT (department_id, status) DO UPDATE SET n = ticket_counts.n + excluded.n`,
		`INSERT INTO ticket_assigned_counts (assignee_id, department_id, status, n)
			SELECT coalesce(a, 0), department_id, status, count(*)
			FROM tickets, LATERAL (VALUES (assignee_id), (NULL)) AS x (a)
			WHERE id >= 1000000 AND assignee_id IS NOT NULL GROUP BY coalesce(a, 0), department_id, status
			ON CONFLICT (assignee_id, department_id, status) DO UPDATE SET n = ticket_assigned_counts.n + excluded.n`,
		`SET LOCAL maintenance_work_mem = '256MB'`,
	} {
		exec(q)
	}
	for _, q := range create {
		exec(q)
	}
	if !super {
		for _, tb := range tables {
			exec(`ALTER TABLE ` + tb + ` ENABLE TRIGGER USER`)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `VACUUM (ANALYZE) tickets, messages, contacts, ticket_tags, ticket_search, ticket_refs,
		departments, department_members, agents, ticket_counts, ticket_assigned_counts`); err != nil {
		t.Fatal(err)
	}
}

// pgPlanNode is one node of EXPLAIN (FORMAT JSON).
type pgPlanNode struct {
	NodeType     string       `json:"Node Type"`
	Relation     string       `json:"Relation Name"`
	Alias        string       `json:"Alias"`
	Index        string       `json:"Index Name"`
	Rows         float64      `json:"Plan Rows"`
	SortKey      []string     `json:"Sort Key"`
	Filter       string       `json:"Filter"`
	IndexCond    string       `json:"Index Cond"`
	RecheckCond  string       `json:"Recheck Cond"`
	Relationship string       `json:"Parent Relationship"`
	Plans        []pgPlanNode `json:"Plans"`
}

// pgPlan is PostgreSQL's plan of q with its arguments, through the reader
// pool, so the SQL is rewritten as the store's is.
func pgPlan(t *testing.T, s *Store, q string, args []any) pgPlanNode {
	t.Helper()
	var out string
	if err := s.r.QueryRowContext(context.Background(), "EXPLAIN (FORMAT JSON) "+q, args...).Scan(&out); err != nil {
		t.Fatalf("%s: %v", pgSQL(q), err)
	}
	var plans []struct {
		Plan pgPlanNode `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(out), &plans); err != nil || len(plans) != 1 {
		t.Fatalf("EXPLAIN of %s: %v\n%s", q, err, out)
	}
	return plans[0].Plan
}

// problems are the sequential scans of tables that grow with the desk and,
// unless the query sorts a bounded set by design (sorted), the sorts of
// more than pgSortedRows rows.
func (n pgPlanNode) problems(sorted bool) []string {
	var out []string
	switch {
	case n.NodeType == "Seq Scan" && pgWholeTables[n.Relation]:
		out = append(out, fmt.Sprintf("reads all of %s", n.Relation))
	case n.NodeType == "Sort" && !sorted && len(n.Plans) == 1 && n.Plans[0].Rows > pgSortedRows:
		out = append(out, fmt.Sprintf("sorts %.0f rows by %s", n.Plans[0].Rows, strings.Join(n.SortKey, ", ")))
	case n.NodeType == "Sort" && !sorted && len(n.Plans) == 1 && n.Plans[0].Rows > pgPageRows:
		if r := n.rangeRead(); r != nil {
			out = append(out, fmt.Sprintf("sorts %.0f rows of the %.0f tickets it read in %s's order by %s",
				n.Plans[0].Rows, r.Rows, r.Index, strings.Join(n.SortKey, ", ")))
		}
	}
	for _, c := range n.Plans {
		out = append(out, c.problems(sorted)...)
	}
	return out
}

// rangeRead is the scan under n that reads more than a page of tickets
// from an index range in the index's order: sorting what it read means the
// index did not give the order asked for.
func (n pgPlanNode) rangeRead() *pgPlanNode {
	for i := range n.Plans {
		c := &n.Plans[i]
		if (c.NodeType == "Index Scan" || c.NodeType == "Index Only Scan") && c.Relation == "tickets" && c.Rows > pgPageRows {
			return c
		}
		if r := c.rangeRead(); r != nil {
			return r
		}
	}
	return nil
}

// String is the plan as an indented outline.
func (n pgPlanNode) String() string {
	var b strings.Builder
	n.write(&b, 1)
	return b.String()
}

func (n pgPlanNode) write(b *strings.Builder, depth int) {
	fmt.Fprintf(b, "%s%s", strings.Repeat("  ", depth), n.NodeType)
	if n.Relation != "" {
		fmt.Fprintf(b, " on %s %s", n.Relation, n.Alias)
	}
	if n.Index != "" {
		fmt.Fprintf(b, " using %s", n.Index)
	}
	fmt.Fprintf(b, " (rows=%.0f)", n.Rows)
	for _, c := range []struct{ name, v string }{{"index cond", n.IndexCond}, {"recheck", n.RecheckCond}, {"filter", n.Filter}} {
		if c.v != "" {
			fmt.Fprintf(b, " %s: %s", c.name, c.v)
		}
	}
	if len(n.SortKey) > 0 {
		fmt.Fprintf(b, " by %s", strings.Join(n.SortKey, ", "))
	}
	b.WriteByte('\n')
	for _, c := range n.Plans {
		c.write(b, depth+1)
	}
}
