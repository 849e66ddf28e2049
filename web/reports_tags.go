package web

import (
	"errors"

	"github.com/labstack/echo/v4"

	"helpline/views"
)

// reportTags is the Tags tab: a line per tag.
func (s *Server) reportTags(c echo.Context) error {
	p, f, err := s.startReport(c, views.PathReportsTags)
	if errors.Is(err, errReportQuery) {
		return s.renderReport(c, p)
	}
	if err != nil {
		return err
	}
	if p.Tags, err = s.st.ReportTags(c.Request().Context(), viewer(c), f); err != nil {
		return err
	}
	return s.renderReport(c, p)
}

// reportTagsCSV is the Tags tab as shown.
func (s *Server) reportTagsCSV(c echo.Context) error {
	ctx := c.Request().Context()
	p, f, w, err := s.csvReport(c, views.PathReportsTags, "tags")
	if err != nil {
		return s.csvRefused(c, p, err)
	}
	rows, err := s.st.ReportTags(ctx, viewer(c), f)
	if err != nil {
		return err
	}
	t := func(id string) string { return views.T(ctx, id) }
	w.start()
	w.Write([]string{t("TagsTag"), t("TagsTickets"), t("FigAnswers"), t("FigResolved"), t("FigNewAnswerAvg")})
	for _, r := range rows {
		w.Write([]string{r.Tag, i64s(r.Tickets), i64s(r.Answers), i64s(r.Resolved), views.Duration(ctx, r.AvgReply(), r.Replied)})
	}
	w.Flush()
	return w.Error()
}
