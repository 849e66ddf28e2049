package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"helpline/authz"
	"maps"
	"slices"
	"strings"
	"sync"

	"helpline/automation"
	"helpline/desk"
)

// Ticket creation is group-committed: CreateTicket hands its ticket to one
// goroutine, which writes every ticket already waiting in one transaction
// (writeBatch). Under load that turns one commit (and one search-index
// segment) per ticket into one per batch; alone, a ticket is written at
// once, as before.

// ErrClosed answers a ticket creation that arrives while the store closes.
var ErrClosed = errors.New("store is closed")

// maxIntakeBatch bounds how many tickets share a transaction, so one batch
// holds the writer for a few milliseconds at most.
const maxIntakeBatch = 64

type intake struct {
	// reqs is unbuffered: a send completes only when the loop takes the
	// ticket, so after the loop has stopped nothing can be left in a queue.
	reqs    chan *intakeRequest
	closing chan struct{}
	done    chan struct{}
	once    sync.Once
	stmts   *intakeStmts // prepared on the writer by the loop, on first use
}

type intakeRequest struct {
	actor *authz.Viewer
	in    NewTicketInput
	// fields are the values of ticket fields it arrived with, by field id,
	// already checked (CheckFieldValues).
	fields map[int64]string
	reply  chan intakeReply // buffered: the loop never waits for the caller
}

type intakeReply struct {
	code          string
	id, contactID int64 // what the ticket's kept pages read (changes.go)
	err           error
}

// startIntake starts the goroutine that writes new tickets; Close stops it.
func (s *Store) startIntake() *intake {
	in := &intake{reqs: make(chan *intakeRequest), closing: make(chan struct{}), done: make(chan struct{})}
	go s.runIntake(in)
	return in
}

// stop refuses new tickets, lets the batch being written finish and answer
// its callers, and waits for the loop to end.
func (in *intake) stop() {
	in.once.Do(func() { close(in.closing) })
	<-in.done
}

