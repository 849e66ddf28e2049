package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"helpline/authz"
	"math"
	"strings"
	"time"

	"helpline/desk"
)

// TicketStatus is where a ticket stands (SPEC §4).
type TicketStatus string

const (
	TicketNew       TicketStatus = "new"
	TicketOpen      TicketStatus = "open"
	TicketAnswered  TicketStatus = "answered"
	TicketPostponed TicketStatus = "postponed"
	TicketResolved  TicketStatus = "resolved"
	TicketSpam      TicketStatus = "spam"
	TicketDeleted   TicketStatus = "deleted"
)

// TicketStatuses lists the statuses in queue order.
var TicketStatuses = []TicketStatus{TicketNew, TicketOpen, TicketAnswered, TicketPostponed, TicketResolved, TicketSpam, TicketDeleted}

// Valid reports whether st is a known status.
func (st TicketStatus) Valid() bool {
	for _, v := range TicketStatuses {
		if v == st {
			return true
		}
	}
	return false
}

// The channels and priorities are desk's: its intake rules check them for
// every way a ticket comes in. The names stay here so callers need not change.
type (
	Channel  = desk.Channel
	Priority = desk.Priority
)

const (
	ChannelEmail       = desk.ChannelEmail
	ChannelContactForm = desk.ChannelContactForm
	ChannelChat        = desk.ChannelChat
	ChannelCall        = desk.ChannelCall
	ChannelAPI         = desk.ChannelAPI

	PriorityLow    = desk.PriorityLow
	PriorityNormal = desk.PriorityNormal
	PriorityHigh   = desk.PriorityHigh
	PriorityUrgent = desk.PriorityUrgent
)

var (
	TicketChannels = desk.Channels
	LoggedChannels = desk.LoggedChannels
	Priorities     = desk.Priorities
)

// statusGroup ranks statuses for the queue: New and Open share the first place.
func statusGroup(st TicketStatus) int64 {
	switch st {
	case TicketNew, TicketOpen:
		return 0
	case TicketAnswered:
		return 1
	case TicketPostponed:
		return 2
	case TicketResolved:
		return 3
	case TicketSpam:
		return 4
	default:
		return 5
	}
}

const createdBits = 42 // milliseconds up to the year 2109

// sortKey is the queue order in one integer: status group, then priority
// (urgent first), then age (oldest first). See migrations/0004_tickets.sql.
func sortKey(st TicketStatus, p Priority, createdMs int64) int64 {
	rank := statusGroup(st)*4 + int64(PriorityUrgent-p)
	return rank<<createdBits | (createdMs & (1<<createdBits - 1))
}

// SortKey exposes the queue order for tools that write tickets in bulk.
func SortKey(st TicketStatus, p Priority, createdMs int64) int64 { return sortKey(st, p, createdMs) }

// activeKeyLimit: every ticket that is neither Spam nor Deleted sorts below it.
var activeKeyLimit = int64(4*4) << createdBits

// Viewer returns the agent as who is acting: their permissions decide what
// they see and may do.
func (a Agent) Viewer() authz.Viewer { return authz.Viewer{ID: a.ID, Perms: a.Perms} }

// scopeSQL is the row-level scope of v on tickets aliased t. It lives in the
// query, so out-of-scope tickets and missing ones both come back empty.
func scopeSQL(v authz.Viewer) (string, []any) {
	if v.Can(authz.TicketsReadAll) {
		return "TRUE", nil
	}
	return "t.department_id IN (SELECT department_id FROM department_members WHERE agent_id = ?)", []any{v.ID}
}

// Ticket is one ticket with the names the pages show.
type Ticket struct {
	ID             int64
	Code           string
	Subject        string
	Status         TicketStatus
	Priority       Priority
	Channel        Channel
	DepartmentID   int64
	DepartmentName string
	AssigneeID     int64
	AssigneeName   string
	ContactID      int64
	ContactName    string
	ContactEmail   string
	PostponedUntil time.Time
	Preview        string
	MessageCount   int
	SortKey        int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// UpdatedByName is who changed it last: an agent (marked when removed)
	// or, for a customer's message, the contact.
	UpdatedByName string
	Tags          []string
	// Unread: the viewer has unread notifications about it (the queue
	// sets it; see UnreadTickets).
	Unread bool
	// Due is the earliest due time of its running SLA clocks (zero: none).
	Due time.Time
}

