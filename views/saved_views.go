package views

import (
	"context"

	"helpline/store"
)

// Paths of saved views.
const (
	PathSavedViews      = "/tickets/views"
	PathSavedView       = "/tickets/views/:id"
	PathSavedViewMove   = "/tickets/views/:id/move"
	PathSavedViewRemove = "/tickets/views/:id/remove"
	PathSavedViewCount  = "/tickets/views/:id/count"
)

// RenameViewInputID is the name input of a view's row on the Saved views page.
func RenameViewInputID(id int64) string { return "view-name-" + idStr(id) }

// SavedViewRowID is a saved view's row on the Saved views page.
func SavedViewRowID(id int64) string { return "saved-view-" + idStr(id) }

// SavedViewItem is one saved view beside the queue or on its page.
type SavedViewItem struct {
	View      store.SavedView
	Count     store.ViewCount
	Current   bool // the queue shows exactly its filters
	CanChange bool
	// Lazy: the kept counts do not know it; the page asks for it after
	// it is shown (PathSavedViewCount), so the queue never waits for it.
	Lazy bool
}

// URL is the queue with the view's filters.
func (i SavedViewItem) URL() string {
	if i.View.Query == "" {
		return PathTickets
	}
	return PathTickets + "?" + i.View.Query
}

// SavedViewValues are the fields of the Save view form.
type SavedViewValues struct {
	Name   string
	Shared bool
	Query  string
}

// SavedViewsProps are the saved views beside the queue and the Save view
// form, which keeps the filters the queue shows.
type SavedViewsProps struct {
	Views    []SavedViewItem
	CanShare bool
	Values   SavedViewValues
	Errors   FieldErrors
}

// anyLazy reports whether a count beside the queue comes after the page.
func anyLazy(items []SavedViewItem) bool {
	for _, i := range items {
		if i.Lazy {
			return true
		}
	}
	return false
}

// ViewCountText shows a saved view's count: exact, "at least" with a plus,
// or a question mark when only opening the view tells.
func ViewCountText(ctx context.Context, c store.ViewCount) string {
	switch {
	case c.Unknown:
		return "?"
	case c.AtLeast:
		return Num(ctx, c.N) + "+"
	}
	return Num(ctx, c.N)
}

// ViewCountTitle says how a count was reached when it is not exact.
func ViewCountTitle(ctx context.Context, c store.ViewCount) string {
	switch {
	case c.Unknown:
		return T(ctx, "ViewCountUnknown")
	case c.AtLeast:
		return T(ctx, "ViewCountAtLeast")
	}
	return ""
}

func viewScopeLabel(ctx context.Context, w store.SavedView) string {
	if w.Shared() {
		return T(ctx, "ViewShared")
	}
	return T(ctx, "ViewPersonal")
}

// backToQueue is the queue with the filters of a query.
func backToQueue(query string) string {
	if query == "" {
		return PathTickets
	}
	return PathTickets + "?" + query
}

// renameValue is the name in a row's rename form: what was typed when it
// was refused, else the view's name.
func renameValue(w SavedViewItem, names map[int64]string) string {
	if n, ok := names[w.View.ID]; ok {
		return n
	}
	return w.View.Name
}

// movable reports whether the view at i has a neighbour in its scope in
// direction dir (-1 up, 1 down).
func movable(items []SavedViewItem, i, dir int) bool {
	j := i + dir
	return j >= 0 && j < len(items) && items[j].View.Shared() == items[i].View.Shared()
}