func (s *Store) runIntake(in *intake) {
	defer close(in.done)
	defer func() { in.stmts.close() }()
	batch := make([]*intakeRequest, 0, maxIntakeBatch)
	for {
		select {
		case r := <-in.reqs:
			batch = append(batch[:0], r)
		case <-in.closing:
			return
		}
		// Take what is already waiting; never wait for more.
	drain:
		for len(batch) < maxIntakeBatch {
			select {
			case r := <-in.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		s.writeBatch(in, batch)
		clear(batch)
	}
}

// CreateTicket stores a New ticket with its first customer message. An agent
// (actor non-nil) may only log tickets into departments they see; the contact
// form (actor nil) into any department.
//
// The ticket is written together with others arriving at the same moment, in
// one transaction; the code is returned once that transaction has committed.
// A caller whose ctx ends after handing the ticket over stops waiting and
// gets ctx's error, but the ticket may still be stored.
//
// Input that breaks desk's intake rules is refused with desk.FieldErrors
// before anything is written, whoever the caller.
func (s *Store) CreateTicket(ctx context.Context, actor *authz.Viewer, in NewTicketInput) (string, error) {
	return s.CreateTicketWithFields(ctx, actor, in, nil)
}

// CreateTicketWithFields is CreateTicket for a ticket that arrives with
// values of ticket fields (by field id, checked by CheckFieldValues): they
// are written in the ticket's transaction.
func (s *Store) CreateTicketWithFields(ctx context.Context, actor *authz.Viewer, in NewTicketInput, fields map[int64]string) (string, error) {
	// The department is allowed here as given: whether it exists and the
	// actor may log into it is checked in the transaction (lookUp), where it
	// cannot change before the ticket is written.
	// A ticket an agent's API token sends arrives by the API channel, not
	// one an agent logs by hand; its department is checked all the same.
	byHand := actor != nil && in.Channel != desk.ChannelAPI
	in, problems := desk.ValidateTicket(in, desk.Intake{ByAgent: byHand, Departments: []int64{in.DepartmentID}})
	if problems != nil {
		return "", fmt.Errorf("store: create ticket: %w", problems)
	}
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("store: create ticket: %w", err)
	}
	r := &intakeRequest{in: in, fields: fields, reply: make(chan intakeReply, 1)}
	if actor != nil {
		a := *actor
		r.actor = &a
	}
	select {
	case s.intake.reqs <- r:
	case <-s.intake.closing:
		return "", fmt.Errorf("store: create ticket: %w", ErrClosed)
	case <-ctx.Done():
		return "", fmt.Errorf("store: create ticket: %w", ctx.Err())
	}
	select {
	case rep := <-r.reply:
		if rep.err != nil {
			return "", fmt.Errorf("store: create ticket: %w", rep.err)
		}
		return rep.code, nil
	case <-ctx.Done():
		return "", fmt.Errorf("store: create ticket (may still be stored): %w", ctx.Err())
	}
}

// writeBatch writes a batch in one transaction and answers every caller
// after the commit. A ticket that fails is left out and its caller gets the
// error; the others are kept. An error that spoils the transaction itself
// (or the commit) goes to every caller.
//
// The first pass writes the tickets, then all their first messages in one
// statement. A ticket refused before anything of it is written (an unknown
// department) is just skipped. A ticket that fails part-way has written rows
// that must go, so the pass is rolled back and the batch is written again
// with each ticket inside its own savepoint, rolled back alone when it fails.
//
// Why not savepoints and one statement per message from the start: FTS5
// writes its pending terms into a new index segment at every savepoint,
// including the one SQLite opens around each statement that may need
// undoing (any insert into messages, whose trigger feeds the index). One
// statement for every message of the batch gives the index one segment per
// batch instead of one per ticket, and pages changed under a savepoint are
// copied to its journal first.
func (s *Store) writeBatch(in *intake, batch []*intakeRequest) {
	// The batch's own deadline: a caller's context must not interrupt
	// statements that carry other callers' tickets.
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	replies := make([]intakeReply, len(batch))
	var err error
	if in.stmts == nil {
		in.stmts, err = prepareIntake(ctx, s.w, s.pg)
	}
	if err == nil {
		// Outside the transaction: the writer's one connection is free.
		in.stmts.prepareMessages(ctx, s.w, len(batch))
		// Each run starts its answers afresh: a write may be run again
		// (writeTx).
		// New tickets change their departments' queues and their
		// requesters' lists, nothing else a kept page reads; the desk's
		// first ticket also ends the hints on setup.
		setup, serr := s.Setup(ctx)
		first := serr != nil || !setup.HasTickets
		write := func(insert func(context.Context, txStmts, []*intakeRequest, []intakeReply) error) error {
			return s.writeTickets(ctx, func(tx *sql.Tx, ch *Change) error {
				clear(replies)
				if err := s.countAtCommit(ctx, tx); err != nil {
					return err
				}
				if err := insert(ctx, in.stmts.in(ctx, tx), batch, replies); err != nil {
					return err
				}
				ch.All = first
				for i, r := range replies {
					if r.code != "" {
						ch.Ticket(r.id, batch[i].in.DepartmentID, r.contactID)
					}
				}
				return s.countNewTickets(ctx, tx, batch, replies)
			})
		}
		insert := s.insertBatch
		if s.pg {
			insert = s.pgInsertBatch // pg_intake.go
		}
		err = write(insert)
		if errors.Is(err, errIsolate) {
			err = write(s.insertIsolated)
		}
	}
	for i, r := range batch {
		if err != nil {
			replies[i] = intakeReply{err: err}
		}
		r.reply <- replies[i]
	}
}

// countAtCommit tells PostgreSQL's count trigger to leave the batch's new
// tickets to countNewTickets (migrations/postgres/0010): the batch then
// holds the department's count row only for the moment before it commits,
// so batches of several instances do not take turns for their whole
// length. SQLite, with one writer, counts them in its trigger.
func (s *Store) countAtCommit(ctx context.Context, tx *sql.Tx) error {
	if !s.pg {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT set_config('helpline.counted_by_intake', 'on', true)`)
	return err
}

// countNewTickets adds the batch's stored tickets (New, or Spam from a banned address) to the kept
// counts, one statement per department, in department order so batches
// never wait on each other in a circle.
func (s *Store) countNewTickets(ctx context.Context, tx *sql.Tx, batch []*intakeRequest, replies []intakeReply) error {
	if !s.pg {
		return nil
	}
	type key struct {
		dept   int64
		status TicketStatus
	}
	counts := map[key]int{}
	for i, r := range batch {
		if replies[i].err == nil && replies[i].code != "" {
			counts[key{r.in.DepartmentID, intakeStatus(r.in)}]++
		}
	}
	keys := slices.SortedFunc(maps.Keys(counts), func(a, b key) int {
		if a.dept != b.dept {
			return cmp.Compare(a.dept, b.dept)
		}
		return cmp.Compare(a.status, b.status)
	})
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_counts (department_id, status, n) VALUES (?, ?, ?)
			ON CONFLICT (department_id, status) DO UPDATE SET n = ticket_counts.n + excluded.n`, k.dept, string(k.status), counts[k]); err != nil {
			return err
		}
	}
	return nil
}

