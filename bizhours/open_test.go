package bizhours

import (
	"testing"
	"time"
)

func TestOpen_InsideIntervalsOnWorkingDaysOnly(t *testing.T) {
	warsaw, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Fatal(err)
	}
	split := []Interval{{9 * 60, 13 * 60}, {14 * 60, 18 * 60}}
	s := Schedule{Zone: warsaw, Holidays: map[string]bool{"2026-12-24": true}}
	for d := time.Monday; d <= time.Friday; d++ {
		s.Week[d] = split
	}
	at := func(day, h, m int) time.Time { return time.Date(2026, 12, day, h, m, 0, 0, warsaw) }
	for _, tc := range []struct {
		name string
		t    time.Time
		want bool
	}{
		{"Monday 9:00, the opening minute", at(7, 9, 0), true},
		{"Monday 8:59", at(7, 8, 59), false},
		{"Monday 12:59", at(7, 12, 59), true},
		{"Monday 13:00, the lunch break", at(7, 13, 0), false},
		{"Monday 14:30", at(7, 14, 30), true},
		{"Monday 18:00, closed", at(7, 18, 0), false},
		{"Saturday 10:00", at(5, 10, 0), false},
		{"Christmas Eve, a Thursday holiday, 10:00", at(24, 10, 0), false},
		{"Monday 9:30 Warsaw given in UTC", time.Date(2026, 12, 7, 8, 30, 0, 0, time.UTC), true},
	} {
		if got := s.Open(tc.t); got != tc.want {
			t.Errorf("%s: open = %v, want %v", tc.name, got, tc.want)
		}
	}
	if (Schedule{}).Open(at(7, 10, 0)) {
		t.Error("a schedule without hours is never open")
	}
}
