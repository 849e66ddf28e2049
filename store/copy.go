package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/pressly/goose/v3"
)

// CopyDesk moves a desk from SQLite to PostgreSQL: every row of the data
// model, ids kept, so links, sessions and the audit log stay as they were.
//
// It reads the SQLite store from in one read transaction (one snapshot, even
// if something writes meanwhile) and writes the PostgreSQL store to, which
// must be migrated and hold no desk, in one transaction: a failure, a
// cancelled context or a mismatch at the end leaves it as empty as it was.
// Tables go over in an order where every reference points at rows already
// there, by COPY. What the target computes from those rows is not copied
// but rebuilt there, set-based, once the rows are in: the search documents
// (with the expressions of its triggers) and the kept counts (by counting).
// The identity sequences then move past the highest ids, so new rows get
// ids of their own. At the end every table's rows are counted on both
// sides; any difference is an ErrCopyMismatch and nothing is kept. Last, an
// audit entry on the target says the desk was moved (no actor, the details
// name o.MovedFrom).
//
// Goose's table of applied migrations is not copied: the target's says
// what Migrate applied to it.
func CopyDesk(ctx context.Context, from, to *Store, o CopyOptions) ([]CopiedTable, error) {
	if from.pg {
		return nil, errors.New("store: copy: the desk to copy must be SQLite")
	}
	if !to.pg {
		return nil, errors.New("store: copy: the desk to copy into must be PostgreSQL")
	}
	if err := from.checkCurrent(ctx); err != nil {
		return nil, err
	}
	src, err := from.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: copy: read %w", err)
	}
	defer src.Rollback()

	conn, err := to.w.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: copy: connect: %w", err)
	}
	defer conn.Close()
	var out []CopiedTable
	err = conn.Raw(func(dc any) error {
		pc, ok := dc.(pgConn)
		if !ok {
			return fmt.Errorf("unexpected connection %T", dc)
		}
		c := &deskCopy{ctx: ctx, src: src, dst: pc.Conn.Conn(), o: o, nowMs: to.nowMs()}
		var err error
		out, err = c.run()
		return err
	})
	// Whatever the outcome, reads kept from before must go.
	to.mem.gen.Add(1)
	to.sessGen.Add(1)
	if err != nil {
		return nil, err
	}
	// Fresh statistics, so the first queries on the new desk plan well.
	if _, err := to.w.ExecContext(ctx, `ANALYZE`); err != nil {
		return out, fmt.Errorf("store: copy: analyze: %w", err)
	}
	return out, nil
}

// CopyOptions are what CopyDesk writes besides the rows, and how it reports.
type CopyOptions struct {
	// MovedFrom names the desk copied (its file), in the audit entry.
	MovedFrom string
	// Progress, if set, is called as each table is done, with its rows on
	// the target (copied, or rebuilt there); then with CopyIndexes and the
	// number of indexes built, and CopyReferences and the number of
	// references checked.
	Progress func(table string, rows int64)
}

// The steps after the tables, as CopyOptions.Progress names them.
const (
	CopyIndexes    = "(indexes)"
	CopyReferences = "(references)"
)

// CopiedTable is one table's rows after a copy. For a table the target
// rebuilds (Rebuilt), Source is what counting the copied rows requires of it.
type CopiedTable struct {
	Name           string
	Source, Target int64
	Rebuilt        bool
	// Added rows on the target beyond those copied: the audit entry of the
	// move. Target includes them.
	Added int64
}

// ErrNotCurrent refuses to copy a desk whose schema this Helpline would
// still migrate: what is copied must be the data model the target has.
type ErrNotCurrent struct{ Missing []int64 }

func (e ErrNotCurrent) Error() string {
	nums := make([]string, len(e.Missing))
	for i, v := range e.Missing {
		nums[i] = fmt.Sprintf("%04d", v)
	}
	return fmt.Sprintf("store: the database lacks migrations of this Helpline (%s); start this Helpline on it once, which applies them, then copy it", strings.Join(nums, ", "))
}

// ErrTargetNotEmpty refuses to copy into a database that holds rows of a
// desk already: a copy never merges two desks.
type ErrTargetNotEmpty struct{ Table string }

