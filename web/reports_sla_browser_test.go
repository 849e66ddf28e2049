package web

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"helpline/views"
)

// TestBrowser_ReportsSLADrillDown: an Administrator opens Reports → SLA
// compliance, narrows it to Sales (htmx swaps the report and the address),
// clicks Sales' missed First answers and lands on a queue listing exactly
// that many tickets.
func TestBrowser_ReportsSLADrillDown(t *testing.T) {
	ctx := newBrowser(t)
	w := newSLAReportWorld(t)
	base := w.app.ts.URL
	sales := "#sla-dept-" + strconv.FormatInt(w.sales, 10)
	support := "#sla-dept-" + strconv.FormatInt(w.support, 10)
	browserSignIn(t, ctx, base, "adam@example.com", testPassword)
	run(t, ctx, "open Reports, then SLA compliance",
		chromedp.Click(chromedp.CSS(`nav.mainnav a[href="`+views.PathReports+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(".report-cards")),
		chromedp.Click(`//nav[contains(@class,"tabs")]//a[text()="SLA compliance"]`),
		chromedp.WaitVisible(chromedp.CSS("table.sla-report "+support)),
	)
	run(t, ctx, "choose Sales: htmx swaps the report",
		chromedp.SetValue(chromedp.CSS("#f-department"), strconv.FormatInt(w.sales, 10)),
		chromedp.Evaluate[chromedp.Void](`void document.querySelector('#f-department').dispatchEvent(new Event('change', {bubbles: true}))`),
	)
	gone := false
	for range 50 {
		if gone = read(t, ctx, "Support's line", chromedp.Evaluate[int](`document.querySelectorAll('`+support+`').length`)) == 0; gone {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !gone {
		t.Fatal("the report still shows Support after choosing Sales")
	}
	// htmx binds the swapped area once the swap settles.
	time.Sleep(300 * time.Millisecond)
	if url := read(t, ctx, "address", chromedp.Location()); !strings.Contains(url, "department="+strconv.FormatInt(w.sales, 10)) {
		t.Errorf("the address does not keep the department: %s", url)
	}
	missed := read(t, ctx, "Sales' missed first answers", chromedp.Text(chromedp.CSS(sales+" .sla-first_answer-missed a")))
	if missed != "1" {
		t.Fatalf("Sales' missed first answers show %q, want 1", missed)
	}
	run(t, ctx, "click Sales' missed first answers",
		chromedp.Click(chromedp.CSS(sales+" .sla-first_answer-missed a")),
		chromedp.WaitVisible(chromedp.CSS(".drill-note")),
	)
	if n := read(t, ctx, "queue rows", chromedp.Evaluate[int](`document.querySelectorAll('tr.queue-row').length`)); strconv.Itoa(n) != missed {
		t.Errorf("the queue lists %d tickets, the report said %s", n, missed)
	}
	if subject := read(t, ctx, "the ticket listed", chromedp.Text(chromedp.CSS("tr.queue-row"))); !strings.Contains(subject, "Late one") {
		t.Errorf("the queue lists %q, want the late Sales ticket", subject)
	}
}
