package bizhours

import (
	"testing"
	"time"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// weekdays is the same intervals on Monday to Friday.
func weekdays(loc *time.Location, ivs ...Interval) Schedule {
	s := Schedule{Zone: loc}
	for d := time.Monday; d <= time.Friday; d++ {
		s.Week[d] = ivs
	}
	return s
}

// always is every day from midnight to midnight: business time is real time.
func always(loc *time.Location) Schedule {
	s := Schedule{Zone: loc}
	for d := range s.Week {
		s.Week[d] = []Interval{{0, 24 * 60}}
	}
	return s
}

func hm(h, m int) int { return h*60 + m }

func TestAdd(t *testing.T) {
	warsaw := zone(t, "Europe/Warsaw")
	newYork := zone(t, "America/New_York")
	at := func(loc *time.Location, y int, mo time.Month, d, h, m int) time.Time {
		return time.Date(y, mo, d, h, m, 0, 0, loc)
	}
	nineToFive := weekdays(warsaw, Interval{hm(9, 0), hm(17, 0)})
	split := weekdays(warsaw, Interval{hm(9, 0), hm(13, 0)}, Interval{hm(14, 0), hm(18, 0)})
	christmas := nineToFive
	christmas.Holidays = map[string]bool{"2026-12-24": true, "2026-12-25": true}
	nySundayNight := Schedule{Zone: newYork}
	nySundayNight.Week[time.Sunday] = []Interval{{hm(1, 0), hm(3, 0)}}

	tests := []struct {
		name  string
		s     Schedule
		from  time.Time
		add   time.Duration
		want  time.Time
		wantZ bool
	}{
		{"inside hours", nineToFive, at(warsaw, 2026, 12, 7, 10, 0), time.Hour, at(warsaw, 2026, 12, 7, 11, 0), false},
		{"ends exactly at closing", nineToFive, at(warsaw, 2026, 12, 7, 16, 0), time.Hour, at(warsaw, 2026, 12, 7, 17, 0), false},
		{"before opening", nineToFive, at(warsaw, 2026, 12, 7, 7, 0), 30 * time.Minute, at(warsaw, 2026, 12, 7, 9, 30), false},
		{"after closing", nineToFive, at(warsaw, 2026, 12, 7, 20, 0), time.Hour, at(warsaw, 2026, 12, 8, 10, 0), false},
		{"friday over the weekend", nineToFive, at(warsaw, 2026, 12, 4, 16, 30), time.Hour, at(warsaw, 2026, 12, 7, 9, 30), false},
		{"created on saturday", nineToFive, at(warsaw, 2026, 12, 5, 12, 0), time.Hour, at(warsaw, 2026, 12, 7, 10, 0), false},
		{"several days", nineToFive, at(warsaw, 2026, 12, 7, 9, 0), 20 * time.Hour, at(warsaw, 2026, 12, 9, 13, 0), false},
		{"holidays skipped", christmas, at(warsaw, 2026, 12, 23, 16, 0), 2 * time.Hour, at(warsaw, 2026, 12, 28, 10, 0), false},
		{"lunch break skipped", split, at(warsaw, 2026, 12, 7, 12, 30), time.Hour, at(warsaw, 2026, 12, 7, 14, 30), false},
		{"created in the break", split, at(warsaw, 2026, 12, 7, 13, 20), 10 * time.Minute, at(warsaw, 2026, 12, 7, 14, 10), false},
		{"split day into the next", split, at(warsaw, 2026, 12, 7, 17, 0), 3 * time.Hour, at(warsaw, 2026, 12, 8, 11, 0), false},
		{"warsaw spring forward, business hours", nineToFive, at(warsaw, 2026, 3, 27, 16, 0), 2 * time.Hour, time.Date(2026, 3, 30, 8, 0, 0, 0, time.UTC), false},
		{"warsaw spring forward, round the clock", always(warsaw), at(warsaw, 2026, 3, 28, 23, 0), 3 * time.Hour, time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), false},
		{"warsaw fall back, round the clock", always(warsaw), at(warsaw, 2026, 10, 25, 0, 0), 24 * time.Hour, at(warsaw, 2026, 10, 25, 23, 0), false},
		{"new york fall back, round the clock", always(newYork), at(newYork, 2026, 11, 1, 0, 0), 24 * time.Hour, at(newYork, 2026, 11, 1, 23, 0), false},
		{"new york fall back, the repeated hour counts twice", nySundayNight, at(newYork, 2026, 11, 1, 0, 0), 150 * time.Minute, time.Date(2026, 11, 1, 7, 30, 0, 0, time.UTC), false},
		{"new york spring forward, the missing hour does not count", nySundayNight, at(newYork, 2026, 3, 8, 0, 0), 90 * time.Minute, at(newYork, 2026, 3, 15, 1, 30), false},
		{"zero duration", nineToFive, at(warsaw, 2026, 12, 5, 12, 0), 0, at(warsaw, 2026, 12, 5, 12, 0), false},
		{"no working hours", Schedule{Zone: warsaw}, at(warsaw, 2026, 12, 7, 10, 0), time.Hour, time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.s.Add(tt.from, tt.add)
			if tt.wantZ {
				if !got.IsZero() {
					t.Fatalf("Add = %v, want never", got)
				}
				return
			}
			if !got.Equal(tt.want) {
				t.Fatalf("Add(%v, %v) = %v, want %v", tt.from, tt.add, got.In(tt.want.Location()), tt.want)
			}
		})
	}
}