func (e ErrTargetNotEmpty) Error() string {
	return fmt.Sprintf("store: the database to copy into already holds rows of a desk (in %s); copy only into a new, empty database", e.Table)
}

// ErrCopyMismatch reports tables whose rows differ between the two sides
// at the end of a copy, which then kept nothing.
type ErrCopyMismatch struct{ Tables []CopiedTable }

func (e ErrCopyMismatch) Error() string {
	var parts []string
	for _, t := range e.Tables {
		parts = append(parts, fmt.Sprintf("%s has %d rows on PostgreSQL, want %d", t.Name, t.Target, t.Source))
	}
	return "store: the copy does not match, so nothing was written: " + strings.Join(parts, "; ")
}

// ActionDeskMove is the entry a copy adds to the moved desk's audit log.
const ActionDeskMove AuditAction = "desk.move"

// copyTable is one table of the data model as it is copied.
type copyTable struct {
	name string
	// key orders the rows read.
	key string
	// later is a column copied empty, then filled once the table it points
	// at is in (agents and custom roles point at each other).
	later string
}

// copyOrder holds every table of the data model that is copied, each after
// the tables it points at; agents come before the custom roles, which name
// their author, and get their custom role after them.
var copyOrder = []copyTable{
	{name: "agents", key: "id", later: "custom_role_id"},
	{name: "custom_roles", key: "id"},
	{name: "account", key: "id"},
	{name: "secrets", key: "name"},
	{name: "sessions", key: "token_hash"},
	{name: "password_tokens", key: "token_hash"},
	{name: "departments", key: "id"},
	{name: "department_members", key: "department_id, agent_id"},
	{name: "contacts", key: "id"},
	{name: "sla_levels", key: "id"}, // tickets point at their level
	{name: "tickets", key: "id"},
	{name: "tags", key: "id"},
	{name: "ticket_tags", key: "ticket_id, tag"},
	{name: "canned_answers", key: "id"},
	{name: "ticket_fields", key: "id"},
	{name: "ticket_field_values", key: "ticket_id, field_id"},
	{name: "saved_views", key: "id"},
	{name: "messages", key: "id"},
	{name: "audit_log", key: "id"},
	{name: "subscription", key: "id"},
	{name: "seat_history", key: "id"},
	{name: "invoice_sequences", key: "kind"},
	{name: "invoices", key: "id"},
	{name: "invoice_lines", key: "id"},
	{name: "invoice_overdue", key: "invoice_id"},
	{name: "payments", key: "id"},
	{name: "customer_links", key: "ticket_id"},
	{name: "mail_settings", key: "id"},
	{name: "outbox", key: "id"},
	{name: "mailboxes", key: "id"},
	{name: "mail_refs", key: "header_id"},
	{name: "attachments", key: "id"},
	{name: "api_tokens", key: "id"},
	{name: "api_idempotency", key: "token_id, key"},
	{name: "webhooks", key: "id"},
	{name: "webhook_deliveries", key: "id"},
	{name: "rules", key: "id"},
	{name: "rule_failures", key: "id"},
	{name: "ticket_presence", key: "ticket_id, agent_id"},
	{name: "notifications", key: "id"},
	{name: "contact_emails", key: "email"},
	{name: "security_settings", key: "id"},
	{name: "agent_totp", key: "agent_id"},
	{name: "agent_recovery_codes", key: "agent_id, code_hash"},
	{name: "plugins", key: "name"},
	{name: "search_replace_rules", key: "id"},
	{name: "bans", key: "id"},
	{name: "ticket_senders", key: "ticket_id"},
	// The reports' kept figures go over as they are: the first assignee of
	// a ticket is in no other table to rebuild them from.
	{name: "ticket_firsts", key: "ticket_id"},
	{name: "report_hours", key: "at_hour, department_id, agent_id, channel"},
	// The queue's history and the hours agents were signed in are in no
	// other table either.
	{name: "queue_levels", key: "department_id, agent_id, channel"},
	{name: "queue_hours", key: "department_id, agent_id, channel, at_hour"},
	{name: "queue_since", key: "id"},
	{name: "report_signed_in", key: "at_hour, agent_id"},
	// The day rollups and the zone they are cut in (report_hours' trigger
	// keeps them, paused for the copy).
	{name: "report_zone", key: "from_hour"},
	{name: "report_zone_name", key: "id"},
	{name: "report_days", key: "grain, day, department_id, agent_id, channel"},
	{name: "report_reply_days", key: "grain, day, department_id, agent_id, channel, bucket"},
	{name: "report_signed_in_days", key: "day, agent_id"},
	{name: "report_days_paused", key: "id"},
	{name: "time_rules", key: "id"},
	{name: "time_rule_hits", key: "rule_id, ticket_id, moment"},
	{name: "time_rule_failures", key: "id"},
	{name: "sla_outcomes", key: "id"}, // SLA compliance: what each stopped clock met
}

