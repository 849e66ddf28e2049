package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"helpline/store"
	"helpline/views"
)

// browserQueueDesk is the ticket world with 40 more tickets over Sales and
// Support, six of them assigned to Adam (an Administrator, in both).
func browserQueueDesk(t *testing.T) *ticketWorld {
	t.Helper()
	w := newTicketWorld(t)
	st, ctx := w.app.st, context.Background()
	for _, d := range []int64{w.sales, w.support} {
		if err := st.SetMember(ctx, w.app.ownerID(), d, w.adam.ID, store.Channels{Tickets: true}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 40 {
		code := w.app.ticket([]int64{w.sales, w.support}[i%2], fmt.Sprintf("The parcel with order %d has not arrived and the tracking page says nothing", i))
		if i%7 == 0 {
			if err := st.Assign(ctx, w.adam.Viewer(), code, w.adam.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	return w
}

// visibleRows counts the queue's rows wholly inside the window.
const visibleRows = `[...document.querySelectorAll('#tickets tr')].filter(r => {
	const b = r.getBoundingClientRect(); return b.height > 0 && b.top >= 0 && b.bottom <= innerHeight }).length`

// At 1280×800 the default, Compact, shows at least 15 tickets of one line
// each; Comfortable adds a second line and is kept for the agent; the views
// beside the queue show the store's counts and lead to as many tickets.
func TestBrowser_QueueCompactRowsViewsAndDensity(t *testing.T) {
	ctx := newBrowser(t)
	w := browserQueueDesk(t)
	base := w.app.ts.URL
	browserSignIn(t, ctx, base, "adam@example.com", testPassword)
	run(t, ctx, "open the queue at 1280×800",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(base+views.PathTickets),
		chromedp.WaitVisible(chromedp.CSS("#tickets tr")),
	)
	if n := read(t, ctx, "count rows", chromedp.Evaluate[int](visibleRows)); n < 15 {
		t.Fatalf("%d queue rows in view at 1280×800, want at least 15", n)
	}
	// One line a row: every row as tall as the first, no taller than a
	// line and its padding, and no code, name or time broken over lines.
	heights := read(t, ctx, "row heights", chromedp.Evaluate[[]float64](`[...document.querySelectorAll('#tickets tr')].map(r => r.getBoundingClientRect().height)`))
	for i, h := range heights {
		if h < heights[0]-1 || h > heights[0]+1 || h > 36 {
			t.Fatalf("row %d is %.1f px high (first %.1f): rows are not one line", i, h, heights[0])
		}
	}
	wrapped := read(t, ctx, "wrapped cells", chromedp.Evaluate[int](`[...document.querySelectorAll(
		'#tickets .queue-code, #tickets .qc-requester, #tickets .qc-department, #tickets .qc-assignee, #tickets time')].filter(e => {
			const r = document.createRange(); r.selectNodeContents(e);
			return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size > 1 }).length`))
	if wrapped != 0 {
		t.Fatalf("%d codes, names or times wrap", wrapped)
	}
	if read(t, ctx, "filter bar", chromedp.Evaluate[bool](`(() => {
		const tops = [...document.querySelectorAll('.queue-filters > *')].filter(e => e.checkVisibility()).map(e => Math.round(e.getBoundingClientRect().top));
		return tops.length >= 4 && tops.every(t => Math.abs(t - tops[0]) < 8) })()`)) != true {
		t.Fatal("the filter bar is not one line")
	}
	if read(t, ctx, "more filters closed", chromedp.Evaluate[bool](`!document.querySelector('#f-channel').checkVisibility()`)) != true {
		t.Fatal("Channel is not behind More filters")
	}

	// The views' counts are the store's; a view's link shows its tickets.
	counts, err := w.app.st.QueueCounts(context.Background(), w.adam.Viewer(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, view := range store.QueueViews {
		got := read(t, ctx, "count of "+string(view), chromedp.Evaluate[string](`document.querySelector('#view-`+string(view)+` .queue-view-n').textContent`))
		if got != fmt.Sprint(counts.View(view)) {
			t.Errorf("view %s reads %q, the store counts %d", view, got, counts.View(view))
		}
	}
	for _, view := range []store.QueueView{store.ViewMine, store.ViewUnassigned} {
		run(t, ctx, "open "+string(view),
			chromedp.Click(chromedp.CSS("#view-"+string(view))),
			chromedp.WaitVisible(chromedp.CSS(`#view-`+string(view)+`[aria-current="page"]`)),
		)
		rows := read(t, ctx, "rows of "+string(view), chromedp.Evaluate[int](`document.querySelectorAll('#tickets tr').length`))
		if want := counts.View(view); rows != want || want == 0 {
			t.Errorf("view %s shows %d tickets, counts %d", view, rows, want)
		}
		summary := read(t, ctx, "summary", chromedp.Evaluate[string](`document.querySelector('#queue-summary').textContent`))
		if want := fmt.Sprintf("%d tickets", counts.View(view)); summary != want {
			t.Errorf("view %s sums up as %q, want %q", view, summary, want)
		}
	}

	// Comfortable: a muted second line, kept across pages and reloads.
	run(t, ctx, "choose Comfortable",
		chromedp.Navigate(base+views.PathTickets+"?sort=updated"),
		chromedp.WaitVisible(chromedp.CSS("#tickets tr")),
		chromedp.Click(chromedp.CSS(`button[form="queue-density"][value="comfortable"]`)),
		chromedp.WaitVisible(chromedp.CSS("#queue.density-comfortable .queue-preview")),
	)
	if loc := read(t, ctx, "location", chromedp.Evaluate[string](`location.pathname + location.search`)); loc != "/tickets?sort=updated" {
		t.Errorf("after choosing the density the queue is %q, want the one it was", loc)
	}
	run(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#queue.density-comfortable .queue-preview")))
	if d, _ := w.app.st.QueueDensity(context.Background(), w.adam.ID); d != store.DensityComfortable {
		t.Fatalf("the store keeps density %q", d)
	}
	if h := read(t, ctx, "comfortable row", chromedp.Evaluate[float64](`document.querySelector('#tickets tr').getBoundingClientRect().height`)); h <= heights[0] {
		t.Errorf("a Comfortable row is %.1f px, no taller than a Compact one (%.1f)", h, heights[0])
	}
	run(t, ctx, "back to Compact",
		chromedp.Click(chromedp.CSS(`button[form="queue-density"][value="compact"]`)),
		chromedp.WaitVisible(chromedp.CSS("#queue.density-compact")),
	)
}

// At 390×844 the queue fits the phone: no sideways scroll, the filters
// behind a button, each ticket a card of subject, requester, status and
// time.
func TestBrowser_QueueOnAPhone(t *testing.T) {
	ctx := newBrowser(t)
	w := browserQueueDesk(t)
	base := w.app.ts.URL
	browserSignIn(t, ctx, base, "adam@example.com", testPassword)
	for _, path := range []string{views.PathTickets, views.PathTickets + "?sort=created&status=all-open", views.PathTickets + "?channel=contact_form"} {
		run(t, ctx, "open "+path+" at 390×844",
			chromedp.EmulateViewport(390, 844),
			chromedp.Navigate(base+path),
			chromedp.WaitVisible(chromedp.CSS("#tickets tr")),
		)
		if sw := read(t, ctx, "document width", chromedp.Evaluate[int](`document.documentElement.scrollWidth - innerWidth`)); sw > 0 {
			t.Fatalf("%s: the page is %d px wider than the phone", path, sw)
		}
	}
	// A closed <details> keeps its content laid out but unseen
	// (content-visibility), which checkVisibility tells.
	hidden := `(sel) => { const e = document.querySelector(sel); return !e || !e.checkVisibility() }`
	isHidden := func(sel string) bool {
		return read(t, ctx, "visibility of "+sel, chromedp.Evaluate[bool](`(`+hidden+`)(`+"`"+sel+"`"+`)`))
	}
	if !isHidden("#f-q") || !isHidden("#f-status") || isHidden(".filter-drawer > summary") {
		t.Fatalf("the filters are not folded behind their button: search hidden %v, status hidden %v, button hidden %v",
			isHidden("#f-q"), isHidden("#f-status"), isHidden(".filter-drawer > summary"))
	}
	run(t, ctx, "open the filters", chromedp.Click(chromedp.CSS(".filter-drawer > summary")), chromedp.WaitVisible(chromedp.CSS("#f-status")))
	if sw := read(t, ctx, "document width", chromedp.Evaluate[int](`document.documentElement.scrollWidth - innerWidth`)); sw > 0 {
		t.Fatalf("with the filters open the page is %d px wider than the phone", sw)
	}
	card := read(t, ctx, "first card", chromedp.Evaluate[map[string]bool](`(() => {
		const r = document.querySelector('#tickets tr'), shown = s => { const e = r.querySelector(s); return !!e && e.checkVisibility() && e.getBoundingClientRect().width > 0 };
		return {subject: shown('.qc-subject a'), requester: shown('.qc-requester'), status: shown('.qc-status .badge'), time: shown('.qc-updated time'),
			priority: shown('.qc-priority'), department: shown('.qc-department'), header: document.querySelector('.queue-table thead').checkVisibility(),
			narrow: r.getBoundingClientRect().right <= innerWidth } })()`))
	for _, want := range []string{"subject", "requester", "status", "time", "narrow"} {
		if !card[want] {
			t.Errorf("the card does not show its %s: %v", want, card)
		}
	}
	for _, not := range []string{"priority", "department", "header"} {
		if card[not] {
			t.Errorf("the card shows the table's %s: %v", not, card)
		}
	}
}

// From the top of the queue a keyboard reaches the first ticket through
// "Skip to tickets" in a few presses, sees where it is, and opens it with
// Enter.
func TestBrowser_QueueByKeyboard(t *testing.T) {
	ctx := newBrowser(t)
	w := browserQueueDesk(t)
	base := w.app.ts.URL
	browserSignIn(t, ctx, base, "adam@example.com", testPassword)
	run(t, ctx, "open the queue",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(base+views.PathTickets),
		chromedp.WaitVisible(chromedp.CSS("#tickets tr")),
	)
	active := func() string {
		return read(t, ctx, "focus", chromedp.Evaluate[string](`(() => { const e = document.activeElement;
			return e.tagName + '#' + e.id + ' ' + (e.textContent || '').trim().slice(0, 40) })()`))
	}
	// Right past "Skip to content" and the top bar's links and menu.
	most := 1 + read(t, ctx, "top bar stops", chromedp.Evaluate[int](`document.querySelectorAll('.topbar a, .topbar summary').length`))
	presses := 0
	for !strings.Contains(active(), "Skip to tickets") {
		if presses++; presses > most {
			t.Fatalf("Skip to tickets not reached in %d Tab presses; focus is on %s", most, active())
		}
		run(t, ctx, "tab", chromedp.KeyEvent(kb.Tab))
	}
	if read(t, ctx, "skip link shown", chromedp.Evaluate[bool](`document.activeElement.getBoundingClientRect().left >= 0`)) != true {
		t.Error("the focused skip link is off screen")
	}
	run(t, ctx, "skip", chromedp.KeyEvent(kb.Enter))
	if a := active(); !strings.HasPrefix(a, "TBODY#tickets") {
		t.Fatalf("after Skip to tickets the focus is on %s", a)
	}
	run(t, ctx, "to the first ticket", chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Tab))
	first := read(t, ctx, "first ticket", chromedp.Evaluate[string](`document.querySelector('#tickets tr .qc-subject a').getAttribute('href')`))
	focused := read(t, ctx, "focused link", chromedp.Evaluate[string](`document.activeElement.getAttribute('href') || document.activeElement.outerHTML.slice(0, 80)`))
	if focused != first {
		t.Fatalf("two Tabs after the skip the focus is on %s, want the first ticket %s", focused, first)
	}
	if presses+3 > 12 {
		t.Errorf("the first ticket takes %d presses", presses+3)
	}
	style := read(t, ctx, "focus style", chromedp.Evaluate[map[string]string](`(() => { const e = document.activeElement, s = getComputedStyle(e),
		row = getComputedStyle(e.closest('tr'));
		return {outline: s.outlineStyle, width: s.outlineWidth, row: row.backgroundColor, plain: getComputedStyle(document.querySelector('#tickets tr:nth-child(2)')).backgroundColor} })()`))
	if style["outline"] == "none" || style["width"] == "0px" || style["row"] == style["plain"] {
		t.Errorf("the focused ticket is not visibly marked: %v", style)
	}
	run(t, ctx, "open it with Enter",
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS("#last-changed")),
	)
	if loc := read(t, ctx, "location", chromedp.Evaluate[string](`location.pathname`)); loc != first {
		t.Fatalf("Enter opened %s, want %s", loc, first)
	}
}
