package store

import (
	"cmp"
	"context"
	"fmt"
	"helpline/authz"
	"helpline/desk"
	"slices"
	"strings"
	"unicode"
)

// Assignee filters of the queue.
const (
	AssigneeAnyone     = ""
	AssigneeMe         = "me"
	AssigneeUnassigned = "unassigned"
)

// QueueFilter is one view of the queue. The zero value shows every ticket
// the viewer sees except Spam and Deleted, New and Open first.
type QueueFilter struct {
	Status TicketStatus // "" means all but Spam and Deleted (or Open's)
	// Open keeps only New, Open and Answered tickets: the "open" of the
	// ready views. Status, when set, decides instead.
	Open         bool
	DepartmentID int64
	Assignee     string // AssigneeAnyone, AssigneeMe or AssigneeUnassigned
	Channel      Channel
	Tag          string
	Fields       []FieldMatch // values of Dropdown and Checkbox fields, all must hold
	Search       string       // words to find in subjects and messages
	Drill        QueueDrill   // the tickets behind a report's figure
	Sort         QueueSort
	Overdue      bool   // only tickets past their SLA due time (queue_due.go)
	After        Cursor // the page after this ticket
	Before       Cursor // or the page before this one
	Limit        int

	SLA SLADrill // the tickets behind an SLA compliance figure (sla_report_drill.go)

	// searchMatch and refsMatch are a search's FTS5 queries of each index
	// on SQLite, the prefix typed last read as words (ftsWordsQuery);
	// empty: ftsQuery's.
	searchMatch, refsMatch string
}

// Cursor marks a place in the queue: the key of the queue's order and the
// id of a ticket. With a text search, Key is 0 and the order is by id,
// newest first.
type Cursor struct {
	Key int64
	ID  int64
}

// IsZero reports whether the cursor marks nothing.
func (c Cursor) IsZero() bool { return c.ID == 0 }

// QueuePage is one page of the queue with the cursors around it.
type QueuePage struct {
	Tickets []Ticket
	Next    Cursor // zero when there is no next page
	Prev    Cursor // zero when there is no previous page
}

const maxQueueLimit = 200

// defaultRareTagRows is where a tag stops being rare. Walking the queue in order
// and probing each ticket for the tag finds a page quickly when the tag is
// common, but walks every ticket in range for one that few tickets carry;
// those few are read from the tag's index and sorted instead, which costs
// at most this many rows. About the square root of 50 × a million: both
// ways then cost a few thousand rows at worst.
const defaultRareTagRows = 5000

// rareTag reports whether fewer than s.rareTagRows tickets carry tag.
func (s *Store) rareTag(ctx context.Context, tag string) (bool, error) {
	if tag = NormalizeTag(tag); tag == "" {
		return false, nil
	}
	var n int
	err := s.rd.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM ticket_tags WHERE tag = ? LIMIT ?) AS few`, tag, s.rareTagRows).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: count tag %q: %w", tag, err)
	}
	return n < s.rareTagRows, nil
}

// rareTagSQL reads a page of the queue from the tickets of a rare tag, in
// the departments depts (nil: all).
func rareTagSQL(v authz.Viewer, f QueueFilter, depts []int64, backward bool) (string, []any) {
	tag := NormalizeTag(f.Tag)
	f.Tag = "" // the join below applies it
	where, args := filterSQL(v, f)
	where = append([]string{"tt.tag = " + textArg}, where...)
	args = append([]any{tag}, args...)
	if depts != nil {
		where = append(where, "t.department_id IN ("+repeatArg(len(depts), intArg)+")")
		for _, d := range depts {
			args = append(args, d)
		}
	}
	where, args, order := keysetSQL(f, backward, where, args)
	args = append(args, f.Limit+1)
	return `SELECT ` + ticketColumns + ` FROM ticket_tags tt
		CROSS JOIN tickets t ON t.id = tt.ticket_id
		CROSS JOIN departments d ON d.id = t.department_id
		CROSS JOIN contacts c ON c.id = t.contact_id
		LEFT JOIN agents a ON a.id = t.assignee_id
		LEFT JOIN agents u ON u.id = t.updated_by
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + ` LIMIT ?`, args
}

