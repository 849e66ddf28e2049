package views

import (
	"context"
	"strconv"
	"time"

	"helpline/store"
)

// Paths of Configuration → SLA.
const (
	PathSLALevels   = "/config/sla"
	PathSLALevelNew = "/config/sla/new"
	PathSLALevel    = "/config/sla/:id"
)

// SLALevelRowID is a level's row in the list.
func SLALevelRowID(id int64) string { return "sla-level-" + strconv.FormatInt(id, 10) }

// SLALevelListProps is the list of Configuration → SLA.
type SLALevelListProps struct {
	Rows []store.SLALevel
}

// SLALevelValues are the fields of the level form as typed.
type SLALevelValues struct {
	Name        string
	FirstAnswer string
	NextAnswer  string
	Resolution  string
	TimeZone    string
	Week        [7]string // by time.Weekday
	Holidays    string
	Default     bool
}

// SLALevelFormProps is the add or edit form.
type SLALevelFormProps struct {
	ID     int64
	Values SLALevelValues
	Errors FieldErrors
	Zones  []string
}

// FormWeekdays is the order the form lists the days: Monday first.
var FormWeekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// WeekdayField is the form field of a weekday's hours.
func WeekdayField(d time.Weekday) string { return "hours_" + strconv.Itoa(int(d)) }

// WeekdayName is the day's name in the page's language.
func WeekdayName(ctx context.Context, d time.Weekday) string { return T(ctx, weekdayIDs[d]) }

// TargetText writes a business duration as the form reads it: 1h, 30m,
// 2h30m; empty for no target.
func TargetText(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case m == 0:
		return strconv.Itoa(h) + "h"
	case h == 0:
		return strconv.Itoa(m) + "m"
	}
	return strconv.Itoa(h) + "h" + strconv.Itoa(m) + "m"
}

func slaFormTitle(ctx context.Context, id int64) string {
	if id == 0 {
		return T(ctx, "AddSLALevel")
	}
	return T(ctx, "EditSLALevel")
}

func slaFormAction(id int64) string {
	if id == 0 {
		return PathSLALevels
	}
	return WithID(PathSLALevel, id)
}

var slaTargetIDs = map[store.SLATarget]string{
	store.TargetFirstAnswer: "SLAFirstAnswer", store.TargetNextAnswer: "SLANextAnswer", store.TargetResolution: "SLAResolution",
}

func slaTargetLabel(ctx context.Context, t store.SLATarget) string { return T(ctx, slaTargetIDs[t]) }

// businessDuration is business time in hours and minutes, rounded down to
// the minute.
func businessDuration(ctx context.Context, d time.Duration) string {
	return Tf(ctx, "SLAHoursMinutes", map[string]any{"H": int(d / time.Hour), "M": int(d % time.Hour / time.Minute)})
}
