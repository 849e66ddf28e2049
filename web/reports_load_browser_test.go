package web

import (
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"helpline/views"
)

// loadTableSums adds up the Ticket load table's columns in the page:
// tickets created, the largest of the largest queues, the most agents
// signed in.
const loadTableSums = `(() => {
	let created = 0, high = 0, signedIn = 0;
	for (const tr of document.querySelectorAll('#load-table tbody tr')) {
		const td = tr.querySelectorAll('td');
		created += parseInt(td[0].textContent, 10) || 0;
		high = Math.max(high, parseInt(td[1].textContent, 10) || 0);
		signedIn = Math.max(signedIn, parseInt(td[3].textContent, 10) || 0);
	}
	return [created, high, signedIn].join(' ');
})()`

const loadCardsText = `['load-created', 'load-queue-high', 'load-signed-in']
	.map(c => document.querySelector('#load-summary .' + c).textContent.trim()).join(' ')`

// TestBrowser_ReportsTicketLoadMatchesItsTable: an Administrator opens
// Reports → Ticket load, chooses Today, reads figures that match the table
// hour by hour, and clicks Tickets created to land on a queue listing that
// many tickets.
func TestBrowser_ReportsTicketLoadMatchesItsTable(t *testing.T) {
	ctx := newBrowser(t)
	w := newTicketWorld(t)
	for i := range 3 {
		w.app.ticket(w.sales, "Question "+strconv.Itoa(i))
	}
	base := w.app.ts.URL
	browserSignIn(t, ctx, base, "adam@example.com", testPassword)
	run(t, ctx, "open Reports, then Ticket load",
		chromedp.Click(chromedp.CSS(`nav.mainnav a[href="`+views.PathReports+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(".report-cards")),
		chromedp.Click(`//nav[contains(@class,"tabs")]//a[text()="Ticket load"]`),
		chromedp.WaitVisible(chromedp.CSS("#load-table")),
		chromedp.SetValue(chromedp.CSS("#f-period"), views.PeriodToday),
		chromedp.Evaluate[chromedp.Void](`void document.querySelector('#f-period').dispatchEvent(new Event('change', {bubbles: true}))`),
	)
	got := ""
	for range 50 {
		if got = read(t, ctx, "period shown", chromedp.Evaluate[string](selectedPeriod)); got == views.PeriodToday {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got != views.PeriodToday {
		t.Fatalf("the report shows %s, want today", got)
	}
	time.Sleep(300 * time.Millisecond) // htmx binds the swapped area
	cards := read(t, ctx, "figures", chromedp.Evaluate[string](loadCardsText))
	sums := read(t, ctx, "the table", chromedp.Evaluate[string](loadTableSums))
	// Five tickets today, all still New; the Administrator is signed in.
	if cards != "5 5 1" || sums != cards {
		t.Errorf("figures %q, the table adds up to %q, want 5 5 1", cards, sums)
	}
	run(t, ctx, "click Tickets created",
		chromedp.Click(chromedp.CSS("#load-summary .load-created a")),
		chromedp.WaitVisible(chromedp.CSS(".drill-note")),
	)
	if n := read(t, ctx, "queue rows", chromedp.Evaluate[int](`document.querySelectorAll('tr.queue-row').length`)); n != 5 {
		t.Errorf("the queue lists %d tickets, the report said 5", n)
	}
}
