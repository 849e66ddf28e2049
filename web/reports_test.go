package web

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpline/authz"
	"helpline/views"
)

// reportWorld is the ticket world with some work done today: Ann answers
// the Sales ticket twice and notes it, Bob answers the Support ticket and
// resolves it.
func newReportWorld(t *testing.T) *ticketWorld {
	t.Helper()
	w := newTicketWorld(t)
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.app.st.Reply(ctx, w.ann.Viewer(), w.salesCode, "Here it is"))
	must(w.app.st.Reply(ctx, w.ann.Viewer(), w.salesCode, "And the rest"))
	must(w.app.st.AddNote(ctx, w.ann.Viewer(), w.salesCode, "Sent"))
	must(w.app.st.Reply(ctx, w.bob.Viewer(), w.supportCode, "Try this"))
	must(w.app.st.SetStatus(ctx, w.bob.Viewer(), w.supportCode, "resolved"))
	return w
}

func performanceURL(q url.Values) string { return views.PathReportsPerformance + "?" + q.Encode() }

func rowFigure(r *response, agentID int64, class string) string {
	return r.text("#report-row-" + strconv.FormatInt(agentID, 10) + " ." + class)
}

func TestReports_AdministratorSeesEveryAgentsPerformance(t *testing.T) {
	w := newReportWorld(t)
	r := w.as("adam@example.com").get(performanceURL(url.Values{"period": {"today"}, "by": {"agent"}})).wantStatus(http.StatusOK)
	if got := rowFigure(r, w.ann.ID, "fig-answers"); got != "2" {
		t.Errorf("Ann's answers %q, want 2", got)
	}
	if got := rowFigure(r, w.ann.ID, "fig-notes"); got != "1" {
		t.Errorf("Ann's notes %q, want 1", got)
	}
	if got := rowFigure(r, w.bob.ID, "fig-resolved"); got != "1" {
		t.Errorf("Bob's resolved %q, want 1", got)
	}
	if got := r.text("tfoot .fig-answers"); got != "3" {
		t.Errorf("total answers %q, want 3", got)
	}
	if r.doc().Find(`nav.mainnav a[href="`+views.PathReports+`"]`).Length() != 1 {
		t.Error("no Reports in the top navigation")
	}
	// By department: the Sales line has Ann's answers.
	r = w.as("adam@example.com").get(performanceURL(url.Values{"period": {"today"}, "by": {"department"}})).wantStatus(http.StatusOK)
	if got := rowFigure(r, w.sales, "fig-answers"); got != "2" {
		t.Errorf("Sales answers %q, want 2", got)
	}
}

func TestReports_AgentSeesOnlyTheirOwnLine(t *testing.T) {
	w := newReportWorld(t)
	c := w.as("ann@example.com")
	r := c.get(performanceURL(url.Values{"period": {"last7"}})).wantStatus(http.StatusOK)
	rows := r.doc().Find("table.report-table tbody tr")
	if rows.Length() != 1 || rowFigure(r, w.ann.ID, "fig-answers") != "2" {
		t.Fatalf("Ann sees %d lines: %q", rows.Length(), r.text("table.report-table tbody"))
	}
	if r.doc().Find("#f-agent").Length() != 0 {
		t.Error("an Agent is offered the Agent filter")
	}
	// Another agent's id in the URL: not found, on every report.
	for _, path := range []string{views.PathReports, views.PathReportsPerformance} {
		c.get(path + "?period=today&agent=" + strconv.FormatInt(w.bob.ID, 10)).wantStatus(http.StatusNotFound)
	}
	// Their own id is fine.
	c.get(views.PathReports + "?period=today&agent=" + strconv.FormatInt(w.ann.ID, 10)).wantStatus(http.StatusOK)
}

func TestReports_OverviewCountsTheDay(t *testing.T) {
	w := newReportWorld(t)
	r := w.as("adam@example.com").get(views.PathReports + "?period=today").wantStatus(http.StatusOK)
	cards := map[string]string{}
	r.doc().Find(".report-cards > div").Each(func(_ int, s *goquery.Selection) {
		cards[strings.TrimSpace(s.Find("dt").Text())] = strings.TrimSpace(s.Find("dd").Text())
	})
	// Both tickets came and were answered within the minute; Sales is
	// Answered, Support Resolved: nothing New or Open.
	want := map[string]string{"Tickets created": "2", "Tickets resolved": "1", "Backlog now": "0",
		"Median first answer time": "under a minute", "90th percentile first answer time": "under a minute"}
	for k, v := range want {
		if cards[k] != v {
			t.Errorf("%s = %q, want %q (cards %v)", k, cards[k], v, cards)
		}
	}
	if r.doc().Find(".report-chart svg rect").Length() != 2 || r.doc().Find(".visually-hidden table tbody tr").Length() != 1 {
		t.Error("one day: two bars and one row of numbers expected")
	}
	// htmx gets the report area alone.
	frag := w.as("adam@example.com").do(http.MethodGet, views.PathReports+"?period=yesterday", nil, true).wantStatus(http.StatusOK)
	if !strings.HasPrefix(strings.TrimSpace(frag.body), `<div id="report-area"`) || strings.Contains(frag.body, "<html") {
		t.Errorf("htmx answer is not the report area: %.200s", frag.body)
	}
}

