package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"helpline/authz"
	"math/rand/v2"
	"os"
	"strings"
)

// DemoOptions size the sample desk that FillDemo writes.
type DemoOptions struct {
	Tickets      int
	Departments  int // at most len(demoDepartments)
	Agents       int
	Admins       int
	PasswordHash string // every demo account signs in with this password
	Seed         uint64
	// Progress, if set, is called now and then with the tickets written.
	Progress func(done int)
	// Stage, if set, is called as each step after the tickets begins.
	Stage func(step string)
}

// DemoAccount is one account FillDemo created.
type DemoAccount struct {
	Name        string
	Email       string
	Role        authz.Role
	Departments []string
}

// ErrDemoNotEmpty refuses to fill a database that has an account already.
var ErrDemoNotEmpty = errors.New("the database already has an account; choose a new database file")

// FillDemo writes a sample desk into an empty database: an Owner,
// Administrators, Agents in departments, and tickets with threads spread over
// the past year in every status and channel.
//
// Tickets are written on a fast path: large transactions through prepared
// statements, with the queue indexes and the triggers that keep counts and the
// search index dropped during the load and put back at the end (counts built
// by one GROUP BY, search documents written beside each ticket). The rows are
// the same as the ticket actions write, events included, so the app cannot
// tell demo tickets from real ones.
func (s *Store) FillDemo(ctx context.Context, o DemoOptions) ([]DemoAccount, error) {
	if ok, err := s.HasAccount(ctx); err != nil {
		return nil, err
	} else if ok {
		return nil, ErrDemoNotEmpty
	}
	o.Departments = min(max(o.Departments, 1), len(demoDepartments))
	o.Agents = max(o.Agents, o.Departments)
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))

	owner, err := s.SignUp(ctx, SignUpInput{Company: "Demo Company", Name: "Olivia Owner", Email: "owner@demo.example", PasswordHash: o.PasswordHash, Language: "en"})
	if err != nil {
		return nil, err
	}
	accounts := []DemoAccount{{Name: owner.Name, Email: owner.Email, Role: authz.RoleOwner}}
	d := &demoDesk{rng: rng, opts: o}
	err = s.write(ctx, func(tx *sql.Tx) error {
		now := s.nowMs()
		for i := range o.Departments {
			res, err := tx.ExecContext(ctx, `INSERT INTO departments (name, description, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)`,
				demoDepartments[i], "Demo department", now, now, owner.ID)
			if err != nil {
				return err
			}
			id, _ := res.LastInsertId()
			d.depts = append(d.depts, id)
			d.deptNames = append(d.deptNames, demoDepartments[i])
			d.members = append(d.members, nil)
		}
		for i := range o.Admins + o.Agents {
			role, email := authz.RoleAgent, fmt.Sprintf("agent%d@demo.example", i-o.Admins+1)
			if i < o.Admins {
				role, email = authz.RoleAdmin, fmt.Sprintf("admin%d@demo.example", i+1)
			}
			name := demoFirst[i%len(demoFirst)] + " " + demoLast[(i/len(demoFirst)+i*7)%len(demoLast)]
			res, err := tx.ExecContext(ctx, `INSERT INTO agents (name, email, role, status, password_hash, language, created_at, updated_at, updated_by)
				VALUES (?, ?, ?, 'active', ?, 'en', ?, ?, ?)`, name, email, role, o.PasswordHash, now, now, owner.ID)
			if err != nil {
				return err
			}
			id, _ := res.LastInsertId()
			d.names = append(d.names, name)
			d.ids = append(d.ids, id)
			acc := DemoAccount{Name: name, Email: email, Role: role}
			if role == authz.RoleAgent {
				// Each Agent works in one department, every other one in a second.
				k := i - o.Admins
				ds := []int{k % o.Departments}
				if k%2 == 0 && o.Departments > 1 {
					ds = append(ds, (k+1)%o.Departments)
				}
				for _, di := range ds {
					if _, err := tx.ExecContext(ctx, `INSERT INTO department_members (department_id, agent_id, tickets, chats, calls) VALUES (?, ?, 1, 1, 1)`,
						d.depts[di], id); err != nil {
						return err
					}
					d.members[di] = append(d.members[di], len(d.ids)-1)
					acc.Departments = append(acc.Departments, d.deptNames[di])
				}
			}
			accounts = append(accounts, acc)
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: owner.ID, Action: "demo.fill", Details: fmt.Sprintf("%d tickets", o.Tickets)})
	})
	if err != nil {
		return nil, fmt.Errorf("store: demo accounts: %w", err)
	}
	if err := s.fillDemoTickets(ctx, d); err != nil {
		return nil, fmt.Errorf("store: demo tickets: %w", err)
	}
	return accounts, nil
}

