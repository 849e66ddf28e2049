package web

import (
	"errors"

	"github.com/labstack/echo/v4"

	"helpline/views"
)

// reportLoad is the Ticket load tab: the period hour by hour.
func (s *Server) reportLoad(c echo.Context) error {
	p, f, err := s.startReport(c, views.PathReportsLoad)
	if errors.Is(err, errReportQuery) {
		return s.renderReport(c, p)
	}
	if err != nil {
		return err
	}
	if p.Load, err = s.st.ReportTicketLoad(c.Request().Context(), viewer(c), f); err != nil {
		return err
	}
	return s.renderReport(c, p)
}

// reportLoadCSV is the Ticket load as shown: a line per hour (per day over a
// period longer than a month), in the desk's
// zone, then the period's figures.
func (s *Server) reportLoadCSV(c echo.Context) error {
	ctx := c.Request().Context()
	p, f, w, err := s.csvReport(c, views.PathReportsLoad, "ticket-load")
	if err != nil {
		return s.csvRefused(c, p, err)
	}
	hours, err := s.st.ReportTicketLoad(ctx, viewer(c), f)
	if err != nil {
		return err
	}
	t := func(id string) string { return views.T(ctx, id) }
	zone := views.Zone(ctx)
	w.start()
	w.Write([]string{views.LoadWord(ctx, hours, "LoadHour", "LoadDay"), t("FigCreated"), t("LoadQueueHigh"), t("LoadQueueLow"), t("LoadSignedIn")})
	for _, h := range hours {
		w.Write([]string{views.LoadRowLabel(h, zone), i64s(h.Created),
			views.LoadQueue(ctx, h.QueueHigh, h.QueueKnown), views.LoadQueue(ctx, h.QueueLow, h.QueueKnown), i64s(h.SignedIn)})
	}
	sum := views.SummarizeLoad(hours)
	w.Write(nil)
	w.Write([]string{t("FigCreated"), i64s(sum.Created)})
	w.Write([]string{t("LoadQueueHigh"), views.LoadQueue(ctx, sum.QueueHigh, sum.QueueKnown)})
	w.Write([]string{t("LoadQueueLow"), views.LoadQueue(ctx, sum.QueueLow, sum.QueueKnown)})
	w.Write([]string{views.LoadWord(ctx, hours, "LoadSignedInHigh", "LoadSignedInHighDay"), i64s(sum.SignedInHigh)})
	w.Flush()
	return w.Error()
}
