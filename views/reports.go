package views

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"helpline/store"
)

// Report paths (SPEC §6.3). The Overview is the Reports entry itself.
const (
	PathReports               = "/reports"
	PathReportsPerformance    = "/reports/performance"
	PathReportsOverviewCSV    = "/reports/overview.csv"
	PathReportsPerformanceCSV = "/reports/performance.csv"
	PathReportsTicketsCSV     = "/reports/tickets.csv"
)

// The period picker's choices, as the URL spells them.
const (
	PeriodToday     = "today"
	PeriodYesterday = "yesterday"
	PeriodLast7     = "last7"
	PeriodLast30    = "last30"
	PeriodThisMonth = "this_month"
	PeriodLastMonth = "last_month"
	PeriodCustom    = "custom"
)

// ReportPeriods lists the periods in the picker's order with their labels.
var ReportPeriods = []struct{ Value, LabelID string }{
	{PeriodToday, "PeriodToday"}, {PeriodYesterday, "PeriodYesterday"}, {PeriodLast7, "PeriodLast7"},
	{PeriodLast30, "PeriodLast30"}, {PeriodThisMonth, "PeriodThisMonth"}, {PeriodLastMonth, "PeriodLastMonth"},
	{PeriodCustom, "PeriodCustom"},
}

// ReportQuery is a report's URL: period and filters as given, so a report
// can be bookmarked and shared.
type ReportQuery struct {
	Period     string
	From, To   string // YYYY-MM-DD, with PeriodCustom
	Department int64
	Agent      int64
	Channel    string
	By         string // Performance: store.GroupByAgent or GroupByDepartment
}

// Values is the query as URL parameters, leaving out what is not set.
func (q ReportQuery) Values() url.Values {
	v := url.Values{}
	v.Set("period", q.Period)
	if q.Period == PeriodCustom {
		v.Set("from", q.From)
		v.Set("to", q.To)
	}
	if q.Department != 0 {
		v.Set("department", strconv.FormatInt(q.Department, 10))
	}
	if q.Agent != 0 {
		v.Set("agent", strconv.FormatInt(q.Agent, 10))
	}
	if q.Channel != "" {
		v.Set("channel", q.Channel)
	}
	if q.By != "" {
		v.Set("by", q.By)
	}
	return v
}

// URL is the report at path with this query.
func (q ReportQuery) URL(path string) string { return path + "?" + q.Values().Encode() }

// ReportOption is an agent or department offered as a filter.
type ReportOption struct {
	ID   int64
	Name string
}

// ReportsProps is one report page.
type ReportsProps struct {
	Path   string // the tab's path
	Query  ReportQuery
	Errors FieldErrors
	// From and To are the period's bounds ([From, To)); unset when the
	// query was refused.
	From, To    time.Time
	OwnOnly     bool  // the viewer sees their own figures only
	Self        int64 // the viewer
	Departments []ReportOption
	Agents      []ReportOption // empty for OwnOnly
	Overview    store.Overview
	Rows        []store.ReportRow
	Total       store.ReportFigures
	Load        []store.LoadHour
	Tags        []store.TagRow
}

// shown reports whether the query was taken, so there are figures to show.
func (p ReportsProps) shown() bool { return len(p.Errors) == 0 && !p.From.IsZero() }

func reportTabs() []NavItem {
	return []NavItem{
		{LabelID: "ReportTabOverview", Path: PathReports},
		{LabelID: "ReportTabPerformance", Path: PathReportsPerformance},
		{LabelID: "ReportTabLoad", Path: PathReportsLoad},
		{LabelID: "ReportTabTags", Path: PathReportsTags},
		{LabelID: "ReportTabSLA", Path: PathReportsSLA},
	}
}

// Duration is a report's time figure in words: "2 d 3 h", "1 h 5 min",
// "12 min"; a dash when no ticket is behind it.
func Duration(ctx context.Context, d time.Duration, n int64) string {
	if n == 0 {
		return T(ctx, "ReportNoFigure")
	}
	mins := int(d / time.Minute)
	switch {
	case mins >= 24*60:
		return Tf(ctx, "DurationDaysHours", map[string]any{"Days": mins / (24 * 60), "Hours": mins % (24 * 60) / 60})
	case mins >= 60:
		return Tf(ctx, "DurationHoursMinutes", map[string]any{"Hours": mins / 60, "Minutes": mins % 60})
	case mins >= 1:
		return Tf(ctx, "DurationMinutes", map[string]any{"Minutes": mins})
	}
	return T(ctx, "DurationSeconds")
}

// rangeText says which days a report covers, in the desk's zone.
func rangeText(ctx context.Context, p ReportsProps) string {
	z := Zone(ctx)
	return Tf(ctx, "ReportRange", map[string]any{"From": p.From.In(z).Format("2006-01-02"),
		"To": p.To.Add(-time.Millisecond).In(z).Format("2006-01-02"), "Zone": z.String()})
}

func i64(n int64) string { return strconv.FormatInt(n, 10) }

// dayChart is the geometry of the Overview's bars: per day one bar of
// tickets created and one of tickets resolved, scaled to the highest.
type dayChart struct {
	Width, Height int
	Bars          []chartBar
}

type chartBar struct {
	X, Y, W, H int
	Class      string
	Title      string
}

const chartHeight = 140

func newDayChart(days []store.ReportDay) dayChart {
	var top int64 = 1
	for _, d := range days {
		top = max(top, d.Created, d.Resolved)
	}
	slot := 14
	c := dayChart{Width: max(len(days)*slot, 100), Height: chartHeight}
	for i, d := range days {
		label := d.Day.Format("2006-01-02")
		for k, v := range []int64{d.Created, d.Resolved} {
			h := int(v * int64(chartHeight-4) / top)
			class := "bar-created"
			if k == 1 {
				class = "bar-resolved"
			}
			c.Bars = append(c.Bars, chartBar{X: i*slot + 1 + k*6, Y: chartHeight - h, W: 5, H: h, Class: class,
				Title: label + ": " + strconv.FormatInt(v, 10)})
		}
	}
	return c
}
