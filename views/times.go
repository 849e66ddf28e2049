package views

import (
	"context"
	"strconv"
	"sync"
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
// at the end: "Monday, 2 June 2025, 14:05 (Europe/Warsaw)". A queue page
// says this a hundred times: see fullTimeFormatOf.
func FullTime(ctx context.Context, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if f, ok := fullTimeFormatOf(ctx); ok {
		return string(f.append(make([]byte, 0, 64), t))
	}
	return Tf(ctx, "FullDateTime", fullTimeData(ctx, deskTime(ctx, t)))
}

// fullTimeFormat is what FullTime needs of a page, worked out once: the
// message's parts, the names of months and weekdays, the desk's zone.
type fullTimeFormat struct {
	parts []skeletonPart
	words *dateWords
	zone  *time.Location
}

// fullTimeFormatOf is the page's fullTimeFormat; false when the message
// cannot be filled in place (a localizer of its own, a value it does not
// know), and then FullTime translates it each time.
func fullTimeFormatOf(ctx context.Context) (*fullTimeFormat, bool) {
	e := envOf(ctx)
	if e.Localizer != Localizer(e.Lang) {
		return nil, false
	}
	f := &fullTimeFormat{parts: skeletonOf(ctx, e.Lang, "FullDateTime", fullTimeKeys), words: dateWordsOf(ctx), zone: Zone(ctx)}
	for _, part := range f.parts {
		if _, known := fullTimeKeys[part.key]; part.key != "" && !known {
			return nil, false
		}
	}
	return f, true
}

// append adds t in words to b; t is not zero.
func (f *fullTimeFormat) append(b []byte, t time.Time) []byte {
	d := t.In(f.zone)
	for _, part := range f.parts {
		switch part.key {
		case "":
			b = append(b, part.text...)
		case "Weekday":
			b = append(b, f.words.weekdays[d.Weekday()]...)
		case "Day":
			b = strconv.AppendInt(b, int64(d.Day()), 10)
		case "Month":
			b = append(b, f.words.months[d.Month()-1]...)
		case "Year":
			b = strconv.AppendInt(b, int64(d.Year()), 10)
		case "Time":
			b = d.AppendFormat(b, "15:04")
		case "Zone":
			b = append(b, f.zone.String()...)
		}
	}
	return b
}

// fullTimeKeys are the values FullDateTime takes (skeletonOf reads only the keys).
var fullTimeKeys = map[string]any{"Weekday": "", "Day": "", "Month": "", "Year": "", "Time": "", "Zone": ""}

func fullTimeData(ctx context.Context, d time.Time) map[string]any {
	w := dateWordsOf(ctx)
	return map[string]any{
		"Weekday": w.weekdays[d.Weekday()],
		"Day":     strconv.Itoa(d.Day()),
		"Month":   w.months[d.Month()-1],
		"Year":    strconv.Itoa(d.Year()),
		"Time":    d.Format("15:04"),
		"Zone":    d.Location().String(),
	}
}

// dateWords are the month and weekday names of one language.
type dateWords struct {
	months   [12]string
	weekdays [7]string
}

// dateWordsKept holds each language's dateWords once built; the catalogue
// is fixed while the program runs, so they never go stale.
var dateWordsKept sync.Map // language -> *dateWords

func dateWordsOf(ctx context.Context) *dateWords {
	e := envOf(ctx)
	keep := e.Localizer == Localizer(e.Lang)
	if keep {
		if w, ok := dateWordsKept.Load(e.Lang); ok {
			return w.(*dateWords)
		}
	}
	w := &dateWords{}
	for i, id := range monthIDs {
		w.months[i] = T(ctx, id)
	}
	for i, id := range weekdayIDs {
		w.weekdays[i] = T(ctx, id)
	}
	if keep {
		dateWordsKept.Store(e.Lang, w)
	}
	return w
}
