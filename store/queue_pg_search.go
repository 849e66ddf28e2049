package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"helpline/authz"
)

// Text search on PostgreSQL. The words are in two tables of tsvector
// documents keyed by ticket id, each with a GIN index: ticket_search
// (subjects and messages) and ticket_refs (codes and requesters). A GIN
// index yields a word's matches unordered, where SQLite's FTS5 yields them
// newest first and stops after a page, so a search reads spans of the
// newest ticket ids in turn until one holds a page (pgSearchSpans).
//
// The first spans are small and walked: the subjects and messages of the
// newest two thousand tickets, then of twenty thousand, are read newest
// first and each is tested, which stops as soon as a page has matched. A
// common word (the usual search) is found in a few hundred documents
// without touching the GIN index, whose list of a common word's matches
// is long (143,000 tickets for "invoice" in the demo desk: 15-200 ms to
// read, with the machine's load) and whose entries not yet merged (tickets
// arriving while people search) every use of it reads again. The second
// walked span is for a desk whose newest tickets lack the word (the demo
// desk after a run of contact forms); a walk reads no more than its span,
// however rare the word. The wider spans take the GIN index's matches
// within the span and sort those (ordered by an expression of the key, so
// the planner cannot walk a wide span instead). Before, every search took
// the matches in a span of 20,000 ids and sorted them: 16 ms for a common
// word, against under 2 ms walked.
//
// A search runs in two statements: the ids of a page from both tables in
// one, then the page's rows with their names in another. The second has the
// same text on every search (its list of ids is padded to a page), so the
// server may keep one plan for it; only the first, whose plan depends on
// the words, is planned each time, and it joins two tables, not six.

// pgSearchSpan is one span of ticket ids read by a search.
type pgSearchSpan struct {
	ids  int64 // how many ids next to the page's bound (0: all the rest)
	walk bool  // test each document newest first rather than read the index
}

var pgSearchSpans = []pgSearchSpan{{ids: 2_000, walk: true}, {ids: 20_000, walk: true}, {ids: 200_000}, {}}

// pgSearch is search on PostgreSQL for words (an email address is found as
// on SQLite, by requesterSQL).
func (s *Store) pgSearch(ctx context.Context, v authz.Viewer, f QueueFilter) (QueuePage, error) {
	backward := f.Before.ID != 0
	top := int64(0) // the first id past the newest ticket, read once
	var ids []int64
	for _, span := range pgSearchSpans {
		win, err := s.pgSearchWindow(ctx, f, span.ids, &top)
		if err != nil {
			return QueuePage{}, err
		}
		q, args := pgSearchIDsSQL(v, f, win, span.walk)
		if ids, err = queryIDs(ctx, s.rd, q, args...); err != nil {
			return QueuePage{}, fmt.Errorf("store: search: %w", err)
		}
		// Within a span every match is read: a page found there is the
		// page of the whole desk.
		if len(ids) > f.Limit {
			break
		}
	}
	order := func(a, b int64) int {
		if backward {
			return cmp.Compare(a, b)
		}
		return cmp.Compare(b, a)
	}
	slices.SortFunc(ids, order)
	ids = ids[:min(len(ids), f.Limit+1)]
	var rows []Ticket
	if len(ids) > 0 {
		q, args := pgSearchRowsSQL(v, f, ids)
		var err error
		if rows, err = s.queryTickets(ctx, q, args); err != nil {
			return QueuePage{}, err
		}
		slices.SortFunc(rows, func(a, b Ticket) int { return order(a.ID, b.ID) })
	}
	return s.finishPage(ctx, rows, f, backward, func(t Ticket) Cursor { return Cursor{ID: t.ID} })
}