// intakeStatus is the status a ticket is written with: New, or Spam when it
// came from a banned address.
func intakeStatus(in NewTicketInput) TicketStatus {
	if in.Spam {
		return TicketSpam
	}
	return TicketNew
}

// errIsolate asks for the batch to be written again with savepoints.
var errIsolate = errors.New("a ticket failed part-way")

// insertBatch writes the tickets, then their first messages; it answers
// errIsolate when a ticket fails after writing.
func (s *Store) insertBatch(ctx context.Context, st txStmts, batch []*intakeRequest, replies []intakeReply) error {
	m, err := s.maskerIn(ctx, st.tx)
	if err != nil {
		return err
	}
	rows := make([]newTicketRow, 0, len(batch))
	for i, r := range batch {
		in := maskTicket(m, r.in)
		contactID, err := st.lookUp(ctx, r.actor, in)
		if err != nil {
			if !errors.Is(err, ErrNotFound) {
				return err
			}
			replies[i].err = err
			continue
		}
		row, err := st.insertTicket(ctx, s.nowMs(), r.actor, in, r.fields, contactID)
		if err != nil {
			return fmt.Errorf("%w: %w", errIsolate, err)
		}
		replies[i].code, replies[i].id, replies[i].contactID = row.code, row.id, row.contactID
		rows = append(rows, row)
	}
	return finishBatch(ctx, st, rows)
}

// finishBatch writes what follows a batch's new tickets on either engine:
// their first messages, the contact form's private links, the queue's
// hooks, the SLA clocks and the rules' triggers. A failure asks for the
// batch again with savepoints.
func finishBatch(ctx context.Context, st txStmts, rows []newTicketRow) error {
	if len(rows) == 0 {
		return nil
	}
	if err := followNewTickets(ctx, st, rows); err != nil {
		return fmt.Errorf("%w: %w", errIsolate, err)
	}
	return nil
}

// followNewTickets is finishBatch's work, and a ticket's own in a batch
// written one by one.
func followNewTickets(ctx context.Context, st txStmts, rows []newTicketRow) error {
	if err := st.insertFirstMessages(ctx, rows); err != nil {
		return err
	}
	if st.sqliteRefs {
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r.id
		}
		if err := insertTicketRefs(ctx, st.tx, ids); err != nil {
			return err
		}
	}
	if err := insertCustomerLinks(ctx, st.tx, rows); err != nil {
		return err
	}
	if err := queueHooksCreated(ctx, st.tx, rows); err != nil {
		return err
	}
	if err := startSLAOnCreation(ctx, st.tx, rows); err != nil {
		return err
	}
	for _, r := range rows {
		noteTrigger(st.tx, r.id, automation.TicketCreated)
	}
	return nil
}

// insertIsolated writes each ticket inside its own savepoint and rolls a
// failing one back alone.
func (s *Store) insertIsolated(ctx context.Context, st txStmts, batch []*intakeRequest, replies []intakeReply) error {
	m, err := s.maskerIn(ctx, st.tx)
	if err != nil {
		return err
	}
	for i, r := range batch {
		if _, err := st.savepoint.ExecContext(ctx); err != nil {
			return err
		}
		var row newTicketRow
		in := maskTicket(m, r.in)
		contactID, err := st.lookUp(ctx, r.actor, in)
		if err == nil {
			row, err = st.insertTicket(ctx, s.nowMs(), r.actor, in, r.fields, contactID)
		}
		if err == nil {
			err = followNewTickets(ctx, st, []newTicketRow{row})
		}
		if err != nil {
			if _, rerr := st.rollbackTo.ExecContext(ctx); rerr != nil {
				return fmt.Errorf("%w (after %w)", rerr, err)
			}
			replies[i].err = err
		} else {
			replies[i].code, replies[i].id, replies[i].contactID = row.code, row.id, row.contactID
		}
		if _, err := st.release.ExecContext(ctx); err != nil {
			return err
		}
	}
	return nil
}

