package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"helpline/authz"
	"strings"
	"time"
)

// The rows a Bulk adds: accounts, contacts, then tickets with their threads.

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
	Role         authz.Role
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
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO departments (name, description, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		d.Name, d.Description, now, now, nullID(d.By)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: bulk department %q: %w", d.Name, uniqueViolation(err, "name"))
	}
	return id, nil
}

// AddAgent adds an active agent and returns their id.
func (b *Bulk) AddAgent(ctx context.Context, a BulkAgent) (int64, error) {
	tx, err := b.before(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: bulk agent %s: %w", a.Email, err)
	}
	now := b.s.nowMs()
	builtin, customID := roleColumns(a.Role)
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO agents (name, email, role, custom_role_id, status, password_hash, language, created_at, updated_at, updated_by)
		VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?, ?) RETURNING id`, a.Name, NormalizeEmail(a.Email), builtin, customID, a.PasswordHash, a.Language, now, now, nullID(a.By)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: bulk agent %s: %w", a.Email, uniqueViolation(err, "email"))
	}
	return id, nil
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
	add := b.contacts.addRows
	if b.s.pg {
		add = b.addContactsPG
	}
	if err := add(ctx, flat); err != nil {
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
	if b.tickets == nil && b.s.pg {
		// The rows before stay in the load's one transaction.
		b.tickets = startPGCopier(ctx, b.conn, b.o.Progress)
	}
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
	rows, search, err := bulkTicketRows(tickets, !b.s.pg)
	if err != nil {
		return fmt.Errorf("store: bulk tickets: %w", err)
	}
	b.sinceCommit += len(tickets)
	commit := b.sinceCommit >= bulkCommitEvery
	if commit {
		b.sinceCommit = 0
	}
	if b.s.pg {
		// The search documents are written from the rows at Finish.
		if rows, err = b.pgTicketCopies(rows); err != nil {
			return fmt.Errorf("store: bulk tickets: %w", err)
		}
		rows.commit, rows.tickets = commit, len(tickets)
		if err := b.tickets.send(ctx, rows); err != nil {
			return fmt.Errorf("store: bulk tickets: %w", err)
		}
		return nil
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
// and tags (one set each), and with withSearch of their search documents.
func bulkTicketRows(tickets []BulkTicket, withSearch bool) (rows bulkRows, search []any, err error) {
	nMsgs, nTags := 0, 0
	for i := range tickets {
		nMsgs += len(tickets[i].Thread)
		nTags += len(tickets[i].Tags)
	}
	tk := make([]any, 0, 17*len(tickets))
	msgs := make([]any, 0, 8*nMsgs)
	tags := make([]any, 0, 2*nTags)
	if withSearch {
		search = make([]any, 0, 3*len(tickets))
	}
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
				if withSearch {
					if body.Len() > 0 {
						body.WriteByte('\n')
					}
					body.WriteString(m.Body)
				}
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
		if withSearch {
			search = append(search, t.ID, t.Subject, body.String())
		}
	}
	return bulkRows{sets: [][]any{tk, msgs, tags}}, search, nil
}
