package views

import (
	"context"
	"strconv"
	"time"

	"helpline/store"
)

// The Ticket load tab (SPEC §6.3) and its CSV.
const (
	PathReportsLoad    = "/reports/load"
	PathReportsLoadCSV = "/reports/load.csv"
)

// LoadSummary is the period's Ticket load in four figures.
type LoadSummary struct {
	Created             int64
	QueueHigh, QueueLow int64
	QueueKnown          bool // some hour of the period has the queue kept
	SignedInHigh        int64
}

// SummarizeLoad folds the hours into the period's figures: tickets created
// in all, the largest and smallest queue of any hour, the most agents
// signed in in one hour.
func SummarizeLoad(hours []store.LoadHour) LoadSummary {
	var s LoadSummary
	for _, h := range hours {
		s.Created += h.Created
		s.SignedInHigh = max(s.SignedInHigh, h.SignedIn)
		if !h.QueueKnown {
			continue
		}
		if !s.QueueKnown {
			s.QueueHigh, s.QueueLow, s.QueueKnown = h.QueueHigh, h.QueueLow, true
		}
		s.QueueHigh, s.QueueLow = max(s.QueueHigh, h.QueueHigh), min(s.QueueLow, h.QueueLow)
	}
	return s
}

// CreatedIn links the tickets created in the row's hour or day.
func (l drillLink) CreatedIn(h store.LoadHour) string {
	l.p.From, l.p.To = h.Hour, h.End()
	return l.Created()
}

// LoadByDay says whether the rows are days (a period longer than a month).
func LoadByDay(rows []store.LoadHour) bool { return len(rows) > 0 && rows[0].Day }

// LoadWord is the message hourID for rows of hours, dayID for days.
func LoadWord(ctx context.Context, rows []store.LoadHour, hourID, dayID string) string {
	if LoadByDay(rows) {
		return T(ctx, dayID)
	}
	return T(ctx, hourID)
}

// LoadRowLabel is the row's hour or day in zone.
func LoadRowLabel(h store.LoadHour, zone *time.Location) string {
	if h.Day {
		return h.Hour.In(zone).Format("2006-01-02")
	}
	return h.Hour.In(zone).Format("2006-01-02 15:04")
}

// loadChart is the geometry of the Ticket load chart: per hour a band from
// the smallest to the largest queue, a bar of tickets created, and a line
// of the agents signed in, all on one scale.
type loadChart struct {
	Width, Height int
	Bands, Bars   []chartBar
	SignedIn      string // polyline points
	Caption       string // its message: per hour or per day
}

func newLoadChart(hours []store.LoadHour) loadChart {
	var top int64 = 1
	for _, h := range hours {
		top = max(top, h.Created, h.QueueHigh, h.SignedIn)
	}
	const slot = 4
	c := loadChart{Width: max(len(hours)*slot, 100), Height: chartHeight, Caption: "ChartLoad"}
	if LoadByDay(hours) {
		c.Caption = "ChartLoadDays"
	}
	y := func(v int64) int { return chartHeight - int(v*int64(chartHeight-4)/top) }
	var points []byte
	for i, h := range hours {
		x := i * slot
		if h.QueueKnown {
			c.Bands = append(c.Bands, chartBar{X: x, Y: y(h.QueueHigh), W: slot, H: max(y(h.QueueLow)-y(h.QueueHigh), 1), Class: "band-queue"})
		}
		if h.Created > 0 {
			c.Bars = append(c.Bars, chartBar{X: x + 1, Y: y(h.Created), W: slot - 2, H: chartHeight - y(h.Created), Class: "bar-created"})
		}
		points = strconv.AppendInt(points, int64(x+slot/2), 10)
		points = append(points, ',')
		points = strconv.AppendInt(points, int64(y(h.SignedIn)), 10)
		points = append(points, ' ')
	}
	c.SignedIn = string(points)
	return c
}

// LoadQueue is a queue size, or a dash for an hour before the queue was kept.
func LoadQueue(ctx context.Context, n int64, known bool) string {
	if !known {
		return T(ctx, "ReportNoFigure")
	}
	return i64(n)
}
