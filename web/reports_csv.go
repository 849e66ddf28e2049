package web

import (
	"bufio"
	"encoding/csv"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"helpline/store"
	"helpline/views"
)

// csvReport reads a CSV download's query; its answer starts with
// startCSV once the figures are read (until then an error is a page).
func (s *Server) csvReport(c echo.Context, path, name string) (views.ReportsProps, store.ReportFilter, *csvAnswer, error) {
	p, f, err := s.startReport(c, path)
	if err != nil {
		return p, f, nil, err
	}
	zone := views.Zone(c.Request().Context())
	file := name + "-" + f.From.In(zone).Format("2006-01-02") + "-" + f.To.Add(-time.Millisecond).In(zone).Format("2006-01-02") + ".csv"
	return p, f, &csvAnswer{Writer: csv.NewWriter(c.Response()), c: c, file: file}, nil
}

// csvAnswer is a CSV download named after the report and its period.
type csvAnswer struct {
	*csv.Writer
	c    echo.Context
	file string
}

func (a *csvAnswer) start() {
	h := a.c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+a.file+`"`)
	a.c.Response().WriteHeader(http.StatusOK)
}

// csvRefused answers a refused CSV query with the report page and its
// messages.
func (s *Server) csvRefused(c echo.Context, p views.ReportsProps, err error) error {
	if errors.Is(err, errReportQuery) {
		return s.renderReport(c, p)
	}
	return err
}

func (s *Server) reportOverviewCSV(c echo.Context) error {
	ctx := c.Request().Context()
	p, f, w, err := s.csvReport(c, views.PathReports, "overview")
	if err != nil {
		return s.csvRefused(c, p, err)
	}
	o, err := s.st.ReportOverview(ctx, viewer(c), f, views.Zone(ctx))
	if err != nil {
		return err
	}
	t := func(id string) string { return views.T(ctx, id) }
	w.start()
	w.Write([]string{t("ReportDay"), t("FigCreated"), t("FigResolved"), t("FigAnswers"), t("FigNotes")})
	for _, d := range o.Days {
		w.Write([]string{d.Day.Format("2006-01-02"), i64s(d.Created), i64s(d.Resolved), i64s(d.Answers), i64s(d.Notes)})
	}
	w.Write([]string{t("ReportTotal"), i64s(o.Totals.Created), i64s(o.Totals.Resolved), i64s(o.Totals.Answers), i64s(o.Totals.Notes)})
	w.Write(nil)
	backlog := t("BacklogNoChannel")
	if o.BacklogKnown {
		backlog = i64s(o.Backlog)
	}
	w.Write([]string{t("FigBacklog"), backlog})
	w.Write([]string{t("FigMedianFirstAnswer"), views.Duration(ctx, o.Median, o.Totals.Replied)})
	w.Write([]string{t("FigP90FirstAnswer"), views.Duration(ctx, o.P90, o.Totals.Replied)})
	w.Flush()
	return w.Error()
}

func (s *Server) reportPerformanceCSV(c echo.Context) error {
	ctx := c.Request().Context()
	p, f, w, err := s.csvReport(c, views.PathReportsPerformance, "performance")
	if err != nil {
		return s.csvRefused(c, p, err)
	}
	rows, total, err := s.st.ReportPerformance(ctx, viewer(c), f, reportGroup(p.Query))
	if err != nil {
		return err
	}
	t := func(id string) string { return views.T(ctx, id) }
	group := t("GroupByAgent")
	if reportGroup(p.Query) == store.GroupByDepartment {
		group = t("GroupByDepartment")
	}
	w.start()
	w.Write([]string{group, t("FigAnswers"), t("FigNotes"), t("FigResolved"), t("FigNewAnswerAvg"), t("FigFirstAssignAvg"), t("FigFirstResolveAvg")})
	line := func(name string, r store.ReportFigures) {
		w.Write([]string{name, i64s(r.Answers), i64s(r.Notes), i64s(r.Resolved), views.Duration(ctx, r.AvgReply(), r.Replied),
			views.Duration(ctx, r.AvgAssign(), r.Assigned), views.Duration(ctx, r.AvgResolve(), r.Resolved)})
	}
	for _, r := range rows {
		line(r.Name, r.ReportFigures)
	}
	if !p.OwnOnly {
		line(t("ReportTotal"), total)
	}
	w.Flush()
	return w.Error()
}

// reportTicketsCSV streams Export tickets: one row per ticket, written as
// the store reads it through a large buffer, so a year of tickets never
// sits in memory and the socket is written in big pieces. Labels are looked
// up once per export, not once per row.
func (s *Server) reportTicketsCSV(c echo.Context) error {
	ctx := c.Request().Context()
	p, f, w, err := s.csvReport(c, views.PathReports, "tickets")
	if err != nil {
		return s.csvRefused(c, p, err)
	}
	out := bufio.NewWriterSize(c.Response(), 64<<10)
	w.Writer = csv.NewWriter(out)
	zone := views.Zone(ctx)
	when := func(at time.Time) string {
		if at.IsZero() {
			return ""
		}
		return at.In(zone).Format("2006-01-02 15:04")
	}
	t := func(id string) string { return views.T(ctx, id) }
	channels := labels(func(ch store.Channel) string { return views.ChannelLabel(ctx, ch) })
	statuses := labels(func(st store.TicketStatus) string { return views.StatusLabel(ctx, st) })
	priorities := labels(func(p store.Priority) string { return views.PriorityLabel(ctx, p) })
	// The server's write timeout bounds a whole answer; a big desk's year
	// may take longer, so each stretch of rows moves the deadline on while
	// the client keeps reading.
	deadline := http.NewResponseController(c.Response())
	started := false
	n := 0
	record := make([]string, 12)
	err = s.st.ExportTickets(ctx, viewer(c), f, func(e *store.ExportedTicket) error {
		if n%exportDeadlineRows == 0 {
			deadline.SetWriteDeadline(time.Now().Add(exportWriteWindow))
		}
		n++
		if !started {
			started = true
			w.start()
			w.Write(exportHeader(t))
		}
		record[0], record[1], record[2], record[3] = e.Code, e.Subject, e.Department, e.Assignee
		record[4], record[5], record[6], record[7] = channels(e.Channel), statuses(e.Status), priorities(e.Priority), e.Tags
		record[8], record[9], record[10], record[11] = when(e.Created), when(e.FirstAnswered), when(e.Resolved), strconv.Itoa(e.Answers)
		return w.Write(record)
	})
	if err != nil && !started {
		return err
	}
	if !started {
		w.start()
		w.Write(exportHeader(t))
	}
	w.Flush()
	return errors.Join(err, w.Error(), out.Flush())
}

// A download of Export tickets has exportWriteWindow to write each
// exportDeadlineRows rows, however long the whole takes.
const (
	exportDeadlineRows = 10000
	exportWriteWindow  = time.Minute
)

// labels remembers what label gives for each value it is asked about.
func labels[K comparable](label func(K) string) func(K) string {
	seen := map[K]string{}
	return func(k K) string {
		l, ok := seen[k]
		if !ok {
			l = label(k)
			seen[k] = l
		}
		return l
	}
}

func exportHeader(t func(string) string) []string {
	return []string{t("ExportCode"), t("ExportSubject"), t("ReportDepartment"), t("ExportAssignee"), t("ReportChannel"), t("ExportStatus"),
		t("ExportPriority"), t("ExportTags"), t("ExportCreated"), t("ExportFirstAnswered"), t("ExportResolved"), t("ExportAnswerCount")}
}

func i64s(n int64) string { return strconv.FormatInt(n, 10) }