func TestBetween(t *testing.T) {
	warsaw := zone(t, "Europe/Warsaw")
	newYork := zone(t, "America/New_York")
	at := func(loc *time.Location, y int, mo time.Month, d, h, m int) time.Time {
		return time.Date(y, mo, d, h, m, 0, 0, loc)
	}
	nineToFive := weekdays(warsaw, Interval{hm(9, 0), hm(17, 0)})
	split := weekdays(warsaw, Interval{hm(9, 0), hm(13, 0)}, Interval{hm(14, 0), hm(18, 0)})
	christmas := nineToFive
	christmas.Holidays = map[string]bool{"2026-12-24": true, "2026-12-25": true}
	nySundayNight := Schedule{Zone: newYork}
	nySundayNight.Week[time.Sunday] = []Interval{{hm(1, 0), hm(3, 0)}}

	tests := []struct {
		name string
		s    Schedule
		a, b time.Time
		want time.Duration
	}{
		{"inside one interval", nineToFive, at(warsaw, 2026, 12, 7, 10, 0), at(warsaw, 2026, 12, 7, 10, 45), 45 * time.Minute},
		{"over the weekend", nineToFive, at(warsaw, 2026, 12, 4, 16, 0), at(warsaw, 2026, 12, 7, 10, 0), 2 * time.Hour},
		{"all weekend", nineToFive, at(warsaw, 2026, 12, 5, 0, 0), at(warsaw, 2026, 12, 7, 0, 0), 0},
		{"over the lunch break", split, at(warsaw, 2026, 12, 7, 12, 0), at(warsaw, 2026, 12, 7, 15, 0), 2 * time.Hour},
		{"a whole split week", split, at(warsaw, 2026, 12, 7, 0, 0), at(warsaw, 2026, 12, 14, 0, 0), 40 * time.Hour},
		{"over holidays", christmas, at(warsaw, 2026, 12, 23, 16, 0), at(warsaw, 2026, 12, 28, 10, 0), 2 * time.Hour},
		{"several days", nineToFive, at(warsaw, 2026, 12, 7, 9, 0), at(warsaw, 2026, 12, 9, 13, 0), 20 * time.Hour},
		{"end before start", nineToFive, at(warsaw, 2026, 12, 7, 12, 0), at(warsaw, 2026, 12, 7, 10, 0), 0},
		{"warsaw spring forward", nineToFive, at(warsaw, 2026, 3, 27, 16, 0), at(warsaw, 2026, 3, 30, 10, 0), 2 * time.Hour},
		{"warsaw spring forward day is 23 hours", always(warsaw), at(warsaw, 2026, 3, 29, 0, 0), at(warsaw, 2026, 3, 30, 0, 0), 23 * time.Hour},
		{"warsaw fall back day is 25 hours", always(warsaw), at(warsaw, 2026, 10, 25, 0, 0), at(warsaw, 2026, 10, 26, 0, 0), 25 * time.Hour},
		{"new york spring forward day is 23 hours", always(newYork), at(newYork, 2026, 3, 8, 0, 0), at(newYork, 2026, 3, 9, 0, 0), 23 * time.Hour},
		{"new york 1:00-3:00 on fall back night is 3 hours", nySundayNight, at(newYork, 2026, 11, 1, 0, 0), at(newYork, 2026, 11, 2, 0, 0), 3 * time.Hour},
		{"new york 1:00-3:00 on spring forward night is 1 hour", nySundayNight, at(newYork, 2026, 3, 8, 0, 0), at(newYork, 2026, 3, 9, 0, 0), time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.Between(tt.a, tt.b); got != tt.want {
				t.Fatalf("Between = %v, want %v", got, tt.want)
			}
		})
	}
}