type demoDesk struct {
	rng       *rand.Rand
	opts      DemoOptions
	depts     []int64
	deptNames []string
	members   [][]int // per department: indexes into ids
	ids       []int64
	names     []string
}

// bulkSchemaSQL lists what the load drops and puts back: the tickets' and
// tags' indexes (built faster by one sort at the end) and the triggers of
// counts and search. The messages index stays: messages arrive in its order.
const bulkSchemaSQL = `SELECT type, name, sql FROM sqlite_schema
	WHERE ((type = 'index' AND tbl_name IN ('tickets', 'ticket_tags'))
	    OR (type = 'trigger' AND tbl_name IN ('tickets', 'messages'))) AND sql IS NOT NULL`

func (s *Store) fillDemoTickets(ctx context.Context, d *demoDesk) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	exec := execWith(ctx, conn)
	type object struct{ kind, name, sql string }
	var saved []object
	rows, err := conn.QueryContext(ctx, bulkSchemaSQL)
	if err != nil {
		return err
	}
	for rows.Next() {
		var o object
		if err := rows.Scan(&o.kind, &o.name, &o.sql); err != nil {
			rows.Close()
			return err
		}
		saved = append(saved, o)
	}
	rows.Close()
	for _, o := range saved {
		if err := exec(`DROP ` + strings.ToUpper(o.kind) + ` ` + o.name); err != nil {
			return err
		}
	}
	// Durability per commit does not matter while loading: a crash leaves a
	// half-filled demo to throw away.
	if err := exec(`PRAGMA synchronous = OFF`); err != nil {
		return err
	}
	defer exec(`PRAGMA synchronous = NORMAL`)
	// The generator makes only valid references (a store test checks a
	// small desk with foreign_key_check); checking each row costs a lookup
	// per reference.
	if err := exec(`PRAGMA foreign_keys = OFF`); err != nil {
		return err
	}
	defer exec(`PRAGMA foreign_keys = ON`)
	// Index builds at the end sort in memory, on both cores.
	if err := exec(`PRAGMA temp_store = MEMORY`); err != nil {
		return err
	}
	defer exec(`PRAGMA temp_store = DEFAULT`)
	if err := exec(`PRAGMA threads = 2`); err != nil {
		return err
	}
	defer exec(`PRAGMA threads = 0`)
	if err := exec(`PRAGMA cache_size = -131072`); err != nil {
		return err
	}
	defer exec(`PRAGMA cache_size = -2000`)

	search, err := startDemoSearch(ctx, conn)
	if err != nil {
		return err
	}
	defer search.remove()
	if err := s.loadDemoTickets(ctx, conn, d, search); err != nil {
		search.finish(ctx)
		return err
	}
	// The search index is merged on the other core while this one builds
	// the indexes below.
	merged := make(chan error, 1)
	go func() { merged <- search.finish(ctx) }()

	stage := func(step string) {
		if d.opts.Stage != nil {
			d.opts.Stage(step)
		}
	}
	stage("building indexes and counts")
	if err := exec(`BEGIN IMMEDIATE`); err != nil {
		return err
	}
	for _, o := range saved {
		if err := exec(o.sql); err != nil {
			exec(`ROLLBACK`)
			return fmt.Errorf("restore %s: %w", o.name, err)
		}
	}
	if err := exec(`DELETE FROM ticket_counts`); err != nil {
		exec(`ROLLBACK`)
		return err
	}
	if err := exec(`INSERT INTO ticket_counts (department_id, status, n) SELECT department_id, status, count(*) FROM tickets GROUP BY department_id, status`); err != nil {
		exec(`ROLLBACK`)
		return err
	}
	if err := exec(fillTicketRefsSQL); err != nil {
		exec(`ROLLBACK`)
		return err
	}
	if err := exec(`COMMIT`); err != nil {
		return err
	}
	stage("copying the search index in")
	if err := <-merged; err != nil {
		return err
	}
	if err := search.copyInto(ctx, conn); err != nil {
		return err
	}
	// No ANALYZE: the app never runs it either, so the demo is planned like
	// any other desk (a sampled ANALYZE once misled the planner). Fold the
	// write-ahead log into the database file.
	return exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
}

