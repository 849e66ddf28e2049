package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
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
}

// BulkOptions report on a Bulk's progress.
type BulkOptions struct {
	// Progress, if set, is called after each commit with the tickets
	// written so far, on the Bulk's own goroutine.
	Progress func(tickets int)
	// Stage, if set, is called as each step of Finish begins.
	Stage func(step string)
}

// bulkCommitEvery tickets a load commits.
const bulkCommitEvery = 50000

// ErrBulkNotEmpty refuses a bulk load into a desk that has tickets: the
// search index built beside the load replaces the desk's.
var ErrBulkNotEmpty = errors.New("store: bulk load: the desk has tickets already")

// BulkDepartment is a department to add. By is the agent who adds it.
type BulkDepartment struct {
	Name        string
	Description string
	By          int64
}

// BulkAgent is an active agent to add. By is the agent who adds them.
type BulkAgent struct {
	Name         string
	Email        string
	Role         Role
	PasswordHash string
	Language     string
	By           int64
}

// BulkContact is a contact to add, with the id its tickets refer to.
type BulkContact struct {
	ID        int64
	Name      string
	Email     string
	CreatedAt time.Time
}

// BulkTicket is a ticket with its thread and tags, with the id of the caller
// (the desk has none yet). It is created when its first thread entry is
// written; its queue columns (sort key, preview, message count, last change
// and who made it) follow from the thread as the ticket actions leave them.
type BulkTicket struct {
	ID             int64
	Code           string // TicketCodeOf makes distinct ones
	Subject        string
	Status         TicketStatus
	Priority       Priority
	Channel        Channel
	DepartmentID   int64
	AssigneeID     int64 // 0: unassigned
	ContactID      int64
	PostponedUntil time.Time    // while postponed
	PostponedFrom  TicketStatus // while postponed: new or open
	Thread         []BulkMessage
	Tags           []string
}

// BulkMessage is one entry of a bulk ticket's thread, oldest first. An
// entry by an agent has AgentID, one by the contact ContactID.
type BulkMessage struct {
	Kind      MessageKind
	AgentID   int64
	ContactID int64
	Body      string
	Event     Event // with KindEvent
	Details   EventDetails
	At        time.Time
}

// TicketCodeOf is the ticket code spelling the low 55 bits of x, five to a
// symbol: distinct values below 1<<55 give distinct codes, so a counter
// spread over that range (multiplied by an odd number) never collides.
func TicketCodeOf(x uint64) string {
	x &= 1<<55 - 1
	var out [13]byte
	j := 12
	for k := 0; k < 11; k++ {
		if j == 3 || j == 9 {
			out[j] = '-'
			j--
		}
		out[j] = codeAlphabet[x&31]
		x >>= 5
		j--
	}
	return string(out[:])
}

type schemaObject struct{ kind, name, sql string }