// copyTriggerTables are the tables whose triggers keep what is copied
// anyway (the tags' counts come with the tags) or rebuilt below.
var copyTriggerTables = []string{"tickets", "messages", "ticket_tags", "report_hours"}

// rebuilt are the tables the target computes from the copied rows, each
// with the statement that fills it (the expressions of the triggers of
// migrations/postgres) and the query counting the rows it must then have.
var rebuilt = []struct{ name, fill, want string }{
	{
		// The rules' version is one row the migration made; moving it on
		// makes every instance on the target read the copied rules afresh.
		name: "rules_version",
		fill: `UPDATE rules_version SET version = version + 1 WHERE id = 1`,
		want: `SELECT 1`,
	},
	{
		// The first answer times' buckets are fixed rows the migration made.
		name: "report_buckets",
		fill: `SELECT 1`,
		want: `SELECT count(*) FROM report_buckets`,
	},
	{
		name: "report_months",
		fill: `SELECT 1`,
		want: `SELECT count(*) FROM report_months`,
	},
	{
		name: "ticket_refs",
		fill: `INSERT INTO ticket_refs (rowid, doc)
			SELECT t.id, to_tsvector('helpline', search_text(t.code || ' ' || c.name || ' ' || c.email))
			FROM tickets t JOIN contacts c ON c.id = t.contact_id`,
		want: `SELECT count(*) FROM tickets`,
	},
	{
		name: "ticket_search",
		fill: `INSERT INTO ticket_search (rowid, doc)
			SELECT t.id, to_tsvector('helpline', search_text(t.subject || ' ' || m.bodies))
			FROM tickets t
			JOIN (SELECT ticket_id, string_agg(body, ' ' ORDER BY id) AS bodies
			      FROM messages WHERE kind <> 'event' GROUP BY ticket_id) m ON m.ticket_id = t.id`,
		want: `SELECT count(DISTINCT ticket_id) FROM messages WHERE kind <> 'event'`,
	},
	{
		name: "ticket_counts",
		fill: `INSERT INTO ticket_counts (department_id, status, n)
			SELECT department_id, status, count(*) FROM tickets GROUP BY department_id, status`,
		want: `SELECT count(*) FROM (SELECT DISTINCT department_id, status FROM tickets) g`,
	},
	{
		name: "ticket_assigned_counts",
		fill: `INSERT INTO ticket_assigned_counts (assignee_id, department_id, status, n)
			SELECT assignee_id, department_id, status, count(*) FROM tickets WHERE assignee_id IS NOT NULL
			GROUP BY assignee_id, department_id, status
			UNION ALL
			SELECT 0, department_id, status, count(*) FROM tickets WHERE assignee_id IS NOT NULL
			GROUP BY department_id, status`,
		want: `SELECT (SELECT count(*) FROM (SELECT DISTINCT assignee_id, department_id, status FROM tickets WHERE assignee_id IS NOT NULL) g)
			+ (SELECT count(*) FROM (SELECT DISTINCT department_id, status FROM tickets WHERE assignee_id IS NOT NULL) g)`,
	},
}