// Adding what Between measured lands on the same instant when that instant
// is in business hours: the two functions agree.
func TestAddUndoesBetween(t *testing.T) {
	s := weekdays(zone(t, "Europe/Warsaw"), Interval{hm(9, 0), hm(13, 0)}, Interval{hm(14, 0), hm(18, 0)})
	from := time.Date(2026, 12, 4, 15, 7, 0, 0, s.Zone)
	for _, to := range []time.Time{
		time.Date(2026, 12, 7, 9, 1, 0, 0, s.Zone),
		time.Date(2026, 12, 8, 17, 59, 0, 0, s.Zone),
		time.Date(2026, 12, 15, 10, 0, 0, 0, s.Zone),
	} {
		if got := s.Add(from, s.Between(from, to)); !got.Equal(to) {
			t.Errorf("Add(Between) = %v, want %v", got, to)
		}
	}
}

func TestParseDay(t *testing.T) {
	got, err := ParseDay(" 14:00-18:00, 09:00 - 13:00 ")
	if err != nil {
		t.Fatal(err)
	}
	if want := []Interval{{hm(9, 0), hm(13, 0)}, {hm(14, 0), hm(18, 0)}}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("ParseDay = %v, want %v", got, want)
	}
	if FormatDay(got) != "09:00-13:00, 14:00-18:00" {
		t.Fatalf("FormatDay = %q", FormatDay(got))
	}
	if day, err := ParseDay(""); err != nil || len(day) != 0 {
		t.Fatalf("empty day = %v, %v", day, err)
	}
	if day, err := ParseDay("00:00-24:00"); err != nil || day[0].End != 24*60 {
		t.Fatalf("whole day = %v, %v", day, err)
	}
	for text, want := range map[string]error{
		"9-17":                    ErrIntervalFormat,
		"09:00":                   ErrIntervalFormat,
		"25:00-26:00":             ErrIntervalFormat,
		"09:60-10:00":             ErrIntervalFormat,
		"17:00-09:00":             ErrIntervalOrder,
		"09:00-13:00,12:00-18:00": ErrIntervalOverlap,
	} {
		if _, err := ParseDay(text); err != want {
			t.Errorf("ParseDay(%q) = %v, want %v", text, err, want)
		}
	}
}

func TestParseHolidays(t *testing.T) {
	got, err := ParseHolidays("2026-12-25\n2026-12-24, 2026-12-25")
	if err != nil || len(got) != 2 || got[0] != "2026-12-24" || got[1] != "2026-12-25" {
		t.Fatalf("ParseHolidays = %v, %v", got, err)
	}
	if _, err := ParseHolidays("25.12.2026"); err != ErrHolidayFormat {
		t.Fatalf("bad date: %v", err)
	}
}
