package bizhours

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Errors of ParseDay and ParseHolidays, for the form to name the field.
var (
	ErrIntervalFormat  = errors.New("bizhours: an interval is written 09:00-13:00")
	ErrIntervalOrder   = errors.New("bizhours: an interval must end after it starts")
	ErrIntervalOverlap = errors.New("bizhours: intervals of a day must not overlap")
	ErrHolidayFormat   = errors.New("bizhours: a holiday is written 2026-12-25")
)

// ParseDay reads one weekday's intervals as people type them:
// "09:00-13:00, 14:00-18:00"; empty means a day off. 24:00 closes a day.
func ParseDay(text string) ([]Interval, error) {
	var out []Interval
	for _, part := range strings.Split(text, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		from, to, ok := strings.Cut(part, "-")
		if !ok {
			return nil, ErrIntervalFormat
		}
		start, err := parseClock(strings.TrimSpace(from))
		if err != nil {
			return nil, err
		}
		end, err := parseClock(strings.TrimSpace(to))
		if err != nil {
			return nil, err
		}
		if end <= start {
			return nil, ErrIntervalOrder
		}
		out = append(out, Interval{Start: start, End: end})
	}
	slices.SortFunc(out, func(a, b Interval) int { return a.Start - b.Start })
	for i := 1; i < len(out); i++ {
		if out[i].Start < out[i-1].End {
			return nil, ErrIntervalOverlap
		}
	}
	return out, nil
}

func parseClock(s string) (int, error) {
	var h, m int
	if n, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil || n != 2 || len(s) < 4 || len(s) > 5 {
		return 0, ErrIntervalFormat
	}
	if h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, ErrIntervalFormat
	}
	return h*60 + m, nil
}

// FormatDay writes intervals back the way ParseDay reads them.
func FormatDay(day []Interval) string {
	parts := make([]string, len(day))
	for i, iv := range day {
		parts[i] = fmt.Sprintf("%02d:%02d-%02d:%02d", iv.Start/60, iv.Start%60, iv.End/60, iv.End%60)
	}
	return strings.Join(parts, ", ")
}

// ParseHolidays reads dates one per line or separated by commas, sorted and
// without repeats.
func ParseHolidays(text string) ([]string, error) {
	fields := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' || r == ' ' || r == ';' })
	var out []string
	for _, f := range fields {
		day, err := time.Parse(time.DateOnly, f)
		if err != nil {
			return nil, ErrHolidayFormat
		}
		out = append(out, day.Format(time.DateOnly))
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
