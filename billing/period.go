package billing

import "time"

// Period is one billing period, from Start up to (not including) End.
type Period struct {
	Start, End time.Time
}

// NextPeriod is the period of cycle c that starts at start. Its end keeps
// the day of the month, or the month's last day when the month is shorter:
// a monthly period from 31 January ends on 28 or 29 February, and a yearly
// one from 29 February ends on 28 February of the next year.
func NextPeriod(start time.Time, c Cycle) Period {
	return Period{Start: start, End: addMonths(start, c.Months())}
}

func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

// Days is the number of days of the period, counted in whole days.
func (p Period) Days() int { return daysBetween(p.Start, p.End) }

// DaysLeft is the number of days from at to the end of the period; a part
// of a day counts as a whole day, since the seat is used in it.
func (p Period) DaysLeft(at time.Time) int {
	if !at.Before(p.End) {
		return 0
	}
	if at.Before(p.Start) {
		return p.Days()
	}
	d := p.End.Sub(at)
	days := int(d / (24 * time.Hour))
	if d%(24*time.Hour) != 0 {
		days++
	}
	return min(days, p.Days())
}

func daysBetween(a, b time.Time) int {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	da := time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)
	db := time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da) / (24 * time.Hour))
}
