package desk

import (
	"testing"
	"time"
)

func TestPostponeAt_QuickChoices(t *testing.T) {
	warsaw, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, warsaw)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct{ now, preset, want string }{
		{"2025-03-05 14:20", PostponeInHour, "2025-03-05 15:20"},
		{"2025-03-05 23:40", PostponeInHour, "2025-03-06 00:40"},
		{"2025-03-05 14:20", PostponeTomorrow, "2025-03-06 09:00"},
		{"2025-03-05 00:10", PostponeTomorrow, "2025-03-06 09:00"},   // after midnight: the next day, not today
		{"2025-03-31 18:00", PostponeTomorrow, "2025-04-01 09:00"},   // end of month
		{"2025-03-05 14:20", PostponeNextMonday, "2025-03-10 09:00"}, // Wednesday
		{"2025-03-10 08:00", PostponeNextMonday, "2025-03-17 09:00"}, // on a Monday: the one after
		{"2025-03-09 20:00", PostponeNextMonday, "2025-03-10 09:00"}, // on a Sunday: tomorrow
		{"2025-03-29 12:00", PostponeNextMonday, "2025-03-31 09:00"}, // over the change to summer time
		{"2025-03-29 12:00", PostponeTomorrow, "2025-03-30 09:00"},   // the day clocks go forward
	} {
		got, ok := PostponeAt(tc.preset, at(tc.now))
		if !ok || !got.Equal(at(tc.want)) {
			t.Errorf("%s at %s = %s, want %s", tc.preset, tc.now, got.Format("2006-01-02 15:04 MST"), tc.want)
		}
	}
	if _, ok := PostponeAt("someday", time.Now()); ok {
		t.Error("an unknown choice was accepted")
	}
	for _, p := range PostponePresets {
		if _, ok := PostponeAt(p, time.Now()); !ok {
			t.Errorf("offered choice %q is not understood", p)
		}
	}
}
