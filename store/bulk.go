package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Bulk writes a whole desk at once into a database without tickets: the
// departments, agents, contacts and tickets of a sample desk, hundreds of
// thousands of tickets a minute. The rows are the ones the ticket actions
// write, events included, so the app cannot tell loaded tickets from its own.
//
// It holds the writer connection from StartBulk to Finish or Close, so no
// other write runs meanwhile. While it loads, the indexes of tickets and tags
// and the triggers that keep counts and the search index are dropped, and
// neither durability nor references are checked: the caller gives only valid
// references. Finish builds the indexes by one sort each, the counts by one
// GROUP BY, and copies in the search index, which a second goroutine builds
// in a file of its own while the tickets are written. A Bulk closed without
// Finish leaves a half-filled database to throw away.
//
// Departments, agents, memberships and contacts come first, written as they
// are added. Then AddTickets, called from one goroutine, makes the rows of
// the statements on that goroutine and hands them to a writer of its own:
// on two cores, making rows and SQLite's work overlap.
//
// On PostgreSQL the same calls load by COPY in one transaction instead, and
// Finish builds the rest on two connections (bulk_pg.go).
type Bulk struct {
	s    *Store
	o    BulkOptions
	conn *sql.Conn
	// saved are the indexes and triggers dropped for the load.
	saved []schemaObject
	// pragmas are the settings changed for the load, to put back.
	pragmas []bulkPragma
	search  *bulkSearch
	// tx and contacts write what comes before the tickets.
	tx       *sql.Tx
	contacts *batchInsert
	// tickets is the writer of tickets, messages and tags, from the first
	// AddTickets on.
	tickets     *bulkWriter
	sinceCommit int
	// pg is what a load on PostgreSQL took apart (bulk_pg.go).
	pg *bulkPG
}

// BulkOptions report on a Bulk's progress.
type BulkOptions struct {
	// Progress, if set, is called after each commit (on PostgreSQL, each
	// 50,000 tickets copied) with the tickets written so far, on the
	// Bulk's own goroutine.
	Progress func(tickets int)
	// Stage, if set, is called as each step of Finish begins.
	Stage func(step string)
}

// bulkCommitEvery tickets a load commits.
const bulkCommitEvery = 50000

// ErrBulkNotEmpty refuses a bulk load into a desk that has tickets: the
// search index built beside the load replaces the desk's.
var ErrBulkNotEmpty = errors.New("store: bulk load: the desk has tickets already")

type schemaObject struct{ kind, name, sql string }

// bulkSchemaSQL lists what the load drops and puts back: the tickets' and
// tags' indexes (built faster by one sort at the end) and the triggers of
// counts and search. The messages index stays: messages arrive in its order.
const bulkSchemaSQL = `SELECT type, name, sql FROM sqlite_schema
	WHERE ((type = 'index' AND tbl_name IN ('tickets', 'ticket_tags'))
	    OR (type = 'trigger' AND tbl_name IN ('tickets', 'messages', 'ticket_tags'))) AND sql IS NOT NULL`

// bulkPragma is a setting of the load and the one to put back after it.
type bulkPragma struct{ load, after string }

var bulkPragmas = []bulkPragma{
	// Durability per commit does not matter while loading: a crash leaves
	// a half-filled desk to throw away.
	{`PRAGMA synchronous = OFF`, `PRAGMA synchronous = NORMAL`},
	// The caller makes only valid references (a store test checks the demo
	// desk with foreign_key_check); checking each row costs a lookup per
	// reference.
	{`PRAGMA foreign_keys = OFF`, `PRAGMA foreign_keys = ON`},
	// Index builds at the end sort in memory, on both cores.
	{`PRAGMA temp_store = MEMORY`, `PRAGMA temp_store = DEFAULT`},
	{`PRAGMA threads = 2`, `PRAGMA threads = 0`},
	{`PRAGMA cache_size = -131072`, `PRAGMA cache_size = -2000`},
}

// StartBulk takes the writer connection and readies the desk for a load.
func (s *Store) StartBulk(ctx context.Context, o BulkOptions) (*Bulk, error) {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: start bulk load: %w", err)
	}
	b := &Bulk{s: s, o: o, conn: conn}
	start := b.start
	if s.pg {
		start = b.startPG
	}
	if err := start(ctx); err != nil {
		b.Close()
		if errors.Is(err, ErrBulkNotEmpty) {
			return nil, err
		}
		return nil, fmt.Errorf("store: start bulk load: %w", err)
	}
	return b, nil
}

