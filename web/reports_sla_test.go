package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"helpline/bizhours"
	"helpline/store"
	"helpline/views"
)

// slaReportWorld is the ticket world with a round-the-clock default level
// (first answer 1 hour): A (Sales) and C (Support) are written two hours
// ago, B (Sales) now; Ann answers A (missed) and B (met), Bob answers C
// (missed).
func newSLAReportWorld(t *testing.T) *ticketWorld {
	t.Helper()
	w := newTicketWorld(t)
	st, ctx := w.app.st, context.Background()
	l := store.SLALevel{Name: "Always", FirstAnswer: time.Hour, NextAnswer: time.Hour, Resolution: 8 * time.Hour, TimeZone: "UTC", Default: true}
	for d := range l.Week {
		l.Week[d] = []bizhours.Interval{{Start: 0, End: 24 * 60}}
	}
	if _, err := st.CreateSLALevel(ctx, w.adam.ID, l); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	st.SetClock(func() time.Time { return now.Add(-2 * time.Hour) })
	a, c := w.app.ticket(w.sales, "Late one"), w.app.ticket(w.support, "Late two")
	st.SetClock(func() time.Time { return now })
	b := w.app.ticket(w.sales, "Quick one")
	for _, r := range []struct {
		v    store.Agent
		code string
	}{{w.ann, a}, {w.ann, b}, {w.bob, c}} {
		if err := st.Reply(ctx, r.v.Viewer(), r.code, "Answer"); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func slaCell(r *response, kind string, id int64, target store.SLATarget, met bool) string {
	col := "-missed"
	if met {
		col = "-met"
	}
	return r.text("#sla-" + kind + "-" + strconv.FormatInt(id, 10) + " .sla-" + string(target) + col)
}

func TestReportsSLA_CountsFollowTheirQueueAndScope(t *testing.T) {
	w := newSLAReportWorld(t)
	admin := w.as("adam@example.com")
	r := admin.get(views.PathReportsSLA + "?period=last7").wantStatus(http.StatusOK)
	first := store.TargetFirstAnswer
	for _, c := range []struct {
		kind string
		id   int64
		met  bool
		want string
	}{
		{"dept", w.sales, true, "1"}, {"dept", w.sales, false, "1"}, {"dept", w.support, false, "1"}, {"dept", w.support, true, "0"},
		{"agent", w.ann.ID, true, "1"}, {"agent", w.ann.ID, false, "1"}, {"agent", w.bob.ID, false, "1"},
	} {
		if got := slaCell(r, c.kind, c.id, first, c.met); got != c.want {
			t.Errorf("%s %d met=%v: %q, want %s", c.kind, c.id, c.met, got, c.want)
		}
	}
	if got := r.text("#sla-by-dept tfoot .sla-first_answer-missed"); got != "2" {
		t.Errorf("total missed %q, want 2", got)
	}
	if r.doc().Find(`nav.tabs a[href^="`+views.PathReportsSLA+`?"]`).Length() != 1 {
		t.Error("no SLA compliance tab")
	}
	// Every linked figure lists as many tickets in the queue as it says.
	links := 0
	r.doc().Find("table.sla-report td a").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		q := admin.get(href).wantStatus(http.StatusOK)
		if q.doc().Find(".drill-note").Length() != 1 {
			t.Errorf("%s: the queue does not say it shows a report's tickets", href)
		}
		if fig, n := strings.TrimSpace(a.Text()), q.doc().Find("tr.queue-row").Length(); fig != strconv.Itoa(n) {
			t.Errorf("%s: the figure says %s, the queue lists %d", href, fig, n)
		}
		links++
	})
	if links < 7 {
		t.Errorf("%d figures link to the queue, want at least 7", links)
	}

	// Ann sees her own line only; Bob's is not found.
	ann := w.as("ann@example.com")
	r = ann.get(views.PathReportsSLA + "?period=last7").wantStatus(http.StatusOK)
	if r.doc().Find("#sla-by-dept").Length() != 0 || r.doc().Find("#sla-agent-"+strconv.FormatInt(w.bob.ID, 10)).Length() != 0 {
		t.Error("Ann sees more than her own line")
	}
	if got := slaCell(r, "agent", w.ann.ID, first, false); got != "1" {
		t.Errorf("Ann's missed first answers %q, want 1", got)
	}
	bob := "?period=last7&agent=" + strconv.FormatInt(w.bob.ID, 10)
	ann.get(views.PathReportsSLA + bob).wantStatus(http.StatusNotFound)
	ann.get(views.PathReportsSLACSV + bob).wantStatus(http.StatusNotFound)
	ann.get(views.PathReportsSLA + "?period=never").wantStatus(http.StatusUnprocessableEntity)
	ann.get(views.PathReportsSLACSV + "?period=never").wantStatus(http.StatusUnprocessableEntity)
}

func TestReportsSLA_ExportCSVAsShown(t *testing.T) {
	w := newSLAReportWorld(t)
	rows := readCSV(t, w.as("adam@example.com").get(views.PathReportsSLACSV+"?period=last7").wantStatus(http.StatusOK))
	byName := map[string][]string{}
	for _, r := range rows {
		byName[r[0]+"/"+r[1]] = r
	}
	if got := rows[0]; len(got) != 8 || got[2] != "First answer: Met" || got[7] != "Resolution: Missed" {
		t.Errorf("head %q", got)
	}
	for name, want := range map[string][]string{
		"Department/Sales":   {"1", "1"},
		"Department/Support": {"0", "1"},
		"Agent/Ann Sales":    {"1", "1"},
		"Agent/Bob Support":  {"0", "1"},
		"Total/":             {"1", "2"},
	} {
		if got := byName[name]; len(got) != 8 || got[2] != want[0] || got[3] != want[1] {
			t.Errorf("%s: %q, want first answer %v", name, got, want)
		}
	}
	rows = readCSV(t, w.as("ann@example.com").get(views.PathReportsSLACSV+"?period=last7").wantStatus(http.StatusOK))
	if len(rows) != 2 || rows[1][1] != "Ann Sales" {
		t.Errorf("Ann's CSV %q", rows)
	}
}
