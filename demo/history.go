package demo

import (
	"math/rand/v2"
	"sort"
	"time"
)

// TimeZone is the desk's time zone on a demo desk: its busy hours and quiet
// weekends are this zone's, and the reports count days in it.
const TimeZone = "Europe/Warsaw"

// hourWeight is how busy an hour of the week is, in the desk's time zone:
// a working day peaks from 9 to 17, evenings and nights are quiet, and
// weekends quieter still.
func hourWeight(t time.Time) int64 {
	h := t.Hour()
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		if h >= 9 && h < 19 {
			return 4
		}
		return 1
	}
	switch {
	case h >= 9 && h < 17:
		return 20
	case h >= 7 && h < 9, h >= 17 && h < 20:
		return 8
	case h >= 20:
		return 3
	}
	return 1
}

// arrivals spreads tickets over [start, end) as a real desk receives them:
// an hour gets tickets in proportion to hourWeight. at(u), for u from 0 to
// 1, is the time by which that share of the tickets has arrived, so equally
// spaced u give creation times in order.
type arrivals struct {
	start int64   // ms
	cum   []int64 // cumulative weight at the end of each hour
}

func newArrivals(start, end int64, loc *time.Location) arrivals {
	a := arrivals{start: start}
	var total int64
	for h := start; h < end; h += 3600000 {
		total += hourWeight(time.UnixMilli(h).In(loc))
		a.cum = append(a.cum, total)
	}
	return a
}

func (a arrivals) at(u float64) int64 {
	target := int64(u * float64(a.cum[len(a.cum)-1]))
	i := sort.Search(len(a.cum), func(i int) bool { return a.cum[i] > target })
	i = min(i, len(a.cum)-1)
	prev := int64(0)
	if i > 0 {
		prev = a.cum[i-1]
	}
	within := float64(target-prev) / float64(a.cum[i]-prev)
	return a.start + int64(i)*3600000 + int64(within*3600000)
}

// workDelay is how long the team takes to act on a ticket at a moment: a
// few minutes to two hours in working hours, longer in the evening, the
// next working morning at night or at the weekend.
func workDelay(rng *rand.Rand, at int64, loc *time.Location) int64 {
	t := time.UnixMilli(at).In(loc)
	quick := int64(3*60000) + rng.Int64N(2*3600000)
	if hourWeight(t) >= 8 {
		return quick
	}
	if hourWeight(t) == 3 && rng.IntN(2) == 0 {
		return quick * 2
	}
	next := t
	for hourWeight(next) < 8 || next.Hour() < 8 {
		next = next.Add(time.Hour)
	}
	next = time.Date(next.Year(), next.Month(), next.Day(), next.Hour(), 0, 0, 0, loc)
	return max(next.UnixMilli()-at, 0) + quick
}