// demoSearch builds the demo's search index in a database file of its own,
// on a second connection: the other core indexes words while the first
// writes tickets (indexing was a fifth of the load). Its tables are copied
// into the desk at the end.
type demoSearch struct {
	path string
	db   *sql.DB
	rows chan demoSearchRows
	done chan error
}

type demoSearchRows struct {
	flat   []any // rowid, subject, body of each ticket
	commit bool
}

func startDemoSearch(ctx context.Context, conn *sql.Conn) (*demoSearch, error) {
	var main, create string
	if err := conn.QueryRowContext(ctx, `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&main); err != nil {
		return nil, err
	}
	if main == "" {
		return nil, errors.New("store: demo: the desk has no database file")
	}
	if err := conn.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE name = 'ticket_search'`).Scan(&create); err != nil {
		return nil, err
	}
	ds := &demoSearch{path: main + ".search", rows: make(chan demoSearchRows, 4), done: make(chan error, 1)}
	ds.remove()
	db, err := sql.Open("sqlite", "file:"+ds.path+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	ds.db = db
	exec := execWith(ctx, db)
	// Collect many words in memory between writes. The pieces are merged
	// as they come, as in any desk: left all on the first level, the final
	// merge's one piece stayed there too, and the sixteenth small piece
	// written after it merged it again in one 4-second write.
	if err := exec(create); err != nil {
		db.Close()
		return nil, err
	}
	if err := setSearchIndex(exec, demoSearchLoading); err != nil {
		db.Close()
		return nil, err
	}
	go func() { ds.done <- ds.write(ctx) }()
	return ds, nil
}

func (ds *demoSearch) write(ctx context.Context) error {
	var failed error
	var tx *sql.Tx
	ins := &batchInsert{head: `INSERT INTO ticket_search (rowid, subject, body) VALUES `, cols: 3, rows: 2000}
	for r := range ds.rows {
		if failed != nil {
			continue // drain, so the sender never blocks
		}
		if tx == nil {
			if tx, failed = ds.db.BeginTx(ctx, nil); failed != nil {
				continue
			}
			ins.tx, ins.stmt = tx, nil
		}
		if failed = ins.addRows(ctx, r.flat); failed == nil && r.commit {
			failed = commitBatches(ctx, tx, ins)
			tx = nil
		}
	}
	if tx != nil {
		if failed != nil {
			tx.Rollback()
		} else {
			failed = commitBatches(ctx, tx, ins)
		}
	}
	return failed
}

// add hands one chunk's rows to the builder; commit ends its transaction.
func (ds *demoSearch) add(ctx context.Context, flat []any, commit bool) error {
	select {
	case ds.rows <- demoSearchRows{flat: flat, commit: commit}:
		return nil
	case err := <-ds.done:
		ds.done <- err
		if err == nil {
			err = errors.New("store: demo: search index builder stopped")
		}
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// finish writes what is left, then merges the index into one piece (left
// in the pieces it was written in, the first thousands of new tickets would
// each pay part of merging them) with SQLite's own settings for later writes.
func (ds *demoSearch) finish(ctx context.Context) error {
	close(ds.rows)
	err := <-ds.done
	ds.done <- err
	if err == nil {
		exec := execWith(ctx, ds.db)
		if err = setSearchIndex(exec, searchDefaults); err == nil {
			err = exec(`INSERT INTO ticket_search (ticket_search) VALUES ('optimize')`)
		}
	}
	if cerr := ds.db.Close(); err == nil {
		err = cerr
	}
	return err
}

// copyInto replaces the desk's (empty) search index with the one built.
func (ds *demoSearch) copyInto(ctx context.Context, conn *sql.Conn) error {
	exec := execWith(ctx, conn)
	if err := exec(`ATTACH DATABASE ? AS demo_search`, ds.path); err != nil {
		return err
	}
	defer exec(`DETACH DATABASE demo_search`)
	rows, err := conn.QueryContext(ctx, `SELECT name FROM demo_search.sqlite_schema WHERE type = 'table' AND name LIKE 'ticket\_search\_%' ESCAPE '\'`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if len(tables) == 0 {
		return errors.New("store: demo: the built search index has no tables")
	}
	if err := exec(`BEGIN IMMEDIATE`); err != nil {
		return err
	}
	for _, t := range tables {
		if err := exec(`DELETE FROM main.` + t); err != nil {
			exec(`ROLLBACK`)
			return err
		}
		if err := exec(`INSERT INTO main.` + t + ` SELECT * FROM demo_search.` + t); err != nil {
			exec(`ROLLBACK`)
			return err
		}
	}
	return exec(`COMMIT`)
}

func (ds *demoSearch) remove() {
	for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
		os.Remove(ds.path + suffix)
	}
}

// FTS5 settings of the search index: SQLite's defaults, and those of the
// demo's load.
var (
	searchDefaults    = [][2]any{{"hashsize", 1 << 20}, {"automerge", 4}, {"crisismerge", 16}}
	demoSearchLoading = [][2]any{{"hashsize", 64 << 20}, {"automerge", 4}, {"crisismerge", 16}}
)

func setSearchIndex(exec func(q string, args ...any) error, settings [][2]any) error {
	for _, kv := range settings {
		if err := exec(`INSERT INTO ticket_search (ticket_search, rank) VALUES (?, ?)`, kv[0], kv[1]); err != nil {
			return fmt.Errorf("search index %s: %w", kv[0], err)
		}
	}
	return nil
}

const demoBatch = 50000

func (s *Store) loadDemoTickets(ctx context.Context, conn *sql.Conn, d *demoDesk, search *demoSearch) error {
	o, rng := d.opts, d.rng
	end := s.nowMs()
	start := end - 365*24*3600*1000
	nContacts := max(50, o.Tickets/4)

	var tx *sql.Tx
	insTicket := &batchInsert{head: `INSERT INTO tickets (id, code, subject, status, priority, channel, department_id, assignee_id, contact_id, sort_key,
			postponed_until, postponed_from, preview, message_count, created_at, updated_at, updated_by) VALUES `, cols: 17, rows: 250}
	insMsg := &batchInsert{head: `INSERT INTO messages (ticket_id, kind, agent_id, contact_id, body, event, details, created_at) VALUES `, cols: 8, rows: 1000}
	insTag := &batchInsert{head: `INSERT INTO ticket_tags (ticket_id, tag) VALUES `, cols: 2, rows: 1000}
	insContact := &batchInsert{head: `INSERT INTO contacts (id, name, email, created_at) VALUES `, cols: 4, rows: 200}
	batches := []*batchInsert{insContact, insTicket, insMsg, insTag}
	begin := func() error {
		var err error
		if tx, err = conn.BeginTx(ctx, nil); err != nil {
			return err
		}
		for _, b := range batches {
			b.tx, b.stmt = tx, nil
		}
		return nil
	}
	commit := func() error { return commitBatches(ctx, tx, batches...) }
	if err := begin(); err != nil {
		return err
	}
	for i := 1; i <= nContacts; i++ {
		first, last := demoFirst[rng.IntN(len(demoFirst))], demoLast[rng.IntN(len(demoLast))]
		email := fmt.Sprintf("%s.%s.%d@customer.example", strings.ToLower(first), strings.ToLower(last), i)
		if err := insContact.add(ctx, i, first+" "+last, email, start); err != nil {
			tx.Rollback()
			return err
		}
	}
	if err := insContact.flush(ctx); err != nil {
		tx.Rollback()
		return err
	}
	// Tickets are made on one goroutine and written on this one: on two
	// cores making rows and SQLite's work overlap.
	genCtx, stop := context.WithCancel(ctx)
	defer stop()
	chunks := make(chan *demoChunk, 4)
	go d.generate(genCtx, start, end, nContacts, chunks)
	for ch := range chunks {
		for _, w := range []struct {
			b    *batchInsert
			rows []any
		}{{insTicket, ch.tickets}, {insMsg, ch.msgs}, {insTag, ch.tags}} {
			if err := w.b.addRows(ctx, w.rows); err != nil {
				tx.Rollback()
				return err
			}
		}
		if err := search.add(ctx, ch.search, ch.upto%demoBatch == 0); err != nil {
			tx.Rollback()
			return err
		}
		if ch.upto%demoBatch == 0 || ch.upto == o.Tickets {
			if err := commit(); err != nil {
				return err
			}
			if o.Progress != nil {
				o.Progress(ch.upto)
			}
			if ch.upto < o.Tickets {
				if err := begin(); err != nil {
					return err
				}
			}
		}
	}
	if o.Tickets == 0 {
		return commit()
	}
	return ctx.Err()
}

// generate makes the tickets of the demo in order and sends them in chunks.
func (d *demoDesk) generate(ctx context.Context, start, end int64, nContacts int, out chan<- *demoChunk) {
	defer close(out)
	o, rng := d.opts, d.rng
	ch := &demoChunk{}
	codeMul, codeAdd := uint64(0x5DEECE66D)|1, rng.Uint64()
	var body strings.Builder
	for i := 1; i <= o.Tickets; i++ {
		created := start + int64(i)*(end-start)/int64(o.Tickets+1) - rng.Int64N(60000)
		di := rng.IntN(len(d.depts))
		contact := int64(1 + rng.IntN(nContacts))
		status := pick(rng, demoStatusWeights)
		priority := Priority(pick(rng, demoPriorityWeights))
		channel := TicketChannels[pick(rng, demoChannelWeights)]
		topic := demoTopics[rng.IntN(len(demoTopics))]
		subject := topic.subjects[rng.IntN(len(topic.subjects))]
		st := TicketStatuses[status]
		var assignee int64
		assigneeIdx := -1
		if st != TicketNew && len(d.members[di]) > 0 && rng.IntN(10) < 8 {
			assigneeIdx = d.members[di][rng.IntN(len(d.members[di]))]
			assignee = d.ids[assigneeIdx]
		}
		// An agent who answers is the assignee, else any member.
		replier := assigneeIdx
		if replier < 0 && len(d.members[di]) > 0 {
			replier = d.members[di][rng.IntN(len(d.members[di]))]
		}

		type msg struct {
			kind    MessageKind
			agent   int64
			contact int64
			body    string
			event   Event
			details EventDetails
			at      int64
		}
		var thread []msg
		at := created
		step := func() int64 { at += 60000 + rng.Int64N(6*3600000); return at }
		logged := channel == ChannelCall || channel == ChannelChat
		creator := msg{kind: KindEvent, event: EventCreated, details: EventDetails{To: string(channel)}, at: created}
		if logged && replier >= 0 {
			creator.agent = d.ids[replier]
		} else {
			creator.contact = contact
		}
		thread = append(thread, msg{kind: KindCustomer, contact: contact, body: sentence(rng, topic), at: created}, creator)
		if assignee != 0 {
			thread = append(thread, msg{kind: KindEvent, agent: assignee, event: EventAssigned, details: EventDetails{Name: d.names[assigneeIdx]}, at: step()})
		}
		nMessages := 1 + rng.IntN(6)
		cur := TicketNew
		for k := 1; k < nMessages && replier >= 0 && st != TicketNew; k++ {
			switch {
			case k%2 == 1:
				thread = append(thread, msg{kind: KindReply, agent: d.ids[replier], body: demoReplies[rng.IntN(len(demoReplies))] + " " + sentence(rng, topic), at: step()})
				if cur != TicketAnswered {
					thread = append(thread, msg{kind: KindEvent, agent: d.ids[replier], event: EventStatus, details: EventDetails{From: string(cur), To: string(TicketAnswered)}, at: at})
					cur = TicketAnswered
				}
			case rng.IntN(4) == 0:
				thread = append(thread, msg{kind: KindNote, agent: d.ids[replier], body: "Internal: " + sentence(rng, topic), at: step()})
			default:
				thread = append(thread, msg{kind: KindCustomer, contact: contact, body: sentence(rng, topic), at: step()})
				thread = append(thread, msg{kind: KindEvent, contact: contact, event: EventStatus, details: EventDetails{From: string(cur), To: string(TicketOpen)}, at: at})
				cur = TicketOpen
			}
		}
		var postponedUntil any
		postponedFrom := ""
		if st != cur {
			var actor int64
			if replier >= 0 {
				actor = d.ids[replier]
			}
			ev := msg{kind: KindEvent, agent: actor, event: EventStatus, details: EventDetails{From: string(cur), To: string(st)}, at: step()}
			if st == TicketPostponed {
				until := end + rng.Int64N(14*24*3600000)
				postponedUntil, postponedFrom = until, string(TicketOpen)
				if cur == TicketNew {
					postponedFrom = string(TicketNew)
				}
				ev.event, ev.details.Until = EventPostponed, until
			}
			thread = append(thread, ev)
		}
		var tags []string
		for range rng.IntN(4) {
			tag := demoTags[rng.IntN(len(demoTags))]
			if !contains(tags, tag) {
				tags = append(tags, tag)
				thread = append(thread, msg{kind: KindEvent, agent: d.ids[max(replier, 0)], event: EventTagAdded, details: EventDetails{Name: tag}, at: step()})
			}
		}

		var count int
		var last, lastText string
		body.Reset()
		for _, m := range thread {
			if m.kind == KindEvent {
				continue
			}
			count++
			if m.kind != KindNote {
				lastText = m.body
			}
			if body.Len() > 0 {
				body.WriteByte('\n')
			}
			body.WriteString(m.body)
		}
		last = preview(lastText)
		lastAt := thread[len(thread)-1].at
		updatedBy := any(nil)
		if lm := thread[len(thread)-1]; lm.agent != 0 {
			updatedBy = lm.agent
		}
		code := demoCode(uint64(i)*codeMul + codeAdd)
		ch.tickets = append(ch.tickets, i, code, subject, st, priority, channel, d.depts[di], nullID(assignee), contact,
			sortKey(st, priority, created), postponedUntil, postponedFrom, last, count, created, lastAt, updatedBy)
		for _, m := range thread {
			details := ""
			if m.kind == KindEvent {
				b, _ := json.Marshal(m.details)
				details = string(b)
			}
			ch.msgs = append(ch.msgs, i, m.kind, nullID(m.agent), nullID(m.contact), m.body, m.event, details, m.at)
		}
		for _, tag := range tags {
			ch.tags = append(ch.tags, i, tag)
		}
		ch.search = append(ch.search, i, subject, body.String())
		if i%demoChunkSize == 0 || i == o.Tickets {
			ch.upto = i
			select {
			case out <- ch:
			case <-ctx.Done():
				return
			}
			ch = &demoChunk{}
		}
	}
}

// demoChunk is the rows of a run of generated tickets, as statement arguments.
type demoChunk struct {
	upto                        int
	tickets, msgs, tags, search []any
}

const demoChunkSize = 1000

// batchInsert writes rows many at a time: one statement of many VALUES rows
// costs far less than as many single-row statements.
type batchInsert struct {
	head       string
	cols, rows int
	tx         *sql.Tx
	stmt       *sql.Stmt
	args       []any
}

// execWith runs statements whose results are not needed on e (a database
// or one of its connections).
func execWith(ctx context.Context, e interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}) func(q string, args ...any) error {
	return func(q string, args ...any) error {
		_, err := e.ExecContext(ctx, q, args...)
		return err
	}
}

// commitBatches writes what each batch still holds, closes their statements
// and commits tx; on a failed write it rolls tx back.
func commitBatches(ctx context.Context, tx *sql.Tx, batches ...*batchInsert) error {
	for _, b := range batches {
		if err := b.flush(ctx); err != nil {
			tx.Rollback()
			return err
		}
		if b.stmt != nil {
			b.stmt.Close()
		}
	}
	return tx.Commit()
}

func (b *batchInsert) values(n int) string {
	row := "(" + placeholders(b.cols) + ")"
	return b.head + repeatArg(n, row)
}

func (b *batchInsert) add(ctx context.Context, args ...any) error {
	b.args = append(b.args, args...)
	if len(b.args) < b.cols*b.rows {
		return nil
	}
	if b.stmt == nil {
		st, err := b.tx.PrepareContext(ctx, b.values(b.rows))
		if err != nil {
			return err
		}
		b.stmt = st
	}
	_, err := b.stmt.ExecContext(ctx, b.args...)
	b.args = b.args[:0]
	return err
}

// addRows adds many rows given as one run of arguments.
func (b *batchInsert) addRows(ctx context.Context, flat []any) error {
	b.args = append(b.args, flat...)
	n := b.cols * b.rows
	off := 0
	for len(b.args)-off >= n {
		if b.stmt == nil {
			st, err := b.tx.PrepareContext(ctx, b.values(b.rows))
			if err != nil {
				return err
			}
			b.stmt = st
		}
		if _, err := b.stmt.ExecContext(ctx, b.args[off:off+n]...); err != nil {
			return err
		}
		off += n
	}
	b.args = append(b.args[:0], b.args[off:]...)
	return nil
}

func (b *batchInsert) flush(ctx context.Context) error {
	if len(b.args) == 0 {
		return nil
	}
	_, err := b.tx.ExecContext(ctx, b.values(len(b.args)/b.cols), b.args...)
	b.args = b.args[:0]
	return err
}

// demoCode spreads a counter over the code space: multiplying by an odd
// number is a bijection modulo 32^11, so codes never collide.
func demoCode(x uint64) string {
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

func pick(rng *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := rng.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func sentence(rng *rand.Rand, t demoTopic) string {
	return t.lines[rng.IntN(len(t.lines))] + " " + demoClosers[rng.IntN(len(demoClosers))]
}

// Weights follow TicketStatuses, Priorities and TicketChannels.
var (
	demoStatusWeights   = []int{6, 9, 12, 3, 62, 4, 4}
	demoPriorityWeights = []int{20, 55, 20, 5}
	demoChannelWeights  = []int{40, 25, 15, 15, 5}
)

var demoDepartments = []string{"Sales", "Support", "Billing", "Technical", "Returns", "Shipping", "Partners", "Accounts",
	"Onboarding", "Enterprise", "Marketplace", "Mobile app", "Web shop", "Warranty", "Compliance", "Careers", "Press",
	"Logistics", "Training", "Security"}

var demoFirst = []string{"Anna", "Piotr", "Maria", "Ion", "Elena", "Tomasz", "Sofia", "Andrei", "Julia", "Marek", "Ioana",
	"Karol", "Ewa", "Mihai", "Laura", "Jan", "Alex", "Zofia", "Radu", "Nina", "Oskar", "Clara", "Victor", "Ada"}

var demoLast = []string{"Nowak", "Popescu", "Kowalska", "Ionescu", "Wiśniewski", "Dumitru", "Lewandowska", "Stan", "Zieliński",
	"Marin", "Wójcik", "Tudor", "Kamińska", "Rusu", "Smith", "Jones", "Brown", "Novak", "Horvat", "Larsen"}

var demoTags = []string{"vip", "refund", "bug", "invoice", "delivery", "feedback", "password", "upgrade", "cancel",
	"warranty", "login", "mobile", "api", "gdpr", "discount", "outage", "feature request", "complaint"}

var demoReplies = []string{"Thank you for writing to us.", "Sorry for the trouble.", "Thanks for your patience.",
	"Good news:", "I checked this for you.", "Happy to help."}

var demoClosers = []string{"Thanks!", "Please advise.", "Kind regards.", "Can you help?", "This is urgent.",
	"Looking forward to your answer.", "Best wishes.", ""}

type demoTopic struct {
	subjects []string
	lines    []string
}

var demoTopics = []demoTopic{
	{[]string{"Invoice shows the wrong amount", "Need a copy of my invoice", "VAT number missing on invoice"},
		[]string{"The invoice for last month charges me twice for the same plan.", "Could you send the invoice again with our company address?",
			"Our accountant says the VAT number is missing on the invoice.", "The amount on the invoice does not match the order."}},
	{[]string{"Where is my parcel?", "Delivery is late", "Package arrived damaged"},
		[]string{"The tracking number has not changed for a week.", "The courier left the parcel at the wrong address.",
			"The box was crushed and the lamp inside is broken.", "I was promised delivery on Monday and it is Friday now."}},
	{[]string{"Cannot sign in", "Password reset email never arrives", "Account locked"},
		[]string{"I reset my password twice and still cannot sign in.", "The reset email does not arrive, not even in spam.",
			"My account says it is locked after three attempts.", "Two-factor codes from the app are rejected."}},
	{[]string{"Refund request", "Cancel my subscription", "Charged after cancelling"},
		[]string{"I cancelled within 14 days and would like a refund.", "Please cancel my subscription at the end of the month.",
			"You charged my card again after I cancelled.", "The refund has not reached my bank account yet."}},
	{[]string{"App crashes on start", "Error 500 on checkout", "Sync stopped working"},
		[]string{"Since the last update the mobile app closes right after it opens.", "Checkout fails with error 500 when I pay by card.",
			"Calendar sync stopped on all our laptops yesterday.", "The export button does nothing in Firefox."}},
	{[]string{"Question about the Pro plan", "Discount for nonprofits?", "Upgrade to more seats"},
		[]string{"Does the Pro plan include phone support?", "We are a charity; do you offer a discount?",
			"We need twelve more seats before the end of the quarter.", "Can we pay yearly by bank transfer?"}},
	{[]string{"Feature request: dark mode", "Suggestion for the reports page", "Feedback on the new design"},
		[]string{"It would be great to have a dark mode for night shifts.", "The reports page should let us filter by week.",
			"The new design is nice but the buttons are too small.", "Please add keyboard shortcuts for common actions."}},
}
