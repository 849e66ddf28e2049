package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
)

// On PostgreSQL a Bulk loads in one transaction on the writer connection:
// it drops the loaded tables' foreign keys and secondary indexes, turns off
// their triggers and empties them (TRUNCATE), so that COPY … FREEZE writes
// the rows already frozen and visible to all, with no hint bits to set or
// freezing vacuum to come. Contacts, tickets, messages and tags go in by
// COPY. A Bulk closed before Finish rolls it all back.
//
// Finish commits the rows and then, on two connections (the server runs
// one process each, so both cores work): writes the search documents with
// one INSERT … SELECT per index, the same text the triggers write; builds
// the indexes by one sort each; counts the kept counts with GROUP BY; moves
// the identity sequences past the loaded ids; puts back the foreign keys,
// checked by one join each, and the triggers; and ANALYZEs the tables.

// bulkPGTables are the tables a load writes and empties first: the tickets
// and all that hangs off them. The desk has no tickets, so they are empty.
const bulkPGTables = `'tickets', 'messages', 'ticket_tags', 'ticket_search', 'ticket_refs'`

// bulkPGForeignKeys lists the foreign keys of the loaded tables, and those
// of other tables to them (which TRUNCATE would refuse).
const bulkPGForeignKeys = `SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
	WHERE contype = 'f' AND (conrelid::regclass::text IN (` + bulkPGTables + `) OR confrelid::regclass::text IN (` + bulkPGTables + `))
	ORDER BY conrelid::regclass::text, conname`

// bulkPGIndexes lists the indexes of the loaded tables but their primary
// keys and the messages' index, which take the rows in their order as they
// come (and the search documents read messages by ticket).
const bulkPGIndexes = `SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
	WHERE i.indrelid::regclass::text IN (` + bulkPGTables + `) AND i.indrelid <> 'messages'::regclass AND NOT i.indisprimary
	  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
	ORDER BY 1, 2`

// bulkPGTriggers lists the enabled triggers of the loaded tables: those of
// the search documents and the kept counts.
const bulkPGTriggers = `SELECT tgrelid::regclass::text, tgname FROM pg_trigger
	WHERE NOT tgisinternal AND tgenabled <> 'D' AND tgrelid::regclass::text IN (` + bulkPGTables + `) ORDER BY 1, 2`

// bulkPG is what a load on PostgreSQL takes apart, to put back at Finish.
type bulkPG struct {
	foreignKeys []pgObject // table, name, definition
	indexes     []pgObject // table, name, CREATE INDEX statement
	triggers    []pgObject // table, name
	// nextMessage is the id of the next message: ids are given in the
	// COPY rather than drawn from the sequence one by one.
	nextMessage int64
}

type pgObject struct{ table, name, def string }