// keptCountsMatch finds kept counts that differ from counting: none, after
// a sound copy.
const keptCountsMatch = `SELECT
	(SELECT count(*) FROM (
		(SELECT department_id, status, n FROM ticket_counts WHERE n <> 0
		 EXCEPT SELECT department_id, status, count(*) FROM tickets GROUP BY department_id, status)
		UNION ALL
		(SELECT department_id, status, count(*) FROM tickets GROUP BY department_id, status
		 EXCEPT SELECT department_id, status, n FROM ticket_counts WHERE n <> 0)) d)
	+ (SELECT count(*) FROM (
		(SELECT assignee_id, department_id, status, n FROM ticket_assigned_counts WHERE n <> 0
		 EXCEPT (SELECT assignee_id, department_id, status, count(*) FROM tickets WHERE assignee_id IS NOT NULL GROUP BY 1, 2, 3
		         UNION ALL SELECT 0, department_id, status, count(*) FROM tickets WHERE assignee_id IS NOT NULL GROUP BY 2, 3))
		UNION ALL
		((SELECT assignee_id, department_id, status, count(*) FROM tickets WHERE assignee_id IS NOT NULL GROUP BY 1, 2, 3
		  UNION ALL SELECT 0, department_id, status, count(*) FROM tickets WHERE assignee_id IS NOT NULL GROUP BY 2, 3)
		 EXCEPT SELECT assignee_id, department_id, status, n FROM ticket_assigned_counts WHERE n <> 0)) d)`

// sqliteSearchShadow says whether a SQLite table is one FTS5 keeps for the
// search tables, which are rebuilt, not copied.
func sqliteSearchShadow(name string) bool {
	return strings.HasPrefix(name, "ticket_search_") || strings.HasPrefix(name, "ticket_refs_")
}

// checkCurrent refuses a SQLite desk on which a migration of this program
// was not applied, or one it does not know was.
func (s *Store) checkCurrent(ctx context.Context) error {
	known, err := knownMigrations()
	if err != nil {
		return err
	}
	var tables int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`,
		goose.DefaultTablename).Scan(&tables); err != nil {
		return fmt.Errorf("store: copy: find the migrations table: %w", err)
	}
	applied := map[int64]bool{}
	if tables > 0 {
		rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT version_id FROM `+goose.DefaultTablename+` WHERE version_id > 0`)
		if err != nil {
			return fmt.Errorf("store: copy: list applied migrations: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var v int64
			if err := rows.Scan(&v); err != nil {
				return fmt.Errorf("store: copy: list applied migrations: %w", err)
			}
			applied[v] = true
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: copy: list applied migrations: %w", err)
		}
	}
	var unknown, missing []int64
	for v := range applied {
		if !slices.Contains(known, v) {
			unknown = append(unknown, v)
		}
	}
	for _, v := range known {
		if !applied[v] {
			missing = append(missing, v)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return ErrUnknownMigrations{Versions: unknown}
	}
	if len(missing) > 0 {
		return ErrNotCurrent{Missing: missing}
	}
	return nil
}

// deskCopy is one run of CopyDesk: the source's read transaction and the
// target's connection.
type deskCopy struct {
	ctx   context.Context
	src   *sql.Tx
	dst   *pgx.Conn
	tx    pgx.Tx
	o     CopyOptions
	nowMs int64
}

func (c *deskCopy) progress(table string, rows int64) {
	if c.o.Progress != nil {
		c.o.Progress(table, rows)
	}
}