// keysetSQL adds the page's bound in queue order, (key, id) after the
// After cursor or before the Before one, and returns the ORDER BY that
// walks the index from there.
func keysetSQL(f QueueFilter, backward bool, where []string, args []any) ([]string, []any, string) {
	if f.Sort != SortPriority {
		return recentKeysetSQL(f, backward, where, args)
	}
	switch {
	case backward:
		where = append(where, "(t.sort_key, t.id) < ("+intArg+", "+intArg+")")
		return where, append(args, f.Before.Key, f.Before.ID), "t.sort_key DESC, t.id DESC"
	case !f.After.IsZero():
		where = append(where, "(t.sort_key, t.id) > ("+intArg+", "+intArg+")")
		args = append(args, f.After.Key, f.After.ID)
	}
	return where, args, "t.sort_key, t.id"
}

// recentKeysetSQL is keysetSQL for the Updated and Created orders. Their
// key is an indexed expression, which SQLite does not search by a row value
// as it does a column: the cursor's bound is written out, and the status
// filter's range and the cursor's are merged into one lower (or upper)
// bound, so the index is entered at the cursor and never before it.
//
// Their values are bound as keyArg: through a CAST (intArg) SQLite would
// not search an indexed expression by them, and bare, with statistics of
// the tickets it prepared the statement again for each new value (a page's
// keys 54 → 321 µs).
func recentKeysetSQL(f QueueFilter, backward bool, where []string, args []any) ([]string, []any, string) {
	k := f.Sort.keySQL()
	lo, hi := recentRange(f)
	// Ties on the key: the Created order puts the newer ticket first
	// (createdCmp), the Updated one the older.
	later, earlier, idUp, idDown := " > ", " < ", "t.id", "t.id DESC"
	if f.Sort == SortCreated {
		later, earlier, idUp, idDown = " < ", " > ", "t.id DESC", "t.id"
	}
	switch {
	case backward:
		where = append(where, k+" >= "+keyArg, k+" <= "+keyArg, "("+k+" < "+keyArg+" OR t.id"+earlier+keyArg+")")
		args = append(args, lo, min(hi-1, f.Before.Key), f.Before.Key, f.Before.ID)
		return where, args, k + " DESC, " + idDown
	case !f.After.IsZero():
		where = append(where, k+" >= "+keyArg, k+" < "+keyArg, "("+k+" > "+keyArg+" OR t.id"+later+keyArg+")")
		args = append(args, max(lo, f.After.Key), hi, f.After.Key, f.After.ID)
	default:
		where = append(where, k+" >= "+keyArg, k+" < "+keyArg)
		args = append(args, lo, hi)
	}
	return where, args, k + ", " + idUp
}

