package main

import (
	"net/url"
	"strings"
	"time"
)

// reportTargets are the Reports rows (SPEC §6.3), as an Administrator over
// the whole desk: the Overview, the Performance by agent and the Ticket load
// for the last 30 days and for a whole year. Reports are never kept between views, so each
// request builds its page from the kept hours.
func reportTargets(admin session) []target {
	now := time.Now().UTC()
	year := url.Values{"period": {"custom"}, "from": {now.AddDate(-1, 0, 1).Format("2006-01-02")}, "to": {now.Format("2006-01-02")}}
	byAgentYear := url.Values{"period": {"custom"}, "from": year["from"], "to": year["to"], "by": {"agent"}}
	return []target{
		{name: "Reports → Overview, last 30 days", path: "/reports?period=last30", cookie: admin.cookie},
		{name: "Reports → Overview, a year", path: "/reports?" + year.Encode(), cookie: admin.cookie},
		{name: "Reports → Performance by agent, last 30 days", path: "/reports/performance?period=last30&by=agent", cookie: admin.cookie},
		{name: "Reports → Performance by agent, a year", path: "/reports/performance?" + byAgentYear.Encode(), cookie: admin.cookie},
		{name: "Reports → Ticket load, last 30 days", path: "/reports/load?period=last30", cookie: admin.cookie},
		{name: "Reports → Ticket load, a year", path: "/reports/load?" + year.Encode(), cookie: admin.cookie},
	}
}

// onlyReports is the --only part that measures the ceiling and the Reports
// rows alone (and Export tickets, as every run).
const onlyReports = "reports"

func onlyReportTargets(all []target) []target {
	var out []target
	for _, tg := range all {
		if tg.name == nameHealth || strings.HasPrefix(tg.name, "Reports → ") {
			out = append(out, tg)
		}
	}
	return out
}