// pgSearchWindow is the span of span ticket ids next to the page's bound,
// in the direction the page reads (span 0: no bound). top is the first id
// past the newest ticket, read when first needed.
func (s *Store) pgSearchWindow(ctx context.Context, f QueueFilter, span int64, top *int64) (idWindow, error) {
	switch {
	case span == 0:
		return idWindow{}, nil
	case f.Before.ID != 0:
		return idWindow{hi: f.Before.ID + span}, nil
	case f.After.ID != 0:
		return idWindow{lo: max(1, f.After.ID-span)}, nil
	}
	if *top == 0 {
		if err := s.rd.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM tickets`).Scan(top); err != nil {
			return idWindow{}, fmt.Errorf("store: search: %w", err)
		}
	}
	return idWindow{lo: max(1, *top-span)}, nil
}

// pgSearchIDsSQL finds the ids of a page of matches in window: up to a
// page and one from each table, in the page's order. Codes and requesters
// are never walked: a word matches few of them, and a walk that finds
// nothing reads its whole span.
func pgSearchIDsSQL(v authz.Viewer, f QueueFilter, win idWindow, walk bool) (string, []any) {
	q1, a1 := pgSearchIndexSQL("ticket_search", v, f, win, walk)
	q2, a2 := pgSearchIndexSQL("ticket_refs", v, f, win, false)
	return `(` + q1 + `) UNION (` + q2 + `)`, append(a1, a2...)
}

// pgSearchIndexSQL finds the ids of up to a page and one matches in one
// table of documents, within window. Walked, it reads the documents in the
// page's order and stops after a page; otherwise it takes the GIN index's
// matches and sorts them.
func pgSearchIndexSQL(index string, v authz.Viewer, f QueueFilter, win idWindow, walk bool) (string, []any) {
	// The ticket's scope and filters are tested ticket by ticket, by its
	// key: OFFSET 0 keeps the planner from making the test a join, which
	// with a selective filter (unassigned tickets) it would start from a
	// scan of every ticket.
	cond, args := pgTicketConds(v, f)
	// A walked span tests each document with the operator's function,
	// which the GIN index does not serve: the planner can then only walk
	// the span by its key. With the operator it took the index's matches
	// when the span held few tickets, and a common word's list of matches
	// is long (143,000 tickets for "invoice" in the demo desk).
	match := "x.doc @@ to_tsquery('helpline', ?)"
	if walk {
		match = "ts_match_vq(x.doc, to_tsquery('helpline', ?))"
	}
	where := []string{match,
		"EXISTS (SELECT 1 FROM tickets t WHERE t.id = x.rowid AND " + strings.Join(cond, " AND ") + " OFFSET 0)"}
	args = append([]any{tsQuery(f.Search)}, args...)
	if win.lo != 0 {
		where, args = append(where, "x.rowid >= ?"), append(args, win.lo)
	}
	if win.hi != 0 {
		where, args = append(where, "x.rowid <= ?"), append(args, win.hi)
	}
	where, args, order := pgSearchBounds(f, where, args)
	if !walk {
		order = "(x.rowid + 0)" + strings.TrimPrefix(order, "x.rowid")
	}
	return `SELECT x.rowid FROM ` + index + ` x
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + ` LIMIT ?`, args
}

// pgSearchBounds is searchBounds for the documents x, whose ticket's scope
// and department the caller tests: the page's bound on x.rowid and the
// order that walks from there.
func pgSearchBounds(f QueueFilter, where []string, args []any) ([]string, []any, string) {
	order := "x.rowid DESC"
	switch {
	case f.Before.ID != 0:
		where, args = append(where, "x.rowid > ?"), append(args, f.Before.ID)
		order = "x.rowid"
	case !f.After.IsZero():
		where, args = append(where, "x.rowid < ?"), append(args, f.After.ID)
	}
	return where, append(args, f.Limit+1), order
}

// pgSearchRowsSQL reads the rows of the tickets with ids that still pass
// the scope and filters. The list is padded to a page and one (no ticket has
// id 0), so every search runs the same statement.
func pgSearchRowsSQL(v authz.Viewer, f QueueFilter, ids []int64) (string, []any) {
	where, args := pgTicketConds(v, f)
	n := max(len(ids), f.Limit+1)
	where = append(where, "t.id IN ("+placeholders(n)+")")
	for i := range n {
		var id int64
		if i < len(ids) {
			id = ids[i]
		}
		args = append(args, id)
	}
	return `SELECT ` + ticketColumns + ticketJoins + ` WHERE ` + strings.Join(where, " AND "), args
}

// pgTicketConds are the conditions on a ticket t that a search keeps:
// the filters, the viewer's scope and the department asked for.
func pgTicketConds(v authz.Viewer, f QueueFilter) ([]string, []any) {
	where, args := filterSQL(v, f)
	scope, sargs := scopeSQL(v)
	where, args = append(where, scope), append(args, sargs...)
	if f.DepartmentID != 0 {
		where, args = append(where, "t.department_id = "+intArg), append(args, f.DepartmentID)
	}
	return where, args
}

// tsQuery is ftsQuery for PostgreSQL's to_tsquery: each word must appear,
// the last may be the start of a word. Words hold only letters and digits,
// so none is read as an operator.
func tsQuery(text string) string {
	words := searchWords(text)
	for i, w := range words {
		words[i] = "'" + w + "'"
	}
	if len(words) > 0 {
		words[len(words)-1] += ":*"
	}
	return strings.Join(words, " & ")
}

// idWindow bounds a search to tickets with ids from lo to hi (0: no bound).
type idWindow struct{ lo, hi int64 }
