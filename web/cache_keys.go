package web

import (
	"context"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
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

// queueKey names a page of the queue as a viewer sees it. Every viewer's
// pages are their own: an Agent's depend on their departments, and every
// page shows the viewer's views (the count of "My open") and unread marks.
func queueKey(ctx context.Context, v authz.Viewer, fv views.QueueFilterValues, f store.QueueFilter, d store.Density, whole bool, unread store.UnreadState) pageKey {
	page := pageQueueResults
	if whole {
		page = pageQueueBody
	}
	return pageKey{Page: page, Lang: views.Lang(ctx), Viewer: v.ID, Perms: v.Perms,
		Query: fv.Query().Encode(), After: f.After, Before: f.Before, From: fv.From, Density: d, Unread: unread}
}

// ticketKey names a ticket page as a viewer sees it, opened from the queue
// filtered by fv (its links go back there).
func ticketKey(ctx context.Context, v authz.Viewer, code string, fv views.QueueFilterValues) pageKey {
	return pageKey{Page: pageTicket, Lang: views.Lang(ctx), Viewer: v.ID, Perms: v.Perms, Ticket: code, Query: fv.Query().Encode()}
}

// agentsKey names a page of the agents list: what a row offers depends on
// who looks (an Administrator may not touch an Owner).
func agentsKey(ctx context.Context, v authz.Viewer, search string, after int64) pageKey {
	return pageKey{Page: pageAgents, Lang: views.Lang(ctx), Viewer: v.ID, Perms: v.Perms, Search: search, AfterID: after}
}

// viewCountKey names the count of a saved view, counted in v's scope.
func viewCountKey(ctx context.Context, v authz.Viewer, view int64, query string) pageKey {
	return pageKey{Page: pageViewCount, Lang: views.Lang(ctx), Viewer: v.ID, Perms: v.Perms, View: view, Query: query}
}
