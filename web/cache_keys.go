package web

import (
	"helpline/authz"
	"helpline/store"
)

// pageKey names a kept page (fragments) by everything it shows that the
// store's generation and ticket topics do not cover: the page, the
// viewer, their language and the request's own choices. Fields a page
// does not use stay zero. TestPageKey_EveryInputIsInTheKey varies each
// input of each kept page and checks the key follows.
type pageKey struct {
	Page   pageKind
	Lang   string    // the language the page is written in
	Viewer int64     // whose page: their scope, saved views, "mine" counts, personal answers
	Perms  authz.Set // what they may do, which decides the controls shown
	// The queue: its filters as the URL gives them (canonical encoding),
	// where the page starts, the rows' density and the viewer's unread
	// notifications (marked on the rows).
	Query         string
	After, Before store.Cursor
	From          int
	Density       store.Density
	Unread        store.UnreadState
	Ticket        string // the ticket page's ticket code
	View          int64  // the saved view counted
	Search        string // the agents list's search
	AfterID       int64  // where the agents list starts
}

// pageKind is which page, or part of one, a pageKey names.
type pageKind byte

const (
	pageQueueBody    pageKind = iota + 1 // the queue's body (a whole page)
	pageQueueResults                     // the queue's results (htmx swaps them)
	pageTicket                           // a ticket page's body
	pageAgents                           // a page of the agents list
	pageViewCount                        // the count beside a saved view
)
