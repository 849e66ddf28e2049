package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"helpline/store"
	"helpline/views"
)

// reportSLA is Reports → SLA compliance (SPEC §6.3): met and missed per
// target, by department and by agent; an Agent's own line only.
func (s *Server) reportSLA(c echo.Context) error {
	p, f, err := s.startReport(c, views.PathReportsSLA)
	sp := views.SLAReportProps{ReportsProps: p}
	if errors.Is(err, errReportQuery) {
		return s.render(c, http.StatusUnprocessableEntity, views.SLAReportPage(sp), views.SLAReportArea(sp))
	}
	if err != nil {
		return err
	}
	if sp.SLA, err = s.st.ReportSLA(c.Request().Context(), viewer(c), f); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.SLAReportPage(sp), views.SLAReportArea(sp))
}

// reportSLACSV is the report as shown: a line per department (for those
// who see every agent), per agent and the total, met and missed per target.
func (s *Server) reportSLACSV(c echo.Context) error {
	ctx := c.Request().Context()
	p, f, w, err := s.csvReport(c, views.PathReportsSLA, "sla-compliance")
	if errors.Is(err, errReportQuery) {
		sp := views.SLAReportProps{ReportsProps: p}
		return s.render(c, http.StatusUnprocessableEntity, views.SLAReportPage(sp), views.SLAReportArea(sp))
	}
	if err != nil {
		return err
	}
	r, err := s.st.ReportSLA(ctx, viewer(c), f)
	if err != nil {
		return err
	}
	t := func(id string) string { return views.T(ctx, id) }
	head := []string{t("SLAReportLine"), t("SLAReportName")}
	for _, target := range store.SLATargets {
		label := views.SLATargetLabel(ctx, target)
		head = append(head, label+": "+t("SLAReportMet"), label+": "+t("SLAReportMissed"))
	}
	line := func(kind, name string, r store.SLARow) []string {
		out := []string{kind, name}
		for _, c := range r.Targets {
			out = append(out, i64s(c.Met), i64s(c.Missed))
		}
		return out
	}
	w.start()
	w.Write(head)
	if !p.OwnOnly {
		for _, d := range r.Departments {
			w.Write(line(t("GroupByDepartment"), d.Name, d))
		}
	}
	for _, a := range r.Agents {
		w.Write(line(t("GroupByAgent"), a.Name, a))
	}
	if !p.OwnOnly {
		w.Write(line(t("ReportTotal"), "", r.Total))
	}
	w.Flush()
	return w.Error()
}