// bulkSchemaSQL lists what the load drops and puts back: the tickets' and
// tags' indexes (built faster by one sort at the end) and the triggers of
// counts and search. The messages index stays: messages arrive in its order.
const bulkSchemaSQL = `SELECT type, name, sql FROM sqlite_schema
	WHERE ((type = 'index' AND tbl_name IN ('tickets', 'ticket_tags'))
	    OR (type = 'trigger' AND tbl_name IN ('tickets', 'messages'))) AND sql IS NOT NULL`

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
	if err := b.start(ctx); err != nil {
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

// before returns the transaction of what comes before the tickets.
func (b *Bulk) before(ctx context.Context) (*sql.Tx, error) {
	if b.tickets != nil {
		return nil, errors.New("departments, agents and contacts come before the tickets")
	}
	if b.tx == nil {
		tx, err := b.conn.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		b.tx = tx
		b.contacts = &batchInsert{head: `INSERT INTO contacts (id, name, email, created_at) VALUES `, cols: 4, rows: 200, tx: tx}
	}
	return b.tx, nil
}

// AddDepartment adds a department and returns its id.
func (b *Bulk) AddDepartment(ctx context.Context, d BulkDepartment) (int64, error) {
	tx, err := b.before(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: bulk department %q: %w", d.Name, err)
	}
	now := b.s.nowMs()
	res, err := tx.ExecContext(ctx, `INSERT INTO departments (name, description, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)`,
		d.Name, d.Description, now, now, nullID(d.By))
	if err != nil {
		return 0, fmt.Errorf("store: bulk department %q: %w", d.Name, uniqueViolation(err, "name"))
	}
	return res.LastInsertId()
}

// AddAgent adds an active agent and returns their id.
func (b *Bulk) AddAgent(ctx context.Context, a BulkAgent) (int64, error) {
	tx, err := b.before(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: bulk agent %s: %w", a.Email, err)
	}
	now := b.s.nowMs()
	res, err := tx.ExecContext(ctx, `INSERT INTO agents (name, email, role, status, password_hash, language, created_at, updated_at, updated_by)
		VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?)`, a.Name, NormalizeEmail(a.Email), a.Role, a.PasswordHash, a.Language, now, now, nullID(a.By))
	if err != nil {
		return 0, fmt.Errorf("store: bulk agent %s: %w", a.Email, uniqueViolation(err, "email"))
	}
	return res.LastInsertId()
}

// AddMember puts an agent in a department on the given channels.
func (b *Bulk) AddMember(ctx context.Context, departmentID, agentID int64, ch Channels) error {
	tx, err := b.before(ctx)
	if err == nil {
		_, err = tx.ExecContext(ctx, `INSERT INTO department_members (department_id, agent_id, tickets, chats, calls) VALUES (?, ?, ?, ?, ?)`,
			departmentID, agentID, ch.Tickets, ch.Chats, ch.Calls)
	}
	if err != nil {
		return fmt.Errorf("store: bulk member %d of department %d: %w", agentID, departmentID, err)
	}
	return nil
}

// Audit records an entry in the audit log, dated now.
func (b *Bulk) Audit(ctx context.Context, e AuditEntry) error {
	tx, err := b.before(ctx)
	if err == nil {
		err = audit(ctx, tx, b.s.nowMs(), e)
	}
	if err != nil {
		return fmt.Errorf("store: bulk: %w", err)
	}
	return nil
}

// AddContacts adds contacts, many to a statement.
func (b *Bulk) AddContacts(ctx context.Context, contacts []BulkContact) error {
	if _, err := b.before(ctx); err != nil {
		return fmt.Errorf("store: bulk contacts: %w", err)
	}
	flat := make([]any, 0, 4*len(contacts))
	for _, c := range contacts {
		flat = append(flat, c.ID, c.Name, NormalizeEmail(c.Email), c.CreatedAt.UnixMilli())
	}
	if err := b.contacts.addRows(ctx, flat); err != nil {
		return fmt.Errorf("store: bulk contacts: %w", err)
	}
	return nil
}

// commitBefore commits what came before the tickets.
func (b *Bulk) commitBefore(ctx context.Context) error {
	if b.tx == nil {
		return nil
	}
	tx := b.tx
	b.tx = nil
	return commitBatches(ctx, tx, b.contacts)
}

// AddTickets adds tickets with their threads and tags. Call it from one
// goroutine at a time. It returns once their rows are made and handed to the
// writer, so the caller may reuse tickets and their threads; an error of the
// writer comes back from a later call or from Finish.
func (b *Bulk) AddTickets(ctx context.Context, tickets []BulkTicket) error {
	if b.tickets == nil {
		if err := b.commitBefore(ctx); err != nil {
			return fmt.Errorf("store: bulk contacts: %w", err)
		}
		b.tickets = startBulkWriter(ctx, b.conn, b.o.Progress,
			&batchInsert{head: `INSERT INTO tickets (id, code, subject, status, priority, channel, department_id, assignee_id, contact_id, sort_key,
			postponed_until, postponed_from, preview, message_count, created_at, updated_at, updated_by) VALUES `, cols: 17, rows: 250},
			&batchInsert{head: `INSERT INTO messages (ticket_id, kind, agent_id, contact_id, body, event, details, created_at) VALUES `, cols: 8, rows: 1000},
			&batchInsert{head: `INSERT INTO ticket_tags (ticket_id, tag) VALUES `, cols: 2, rows: 1000})
	}
	rows, search, err := bulkTicketRows(tickets)
	if err != nil {
		return fmt.Errorf("store: bulk tickets: %w", err)
	}
	b.sinceCommit += len(tickets)
	commit := b.sinceCommit >= bulkCommitEvery
	if commit {
		b.sinceCommit = 0
	}
	if err := b.search.w.send(ctx, bulkRows{sets: [][]any{search}, commit: commit}); err != nil {
		return fmt.Errorf("store: bulk search index: %w", err)
	}
	rows.commit, rows.tickets = commit, len(tickets)
	if err := b.tickets.send(ctx, rows); err != nil {
		return fmt.Errorf("store: bulk tickets: %w", err)
	}
	return nil
}

// bulkTicketRows makes the statement arguments of tickets, their messages
// and tags (one set each), and of their search documents.
func bulkTicketRows(tickets []BulkTicket) (rows bulkRows, search []any, err error) {
	nMsgs, nTags := 0, 0
	for i := range tickets {
		nMsgs += len(tickets[i].Thread)
		nTags += len(tickets[i].Tags)
	}
	tk := make([]any, 0, 17*len(tickets))
	msgs := make([]any, 0, 8*nMsgs)
	tags := make([]any, 0, 2*nTags)
	search = make([]any, 0, 3*len(tickets))
	var body strings.Builder
	for i := range tickets {
		t := &tickets[i]
		if len(t.Thread) == 0 {
			return rows, nil, fmt.Errorf("ticket %d has no thread", t.ID)
		}
		// As addMessage counts them: every entry but events counts, the
		// preview is the last customer message or reply, and the search
		// document is the subject and every counted entry.
		count, lastText := 0, ""
		body.Reset()
		for j := range t.Thread {
			m := &t.Thread[j]
			details := ""
			if m.Kind == KindEvent {
				b, err := json.Marshal(m.Details)
				if err != nil {
					return rows, nil, err
				}
				details = string(b)
			} else {
				count++
				if m.Kind != KindNote {
					lastText = m.Body
				}
				if body.Len() > 0 {
					body.WriteByte('\n')
				}
				body.WriteString(m.Body)
			}
			msgs = append(msgs, t.ID, string(m.Kind), nullID(m.AgentID), nullID(m.ContactID), m.Body, string(m.Event), details, m.At.UnixMilli())
		}
		created, last := t.Thread[0].At.UnixMilli(), &t.Thread[len(t.Thread)-1]
		var postponedUntil any
		if !t.PostponedUntil.IsZero() {
			postponedUntil = t.PostponedUntil.UnixMilli()
		}
		tk = append(tk, t.ID, t.Code, t.Subject, string(t.Status), int64(t.Priority), string(t.Channel), t.DepartmentID, nullID(t.AssigneeID),
			t.ContactID, sortKey(t.Status, t.Priority, created), postponedUntil, string(t.PostponedFrom), preview(lastText), count,
			created, last.At.UnixMilli(), nullID(last.AgentID))
		for _, tag := range t.Tags {
			tags = append(tags, t.ID, tag)
		}
		search = append(search, t.ID, t.Subject, body.String())
	}
	return bulkRows{sets: [][]any{tk, msgs, tags}}, search, nil
}

// Finish writes what is left, puts back the indexes and triggers, builds the
// counts and the search index, and releases the writer connection.
func (b *Bulk) Finish(ctx context.Context) error {
	defer b.Close()
	if err := b.finish(ctx); err != nil {
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
	for _, q := range []string{`DELETE FROM ticket_counts`,
		`INSERT INTO ticket_counts (department_id, status, n) SELECT department_id, status, count(*) FROM tickets GROUP BY department_id, status`} {
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