const ticketColumns = `t.id, t.code, t.subject, t.status, t.priority, t.channel, t.department_id, d.name,
	coalesce(t.assignee_id, 0), coalesce(a.name, ''), a.removed_at IS NOT NULL,
	t.contact_id, c.name, c.email, t.postponed_until, t.preview, t.message_count, t.sort_key,
	t.created_at, t.updated_at, coalesce(u.name, c.name), u.removed_at IS NOT NULL, t.sla_due`

// ticketJoins keeps tickets outermost (CROSS JOIN fixes the order): the
// planner must walk a tickets index in queue order and stop after a page.
// With statistics of a large desk it would otherwise start from the few
// departments and sort every ticket.
const ticketJoins = ` FROM tickets t
	CROSS JOIN departments d ON d.id = t.department_id
	CROSS JOIN contacts c ON c.id = t.contact_id
	LEFT JOIN agents a ON a.id = t.assignee_id
	LEFT JOIN agents u ON u.id = t.updated_by`

func scanTicket(row interface{ Scan(...any) error }) (Ticket, error) {
	var t Ticket
	var assigneeRemoved, updaterRemoved bool
	var postponed, due sql.NullInt64
	var created, updated int64
	err := row.Scan(&t.ID, &t.Code, &t.Subject, &t.Status, &t.Priority, &t.Channel, &t.DepartmentID, &t.DepartmentName,
		&t.AssigneeID, &t.AssigneeName, &assigneeRemoved, &t.ContactID, &t.ContactName, &t.ContactEmail,
		&postponed, &t.Preview, &t.MessageCount, &t.SortKey, &created, &updated, &t.UpdatedByName, &updaterRemoved, &due)
	if err != nil {
		return Ticket{}, err
	}
	if assigneeRemoved {
		t.AssigneeName += removedMark
	}
	if updaterRemoved {
		t.UpdatedByName += removedMark
	}
	t.PostponedUntil, t.Due = nullMsToTime(postponed), nullMsToTime(due)
	t.CreatedAt, t.UpdatedAt = msToTime(created), msToTime(updated)
	return t, nil
}

// removedMark follows a removed agent's name in history (Agent.DisplayName).
const removedMark = " (removed)"

