package views

import (
	"context"
	"strconv"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"helpline/store"
)

// QueuePageSize is the number of tickets on a page of the queue.
const QueuePageSize = 50

// StatusAllOpen is the status filter of the views' "open": New, Open and
// Answered (store.QueueFilter.Open).
const StatusAllOpen = "all-open"

// from is where the page starts: 1 on the first page, else what the link
// that led here said, or 0.
func (p QueueProps) from() int {
	if p.Page.Prev.IsZero() {
		return 1
	}
	return p.Filter.From
}

// Summary says which tickets of how many the page shows: "1–50 of 1,204"
// when the kept counts know the total, "51–100 of many" when they do not
// (a channel, tag or words are filtered), "17 tickets" when all fit on one
// page.
func (p QueueProps) Summary(ctx context.Context) string {
	n := len(p.Page.Tickets)
	if n == 0 {
		return ""
	}
	from, last := p.from(), p.Page.Next.IsZero()
	total, known := p.Total, p.TotalKnown
	if from == 1 && last {
		return Tn(ctx, "QueueMatching", n, map[string]any{"N": Num(ctx, n)})
	}
	if from == 0 {
		if known {
			return Tn(ctx, "QueueMatching", total, map[string]any{"N": Num(ctx, total)})
		}
		return ""
	}
	to := from + n - 1
	if last {
		total, known = to, true
	}
	if !known {
		return Tf(ctx, "QueueRangeOfMany", map[string]any{"From": Num(ctx, from), "To": Num(ctx, to)})
	}
	// Tickets that arrived since the first page can push a page past the
	// count it was led to with.
	return Tf(ctx, "QueueRange", map[string]any{"From": Num(ctx, from), "To": Num(ctx, to), "Total": Num(ctx, max(total, to))})
}

// storeStatuses are the filter's statuses and assignee as the store's views
// see them.
func (f QueueFilterValues) storeStatuses() store.QueueFilter {
	g := store.QueueFilter{Assignee: f.Assignee}
	if f.Status == StatusAllOpen {
		g.Open = true
	} else {
		g.Status = store.TicketStatus(f.Status)
	}
	return g
}

// ViewURL is a ready view: its statuses and assignee, in the same
// department and order. Other filters are left behind, so the view shows
// what its count counts.
func (f QueueFilterValues) ViewURL(w store.QueueView) string {
	sf := w.Apply(store.QueueFilter{})
	g := QueueFilterValues{Department: f.Department, Sort: f.Sort, Status: string(sf.Status), Assignee: sf.Assignee}
	if sf.Open {
		g.Status = StatusAllOpen
	}
	return g.QueueURL()
}

// ShowsView reports whether the filters are the view's statuses and assignee.
func (f QueueFilterValues) ShowsView(w store.QueueView) bool { return w.Shows(f.storeStatuses()) }

// SortURL is the same filters in another order, from the first page.
func (f QueueFilterValues) SortURL(o store.QueueSort) string {
	f.Sort = string(o)
	return f.QueueURL()
}

// sorted reports whether the queue is in order o.
func (f QueueFilterValues) sorted(o store.QueueSort) bool { return f.Sort == string(o) }

// MoreFilters is how many filters behind More filters are set: its button
// says so, rather than opening over the table.
func (f QueueFilterValues) MoreFilters() int {
	n := 0
	for _, v := range []string{f.Channel, f.Tag} {
		if v != "" {
			n++
		}
	}
	if f.Overdue {
		n++
	}
	return n + len(f.Fields)
}

var viewLabelIDs = map[store.QueueView]string{
	store.ViewMine: "ViewMine", store.ViewUnassigned: "ViewUnassigned", store.ViewOpen: "ViewOpen",
	store.ViewPostponed: "ViewPostponed", store.ViewResolved: "ViewResolved",
}

func viewLabel(ctx context.Context, w store.QueueView) string { return T(ctx, viewLabelIDs[w]) }

var sortLabelIDs = map[store.QueueSort]string{
	store.SortPriority: "SortPriority", store.SortUpdated: "SortUpdated", store.SortCreated: "SortCreated",
	store.SortDue: "SortDue",
}

func sortLabel(ctx context.Context, o store.QueueSort) string { return T(ctx, sortLabelIDs[o]) }

// densityClass styles the queue's rows for the agent's density.
func densityClass(d store.Density) string {
	if d == store.DensityComfortable {
		return "density-comfortable"
	}
	return "density-compact"
}

func densityLabelID(d store.Density) string {
	if d == store.DensityComfortable {
		return "DensityComfortable"
	}
	return "DensityCompact"
}

func pressed(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// Num writes a count as the page's language groups digits: 1,204 in
// English, 1 204 in Polish, 1.204 in Romanian.
func Num(ctx context.Context, n int) string {
	if n > -1000 && n < 1000 {
		return strconv.Itoa(n)
	}
	lang := Lang(ctx)
	pr, ok := numberPrinters.Load(lang)
	if !ok {
		tag, err := language.Parse(lang)
		if err != nil {
			tag = language.English
		}
		pr, _ = numberPrinters.LoadOrStore(lang, message.NewPrinter(tag))
	}
	return pr.(*message.Printer).Sprintf("%d", n)
}

var numberPrinters sync.Map // language code -> *message.Printer