func (b *Bulk) startPG(ctx context.Context) error {
	tx, err := b.conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	b.tx = tx
	exec := execWith(ctx, tx)
	// Nobody writes tickets between the check and the TRUNCATE below.
	if err := exec(`LOCK TABLE tickets, messages, ticket_tags, ticket_search, ticket_refs IN ACCESS EXCLUSIVE MODE`); err != nil {
		return err
	}
	var hasTickets bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM tickets)`).Scan(&hasTickets); err != nil {
		return err
	}
	if hasTickets {
		return ErrBulkNotEmpty
	}
	p := &bulkPG{}
	for _, l := range []struct {
		q    string
		into *[]pgObject
	}{{bulkPGForeignKeys, &p.foreignKeys}, {bulkPGIndexes, &p.indexes}, {bulkPGTriggers, &p.triggers}} {
		rows, err := tx.QueryContext(ctx, l.q)
		if err != nil {
			return err
		}
		for rows.Next() {
			var o pgObject
			dest := []any{&o.table, &o.name}
			if l.into != &p.triggers {
				dest = append(dest, &o.def)
			}
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return err
			}
			*l.into = append(*l.into, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for _, o := range p.foreignKeys {
		if err := exec(`ALTER TABLE ` + o.table + ` DROP CONSTRAINT ` + pgIdent(o.name)); err != nil {
			return err
		}
	}
	for _, o := range p.indexes {
		if err := exec(`DROP INDEX ` + o.name); err != nil {
			return err
		}
	}
	for _, o := range p.triggers {
		if err := exec(`ALTER TABLE ` + o.table + ` DISABLE TRIGGER ` + pgIdent(o.name)); err != nil {
			return err
		}
	}
	if err := exec(`TRUNCATE ` + bulkPGTableList); err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, `SELECT nextval(pg_get_serial_sequence('messages', 'id'))`).Scan(&p.nextMessage); err != nil {
		return err
	}
	b.pg = p
	return nil
}

const bulkPGTableList = `tickets, messages, ticket_tags, ticket_search, ticket_refs`

// pgIdent quotes a name read from the catalog.
func pgIdent(name string) string {
	return pgx.Identifier{name}.Sanitize()
}

// The COPY statements of a load. FREEZE: the tables were emptied in the
// load's transaction.
const (
	copyContacts = `COPY contacts (id, name, email, created_at) FROM STDIN`
	copyTickets  = `COPY tickets (id, code, subject, status, priority, channel, department_id, assignee_id, contact_id, sort_key,
		postponed_until, postponed_from, preview, message_count, created_at, updated_at, updated_by) FROM STDIN (FREEZE)`
	copyMessages = `COPY messages (id, ticket_id, kind, agent_id, contact_id, body, event, details, created_at) FROM STDIN (FREEZE)`
	copyTags     = `COPY ticket_tags (ticket_id, tag) FROM STDIN (FREEZE)`
)

// copyIn runs one COPY … FROM STDIN of data (COPY's text format) on conn.
func copyIn(ctx context.Context, conn *sql.Conn, q string, data []byte) error {
	if len(data) == 0 {
		return nil
	}
	return conn.Raw(func(dc any) error {
		_, err := dc.(pgConn).Conn.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(data), q)
		return err
	})
}

// appendCopyRows appends rows given as one run of arguments of cols columns
// each in COPY's text format. With ids, each row starts with the next one.
func appendCopyRows(buf []byte, flat []any, cols int, ids *int64) ([]byte, error) {
	for i := 0; i < len(flat); i += cols {
		if ids != nil {
			buf = strconv.AppendInt(buf, *ids, 10)
			buf = append(buf, '\t')
			*ids++
		}
		for j, v := range flat[i : i+cols] {
			if j > 0 {
				buf = append(buf, '\t')
			}
			switch v := v.(type) {
			case nil:
				buf = append(buf, `\N`...)
			case int64:
				buf = strconv.AppendInt(buf, v, 10)
			case int:
				buf = strconv.AppendInt(buf, int64(v), 10)
			case string:
				buf = appendCopyText(buf, v)
			default:
				return buf, fmt.Errorf("bulk copy: no text for %T", v)
			}
		}
		buf = append(buf, '\n')
	}
	return buf, nil
}

func appendCopyText(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			buf = append(buf, `\\`...)
		case '\n':
			buf = append(buf, `\n`...)
		case '\r':
			buf = append(buf, `\r`...)
		case '\t':
			buf = append(buf, `\t`...)
		default:
			buf = append(buf, c)
		}
	}
	return buf
}

// addContactsPG copies contacts in, in the load's transaction.
func (b *Bulk) addContactsPG(ctx context.Context, flat []any) error {
	data, err := appendCopyRows(nil, flat, 4, nil)
	if err != nil {
		return err
	}
	return copyIn(ctx, b.conn, copyContacts, data)
}

// pgTicketCopies makes the COPY text of tickets, messages and tags from
// their rows as bulkTicketRows makes them.
func (b *Bulk) pgTicketCopies(rows bulkRows) (bulkRows, error) {
	var out bulkRows
	for i, cols := range []int{17, 8, 2} {
		var ids *int64
		if i == 1 {
			ids = &b.pg.nextMessage
		}
		data, err := appendCopyRows(make([]byte, 0, 64*len(rows.sets[i])), rows.sets[i], cols, ids)
		if err != nil {
			return out, err
		}
		out.copies = append(out.copies, data)
	}
	return out, nil
}

// startPGCopier copies the rows handed over into tickets, messages and
// ticket_tags on a goroutine of its own, in the load's transaction, while
// the caller makes the next rows.
func startPGCopier(ctx context.Context, conn *sql.Conn, progress func(n int)) *bulkWriter {
	w := &bulkWriter{rows: make(chan bulkRows, 4), done: make(chan error, 1)}
	go func() {
		var failed error
		written, shown := 0, 0
		for r := range w.rows {
			if failed != nil {
				continue // drain, so the sender never blocks
			}
			for i, q := range []string{copyTickets, copyMessages, copyTags} {
				if failed = copyIn(ctx, conn, q, r.copies[i]); failed != nil {
					break
				}
			}
			written += r.tickets
			if failed == nil && r.commit && progress != nil {
				progress(written)
				shown = written
			}
		}
		if failed == nil && written > shown && progress != nil {
			progress(written)
		}
		w.done <- failed
	}()
	return w
}

// finishPG commits the rows, then builds what the load left out.
func (b *Bulk) finishPG(ctx context.Context) error {
	if b.tickets != nil {
		if err := b.tickets.close(); err != nil {
			return err
		}
	}
	tx := b.tx
	b.tx = nil
	if err := tx.Commit(); err != nil {
		return err
	}
	other, err := b.s.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer other.Close()
	conns := []*sql.Conn{b.conn, other}
	for _, c := range conns {
		for _, kv := range bulkPGSettings {
			if err := execWith(ctx, c)(`SET ` + kv[0] + ` = ` + kv[1]); err != nil {
				return err
			}
		}
	}
	defer func() {
		for _, c := range conns {
			for _, kv := range bulkPGSettings {
				execWith(context.Background(), c)(`RESET ` + kv[0])
			}
		}
	}()
	p := b.pg
	b.stage("building the search index, indexes and counts")
	var lo, hi sql.NullInt64
	if err := b.conn.QueryRowContext(ctx, `SELECT min(id), max(id) FROM tickets`).Scan(&lo, &hi); err != nil {
		return err
	}
	// Both connections take the next task as they finish one: the
	// requesters' documents, then the search documents in parts by ticket
	// id (words are most of the work), each followed some time later by the
	// index of its table, then the other indexes and counts. An index of a
	// table still being written waits for the write's lock, so it sees
	// every row; the search documents' index comes last, once they are all
	// written.
	var searchIndex, refsIndex, others, tasks [][]string
	for _, o := range p.indexes {
		switch o.table {
		case "ticket_search":
			searchIndex = append(searchIndex, []string{o.def})
		case "ticket_refs":
			refsIndex = append(refsIndex, []string{o.def})
		default:
			others = append(others, []string{o.def})
		}
	}
	tasks = append(tasks, []string{bulkPGRefsSQL})
	for i := range bulkPGSearchParts {
		from := lo.Int64 + (hi.Int64-lo.Int64+1)*int64(i)/bulkPGSearchParts
		to := lo.Int64 + (hi.Int64-lo.Int64+1)*int64(i+1)/bulkPGSearchParts
		tasks = append(tasks, []string{fmt.Sprintf(bulkPGSearchSQL, from, to, from, to)})
		if i == 0 {
			tasks = append(tasks, refsIndex...)
		}
	}
	tasks = append(tasks, others...)
	tasks = append(tasks, recountSQL)
	for _, q := range bulkPGSequencesSQL {
		tasks = append(tasks, []string{q})
	}
	if err := runOn(ctx, conns, append(tasks, searchIndex...)); err != nil {
		return err
	}
	// The foreign keys come back unchecked with the triggers in one short
	// transaction, then are checked by one join each while the tables are
	// analyzed.
	b.stage("checking references and analyzing")
	t2, err := b.conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	exec := execWith(ctx, t2)
	var validate []string
	for _, o := range p.foreignKeys {
		if err := exec(`ALTER TABLE ` + o.table + ` ADD CONSTRAINT ` + pgIdent(o.name) + ` ` + o.def + ` NOT VALID`); err != nil {
			t2.Rollback()
			return fmt.Errorf("restore %s: %w", o.name, err)
		}
		validate = append(validate, `ALTER TABLE `+o.table+` VALIDATE CONSTRAINT `+pgIdent(o.name))
	}
	for _, o := range p.triggers {
		if err := exec(`ALTER TABLE ` + o.table + ` ENABLE TRIGGER ` + pgIdent(o.name)); err != nil {
			t2.Rollback()
			return fmt.Errorf("restore %s: %w", o.name, err)
		}
	}
	if err := t2.Commit(); err != nil {
		return err
	}
	tasks = nil
	for _, q := range validate {
		tasks = append(tasks, []string{q})
	}
	for _, t := range []string{"messages", "tickets", "contacts", "ticket_tags", "ticket_search", "ticket_refs", "ticket_counts", "ticket_assigned_counts"} {
		tasks = append(tasks, []string{`ANALYZE ` + t})
	}
	return runOn(ctx, conns, tasks)
}

// bulkPGSettings are the settings of the connections that finish a load:
// sorts of index builds and of the search documents in memory, and no
// parallel workers, as the two connections keep both cores busy already.
var bulkPGSettings = [][2]string{
	{"maintenance_work_mem", "'512MB'"},
	{"work_mem", "'256MB'"},
	{"max_parallel_maintenance_workers", "0"},
	{"max_parallel_workers_per_gather", "0"},
}

// runOn runs tasks on conns at once, each connection taking the next task
// as it finishes one; a task's statements run in order on one connection.
func runOn(ctx context.Context, conns []*sql.Conn, tasks [][]string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var next atomic.Int64
	errs := make([]error, len(conns))
	for i, conn := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := int(next.Add(1)) - 1; k < len(tasks); k = int(next.Add(1)) - 1 {
				for _, q := range tasks[k] {
					if _, err := conn.ExecContext(ctx, q); err != nil {
						errs[i] = fmt.Errorf("%.60s…: %w", q, err)
						cancel()
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	// The other connection's statement was cancelled for the first error.
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	return errors.Join(errs...)
}

// bulkPGSearchParts the search documents are written in, by ticket id.
const bulkPGSearchParts = 6

// The search documents of every ticket, with the text the triggers of
// migrations/postgres/0007_schema.sql write: the subject and the bodies of
// the ticket's messages but events, in order; and the code and requester.
const (
	bulkPGSearchSQL = `INSERT INTO ticket_search (rowid, doc)
		SELECT t.id, to_tsvector('helpline', search_text(t.subject || ' ' || m.body))
		FROM tickets t JOIN (SELECT ticket_id, string_agg(body, ' ' ORDER BY id) AS body FROM messages
			WHERE kind <> 'event' AND ticket_id >= %d AND ticket_id < %d GROUP BY ticket_id) m
		ON m.ticket_id = t.id WHERE t.id >= %d AND t.id < %d`
	bulkPGRefsSQL = `INSERT INTO ticket_refs (rowid, doc)
		SELECT t.id, to_tsvector('helpline', search_text(t.code || ' ' || c.name || ' ' || c.email))
		FROM tickets t JOIN contacts c ON c.id = t.contact_id`
)

// bulkPGSequencesSQL moves the identity sequences of the tables given ids
// past the highest, never back.
var bulkPGSequencesSQL = func() []string {
	var out []string
	for _, t := range []string{"contacts", "tickets", "messages"} {
		out = append(out, `SELECT setval(s, m) FROM (SELECT pg_get_serial_sequence('`+t+`', 'id')::regclass AS s, (SELECT max(id) FROM `+t+`) AS m) x
			WHERE m > coalesce(pg_sequence_last_value(s), 0)`)
	}
	return out
}()

// closePG rolls back what the load has not committed.
func (b *Bulk) closePG() error {
	var errs []error
	if b.tickets != nil {
		b.tickets.close()
	}
	if b.tx != nil {
		if err := b.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
			errs = append(errs, err)
		}
		b.tx = nil
	}
	return errors.Join(errs...)
}
