package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// maxReportDays bounds a custom range: two years of days.
const maxReportDays = 731

// errReportQuery is a report query refused with messages by field.
var errReportQuery = errors.New("report query refused")

// reportQuery reads a report's period and filters from the URL and works
// out the period's bounds in the desk's zone. Values that name nothing are
// refused with a message by the field (422), not dropped: a report must not
// quietly show other figures than the ones asked for.
func (s *Server) reportQuery(c echo.Context, p *views.ReportsProps) (store.ReportFilter, error) {
	q := c.QueryParams()
	zone := views.Zone(c.Request().Context())
	p.Query = views.ReportQuery{Period: q.Get("period"), From: q.Get("from"), To: q.Get("to"), Channel: q.Get("channel"), By: q.Get("by")}
	p.Errors = views.FieldErrors{}
	t := func(id string) string { return views.T(c.Request().Context(), id) }
	if p.Query.Period == "" {
		p.Query.Period = views.PeriodLast7
	}
	var f store.ReportFilter
	id := func(name string) int64 {
		text := q.Get(name)
		if text == "" {
			return 0
		}
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil || n <= 0 {
			p.Errors[name] = t("ErrReportFilter")
		}
		return n
	}
	p.Query.Department, p.Query.Agent = id("department"), id("agent")
	f.DepartmentID, f.AgentID = p.Query.Department, p.Query.Agent
	if p.Query.Department != 0 && !optionHas(p.Departments, p.Query.Department) {
		p.Errors["department"] = t("ErrReportFilter")
	}
	if p.Query.Agent != 0 && !p.OwnOnly && !optionHas(p.Agents, p.Query.Agent) {
		p.Errors["agent"] = t("ErrReportFilter")
	}
	if ch := store.Channel(p.Query.Channel); ch != "" {
		if !ch.Valid() {
			p.Errors["channel"] = t("ErrReportFilter")
		}
		f.Channel = ch
	}
	switch p.Query.By {
	case "", string(store.GroupByAgent), string(store.GroupByDepartment):
	default:
		p.Errors["by"] = t("ErrReportFilter")
	}
	now := s.now().In(zone)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, zone)
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, zone)
	switch p.Query.Period {
	case views.PeriodToday:
		f.From, f.To = today, today.AddDate(0, 0, 1)
	case views.PeriodYesterday:
		f.From, f.To = today.AddDate(0, 0, -1), today
	case views.PeriodLast7:
		f.From, f.To = today.AddDate(0, 0, -6), today.AddDate(0, 0, 1)
	case views.PeriodLast30:
		f.From, f.To = today.AddDate(0, 0, -29), today.AddDate(0, 0, 1)
	case views.PeriodThisMonth:
		f.From, f.To = month, month.AddDate(0, 1, 0)
	case views.PeriodLastMonth:
		f.From, f.To = month.AddDate(0, -1, 0), month
	case views.PeriodCustom:
		from, errFrom := time.ParseInLocation("2006-01-02", p.Query.From, zone)
		to, errTo := time.ParseInLocation("2006-01-02", p.Query.To, zone)
		switch {
		case errFrom != nil:
			p.Errors["from"] = t("ErrReportDate")
		case errTo != nil:
			p.Errors["to"] = t("ErrReportDate")
		case to.Before(from):
			p.Errors["to"] = t("ErrReportRangeOrder")
		case to.Sub(from) > maxReportDays*24*time.Hour:
			p.Errors["to"] = t("ErrReportRangeLong")
		}
		f.From, f.To = from, to.AddDate(0, 0, 1)
	default:
		p.Errors["period"] = t("ErrReportPeriod")
	}
	if len(p.Errors) > 0 {
		return f, errReportQuery
	}
	p.From, p.To = f.From, f.To
	return f, nil
}

func optionHas(opts []views.ReportOption, id int64) bool {
	for _, o := range opts {
		if o.ID == id {
			return true
		}
	}
	return false
}

// reportProps starts a report page: the viewer's reach and the filters'
// choices (an Agent chooses no agent: they see their own).
func (s *Server) reportProps(c echo.Context, path string) (views.ReportsProps, error) {
	ctx := c.Request().Context()
	v := viewer(c)
	p := views.ReportsProps{Path: path, OwnOnly: !v.Can(authz.ReportsReadAll), Self: v.ID}
	depts, err := s.st.Departments(ctx)
	if err != nil {
		return p, err
	}
	for _, d := range depts {
		p.Departments = append(p.Departments, views.ReportOption{ID: d.ID, Name: d.Name})
	}
	if !p.OwnOnly {
		agents, err := s.st.ReportAgents(ctx)
		if err != nil {
			return p, err
		}
		for _, a := range agents {
			p.Agents = append(p.Agents, views.ReportOption{ID: a.ID, Name: a.Name})
		}
	}
	return p, nil
}

// renderReport answers a report: the page, or the report area for htmx;
// 422 when the query was refused.
func (s *Server) renderReport(c echo.Context, p views.ReportsProps) error {
	status := http.StatusOK
	if len(p.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.render(c, status, views.ReportsPage(p), views.ReportArea(p))
}

func (s *Server) reportOverview(c echo.Context) error {
	p, f, err := s.startReport(c, views.PathReports)
	if errors.Is(err, errReportQuery) {
		return s.renderReport(c, p)
	}
	if err != nil {
		return err
	}
	if p.Overview, err = s.st.ReportOverview(c.Request().Context(), viewer(c), f, views.Zone(c.Request().Context())); err != nil {
		return err
	}
	return s.renderReport(c, p)
}

func (s *Server) reportPerformance(c echo.Context) error {
	p, f, err := s.startReport(c, views.PathReportsPerformance)
	if errors.Is(err, errReportQuery) {
		return s.renderReport(c, p)
	}
	if err != nil {
		return err
	}
	if p.Rows, p.Total, err = s.st.ReportPerformance(c.Request().Context(), viewer(c), f, reportGroup(p.Query)); err != nil {
		return err
	}
	return s.renderReport(c, p)
}

func (s *Server) startReport(c echo.Context, path string) (views.ReportsProps, store.ReportFilter, error) {
	p, err := s.reportProps(c, path)
	if err != nil {
		return p, store.ReportFilter{}, err
	}
	f, err := s.reportQuery(c, &p)
	return p, f, err
}

func reportGroup(q views.ReportQuery) store.ReportGroup {
	if q.By == string(store.GroupByDepartment) {
		return store.GroupByDepartment
	}
	return store.GroupByAgent
}