// TicketByCode returns a ticket the viewer may see, with its tags; any other
// code answers ErrNotFound.
func (s *Store) TicketByCode(ctx context.Context, v authz.Viewer, code string) (Ticket, error) {
	scope, args := scopeSQL(v)
	t, err := scanTicket(s.rd.QueryRowContext(ctx, `SELECT `+ticketColumns+ticketJoins+`
		WHERE t.code = ? AND `+scope, append([]any{code}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return Ticket{}, ErrNotFound
	}
	if err != nil {
		return Ticket{}, fmt.Errorf("store: ticket %s: %w", code, err)
	}
	tags, err := s.tagsOf(ctx, []int64{t.ID})
	if err != nil {
		return Ticket{}, err
	}
	t.Tags = tags[t.ID]
	return t, nil
}

// tagsOf returns the tags of a few tickets, sorted.
func (s *Store) tagsOf(ctx context.Context, ids []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.rd.QueryContext(ctx, `SELECT ticket_id, tag FROM ticket_tags WHERE ticket_id IN (`+placeholders(len(ids))+`) ORDER BY ticket_id, tag`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: ticket tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var tag string
		if err := rows.Scan(&id, &tag); err != nil {
			return nil, fmt.Errorf("store: ticket tags: %w", err)
		}
		out[id] = append(out[id], tag)
	}
	return out, rows.Err()
}

func placeholders(n int) string {
	return repeatArg(n, "?")
}

// A value that a query compares with an indexed column, in a query with
// ORDER BY, is bound through a CAST. Bound bare, each new value made SQLite
// prepare the statement again at its first step (measured: a department's
// page of keys took 58-72 µs instead of 38-40); through a CAST it is planned
// once and searches the index the same way.
const (
	intArg  = "CAST(? AS BIGINT)"
	textArg = "CAST(? AS TEXT)"
)

// repeatArg is n parameters of one kind, comma-separated.
func repeatArg(n int, arg string) string {
	return strings.TrimSuffix(strings.Repeat(arg+", ", n), ", ")
}

// codeAlphabet leaves out letters and digits people mix up (0/O, 1/I).
const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// NewTicketCode returns a random public code like XKB-4F2QD-9TR.
func NewTicketCode() string {
	var b [11]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	out := make([]byte, 0, 13)
	for i, c := range b {
		if i == 3 || i == 8 {
			out = append(out, '-')
		}
		out = append(out, codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return string(out)
}

// fillTicketRefsSQL writes the code-and-requester search documents of
// every ticket (migrations/0007_ticket_refs.sql): for a load that dropped the
// tickets' triggers while it wrote.
const fillTicketRefsSQL = `INSERT INTO ticket_refs (rowid, code, requester)
	SELECT t.id, t.code, c.name || ' ' || c.email FROM tickets t JOIN contacts c ON c.id = t.contact_id`

// NormalizeCode reads a ticket code as people type it: any letter case,
// with or without its dashes, spaces around or inside. It returns the code
// as stored (XKB-4F2QD-9TR) and whether s was one. Without dashes only a
// run with a digit counts: "Information" is a word, not a code.
func NormalizeCode(s string) (string, bool) {
	var b []byte
	dashes, digits := 0, 0
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == '-':
			if len(b) != 3 && len(b) != 8 {
				return "", false
			}
			dashes++
		case r == ' ':
		case r >= 'a' && r <= 'z':
			b = append(b, byte(r-'a'+'A'))
		case r >= 'A' && r <= 'Z':
			b = append(b, byte(r))
		case r >= '0' && r <= '9':
			b = append(b, byte(r))
			digits++
		default:
			return "", false
		}
		if len(b) > 11 {
			return "", false
		}
	}
	if len(b) != 11 || (dashes != 2 && digits == 0) {
		return "", false
	}
	return string(b[:3]) + "-" + string(b[3:8]) + "-" + string(b[8:]), true
}

// NewTicketInput is a ticket as it arrives: from the contact form (no actor)
// or logged by an agent. CreateTicket checks it with desk.ValidateTicket.
type NewTicketInput = desk.TicketInput

// preview is the start of a message, on one line, for the queue.
func preview(body string) string {
	p := strings.Join(strings.Fields(body), " ")
	if r := []rune(p); len(r) > 140 {
		p = string(r[:140]) + "…"
	}
	return p
}

// Assignable is an agent a ticket of a department may be assigned to.
type Assignable struct {
	ID   int64
	Name string
}

// AssignableAgents lists the active agents who work tickets in a department.
func (s *Store) AssignableAgents(ctx context.Context, departmentID int64) ([]Assignable, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT a.id, a.name FROM department_members m JOIN agents a ON a.id = m.agent_id
		WHERE m.department_id = ? AND m.tickets = 1 AND a.removed_at IS NULL AND a.status = 'active'
		ORDER BY a.name COLLATE NOCASE, a.id`, departmentID)
	if err != nil {
		return nil, fmt.Errorf("store: agents of department %d: %w", departmentID, err)
	}
	defer rows.Close()
	var out []Assignable
	for rows.Next() {
		var a Assignable
		if err := rows.Scan(&a.ID, &a.Name); err != nil {
			return nil, fmt.Errorf("store: agents of department %d: %w", departmentID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AssignableInScope lists the active agents who work tickets in any
// department the viewer sees: the choices of a bulk assignment.
func (s *Store) AssignableInScope(ctx context.Context, v authz.Viewer) ([]Assignable, error) {
	key := memoKey{What: memoAssignable} // everyone who sees every department
	if !v.Can(authz.TicketsReadAll) {
		key.ID = v.ID
	}
	return remember(&s.mem, key, func() ([]Assignable, error) { return s.assignableInScope(ctx, v) })
}

func (s *Store) assignableInScope(ctx context.Context, v authz.Viewer) ([]Assignable, error) {
	// Walks agents in name order (an index) and keeps those who serve
	// tickets in a department in scope: no DISTINCT, no sort.
	rows, err := s.rd.QueryContext(ctx, `SELECT a.id, a.name FROM agents a
		WHERE a.removed_at IS NULL AND a.status = 'active'
		AND EXISTS (SELECT 1 FROM department_members m WHERE m.agent_id = a.id AND m.tickets = 1
			AND (? OR m.department_id IN (SELECT department_id FROM department_members WHERE agent_id = ?)))
		ORDER BY a.name COLLATE NOCASE, a.id`, v.Can(authz.TicketsReadAll), v.ID)
	if err != nil {
		return nil, fmt.Errorf("store: assignable agents: %w", err)
	}
	defer rows.Close()
	var out []Assignable
	for rows.Next() {
		var a Assignable
		if err := rows.Scan(&a.ID, &a.Name); err != nil {
			return nil, fmt.Errorf("store: assignable agents: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// VisibleDepartments lists the departments whose tickets the viewer sees.
func (s *Store) VisibleDepartments(ctx context.Context, v authz.Viewer) ([]Department, error) {
	all, err := s.Departments(ctx)
	if err != nil || v.Can(authz.TicketsReadAll) {
		return all, err
	}
	mine, err := agentDepartmentIDs(ctx, s.rd, v.ID)
	if err != nil {
		return nil, err
	}
	var out []Department
	for _, d := range all {
		for _, id := range mine {
			if d.ID == id {
				out = append(out, d)
			}
		}
	}
	return out, nil
}

// QueuePlace is where a ticket stands in a view of the queue, read before
// an action moves it, for NextInQueue.
type QueuePlace struct {
	after    Cursor // the next ticket is after this place; zero: the view's first
	ticketID int64
}

// PlaceInQueue finds where t stands in the queue as f shows it: at its own
// place when the view shows it, else before the view's first ticket.
func (s *Store) PlaceInQueue(ctx context.Context, v authz.Viewer, f QueueFilter, t Ticket) (QueuePlace, error) {
	if !f.Sort.Valid() {
		f.Sort = SortPriority
	}
	if f.Overdue {
		f.Sort = SortDue // the Overdue filter is in Due order
	}
	// The place is in the view's order: (key, id), where ties on the key
	// go to the older ticket, except by Created (the newer first).
	at := f.Sort.keyOf(t)
	justBefore := Cursor{Key: at.Key, ID: at.ID - 1}
	switch {
	case f.Sort == SortCreated:
		justBefore.ID = at.ID + 1
	case justBefore.ID == 0:
		justBefore = Cursor{Key: at.Key - 1, ID: math.MaxInt64}
	}
	if strings.TrimSpace(f.Search) != "" { // a search pages by id alone, newest first
		at, justBefore = Cursor{ID: t.ID}, Cursor{ID: t.ID + 1}
	}
	f.Before, f.After, f.Limit = Cursor{}, justBefore, 1
	page, err := s.Queue(ctx, v, f)
	if err != nil {
		return QueuePlace{}, err
	}
	p := QueuePlace{ticketID: t.ID}
	if len(page.Tickets) > 0 && page.Tickets[0].ID == t.ID {
		p.after = at
	}
	return p, nil
}

// NextInQueue returns the code of the ticket after place in the queue as f
// shows it now: a ticket just answered out of the view still leads to its
// neighbour. It answers ErrNotFound when no other ticket follows.
func (s *Store) NextInQueue(ctx context.Context, v authz.Viewer, f QueueFilter, place QueuePlace) (string, error) {
	f.Before, f.After, f.Limit = Cursor{}, place.after, 2
	page, err := s.Queue(ctx, v, f)
	if err != nil {
		return "", err
	}
	for _, n := range page.Tickets {
		if n.ID != place.ticketID {
			return n.Code, nil
		}
	}
	return "", ErrNotFound
}