// newTicketRow is a ticket written, waiting for its first messages.
type newTicketRow struct {
	code                  string
	id, contactID, author int64 // author: the agent who logged it, or 0
	body                  string
	channel               Channel
	lang                  string // the customer's language, for the private link
	now                   int64
}

// lookUp reads what a ticket needs before anything of it is written: it
// answers ErrNotFound unless the department exists and the actor may log
// tickets into it (the contact form, nil, into any), and the id of the
// contact with that email, 0 when new.
func (st txStmts) lookUp(ctx context.Context, actor *authz.Viewer, in NewTicketInput) (int64, error) {
	seesAll, actorID := true, int64(0)
	if actor != nil {
		seesAll, actorID = actor.Can(authz.TicketsReadAll), actor.ID
	}
	var ok bool
	var contactID int64
	email := NormalizeEmail(in.ContactEmail)
	err := st.lookup.QueryRowContext(ctx, in.DepartmentID, seesAll, actorID, email, email).Scan(&ok, &contactID)
	if err != nil {
		return 0, fmt.Errorf("department %d: %w", in.DepartmentID, err)
	}
	if !ok {
		return 0, ErrNotFound
	}
	return contactID, nil
}

// insertTicket writes a ticket, and its contact when new (contactID 0), into
// a department already checked. The ticket counts its first message and
// shows its preview from the start, so the message needs no update of the
// ticket afterwards.
func (st txStmts) insertTicket(ctx context.Context, now int64, actor *authz.Viewer, in NewTicketInput, fields map[int64]string, contactID int64) (newTicketRow, error) {
	row := newTicketRow{contactID: contactID, body: in.Body, channel: in.Channel, lang: in.Lang, now: now}
	if actor != nil {
		row.author = actor.ID
	}
	if row.contactID == 0 {
		email := NormalizeEmail(in.ContactEmail)
		if err := st.contact.QueryRowContext(ctx, in.ContactName, email, now).Scan(&row.contactID); err != nil {
			return row, fmt.Errorf("contact %s: %w", email, err)
		}
	}
	var err error
	for range 5 {
		row.code = NewTicketCode()
		err = st.ticket.QueryRowContext(ctx, row.code, in.Subject, intakeStatus(in), in.Priority, in.Channel, in.DepartmentID, row.contactID,
			sortKey(intakeStatus(in), in.Priority, now), preview(in.Body), now, now, nullID(row.author)).Scan(&row.id)
		if err = uniqueViolation(err, "code"); !errors.As(err, new(ErrConflict)) {
			break
		}
	}
	if err == nil && len(fields) > 0 {
		err = insertFieldValues(ctx, st.tx, row.id, fields)
	}
	if err == nil && in.SenderIP != "" {
		// Only customers' tickets have one (migrations/*/0017).
		_, err = st.tx.ExecContext(ctx, `INSERT INTO ticket_senders (ticket_id, ip) VALUES (?, ?)`, row.id, in.SenderIP)
	}
	return row, err
}

// insertTicketRefs writes the codes and requesters of new tickets into
// SQLite's ticket_refs in one statement, after every ticket of the batch
// (migrations/sqlite/0035 says why not per ticket).
func insertTicketRefs(ctx context.Context, tx *sql.Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	q := `INSERT INTO ticket_refs (rowid, code, requester)
		SELECT t.id, t.code, c.name || ' ' || c.email FROM tickets t JOIN contacts c ON c.id = t.contact_id
		WHERE t.id IN (` + strings.Repeat("?, ", len(ids)-1) + `?)`
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("search references of %d tickets: %w", len(ids), err)
	}
	return nil
}

// insertFirstMessages writes each ticket's customer message and creation
// event, in this order, in one statement.
func (st txStmts) insertFirstMessages(ctx context.Context, rows []newTicketRow) error {
	args := make([]any, 0, len(rows)*2*messageColumns)
	for _, t := range rows {
		details, err := json.Marshal(EventDetails{To: string(t.channel)})
		if err != nil {
			return err
		}
		// The contact form creates on the contact's behalf; an agent logs it.
		evContact := nullID(t.contactID)
		if t.author != 0 {
			evContact = nil
		}
		args = append(args,
			t.id, KindCustomer, nil, t.contactID, t.body, "", "", t.now,
			t.id, KindEvent, nullID(t.author), evContact, "", EventCreated, string(details), t.now)
	}
	var err error
	if stmt := st.messages[len(rows)]; stmt != nil {
		_, err = st.tx.StmtContext(ctx, stmt).ExecContext(ctx, args...)
	} else {
		_, err = st.tx.ExecContext(ctx, firstMessagesSQL(len(rows)), args...)
	}
	if err != nil {
		return fmt.Errorf("first messages of %d tickets: %w", len(rows), err)
	}
	return nil
}

