package desk

import "time"

// Quick postpone choices beside the date field.
const (
	PostponeInHour     = "hour"
	PostponeTomorrow   = "tomorrow"
	PostponeNextMonday = "monday"
)

// PostponePresets lists the quick choices in the order they are offered.
var PostponePresets = []string{PostponeInHour, PostponeTomorrow, PostponeNextMonday}

// workdayStart is the hour a postponed ticket comes back on another day.
const workdayStart = 9

// PostponeAt is the time a quick choice means at now, in now's zone: an
// hour from now (to the minute), tomorrow at 9:00, or the next Monday at
// 9:00 (a week on when today is Monday, tomorrow on a Sunday). Days are
// counted on the calendar, so a change of clocks does not move 9:00.
func PostponeAt(preset string, now time.Time) (time.Time, bool) {
	y, m, d := now.Date()
	at9 := func(days int) time.Time { return time.Date(y, m, d+days, workdayStart, 0, 0, 0, now.Location()) }
	switch preset {
	case PostponeInHour:
		return now.Add(time.Hour).Truncate(time.Minute), true
	case PostponeTomorrow:
		return at9(1), true
	case PostponeNextMonday:
		days := (int(time.Monday) - int(now.Weekday()) + 7) % 7
		if days == 0 {
			days = 7
		}
		return at9(days), true
	}
	return time.Time{}, false
}