func (c *deskCopy) run() ([]CopiedTable, error) {
	if err := c.checkTables(); err != nil {
		return nil, err
	}
	tx, err := c.dst.Begin(c.ctx)
	if err != nil {
		return nil, fmt.Errorf("store: copy: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(c.ctx))
	c.tx = tx
	if err := c.checkEmpty(); err != nil {
		return nil, err
	}
	// The triggers that keep the search documents and the counts would
	// write them row by row; they are rebuilt below in one statement each.
	// Disabled inside the transaction, they are enabled again with it.
	for _, t := range copyTriggerTables {
		if err := c.exec(`ALTER TABLE ` + t + ` DISABLE TRIGGER USER`); err != nil {
			return nil, fmt.Errorf("store: copy: pause the triggers of %s: %w", t, err)
		}
	}
	// As pg_restore does: the indexes are built once at the end, by one
	// sort each, rather than a row at a time, and references are checked
	// once, by one join each, rather than by a look-up per row copied. Both
	// are dropped here and made again with the same names and definitions.
	fks, err := c.dropForeignKeys()
	if err != nil {
		return nil, err
	}
	indexes, err := c.dropIndexes()
	if err != nil {
		return nil, err
	}
	var out []CopiedTable
	for _, t := range copyOrder {
		ct, err := c.copyTable(t)
		if err != nil {
			return nil, fmt.Errorf("store: copy %s: %w", t.name, err)
		}
		out = append(out, ct)
		if t.name == "custom_roles" {
			if err := c.fillLater(copyOrder[0]); err != nil {
				return nil, fmt.Errorf("store: copy agents' custom roles: %w", err)
			}
		}
		c.progress(t.name, ct.Target)
	}
	for _, r := range rebuilt {
		ct := CopiedTable{Name: r.name, Rebuilt: true}
		if err := c.exec(r.fill); err != nil {
			return nil, fmt.Errorf("store: copy: rebuild %s: %w", r.name, err)
		}
		if err := c.tx.QueryRow(c.ctx, r.want).Scan(&ct.Source); err != nil {
			return nil, fmt.Errorf("store: copy: count what %s needs: %w", r.name, err)
		}
		if err := c.tx.QueryRow(c.ctx, `SELECT count(*) FROM `+r.name).Scan(&ct.Target); err != nil {
			return nil, fmt.Errorf("store: copy: count %s: %w", r.name, err)
		}
		out = append(out, ct)
		c.progress(r.name, ct.Target)
	}
	// Building indexes in one sort each goes faster with more memory.
	if err := c.exec(`SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
		return nil, fmt.Errorf("store: copy: %w", err)
	}
	for _, ix := range indexes {
		if err := c.exec(ix.def); err != nil {
			return nil, fmt.Errorf("store: copy: build the index %s: %w", ix.name, err)
		}
	}
	c.progress(CopyIndexes, int64(len(indexes)))
	for _, fk := range fks {
		if err := c.exec(`ALTER TABLE ` + fk.table + ` ADD CONSTRAINT ` + fk.name + ` ` + fk.def); err != nil {
			return nil, fmt.Errorf("store: copy: check the references of %s: %w", fk.table, err)
		}
	}
	c.progress(CopyReferences, int64(len(fks)))
	for _, t := range copyTriggerTables {
		if err := c.exec(`ALTER TABLE ` + t + ` ENABLE TRIGGER USER`); err != nil {
			return nil, fmt.Errorf("store: copy: resume the triggers of %s: %w", t, err)
		}
	}
	if err := c.moveSequences(); err != nil {
		return nil, err
	}

	// Every table counted again on both sides, in the transactions that
	// copied them.
	var bad []CopiedTable
	for i := range out {
		ct := &out[i]
		if !ct.Rebuilt {
			if err := c.src.QueryRowContext(c.ctx, `SELECT count(*) FROM `+ct.Name).Scan(&ct.Source); err != nil {
				return nil, fmt.Errorf("store: copy: count %s on SQLite: %w", ct.Name, err)
			}
			if err := c.tx.QueryRow(c.ctx, `SELECT count(*) FROM `+ct.Name).Scan(&ct.Target); err != nil {
				return nil, fmt.Errorf("store: copy: count %s on PostgreSQL: %w", ct.Name, err)
			}
		}
		if ct.Source != ct.Target {
			bad = append(bad, *ct)
		}
	}
	var wrongCounts int64
	if err := c.tx.QueryRow(c.ctx, keptCountsMatch).Scan(&wrongCounts); err != nil {
		return nil, fmt.Errorf("store: copy: check the kept counts: %w", err)
	}
	if wrongCounts != 0 {
		return nil, fmt.Errorf("store: copy: %d kept counts differ from counting the tickets, so nothing was written", wrongCounts)
	}
	if len(bad) > 0 {
		return nil, ErrCopyMismatch{Tables: bad}
	}

	if _, err := c.tx.Exec(c.ctx, `INSERT INTO audit_log (at, actor_id, action, details) VALUES ($1, NULL, $2, $3)`,
		c.nowMs, string(ActionDeskMove), truncate("moved from "+c.o.MovedFrom, 1000)); err != nil {
		return nil, fmt.Errorf("store: copy: audit: %w", err)
	}
	for i := range out {
		if out[i].Name == "audit_log" {
			out[i].Target++
			out[i].Added++
		}
	}
	if err := c.tx.Commit(c.ctx); err != nil {
		return nil, fmt.Errorf("store: copy: commit: %w", err)
	}
	return out, nil
}

func (c *deskCopy) exec(q string, args ...any) error {
	_, err := c.tx.Exec(c.ctx, q, args...)
	return err
}

// checkTables refuses two databases whose tables are not the data model this
// copy knows: a table or column it would leave behind or could not fill.
func (c *deskCopy) checkTables() error {
	known := map[string]bool{goose.DefaultTablename: true}
	for _, t := range copyOrder {
		known[t.name] = true
	}
	for _, r := range rebuilt {
		known[r.name] = true
	}
	var srcTables, dstTables []string
	rows, err := c.src.QueryContext(c.ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
	if err != nil {
		return fmt.Errorf("store: copy: list tables: %w", err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return fmt.Errorf("store: copy: list tables: %w", err)
		}
		if !sqliteSearchShadow(name) {
			srcTables = append(srcTables, name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: copy: list tables: %w", err)
	}
	dstTables, err = pgCollect[string](c, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`)
	if err != nil {
		return fmt.Errorf("store: copy: list tables on PostgreSQL: %w", err)
	}
	for _, side := range []struct {
		engine string
		tables []string
	}{{"SQLite", srcTables}, {"PostgreSQL", dstTables}} {
		for _, name := range side.tables {
			if !known[name] {
				return fmt.Errorf("store: copy: the %s database has a table this Helpline does not copy (%s)", side.engine, name)
			}
		}
		for name := range known {
			if name != goose.DefaultTablename && !slices.Contains(side.tables, name) {
				return fmt.Errorf("store: copy: the %s database lacks the table %s; is it migrated?", side.engine, name)
			}
		}
	}
	for _, t := range copyOrder {
		src, err := c.sourceColumns(t.name)
		if err != nil {
			return err
		}
		dst, err := c.targetColumns(t.name)
		if err != nil {
			return err
		}
		var names []string
		for _, col := range dst {
			names = append(names, col.name)
		}
		slices.Sort(src)
		slices.Sort(names)
		if !slices.Equal(src, names) {
			return fmt.Errorf("store: copy: %s has columns %s on SQLite but %s on PostgreSQL", t.name, strings.Join(src, ", "), strings.Join(names, ", "))
		}
	}
	return nil
}

func (c *deskCopy) sourceColumns(table string) ([]string, error) {
	rows, err := c.src.QueryContext(c.ctx, `SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, fmt.Errorf("store: copy: columns of %s: %w", table, err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("store: copy: columns of %s: %w", table, err)
		}
		cols = append(cols, name)
	}
	return cols, rows.Err()
}

type pgColumn struct{ name, typ string }

func (c *deskCopy) targetColumns(table string) ([]pgColumn, error) {
	q := c.dst.Query
	if c.tx != nil {
		q = c.tx.Query
	}
	rows, err := q(c.ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
	if err != nil {
		return nil, fmt.Errorf("store: copy: columns of %s on PostgreSQL: %w", table, err)
	}
	cols, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (pgColumn, error) {
		var col pgColumn
		err := r.Scan(&col.name, &col.typ)
		return col, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: copy: columns of %s on PostgreSQL: %w", table, err)
	}
	return cols, nil
}

// pgCollect reads one column of a query on the target.
func pgCollect[T any](c *deskCopy, q string, args ...any) ([]T, error) {
	query := c.dst.Query
	if c.tx != nil {
		query = c.tx.Query
	}
	rows, err := query(c.ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[T])
}

// checkEmpty refuses a target that holds any row of a desk. Secrets are the
// exception: a server started on the new database before the move made its
// own, and the desk's replace them, so sessions signed in before the move
// stay valid.
func (c *deskCopy) checkEmpty() error {
	for _, t := range copyOrder {
		if t.name == "secrets" {
			continue
		}
		var found bool
		if err := c.tx.QueryRow(c.ctx, `SELECT EXISTS (SELECT 1 FROM `+t.name+`)`).Scan(&found); err != nil {
			return fmt.Errorf("store: copy: look into %s: %w", t.name, err)
		}
		if found {
			return ErrTargetNotEmpty{Table: t.name}
		}
	}
	if err := c.exec(`DELETE FROM secrets`); err != nil {
		return fmt.Errorf("store: copy: replace the secrets: %w", err)
	}
	return nil
}

// copyTable copies one table's rows by COPY, in the order of its key.
func (c *deskCopy) copyTable(t copyTable) (CopiedTable, error) {
	cols, err := c.targetColumns(t.name)
	if err != nil {
		return CopiedTable{}, err
	}
	names := make([]string, len(cols))
	sel := make([]string, len(cols))
	conv := make([]func(any) (any, error), len(cols))
	for i, col := range cols {
		names[i] = col.name
		sel[i] = col.name
		if col.name == t.later {
			sel[i] = "NULL"
		}
		conv[i], err = pgConverter(t.name, col)
		if err != nil {
			return CopiedTable{}, err
		}
	}
	rows, err := c.src.QueryContext(c.ctx, `SELECT `+strings.Join(sel, ", ")+` FROM `+t.name+` ORDER BY `+t.key)
	if err != nil {
		return CopiedTable{}, fmt.Errorf("read: %w", err)
	}
	defer rows.Close()
	n, err := c.tx.CopyFrom(c.ctx, pgx.Identifier{t.name}, names, newRowSource(rows, conv))
	if err != nil {
		return CopiedTable{}, err
	}
	return CopiedTable{Name: t.name, Target: n}, nil
}

type foreignKey struct{ table, name, def string }

// dropForeignKeys drops the references between the desk's tables and
// answers how to add them again.
func (c *deskCopy) dropForeignKeys() ([]foreignKey, error) {
	rows, err := c.tx.Query(c.ctx, `SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
		FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace ORDER BY conrelid, conname`)
	if err != nil {
		return nil, fmt.Errorf("store: copy: list references: %w", err)
	}
	fks, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (foreignKey, error) {
		var fk foreignKey
		err := r.Scan(&fk.table, &fk.name, &fk.def)
		return fk, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: copy: list references: %w", err)
	}
	for _, fk := range fks {
		if err := c.exec(`ALTER TABLE ` + fk.table + ` DROP CONSTRAINT ` + fk.name); err != nil {
			return nil, fmt.Errorf("store: copy: pause the references of %s: %w", fk.table, err)
		}
	}
	return fks, nil
}

type pgIndex struct{ name, def string }

// dropIndexes drops the indexes of the desk's tables that no constraint
// owns (the primary keys stay) and answers how to make them again.
func (c *deskCopy) dropIndexes() ([]pgIndex, error) {
	rows, err := c.tx.Query(c.ctx, `SELECT quote_ident(i.relname), pg_get_indexdef(i.oid)
		FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
		WHERE t.relnamespace = current_schema()::regnamespace AND t.relname <> $1
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
		ORDER BY t.relname, i.relname`, goose.DefaultTablename)
	if err != nil {
		return nil, fmt.Errorf("store: copy: list indexes: %w", err)
	}
	ixs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (pgIndex, error) {
		var ix pgIndex
		err := r.Scan(&ix.name, &ix.def)
		return ix, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: copy: list indexes: %w", err)
	}
	for _, ix := range ixs {
		if err := c.exec(`DROP INDEX ` + ix.name); err != nil {
			return nil, fmt.Errorf("store: copy: drop the index %s for the load: %w", ix.name, err)
		}
	}
	return ixs, nil
}

// fillLater sets the column of t that was copied empty.
func (c *deskCopy) fillLater(t copyTable) error {
	rows, err := c.src.QueryContext(c.ctx, `SELECT id, `+t.later+` FROM `+t.name+` WHERE `+t.later+` IS NOT NULL`)
	if err != nil {
		return err
	}
	var ids, vals []int64
	for rows.Next() {
		var id, v int64
		if err := rows.Scan(&id, &v); err != nil {
			rows.Close()
			return err
		}
		ids, vals = append(ids, id), append(vals, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	return c.exec(`UPDATE `+t.name+` AS x SET `+t.later+` = v.val
		FROM unnest($1::bigint[], $2::bigint[]) AS v(id, val) WHERE x.id = v.id`, ids, vals)
}

// moveSequences sets each identity column's sequence past the highest id
// copied, so the next row the desk adds gets a new one.
func (c *deskCopy) moveSequences() error {
	rows, err := c.tx.Query(c.ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY table_name`)
	if err != nil {
		return fmt.Errorf("store: copy: list identity columns: %w", err)
	}
	type idCol struct{ table, col string }
	cols, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (idCol, error) {
		var ic idCol
		err := r.Scan(&ic.table, &ic.col)
		return ic, err
	})
	if err != nil {
		return fmt.Errorf("store: copy: list identity columns: %w", err)
	}
	for _, ic := range cols {
		table, col := pgx.Identifier{ic.table}.Sanitize(), pgx.Identifier{ic.col}.Sanitize()
		// is_called false: the next value handed out is max + 1 itself.
		if err := c.exec(`SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(`+col+`) FROM `+table+`), 0) + 1, false)`,
			table, ic.col); err != nil {
			return fmt.Errorf("store: copy: move the ids of %s on: %w", ic.table, err)
		}
	}
	return nil
}

// pgConverter turns a value read from SQLite, where a column may hold any
// type, into one PostgreSQL's column takes, or says why it cannot.
func pgConverter(table string, col pgColumn) (func(any) (any, error), error) {
	bad := func(v any) error {
		return fmt.Errorf("%s.%s holds %T %v where PostgreSQL wants %s", table, col.name, v, v, col.typ)
	}
	switch col.typ {
	case "bigint", "integer", "smallint":
		return func(v any) (any, error) {
			switch x := v.(type) {
			case nil, int64:
				return x, nil
			case float64:
				if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
					return int64(x), nil
				}
			}
			return nil, bad(v)
		}, nil
	case "text":
		return func(v any) (any, error) {
			switch x := v.(type) {
			case nil, string:
				return x, nil
			case []byte:
				return string(x), nil
			}
			return nil, bad(v)
		}, nil
	case "bytea":
		return func(v any) (any, error) {
			switch x := v.(type) {
			case nil, []byte:
				return x, nil
			case string:
				return []byte(x), nil
			}
			return nil, bad(v)
		}, nil
	}
	return nil, fmt.Errorf("%s.%s: the copy does not know PostgreSQL's type %s", table, col.name, col.typ)
}

