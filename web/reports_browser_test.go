package web

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"helpline/views"
)

// selectedPeriod is the period the report on the page was built for.
const selectedPeriod = `(document.querySelector('#f-period option[selected]') || {value: 'none'}).value`

// TestBrowser_ReportsPerformanceDrillDownAndCSV: an Administrator opens
// Reports → Performance, picks Last 7 days grouped by Agent, clicks an
// agent's Answers and lands on a queue listing exactly that many tickets,
// and downloads the CSV; an Agent sees only their own line.
func TestBrowser_ReportsPerformanceDrillDownAndCSV(t *testing.T) {
	ctx := newBrowser(t)
	w := newTicketWorld(t)
	st, bg := w.app.st, context.Background()
	// Ann answers three Sales tickets once each, Bob one in Support.
	for i := range 3 {
		code := w.app.ticket(w.sales, "Question "+strconv.Itoa(i))
		if err := st.Reply(bg, w.ann.Viewer(), code, "Answered"); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Reply(bg, w.bob.Viewer(), w.supportCode, "Answered"); err != nil {
		t.Fatal(err)
	}
	base := w.app.ts.URL
	ann := "#report-row-" + strconv.FormatInt(w.ann.ID, 10)
	browserSignIn(t, ctx, base, "adam@example.com", testPassword)
	run(t, ctx, "open Reports, then Performance",
		chromedp.Click(chromedp.CSS(`nav.mainnav a[href="`+views.PathReports+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(".report-cards")),
		chromedp.Click(`//nav[contains(@class,"tabs")]//a[text()="Performance"]`),
		chromedp.WaitVisible(chromedp.CSS("table.report-table")),
	)
	pick := func(value string) {
		t.Helper()
		run(t, ctx, "choose "+value+": htmx swaps the report",
			chromedp.SetValue(chromedp.CSS("#f-period"), value),
			chromedp.Evaluate[chromedp.Void](`void document.querySelector('#f-period').dispatchEvent(new Event('change', {bubbles: true}))`),
		)
		// The swapped report marks the period it shows.
		got := ""
		for range 50 {
			if got = read(t, ctx, "period shown", chromedp.Evaluate[string](selectedPeriod)); got == value {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		// htmx binds the swapped form once the swap settles; a person
		// takes longer than that to choose again.
		time.Sleep(300 * time.Millisecond)
		if got != value {
			t.Fatalf("after choosing %s the report shows %s; at %s", value, got, read(t, ctx, "where", chromedp.Location()))
		}
	}
	pick(views.PeriodToday)
	pick(views.PeriodLast7)
	run(t, ctx, "group by Agent", chromedp.SetValue(chromedp.CSS("#f-by"), "agent"), chromedp.WaitVisible(chromedp.CSS(ann+" .fig-answers a")))
	if url := read(t, ctx, "address", chromedp.Location()); !strings.Contains(url, "period=last7") {
		t.Errorf("the address does not keep the period: %s", url)
	}
	answers := read(t, ctx, "Ann's answers", chromedp.Text(chromedp.CSS(ann+" .fig-answers a")))
	if answers != "3" {
		t.Fatalf("Ann's answers show %q, want 3", answers)
	}

	dir := t.TempDir()
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	run(t, ctx, "download the CSV",
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptrTo(true)})
			return err
		}),
		chromedp.Click(`//a[@download][text()="Export CSV"]`),
	)
	var file string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("download: %v", err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			file = filepath.Join(dir, ev.GUID)
			break
		}
	}
	body, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if r[0] == "Ann Sales" && r[1] == answers {
			found = true
		}
	}
	if !found {
		t.Errorf("the CSV has no line of Ann with %s answers: %q", answers, rows)
	}

	run(t, ctx, "click Ann's Answers",
		chromedp.Click(chromedp.CSS(ann+" .fig-answers a")),
		chromedp.WaitVisible(chromedp.CSS(".drill-note")),
	)
	if n := read(t, ctx, "queue rows", chromedp.Evaluate[int](`document.querySelectorAll('tr.queue-row').length`)); strconv.Itoa(n) != answers {
		t.Errorf("the queue lists %d tickets, the report said %s", n, answers)
	}

	// Ann, an Agent, sees her own line only.
	annCtx := newBrowser(t)
	browserSignIn(t, annCtx, base, "ann@example.com", testPassword)
	run(t, annCtx, "Ann opens Performance",
		chromedp.Navigate(base+views.PathReportsPerformance+"?period=last7"),
		chromedp.WaitVisible(chromedp.CSS("table.report-table")),
	)
	if n := read(t, annCtx, "Ann's lines", chromedp.Evaluate[int](`document.querySelectorAll('table.report-table tbody tr').length`)); n != 1 {
		t.Errorf("Ann sees %d lines, want her own", n)
	}
	if name := read(t, annCtx, "Ann's line", chromedp.Evaluate[string](`document.querySelector('table.report-table tbody th').textContent.trim()`)); name != "Ann Sales" {
		t.Errorf("Ann's line is %q", name)
	}
}
