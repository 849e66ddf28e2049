package bizhours

import "time"

// Open reports whether t falls within business hours: inside a working
// interval (its start included, its end not) on a day that is no holiday.
func (s Schedule) Open(t time.Time) bool {
	open := false
	s.spans(t, func(start, end time.Time) bool {
		if !end.After(t) {
			return true
		}
		open = !start.After(t)
		return false
	})
	return open
}