// Queue lists one page of the tickets the viewer may see. Paging is by key:
// each query starts from an index position and stops after a page, so a
// page costs the same at the millionth ticket as at the first.
//
// An Agent's departments are read one by one (each an index range in queue
// order) and merged, because SQLite cannot merge several ranges of one index
// in order; a viewer who sees all walks the one index, or in the Updated and
// Created orders (indexed per department only) every department's range.
func (s *Store) Queue(ctx context.Context, v authz.Viewer, f QueueFilter) (QueuePage, error) {
	if f.Limit <= 0 || f.Limit > maxQueueLimit {
		f.Limit = 50
	}
	if !f.Sort.Valid() {
		f.Sort = SortPriority
	}
	if strings.TrimSpace(f.Search) != "" {
		// Words are found newest first, whatever the order asked for.
		f.Sort = SortPriority
		return s.search(ctx, v, f)
	}
	if f.Sort == SortDue || f.Overdue {
		f.Sort = SortDue
		return s.queueDue(ctx, v, f)
	}
	var depts []int64 // nil: no department constraint
	switch {
	case v.Can(authz.TicketsReadAll) && f.DepartmentID != 0:
		depts = []int64{f.DepartmentID}
	case !v.Can(authz.TicketsReadAll):
		mine, err := agentDepartmentIDs(ctx, s.rd, v.ID)
		if err != nil {
			return QueuePage{}, err
		}
		depts = mine
		if f.DepartmentID != 0 {
			depts = nil
			if slices.Contains(mine, f.DepartmentID) {
				depts = []int64{f.DepartmentID}
			}
		}
		if len(depts) == 0 {
			return QueuePage{}, nil
		}
	}
	backward := f.Before.ID != 0
	var rows []Ticket
	rare, err := s.rareTag(ctx, f.Tag)
	if err != nil {
		return QueuePage{}, err
	}
	var rareField *FieldMatch // a field's value few tickets have, read from its index
	if !rare {
		if rareField, err = s.rareFieldValue(ctx, f.Fields); err != nil {
			return QueuePage{}, err
		}
	}
	if f.Sort == SortCreated && !rare && rareField == nil {
		if rows, err = s.queueCreated(ctx, v, f, depts, backward); err != nil {
			return QueuePage{}, err
		}
		return s.finishPage(ctx, rows, f, backward, f.Sort.keyOf)
	}
	few := false
	if !rare && rareField == nil && f.Sort == SortUpdated && f.Assignee != AssigneeAnyone {
		if few, err = s.fewAssigned(ctx, v, f); err != nil {
			return QueuePage{}, err
		}
	}
	if depts == nil && f.Sort != SortPriority && !rare && rareField == nil && !few {
		if depts, err = s.departmentIDs(ctx); err != nil || len(depts) == 0 {
			return QueuePage{}, err
		}
	}
	switch {
	case rare:
		q, args := rareTagSQL(v, f, depts, backward)
		if rows, err = s.queryTickets(ctx, q, args); err != nil {
			return QueuePage{}, err
		}
	case rareField != nil:
		q, args := rareFieldSQL(v, f, *rareField, depts, backward)
		if rows, err = s.queryTickets(ctx, q, args); err != nil {
			return QueuePage{}, err
		}
	case few:
		q, args := fewAssignedSQL(v, f, depts, backward)
		if rows, err = s.queryTickets(ctx, q, args); err != nil {
			return QueuePage{}, err
		}
	case depts == nil:
		r, err := s.queueRange(ctx, v, f, 0, backward)
		if err != nil {
			return QueuePage{}, err
		}
		rows = r
	case len(depts) == 1:
		if rows, err = s.queueRange(ctx, v, f, depts[0], backward); err != nil {
			return QueuePage{}, err
		}
	default:
		if rows, err = s.queueMerged(ctx, v, f, depts, backward); err != nil {
			return QueuePage{}, err
		}
	}
	return s.finishPage(ctx, rows, f, backward, f.Sort.keyOf)
}

// queueMerged reads a page from several departments' ranges in two steps:
// the keys of each range first, from the index alone, then the whole rows of
// only the page's tickets. Joining and reading every range's rows in full
// cost an Agent in two departments twice the work of one page.
func (s *Store) queueMerged(ctx context.Context, v authz.Viewer, f QueueFilter, depts []int64, backward bool) ([]Ticket, error) {
	var keys []Cursor
	for _, d := range depts {
		q, args := queueSQL(v, f, d, backward, keysFrom(f.Sort))
		rows, err := s.rd.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("store: queue: %w", err)
		}
		for rows.Next() {
			var c Cursor
			if err := rows.Scan(&c.Key, &c.ID); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: queue: %w", err)
			}
			keys = append(keys, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: queue: %w", err)
		}
	}
	order := func(a, b Cursor) int {
		if backward {
			return -cmpCursor(a, b)
		}
		return cmpCursor(a, b)
	}
	slices.SortFunc(keys, order)
	keys = keys[:min(len(keys), f.Limit+1)]
	byOrder := func(a, b Ticket) int { return order(f.Sort.keyOf(a), f.Sort.keyOf(b)) }
	if len(keys) == 0 {
		return nil, nil
	}
	if s.betweenQueueReads != nil {
		s.betweenQueueReads()
	}
	q, args := pageRowsSQL(v, f, keys)
	rows, err := s.queryTickets(ctx, q, args)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(rows, byOrder)
	// A ticket that changed between the two reads no longer sits where its
	// key said: read the ranges whole, as one consistent step per range.
	same := len(rows) == len(keys)
	for i := 0; same && i < len(rows); i++ {
		same = f.Sort.keyOf(rows[i]) == keys[i]
	}
	if same {
		return rows, nil
	}
	rows = rows[:0]
	for _, d := range depts {
		r, err := s.queueRange(ctx, v, f, d, backward)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r...)
	}
	slices.SortFunc(rows, byOrder)
	return rows, nil
}

// keysFrom selects only what the queue's indexes hold, the order's key and
// the id: paging a range by it reads no ticket row unless a filter needs one.
func keysFrom(o QueueSort) string {
	return `SELECT ` + o.keySQL() + `, t.id` + o.from()
}

// rowsFrom selects whole rows of the queue in order o.
func rowsFrom(o QueueSort) string {
	return `SELECT ` + ticketColumns + strings.Replace(ticketJoins, " FROM tickets t", o.from(), 1)
}

