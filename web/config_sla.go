package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"helpline/bizhours"
	"helpline/desk"
	"helpline/store"
	"helpline/views"
)

// Configuration → SLA: the levels, their targets in business time and the
// business hours, holidays and zone they are measured in (docs/SLA.md).

func init() {
	auditActionLabels[store.ActionSLALevelCreate] = "AuditSLALevelCreate"
	auditActionLabels[store.ActionSLALevelUpdate] = "AuditSLALevelUpdate"
}

// maxSLATarget keeps targets to something a person means: about six weeks
// of round-the-clock time.
const maxSLATarget = 1000 * time.Hour

func (s *Server) slaLevelsList(c echo.Context) error {
	levels, err := s.st.SLALevels(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderConfig(c, http.StatusOK, views.SLALevelsPage(views.SLALevelListProps{Rows: levels}), nil)
}

// target reads a business duration typed as 1h, 30m or 2h30m; empty is no
// target.
func (f *form) target(field string) time.Duration {
	raw := strings.ReplaceAll(strings.ToLower(f.text(field, false, 20)), " ", "")
	if raw == "" {
		return 0
	}
	d, err := time.ParseDuration(raw)
	if err != nil || d < time.Minute || d > maxSLATarget || d%time.Minute != 0 {
		f.fail(field, "ErrSLATarget", nil)
		return 0
	}
	return d
}

// readSLALevelForm reads and checks the form.
func readSLALevelForm(c echo.Context) (views.SLALevelValues, store.SLALevel, *form) {
	f := newForm(c)
	v := views.SLALevelValues{
		Name:        f.text("name", true, 100),
		FirstAnswer: strings.TrimSpace(c.FormValue("first_answer")),
		NextAnswer:  strings.TrimSpace(c.FormValue("next_answer")),
		Resolution:  strings.TrimSpace(c.FormValue("resolution")),
		TimeZone:    strings.TrimSpace(c.FormValue("time_zone")),
		Holidays:    c.FormValue("holidays"),
		Default:     f.checked("default"),
	}
	l := store.SLALevel{Name: v.Name, TimeZone: v.TimeZone, Default: v.Default}
	l.FirstAnswer, l.NextAnswer, l.Resolution = f.target("first_answer"), f.target("next_answer"), f.target("resolution")
	if !desk.ValidTimeZone(v.TimeZone) {
		f.fail("time_zone", "ErrInvalidChoice", nil)
	}
	hasHours := false
	for _, d := range views.FormWeekdays {
		field := views.WeekdayField(d)
		v.Week[d] = strings.TrimSpace(c.FormValue(field))
		day, err := bizhours.ParseDay(v.Week[d])
		switch {
		case len(v.Week[d]) > 200, errors.Is(err, bizhours.ErrIntervalFormat):
			f.fail(field, "ErrSLAHoursFormat", nil)
		case errors.Is(err, bizhours.ErrIntervalOrder):
			f.fail(field, "ErrSLAHoursOrder", nil)
		case err != nil:
			f.fail(field, "ErrSLAHoursOverlap", nil)
		}
		l.Week[d] = day
		hasHours = hasHours || len(day) > 0
	}
	if !hasHours && f.errs[views.WeekdayField(time.Monday)] == "" {
		f.fail(views.WeekdayField(time.Monday), "ErrSLANoHours", nil)
	}
	if len(v.Holidays) > 10000 {
		f.fail("holidays", "ErrTooLong", map[string]any{"Max": 10000})
	} else if days, err := bizhours.ParseHolidays(v.Holidays); err != nil {
		f.fail("holidays", "ErrSLAHoliday", nil)
	} else {
		l.Holidays = days
	}
	return v, l, f
}

func (s *Server) slaLevelFormPage(c echo.Context, status int, p views.SLALevelFormProps) error {
	if p.Errors == nil {
		p.Errors = views.FieldErrors{}
	}
	p.Zones = desk.TimeZones()
	return s.renderConfig(c, status, views.SLALevelFormPage(p), nil)
}

// slaLevelNew offers office hours in the desk's zone, to change as needed.
func (s *Server) slaLevelNew(c echo.Context) error {
	v := views.SLALevelValues{TimeZone: views.Zone(c.Request().Context()).String()}
	for _, d := range views.FormWeekdays[:5] {
		v.Week[d] = "09:00-17:00"
	}
	return s.slaLevelFormPage(c, http.StatusOK, views.SLALevelFormProps{Values: v})
}

// nameTaken re-renders the form when the store refuses a name in use.
func (s *Server) slaNameTaken(c echo.Context, err error, p views.SLALevelFormProps) (bool, error) {
	var ce store.ErrConflict
	if !errors.As(err, &ce) {
		return false, err
	}
	p.Errors = views.FieldErrors{"name": tf(c, "ErrSLANameTaken", nil)}
	return true, s.slaLevelFormPage(c, http.StatusUnprocessableEntity, p)
}

func (s *Server) slaLevelCreate(c echo.Context) error {
	v, l, f := readSLALevelForm(c)
	if !f.ok() {
		return s.slaLevelFormPage(c, http.StatusUnprocessableEntity, views.SLALevelFormProps{Values: v, Errors: f.errs})
	}
	if _, err := s.st.CreateSLALevel(c.Request().Context(), currentAgent(c).ID, l); err != nil {
		if taken, err := s.slaNameTaken(c, err, views.SLALevelFormProps{Values: v}); taken {
			return err
		}
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "SLALevelCreated", nil))
	return s.redirect(c, views.PathSLALevels)
}

func (s *Server) slaLevelFromPath(c echo.Context) (store.SLALevel, error) {
	id, err := pathID(c)
	if err != nil {
		return store.SLALevel{}, err
	}
	l, err := s.st.SLALevel(c.Request().Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return l, echo.ErrNotFound
	}
	return l, err
}

func slaLevelValues(l store.SLALevel) views.SLALevelValues {
	v := views.SLALevelValues{Name: l.Name, FirstAnswer: views.TargetText(l.FirstAnswer), NextAnswer: views.TargetText(l.NextAnswer),
		Resolution: views.TargetText(l.Resolution), TimeZone: l.TimeZone, Holidays: strings.Join(l.Holidays, "\n"), Default: l.Default}
	for d := range l.Week {
		v.Week[d] = bizhours.FormatDay(l.Week[d])
	}
	return v
}

func (s *Server) slaLevelEdit(c echo.Context) error {
	l, err := s.slaLevelFromPath(c)
	if err != nil {
		return err
	}
	return s.slaLevelFormPage(c, http.StatusOK, views.SLALevelFormProps{ID: l.ID, Values: slaLevelValues(l)})
}

func (s *Server) slaLevelUpdate(c echo.Context) error {
	old, err := s.slaLevelFromPath(c)
	if err != nil {
		return err
	}
	v, l, f := readSLALevelForm(c)
	if !f.ok() {
		return s.slaLevelFormPage(c, http.StatusUnprocessableEntity, views.SLALevelFormProps{ID: old.ID, Values: v, Errors: f.errs})
	}
	l.ID = old.ID
	if err := s.st.UpdateSLALevel(c.Request().Context(), currentAgent(c).ID, l); err != nil {
		if taken, err := s.slaNameTaken(c, err, views.SLALevelFormProps{ID: old.ID, Values: v}); taken {
			return err
		}
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "SLALevelSaved", nil))
	return s.redirect(c, views.PathSLALevels)
}