const messageColumns = 8

// firstMessagesSQL inserts the first two messages of n tickets.
func firstMessagesSQL(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO messages (ticket_id, kind, agent_id, contact_id, body, event, details, created_at) VALUES `)
	for i := range 2 * n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
	}
	return b.String()
}

// intakeStmts are the statements of a ticket creation, prepared once on the
// writer: parsing them for every ticket was a good part of its cost.
type intakeStmts struct {
	savepoint, rollbackTo, release *sql.Stmt
	lookup, contact, ticket        *sql.Stmt
	// messages[n] is firstMessagesSQL(n), prepared for the batch sizes seen.
	messages map[int]*sql.Stmt
	// sqliteRefs: the batch writes its tickets' ticket_refs itself (SQLite;
	// PostgreSQL's trigger does it).
	sqliteRefs bool
}

// txStmts are the statements bound to one transaction, which closes them.
type txStmts struct {
	intakeStmts
	tx *sql.Tx
}

func prepareIntake(ctx context.Context, w *sql.DB, pg bool) (*intakeStmts, error) {
	st := &intakeStmts{messages: map[int]*sql.Stmt{}, sqliteRefs: !pg}
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{
		{&st.savepoint, `SAVEPOINT new_ticket`},
		{&st.rollbackTo, `ROLLBACK TO new_ticket`},
		{&st.release, `RELEASE new_ticket`},
		{&st.lookup, `SELECT EXISTS (SELECT 1 FROM departments WHERE id = ?
				AND (? OR id IN (SELECT department_id FROM department_members WHERE agent_id = ?))),
			coalesce((SELECT id FROM contacts WHERE email = ?), (SELECT contact_id FROM contact_emails WHERE email = ?), 0)`},
		// An existing contact keeps its name: a public form must not rename
		// people. lookUp finds existing ones (also those made earlier in the
		// batch), so the conflict clause only keeps emails unique.
		{&st.contact, `INSERT INTO contacts (name, email, created_at) VALUES (?, ?, ?)
			ON CONFLICT (email) DO UPDATE SET email = excluded.email
			RETURNING id`},
		{&st.ticket, `INSERT INTO tickets (code, subject, status, priority, channel, department_id, contact_id,
			sort_key, preview, message_count, created_at, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
			RETURNING id`},
	} {
		var err error
		if *p.dst, err = w.PrepareContext(ctx, p.sql); err != nil {
			st.close()
			return nil, fmt.Errorf("prepare ticket creation: %w", err)
		}
	}
	return st, nil
}

// prepareMessages prepares the first messages of n tickets, and of one for
// the savepoint pass. Failing is fine: the statement then runs unprepared.
func (st *intakeStmts) prepareMessages(ctx context.Context, w *sql.DB, n int) {
	for _, k := range []int{1, n} {
		if st.messages[k] != nil {
			continue
		}
		if stmt, err := w.PrepareContext(ctx, firstMessagesSQL(k)); err == nil {
			st.messages[k] = stmt
		}
	}
}

// in returns the statements bound to tx.
func (st *intakeStmts) in(ctx context.Context, tx *sql.Tx) txStmts {
	return txStmts{tx: tx, intakeStmts: intakeStmts{
		savepoint: tx.StmtContext(ctx, st.savepoint), rollbackTo: tx.StmtContext(ctx, st.rollbackTo),
		release: tx.StmtContext(ctx, st.release), lookup: tx.StmtContext(ctx, st.lookup),
		contact: tx.StmtContext(ctx, st.contact), ticket: tx.StmtContext(ctx, st.ticket),
		messages:   st.messages, // bound when used: one per transaction
		sqliteRefs: st.sqliteRefs,
	}}
}

func (st *intakeStmts) close() {
	if st == nil {
		return
	}
	for _, s := range []*sql.Stmt{st.savepoint, st.rollbackTo, st.release, st.lookup, st.contact, st.ticket} {
		if s != nil {
			s.Close()
		}
	}
	for _, s := range st.messages {
		s.Close()
	}
}