// pageRowsSQL reads the whole rows of the tickets at keys that still pass
// the filters. The list of ids is padded to a page's length (no ticket has
// id 0) so every page of a filter runs the same prepared statement.
func pageRowsSQL(v authz.Viewer, f QueueFilter, keys []Cursor) (string, []any) {
	where, args := filterSQL(v, f)
	if f.Sort != SortPriority {
		// The range the keys were read in; filterSQL leaves it to keysetSQL.
		lo, hi := recentRange(f)
		k := f.Sort.keySQL()
		where = append(where, k+" >= "+keyArg, k+" < "+keyArg)
		args = append(args, lo, hi)
	}
	n := max(len(keys), f.Limit+1)
	where = append(where, "t.id IN ("+placeholders(n)+")")
	for i := range n {
		var id int64
		if i < len(keys) {
			id = keys[i].ID
		}
		args = append(args, id)
	}
	return `SELECT ` + ticketColumns + ticketJoins + ` WHERE ` + strings.Join(where, " AND "), args
}

func cmpCursor(a, b Cursor) int {
	if c := cmp.Compare(a.Key, b.Key); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// finishPage trims the one extra row fetched to learn whether more follow,
// puts a backward page in queue order, sets the cursors and loads tags.
func (s *Store) finishPage(ctx context.Context, rows []Ticket, f QueueFilter, backward bool, cur func(Ticket) Cursor) (QueuePage, error) {
	more := len(rows) > f.Limit
	if more {
		rows = rows[:f.Limit]
	}
	if backward {
		slices.Reverse(rows)
	}
	var p QueuePage
	p.Tickets = rows
	if len(rows) > 0 {
		first, last := cur(rows[0]), cur(rows[len(rows)-1])
		switch {
		case backward:
			p.Next = last
			if more {
				p.Prev = first
			}
		default:
			if more {
				p.Next = last
			}
			if !f.After.IsZero() {
				p.Prev = first
			}
		}
	}
	ids := make([]int64, len(rows))
	for i, t := range rows {
		ids[i] = t.ID
	}
	tags, err := s.tagsOf(ctx, ids)
	if err != nil {
		return QueuePage{}, err
	}
	for i := range p.Tickets {
		p.Tickets[i].Tags = tags[p.Tickets[i].ID]
	}
	return p, nil
}

// filterSQL turns the filters other than department and text into
// conditions on tickets t. In the Updated and Created orders the status
// filter is a range of the order's key, which keysetSQL adds.
func filterSQL(v authz.Viewer, f QueueFilter) ([]string, []any) {
	var where []string
	var args []any
	switch {
	case f.Sort != SortPriority:
		if f.Status != "" && phase(f.Status) == 0 {
			// New, Open and Answered share a range: check each row. The
			// || '' keeps SQLite from reading the status index and sorting
			// (the same as SQLite's unary +, which PostgreSQL lacks for text).
			where = append(where, "t.status || '' = "+textArg)
			args = append(args, f.Status)
		}
	case f.Status != "":
		where = append(where, "t.status = "+textArg)
		args = append(args, f.Status)
	case f.Open:
		where = append(where, "t.sort_key < ?")
		args = append(args, openKeyLimit)
	default:
		where = append(where, "t.sort_key < ?")
		args = append(args, activeKeyLimit)
	}
	switch f.Assignee {
	case AssigneeMe:
		where = append(where, "t.assignee_id = "+intArg)
		args = append(args, v.ID)
	case AssigneeUnassigned:
		where = append(where, "t.assignee_id IS NULL")
	}
	if f.Channel != "" {
		where = append(where, "t.channel = "+textArg)
		args = append(args, f.Channel)
	}
	if tag := NormalizeTag(f.Tag); tag != "" {
		where = append(where, "EXISTS (SELECT 1 FROM ticket_tags tt WHERE tt.ticket_id = t.id AND tt.tag = "+textArg+")")
		args = append(args, tag)
	}
	for _, m := range f.Fields {
		where = append(where, fieldMatchSQL)
		args = append(args, m.FieldID, m.Value)
	}
	where, args = slaDrillSQL(f.SLA, where, args)
	drill, drillArgs := drillSQL(f.Drill)
	return append(where, drill...), append(args, drillArgs...)
}

// queueSQL builds the query of one index range of the queue: the tickets of
// one department (or all when dept is 0) in queue order from the cursor.
// selectFrom is what it reads: whole rows (rowsFrom) or keys (keysFrom).
// The Updated and Created orders need a department (their index has it
// first).
func queueSQL(v authz.Viewer, f QueueFilter, dept int64, backward bool, selectFrom string) (string, []any) {
	where, args := filterSQL(v, f)
	if dept != 0 {
		where = append(where, "t.department_id = "+intArg)
		args = append(args, dept)
	}
	where, args, order := keysetSQL(f, backward, where, args)
	args = append(args, f.Limit+1)
	return selectFrom + ` WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + ` LIMIT ?`, args
}

func (s *Store) queueRange(ctx context.Context, v authz.Viewer, f QueueFilter, dept int64, backward bool) ([]Ticket, error) {
	q, args := queueSQL(v, f, dept, backward, rowsFrom(f.Sort))
	return s.queryTickets(ctx, q, args)
}

func (s *Store) queryTickets(ctx context.Context, q string, args []any) ([]Ticket, error) {
	rows, err := s.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: queue: %w", err)
	}
	defer rows.Close()
	var out []Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, fmt.Errorf("store: queue: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// searchSQL builds a text search over the words of subjects and messages;
// refsSQL over codes and requesters' names and emails.
func (s *Store) searchSQL(v authz.Viewer, f QueueFilter) (string, []any) {
	if s.pg {
		return pgSearchIndexSQL("ticket_search", v, f, idWindow{}, false)
	}
	return ftsSQL("ticket_search", v, f)
}

func (s *Store) refsSQL(v authz.Viewer, f QueueFilter) (string, []any) {
	if s.pg {
		return pgSearchIndexSQL("ticket_refs", v, f, idWindow{}, false)
	}
	return ftsSQL("ticket_refs", v, f)
}

// ftsSQL builds a search of one FTS5 index keyed by ticket id: the index
// yields tickets newest first (by id) and stops after a page, the scope and
// filters apply to each. PostgreSQL searches in queue_pg_search.go.
func ftsSQL(index string, v authz.Viewer, f QueueFilter) (string, []any) {
	where, args := filterSQL(v, f)
	query := ftsQuery(f.Search)
	switch {
	case index == "ticket_search" && f.searchMatch != "":
		query = f.searchMatch
	case index == "ticket_refs" && f.refsMatch != "":
		query = f.refsMatch
	}
	where = append([]string{index + " MATCH ?"}, where...)
	args = append([]any{query}, args...)
	where, args, order := searchBounds(v, f, index+".rowid", where, args)
	// CROSS JOIN keeps the index of words outermost: it yields tickets in
	// order and the query stops after a page.
	return `SELECT ` + ticketColumns + ` FROM ` + index + `
		CROSS JOIN tickets t ON t.id = ` + index + `.rowid
		CROSS JOIN departments d ON d.id = t.department_id
		CROSS JOIN contacts c ON c.id = t.contact_id
		LEFT JOIN agents a ON a.id = t.assignee_id
		LEFT JOIN agents u ON u.id = t.updated_by
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + ` LIMIT ?`, args
}

// requesterSQL finds the tickets of the contact with one email address,
// newest first: the unique index on emails gives the contact, and
// tickets_contact (contact, id) its tickets already in order.
func requesterSQL(v authz.Viewer, f QueueFilter, email string) (string, []any) {
	where, args := filterSQL(v, f)
	where = append([]string{"t.contact_id = (SELECT id FROM contacts WHERE email = ?)"}, where...)
	args = append([]any{email}, args...)
	where, args, order := searchBounds(v, f, "t.id", where, args)
	return `SELECT ` + ticketColumns + ` FROM tickets t INDEXED BY tickets_contact
		CROSS JOIN departments d ON d.id = t.department_id
		CROSS JOIN contacts c ON c.id = t.contact_id
		LEFT JOIN agents a ON a.id = t.assignee_id
		LEFT JOIN agents u ON u.id = t.updated_by
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + ` LIMIT ?`, args
}

// searchBounds adds a search's scope, department and page bound on the
// ticket id column id, and returns the order that walks from there.
func searchBounds(v authz.Viewer, f QueueFilter, id string, where []string, args []any) ([]string, []any, string) {
	scope, sargs := scopeSQL(v)
	where = append(where, scope)
	args = append(args, sargs...)
	if f.DepartmentID != 0 {
		where = append(where, "t.department_id = "+intArg)
		args = append(args, f.DepartmentID)
	}
	order := id + " DESC"
	switch {
	case f.Before.ID != 0:
		where = append(where, id+" > ?")
		args = append(args, f.Before.ID)
		order = id
	case !f.After.IsZero():
		where = append(where, id+" < ?")
		args = append(args, f.After.ID)
	}
	return where, append(args, f.Limit+1), order
}

// search finds tickets by what someone typed: an email address finds that
// requester's tickets; anything else is words, looked for both in subjects
// and messages and in codes and requesters (a code typed without its
// dashes gets them back first). Each source yields its page newest first;
// the page is the newest of them all, so paging by id stays exact.
func (s *Store) search(ctx context.Context, v authz.Viewer, f QueueFilter) (QueuePage, error) {
	text := strings.TrimSpace(f.Search)
	backward := f.Before.ID != 0
	email := NormalizeEmail(text)
	byEmail := strings.Contains(email, "@") && desk.ValidEmail(email)
	if !byEmail {
		if code, ok := NormalizeCode(text); ok {
			f.Search = code
		}
		if ftsQuery(f.Search) == "" {
			return QueuePage{}, nil
		}
		if !s.pg {
			var err error
			if f.searchMatch, err = s.ftsWordsQuery(ctx, "ticket_search", f.Search); err != nil {
				return QueuePage{}, err
			}
			if f.refsMatch, err = s.ftsWordsQuery(ctx, "ticket_refs", f.Search); err != nil {
				return QueuePage{}, err
			}
		}
	}
	if s.pg && !byEmail {
		return s.pgSearch(ctx, v, f)
	}
	var queries [][]any // SQL then arguments
	add := func(q string, args []any) { queries = append(queries, append([]any{q}, args...)) }
	if byEmail {
		add(requesterSQL(v, f, email))
	} else {
		add(ftsSQL("ticket_search", v, f))
		add(ftsSQL("ticket_refs", v, f))
	}
	var rows []Ticket
	seen := map[int64]bool{}
	for _, q := range queries {
		found, err := s.queryTickets(ctx, q[0].(string), q[1:])
		if err != nil {
			return QueuePage{}, err
		}
		for _, t := range found {
			if !seen[t.ID] {
				seen[t.ID] = true
				rows = append(rows, t)
			}
		}
	}
	slices.SortFunc(rows, func(a, b Ticket) int {
		if backward {
			return cmp.Compare(a.ID, b.ID)
		}
		return cmp.Compare(b.ID, a.ID)
	})
	rows = rows[:min(len(rows), f.Limit+1)]
	return s.finishPage(ctx, rows, f, backward, func(t Ticket) Cursor { return Cursor{ID: t.ID} })
}

// searchWords are the words of what someone typed, at most eight.
func searchWords(text string) []string {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	if len(words) > 8 {
		words = words[:8]
	}
	return words
}

// ftsQuery turns what someone typed into an FTS5 query: each word must
// appear, the last may be the start of a word. Quotes keep FTS5 syntax
// characters from being read as operators.
func ftsQuery(text string) string {
	words := searchWords(text)
	for i, w := range words {
		words[i] = `"` + w + `"`
	}
	if len(words) > 0 {
		words[len(words)-1] += "*"
	}
	return strings.Join(words, " ")
}

// StatusCounts counts the viewer's tickets per status (one department when
// departmentID is set), read from the kept counts: a few rows per
// department, whatever the number of tickets.
func (s *Store) StatusCounts(ctx context.Context, v authz.Viewer, departmentID int64) (map[TicketStatus]int, error) {
	q, args := countsSQL(v, departmentID)
	rows, err := s.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: status counts: %w", err)
	}
	defer rows.Close()
	out := map[TicketStatus]int{}
	for rows.Next() {
		var st TicketStatus
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("store: status counts: %w", err)
		}
		out[st] = n
	}
	return out, rows.Err()
}

func countsSQL(v authz.Viewer, departmentID int64) (string, []any) {
	var where []string
	var args []any
	if !v.Can(authz.TicketsReadAll) {
		where = append(where, "k.department_id IN (SELECT department_id FROM department_members WHERE agent_id = ?)")
		args = append(args, v.ID)
	}
	if departmentID != 0 {
		where = append(where, "k.department_id = ?")
		args = append(args, departmentID)
	}
	q := `SELECT k.status, sum(k.n) FROM ticket_counts k`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	return q + ` GROUP BY k.status`, args
}