func (b *Bulk) start(ctx context.Context) error {
	var hasTickets bool
	if err := b.conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM tickets)`).Scan(&hasTickets); err != nil {
		return err
	}
	if hasTickets {
		return ErrBulkNotEmpty
	}
	rows, err := b.conn.QueryContext(ctx, bulkSchemaSQL)
	if err != nil {
		return err
	}
	for rows.Next() {
		var o schemaObject
		if err := rows.Scan(&o.kind, &o.name, &o.sql); err != nil {
			rows.Close()
			return err
		}
		b.saved = append(b.saved, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	exec := execWith(ctx, b.conn)
	for _, o := range b.saved {
		if err := exec(`DROP ` + strings.ToUpper(o.kind) + ` ` + o.name); err != nil {
			return err
		}
	}
	for _, p := range bulkPragmas {
		if err := exec(p.load); err != nil {
			return err
		}
		b.pragmas = append(b.pragmas, p)
	}
	b.search, err = startBulkSearch(ctx, b.conn)
	return err
}

// Now is the store's clock, which stamps the rows the Bulk adds itself.
func (b *Bulk) Now() time.Time { return b.s.now() }

// Finish writes what is left, puts back the indexes and triggers, builds the
// counts and the search index, and releases the writer connection.
func (b *Bulk) Finish(ctx context.Context) error {
	defer b.Close()
	finish := b.finish
	if b.s.pg {
		finish = b.finishPG
	}
	if err := finish(ctx); err != nil {
		return fmt.Errorf("store: finish bulk load: %w", err)
	}
	return nil
}

func (b *Bulk) finish(ctx context.Context) error {
	if err := b.commitBefore(ctx); err != nil {
		return err
	}
	if b.tickets != nil {
		if err := b.tickets.close(); err != nil {
			return err
		}
	}
	// The search index is merged on the other core while this one builds
	// the indexes below.
	merged := make(chan error, 1)
	go func() { merged <- b.search.finish(ctx) }()
	exec := execWith(ctx, b.conn)
	b.stage("building indexes and counts")
	if err := exec(`BEGIN IMMEDIATE`); err != nil {
		<-merged
		return err
	}
	for _, o := range b.saved {
		if err := exec(o.sql); err != nil {
			exec(`ROLLBACK`)
			<-merged
			return fmt.Errorf("restore %s: %w", o.name, err)
		}
	}
	b.saved = nil
	// The counts the dropped triggers keep are counted from the tickets:
	// per department and status, and of the assigned tickets per assignee
	// and (assignee 0) whoever the assignee, behind the queue's views. A few
	// thousand rows.
	for _, q := range append(slices.Clone(recountSQL), fillTicketRefsSQL) {
		if err := exec(q); err != nil {
			exec(`ROLLBACK`)
			<-merged
			return err
		}
	}
	if err := exec(`COMMIT`); err != nil {
		<-merged
		return err
	}
	b.stage("copying the search index in")
	if err := <-merged; err != nil {
		return err
	}
	if err := b.search.copyInto(ctx, b.conn); err != nil {
		return err
	}
	// No ANALYZE: the app never runs it either, so a loaded desk is planned
	// like any other (a sampled ANALYZE once misled the planner). Fold the
	// write-ahead log into the database file.
	return exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
}

func (b *Bulk) stage(step string) {
	if b.o.Stage != nil {
		b.o.Stage(step)
	}
}

// Close stops the load, puts the settings back and releases the writer
// connection; after Finish it does nothing.
func (b *Bulk) Close() error {
	if b.conn == nil {
		return nil
	}
	if b.s.pg {
		err := b.closePG()
		b.s.mem.gen.Add(1)
		err = errors.Join(err, b.conn.Close())
		b.conn = nil
		return err
	}
	var errs []error
	if b.tx != nil {
		b.tx.Rollback()
		b.tx = nil
	}
	if b.tickets != nil {
		b.tickets.close()
	}
	if b.search != nil {
		errs = append(errs, b.search.close())
	}
	// The settings go back even if the load was cancelled: the connection
	// returns to the writer pool.
	exec := execWith(context.Background(), b.conn)
	for i := len(b.pragmas) - 1; i >= 0; i-- {
		errs = append(errs, exec(b.pragmas[i].after))
	}
	// Reads kept in memory are stale now.
	b.s.mem.gen.Add(1)
	errs = append(errs, b.conn.Close())
	b.conn = nil
	return errors.Join(errs...)
}

// recountSQL counts from the tickets what the triggers keep counted, on
// either engine: per department and status, and of the assigned tickets per
// assignee and (assignee 0) whoever the assignee; then the reports' kept
// figures (store/reports_rebuild.go).
var recountSQL = append([]string{
	`DELETE FROM ticket_counts`,
	`INSERT INTO ticket_counts (department_id, status, n) SELECT department_id, status, count(*) FROM tickets GROUP BY department_id, status`,
	`DELETE FROM ticket_assigned_counts`,
	`INSERT INTO ticket_assigned_counts (assignee_id, department_id, status, n)
		SELECT assignee_id, department_id, status, count(*) FROM tickets WHERE assignee_id IS NOT NULL GROUP BY assignee_id, department_id, status`,
	`INSERT INTO ticket_assigned_counts (assignee_id, department_id, status, n)
		SELECT 0, department_id, status, sum(n) FROM ticket_assigned_counts GROUP BY department_id, status`,
	// Tickets per tag (store/tags.go); WHERE true keeps SQLite from reading
	// ON CONFLICT as a join's.
	`INSERT INTO tags (name, ticket_count) SELECT tag, count(*) FROM ticket_tags WHERE true GROUP BY tag
		ON CONFLICT (name) DO UPDATE SET ticket_count = excluded.ticket_count`,
}, slices.Concat(reportRebuildSQL, reportDaysRebuildSQL, queueRebuildSQL)...)