func TestReports_BadQueryIs422NextToTheField(t *testing.T) {
	w := newReportWorld(t)
	c := w.as("adam@example.com")
	for _, tc := range []struct{ query, field, msg string }{
		{"period=fortnight", "period", "Choose one of the periods."},
		{"period=custom&from=2026-13-01&to=2026-12-01", "from", "Enter a date as YYYY-MM-DD."},
		{"period=custom&from=2026-12-02&to=2026-12-01", "to", "The end of the range must not be before its start."},
		{"period=custom&from=2020-01-01&to=2026-12-01", "to", "Choose a range of at most two years."},
		{"period=today&department=999", "department", "Choose one of the listed values."},
		{"period=today&agent=999", "agent", "Choose one of the listed values."},
		{"period=today&channel=pigeon", "channel", "Choose one of the listed values."},
	} {
		r := c.get(views.PathReports + "?" + tc.query).wantStatus(http.StatusUnprocessableEntity)
		if got := r.text("#f-" + tc.field + "-error"); got != tc.msg {
			t.Errorf("%s: message %q, want %q", tc.query, got, tc.msg)
		}
		if r.doc().Find(".report-cards").Length() != 0 {
			t.Errorf("%s: figures shown for a refused query", tc.query)
		}
	}
}

func TestReports_NavigationAndRoutesFollowThePermissions(t *testing.T) {
	for _, role := range authz.BuiltinRoles {
		perms := authz.BuiltinPerms(role)
		if !perms.Has(authz.ReportsReadOwn) {
			t.Errorf("%s cannot read their own reports", role)
		}
		if perms.Has(authz.ReportsReadAll) != (role != authz.RoleAgent) {
			t.Errorf("%s reads everyone's reports: %v", role, perms.Has(authz.ReportsReadAll))
		}
	}
}

// TestReports_FiguresLinkToTheirTicketsInTheQueue follows each linked
// figure of the Performance and Overview reports: the queue lists as many
// tickets as the figure counts (Answers: the tickets the replies went to).
func TestReports_FiguresLinkToTheirTicketsInTheQueue(t *testing.T) {
	w := newReportWorld(t)
	ctx := context.Background()
	// Bob also answers the Sales ticket's twin in Support, so his Answers
	// are two tickets.
	extra := w.app.ticket(w.support, "Another")
	if err := w.app.st.Reply(ctx, w.bob.Viewer(), extra, "Done"); err != nil {
		t.Fatal(err)
	}
	c := w.as("adam@example.com")
	r := c.get(performanceURL(url.Values{"period": {"last7"}, "by": {"agent"}})).wantStatus(http.StatusOK)
	follow := func(sel string) (figure string, listed int) {
		t.Helper()
		a := r.doc().Find(sel + " a")
		href, ok := a.Attr("href")
		if !ok {
			t.Fatalf("%s links nowhere", sel)
		}
		q := c.get(href).wantStatus(http.StatusOK)
		if q.doc().Find(".drill-note").Length() != 1 {
			t.Errorf("%s: the queue does not say it shows a report's tickets", sel)
		}
		return strings.TrimSpace(a.Text()), q.doc().Find("tr.queue-row").Length()
	}
	bob := "#report-row-" + strconv.FormatInt(w.bob.ID, 10)
	for _, sel := range []string{bob + " .fig-answers", bob + " .fig-resolved", "tfoot .fig-resolved"} {
		if fig, n := follow(sel); fig != strconv.Itoa(n) {
			t.Errorf("%s says %s, the queue lists %d", sel, fig, n)
		}
	}
	// New answer avg time links Bob's two first answers.
	if _, n := follow(bob + " .fig-first-answer"); n != 2 {
		t.Errorf("Bob's first answers: the queue lists %d, want 2", n)
	}
	// Ann replied twice to one ticket: two answers, one ticket.
	if fig, n := follow("#report-row-" + strconv.FormatInt(w.ann.ID, 10) + " .fig-answers"); fig != "2" || n != 1 {
		t.Errorf("Ann's answers %s link %d tickets, want 2 and 1", fig, n)
	}
	// The Overview's created and resolved.
	r = c.get(views.PathReports + "?period=today&department=" + strconv.FormatInt(w.support, 10)).wantStatus(http.StatusOK)
	for _, i := range []int{1, 2} {
		if fig, n := follow(".report-cards > div:nth-child(" + strconv.Itoa(i) + ") dd"); fig != strconv.Itoa(n) || n == 0 {
			t.Errorf("overview figure %d says %s, the queue lists %d", i, fig, n)
		}
	}
	// A queue link with a drill-down that names nothing is the plain queue.
	q := c.get(views.PathTickets + "?resolved_from=yesterday&resolved_to=now").wantStatus(http.StatusOK)
	if q.doc().Find(".drill-note").Length() != 0 || q.doc().Find("tr.queue-row").Length() != 3 {
		t.Errorf("a broken drill-down narrowed the queue")
	}
}

