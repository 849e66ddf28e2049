package views

import (
	"context"
	"strconv"
	"time"
)

// Times are stored in UTC and shown in the desk's time zone (Configuration
// → General): short in the page, in full with the zone on hover.

// deskTime is t in the desk's zone.
func deskTime(ctx context.Context, t time.Time) time.Time { return t.In(Zone(ctx)) }

// shortTime is t as the tables show it, in the desk's zone.
func shortTime(ctx context.Context, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return deskTime(ctx, t).Format("2006-01-02 15:04")
}

// machineTime is the datetime attribute of a <time>, with the desk's offset.
func machineTime(ctx context.Context, t time.Time) string {
	return deskTime(ctx, t).Format(time.RFC3339)
}

var (
	monthIDs   = [...]string{"MonthJanuary", "MonthFebruary", "MonthMarch", "MonthApril", "MonthMay", "MonthJune", "MonthJuly", "MonthAugust", "MonthSeptember", "MonthOctober", "MonthNovember", "MonthDecember"}
	weekdayIDs = [...]string{"WeekdaySunday", "WeekdayMonday", "WeekdayTuesday", "WeekdayWednesday", "WeekdayThursday", "WeekdayFriday", "WeekdaySaturday"}
)

// FullTime is t in words in the page's language and the desk's zone, named
// at the end: "Monday, 2 June 2025, 14:05 (Europe/Warsaw)".
func FullTime(ctx context.Context, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := deskTime(ctx, t)
	return Tf(ctx, "FullDateTime", map[string]any{
		"Weekday": T(ctx, weekdayIDs[d.Weekday()]),
		"Day":     strconv.Itoa(d.Day()),
		"Month":   T(ctx, monthIDs[d.Month()-1]),
		"Year":    strconv.Itoa(d.Year()),
		"Time":    d.Format("15:04"),
		"Zone":    Zone(ctx).String(),
	})
}