// rowSource hands the rows of a SQLite query to pgx's CopyFrom.
type rowSource struct {
	rows *sql.Rows
	conv []func(any) (any, error)
	vals []any
	ptrs []any
}

func newRowSource(rows *sql.Rows, conv []func(any) (any, error)) *rowSource {
	r := &rowSource{rows: rows, conv: conv, vals: make([]any, len(conv)), ptrs: make([]any, len(conv))}
	for i := range r.vals {
		r.ptrs[i] = &r.vals[i]
	}
	return r
}

func (r *rowSource) Next() bool { return r.rows.Next() }

func (r *rowSource) Values() ([]any, error) {
	if err := r.rows.Scan(r.ptrs...); err != nil {
		return nil, err
	}
	out := make([]any, len(r.vals))
	for i, v := range r.vals {
		x, err := r.conv[i](v)
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	return out, nil
}

func (r *rowSource) Err() error { return r.rows.Err() }

// SQLiteInUse reports whether a Store, such as a running server, has the
// SQLite database at path open: a desk moved meanwhile would leave behind
// what is written after the copy's snapshot. Only Helpline's own opens are
// seen (lock_unix.go); where there are no file locks it reports false.
func SQLiteInUse(path string) bool {
	l, err := tryLock(path, true)
	if err != nil {
		return errors.Is(err, ErrInUse)
	}
	l.release()
	return false
}