func readCSV(t *testing.T, r *response) [][]string {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("content type %q", ct)
	}
	if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="`) {
		t.Fatalf("content disposition %q", cd)
	}
	rd := csv.NewReader(strings.NewReader(r.body))
	rd.FieldsPerRecord = -1
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestReports_ExportCSVHasTheFiguresAsShownInScope(t *testing.T) {
	w := newReportWorld(t)
	admin := w.as("adam@example.com")
	rows := readCSV(t, admin.get(views.PathReportsPerformanceCSV+"?period=today&by=agent").wantStatus(http.StatusOK))
	byName := map[string][]string{}
	for _, r := range rows {
		byName[r[0]] = r
	}
	if got := byName["Ann Sales"]; len(got) != 7 || got[1] != "2" || got[2] != "1" {
		t.Errorf("Ann's line %q", got)
	}
	if got := byName["Total"]; len(got) != 7 || got[1] != "3" || got[3] != "1" {
		t.Errorf("total line %q", got)
	}
	// An Agent's CSV has their line alone; another's id is a 404.
	ann := w.as("ann@example.com")
	rows = readCSV(t, ann.get(views.PathReportsPerformanceCSV+"?period=today").wantStatus(http.StatusOK))
	if len(rows) != 2 || rows[1][0] != "Ann Sales" {
		t.Errorf("Ann's CSV %q", rows)
	}
	for _, path := range []string{views.PathReportsPerformanceCSV, views.PathReportsOverviewCSV, views.PathReportsTicketsCSV} {
		ann.get(path + "?period=today&agent=" + strconv.FormatInt(w.bob.ID, 10)).wantStatus(http.StatusNotFound)
		ann.get(path + "?period=never").wantStatus(http.StatusUnprocessableEntity)
	}
	rows = readCSV(t, admin.get(views.PathReportsOverviewCSV+"?period=today").wantStatus(http.StatusOK))
	if len(rows) < 3 || rows[0][1] != "Tickets created" || rows[2][0] != "Total" || rows[2][1] != "2" {
		t.Errorf("overview CSV %q", rows)
	}
}

func TestReports_ExportTicketsOneRowPerTicket(t *testing.T) {
	w := newReportWorld(t)
	ctx := context.Background()
	if err := w.app.st.AddTag(ctx, w.ann.Viewer(), w.salesCode, "pricing"); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, w.as("adam@example.com").get(views.PathReportsTicketsCSV+"?period=today").wantStatus(http.StatusOK))
	if len(rows) != 3 || len(rows[0]) != 12 || rows[0][0] != "Code" || rows[0][11] != "Answers" {
		t.Fatalf("export %q", rows)
	}
	var sales []string
	for _, r := range rows[1:] {
		if r[0] == w.salesCode {
			sales = r
		}
	}
	if sales == nil || sales[1] != "Price list please" || sales[2] != "Sales" || sales[7] != "pricing" || sales[9] == "" || sales[10] != "" || sales[11] != "2" {
		t.Errorf("the Sales ticket's row %q", sales)
	}
	// Department filter, and an Agent's export lists only tickets assigned to them.
	rows = readCSV(t, w.as("adam@example.com").get(views.PathReportsTicketsCSV+"?period=today&department="+strconv.FormatInt(w.support, 10)).wantStatus(http.StatusOK))
	if len(rows) != 2 || rows[1][0] != w.supportCode {
		t.Errorf("Support's export %q", rows)
	}
	if err := w.app.st.Assign(ctx, w.adam.Viewer(), w.salesCode, w.ann.ID); err != nil {
		t.Fatal(err)
	}
	rows = readCSV(t, w.as("ann@example.com").get(views.PathReportsTicketsCSV+"?period=today").wantStatus(http.StatusOK))
	if len(rows) != 2 || rows[1][0] != w.salesCode || rows[1][3] != "Ann Sales" {
		t.Errorf("Ann's export %q", rows)
	}
}
