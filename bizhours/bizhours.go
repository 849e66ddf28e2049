// Package bizhours does the arithmetic of business time: a weekly schedule
// of wall-clock intervals in one time zone, minus holidays. It knows nothing
// of tickets; the SLA clocks are built on it.
package bizhours

import (
	"time"
)

// Interval is one stretch of a working day in wall-clock minutes since
// midnight, Start inclusive, End exclusive (End may be 24*60).
type Interval struct {
	Start, End int
}

// Schedule is business hours: for each weekday (indexed by time.Weekday)
// its intervals in order, the holidays as dates ("2006-01-02") in the
// schedule's zone, and the zone itself.
type Schedule struct {
	Week     [7][]Interval
	Holidays map[string]bool
	Zone     *time.Location
}

// searchDays bounds the walk over the calendar so that a schedule without
// any working time cannot loop for ever: ten years of days.
const searchDays = 3660

func (s Schedule) zone() *time.Location {
	if s.Zone == nil {
		return time.UTC
	}
	return s.Zone
}

// HasHours reports whether the week has any working time at all.
func (s Schedule) HasHours() bool {
	for _, day := range s.Week {
		if len(day) > 0 {
			return true
		}
	}
	return false
}

// spans calls visit with the real instants of each working interval, day by
// day from the local date of from, until visit returns false. Instants come
// from time.Date, so a day on which the clocks change has its intervals as
// long as they really are (a 0:00–24:00 day lasts 23 or 25 hours).
func (s Schedule) spans(from time.Time, visit func(start, end time.Time) bool) {
	loc := s.zone()
	local := from.In(loc)
	y, m, d := local.Date()
	for i := 0; i < searchDays; i++ {
		day := time.Date(y, m, d+i, 12, 0, 0, 0, loc)
		if s.Holidays[day.Format(time.DateOnly)] {
			continue
		}
		dy, dm, dd := day.Date()
		for _, iv := range s.Week[day.Weekday()] {
			start := time.Date(dy, dm, dd, 0, iv.Start, 0, 0, loc)
			end := time.Date(dy, dm, dd, 0, iv.End, 0, 0, loc)
			if !end.After(start) {
				continue
			}
			if !visit(start, end) {
				return
			}
		}
	}
}

// Add is the instant at which d of business time has passed since t. Time
// before the next working interval does not count, so a ticket created on
// Saturday with one business hour is due at 10:00 on Monday for a 9:00
// start. A target that ends exactly at the close of a day is due then, not
// at the next opening. With no working hours at all Add returns the zero
// time: the target can never be due.
func (s Schedule) Add(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	var due time.Time
	left := d
	s.spans(t, func(start, end time.Time) bool {
		if !end.After(t) {
			return true
		}
		if start.Before(t) {
			start = t
		}
		if avail := end.Sub(start); left <= avail {
			due = start.Add(left)
			return false
		} else {
			left -= avail
		}
		return true
	})
	return due
}

// Between is the business time that passes from a to b (zero if b is not
// after a).
func (s Schedule) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	var total time.Duration
	s.spans(a, func(start, end time.Time) bool {
		if !start.Before(b) {
			return false
		}
		if start.Before(a) {
			start = a
		}
		if end.After(b) {
			end = b
		}
		if end.After(start) {
			total += end.Sub(start)
		}
		return true
	})
	return total
}
