package web

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"helpline/store"
	"helpline/views"
)

// TestSavedViewsBrowser_RenameReorderRemoveShared: an Administrator opens
// Manage views from the queue, renames a shared view, moves it up and
// removes another after confirming; an Agent sees the shared views beside
// the queue in the new order and is offered no way to change them.
func TestSavedViewsBrowser_RenameReorderRemoveShared(t *testing.T) {
	ctx, annCtx := newBrowser(t), newBrowser(t)
	w := newTicketWorld(t)
	base := w.app.ts.URL
	bg := context.Background()
	var ids []int64
	for _, in := range []store.SavedViewInput{
		{Name: "Open", Query: "status=all-open", Shared: true},
		{Name: "Calls", Query: "channel=call", Shared: true},
		{Name: "Sales", Query: "department=" + idString(w.sales), Shared: true},
	} {
		id, err := w.app.st.CreateSavedView(bg, w.adam.Viewer(), in)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	calls, sales := ids[1], ids[2]

	browserSignIn(t, ctx, base, "adam@example.com", testPassword)
	run(t, ctx, "open Manage views from the queue",
		chromedp.Navigate(base+views.PathTickets),
		chromedp.Click(css(`#saved-views a[href="`+views.PathSavedViews+`"]`)),
		chromedp.WaitVisible(css("table.saved-views-table")),
	)
	name := "#" + views.RenameViewInputID(sales)
	run(t, ctx, "rename Sales",
		chromedp.Evaluate[chromedp.Void](`void (document.querySelector('`+name+`').value = '')`),
		chromedp.SendKeys(css(name), "Sales desk"),
		chromedp.Click(css(`#`+views.SavedViewRowID(sales)+` form.rename-view button[type="submit"]`)),
		chromedp.WaitVisible(css(".flash-success")),
	)
	if got := text(t, ctx, ".flash-success"); got != "The view was renamed to Sales desk." {
		t.Fatalf("after renaming the page says %q", got)
	}
	run(t, ctx, "move Sales desk up",
		chromedp.Click(css(`#`+views.SavedViewRowID(sales)+` button[value="up"]`)),
		chromedp.WaitVisible(css(`table.saved-views-table tbody tr:nth-child(2)#`+views.SavedViewRowID(sales))),
	)
	run(t, ctx, "remove Calls after confirming",
		chromedp.Click(css(`#`+views.SavedViewRowID(calls)+` a[href="`+views.WithID(views.PathSavedViewRemove, calls)+`"]`)),
		chromedp.WaitVisible(css(".confirm-card")),
		chromedp.Click(css(`.confirm-card button[type="submit"]`)),
		chromedp.WaitVisible(css("table.saved-views-table")),
		chromedp.WaitNotPresent(css("#"+views.SavedViewRowID(calls))),
	)

	browserSignIn(t, annCtx, base, "ann@example.com", testPassword)
	run(t, annCtx, "the queue", chromedp.Navigate(base+views.PathTickets), chromedp.WaitVisible(css("#saved-views")))
	got := read(t, annCtx, "the views beside the queue", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('#saved-views .queue-view-name')].map(e => e.textContent.trim())`))
	if len(got) != 2 || got[0] != "Open" || got[1] != "Sales desk" {
		t.Fatalf("Ann sees the views %q, want Open then Sales desk", got)
	}
	run(t, annCtx, "Manage views", chromedp.Navigate(base+views.PathSavedViews), chromedp.WaitVisible(css("table.saved-views-table")))
	if n := read(t, annCtx, "ways to change", chromedp.Evaluate[int](
		`document.querySelectorAll('table.saved-views-table form, table.saved-views-table a[href*="/remove"]').length`)); n != 0 {
		t.Fatalf("an Agent is offered %d ways to change shared views", n)
	}
}
