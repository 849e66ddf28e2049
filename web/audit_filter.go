package web

import (
	"cmp"
	"encoding/csv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"helpline/store"
	"helpline/views"
)

func init() {
	auditActionLabels[store.ActionBanAdd] = "AuditBanAdd"
	auditActionLabels[store.ActionBanRemove] = "AuditBanRemove"
}

// auditFilter reads the audit log's filters from the query, with the
// choices the filter form offers; bad values come back as field messages.
func (s *Server) auditFilter(c echo.Context) (views.AuditProps, store.AuditFilter, error) {
	ctx := c.Request().Context()
	v := views.AuditFilterValues{
		Who: strings.TrimSpace(c.QueryParam("who")), What: strings.TrimSpace(c.QueryParam("what")),
		From: strings.TrimSpace(c.QueryParam("from")), Until: strings.TrimSpace(c.QueryParam("until")),
	}
	p := views.AuditProps{Filter: v, Errors: views.FieldErrors{}}
	actors, err := s.st.AuditActors(ctx)
	if err != nil {
		return p, store.AuditFilter{}, err
	}
	for _, a := range actors {
		label := a.Name
		if a.Removed {
			label += " (" + t(c, "AuditRemoved") + ")"
		}
		p.Actors = append(p.Actors, views.AuditOption{Value: strconv.FormatInt(a.ID, 10), Label: label})
	}
	for action, id := range auditActionLabels {
		p.Actions = append(p.Actions, views.AuditOption{Value: string(action), Label: t(c, id)})
	}
	slices.SortFunc(p.Actions, func(a, b views.AuditOption) int { return cmp.Compare(a.Label, b.Label) })

	var f store.AuditFilter
	fail := func(field, msgID string) { p.Errors[field] = t(c, msgID) }
	switch id, err := strconv.ParseInt(v.Who, 10, 64); {
	case v.Who == "":
	case v.Who == views.AuditNobody:
		f.Nobody = true
	case err != nil || id <= 0:
		fail("who", "ErrInvalidChoice")
	default:
		f.ActorID = id
	}
	if v.What != "" {
		if _, known := auditActionLabels[store.AuditAction(v.What)]; !known {
			fail("what", "ErrInvalidChoice")
		}
		f.Action = store.AuditAction(v.What)
	}
	zone := views.Zone(ctx)
	day := func(field, raw string) time.Time {
		if raw == "" {
			return time.Time{}
		}
		d, err := time.ParseInLocation("2006-01-02", raw, zone)
		if err != nil {
			fail(field, "ErrAuditDate")
		}
		return d
	}
	f.From = day("from", v.From)
	if until := day("until", v.Until); !until.IsZero() {
		f.Until = until.AddDate(0, 0, 1) // the whole day
		if !f.From.IsZero() && f.Until.Before(f.From.AddDate(0, 0, 1)) {
			fail("until", "ErrAuditUntilBeforeFrom")
		}
	}
	return p, f, nil
}

// auditExport streams what the filters select as CSV, row by row as the
// database gives them, so the whole log never sits in memory.
func (s *Server) auditExport(c echo.Context) error {
	ctx := c.Request().Context()
	p, f, err := s.auditFilter(c)
	if err != nil {
		return err
	}
	if len(p.Errors) > 0 {
		return s.renderConfig(c, http.StatusUnprocessableEntity, views.AuditPage(p), nil)
	}
	zone := views.Zone(ctx)
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="audit-log-`+time.Now().In(zone).Format("2006-01-02")+`.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	if err := w.Write([]string{t(c, "ColTime"), t(c, "ColActor"), t(c, "ColAction"), t(c, "AuditColCode"), t(c, "ColDetails"), t(c, "ColIP")}); err != nil {
		return err
	}
	n := 0
	err = s.st.EachAudit(ctx, f, func(e store.AuditEntry) error {
		action := string(e.Action)
		if id, ok := auditActionLabels[e.Action]; ok {
			action = t(c, id)
		}
		actor := e.ActorName
		if e.ActorID == 0 {
			actor = t(c, "AuditNobody")
		}
		row := []string{e.At.In(zone).Format(time.RFC3339), actor, action, string(e.Action), e.Details, e.IP}
		for i := range row {
			row[i] = csvCell(row[i])
		}
		if err := w.Write(row); err != nil {
			return err
		}
		if n++; n%500 == 0 {
			w.Flush()
			c.Response().Flush()
		}
		return w.Error()
	})
	w.Flush()
	if err != nil {
		// The header is out: the download ends short, and the log says why.
		s.log.Error("audit export", "err", err)
		return nil
	}
	return w.Error()
}

// csvCell keeps a spreadsheet from reading a cell as a formula (an agent's
// name or a failed sign-in's email could start with "=").
func csvCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
