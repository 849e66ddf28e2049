package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
)

// The day rollups (migrations/*/0031_report_days.sql) cut days in one zone,
// the desk's: report_zone holds its offset from each UTC hour on, and
// report_zone_name its name (no row: UTC, as a new desk starts).

// reportDayExpr is the local day (days since 1970-01-01) of the UTC hour
// expression h, read from report_zone as the triggers do.
func reportDayExpr(h string) string {
	return `((` + h + `) * 60 + coalesce((SELECT z.offset_min FROM report_zone z WHERE z.from_hour <= (` + h +
		`) ORDER BY z.from_hour DESC LIMIT 1), 0)) / 1440`
}

// reportGrainCols are the department, agent and channel of a row at grain g
// (report_grains g) from the full key's x.
const reportGrainCols = `CASE WHEN g.grain IN (0, 2) THEN x.department_id ELSE 0 END,
	CASE WHEN g.grain IN (0, 3, 4) THEN x.agent_id ELSE 0 END, CASE g.grain WHEN 0 THEN x.channel ELSE '' END`

// reportDaysRebuildSQL counts the day rollups afresh from report_hours and
// ticket_firsts in the zone report_zone holds: when the desk's zone
// changes, after a bulk load, and in the tests that check the triggers.
var reportDaysRebuildSQL = []string{
	`DELETE FROM report_days`,
	`INSERT INTO report_days (grain, day, department_id, agent_id, channel, created, replied, reply_ms, assigned, assign_ms, resolved, resolve_ms, answers, notes)
		SELECT g.grain, CASE g.grain WHEN 4 THEN (SELECT max(m.first_day) FROM report_months m WHERE m.first_day <= x.day) ELSE x.day END,
		       ` + reportGrainCols + `,
		       sum(x.created), sum(x.replied), sum(x.reply_ms), sum(x.assigned), sum(x.assign_ms),
		       sum(x.resolved), sum(x.resolve_ms), sum(x.answers), sum(x.notes)
		FROM (SELECT ` + reportDayExpr("h.at_hour") + ` AS day, h.department_id, h.agent_id, h.channel, h.created, h.replied, h.reply_ms,
		             h.assigned, h.assign_ms, h.resolved, h.resolve_ms, h.answers, h.notes FROM report_hours h) x
		JOIN report_grains g ON g.grain <> 1
		GROUP BY 1, 2, 3, 4, 5`,
	`DELETE FROM report_reply_days`,
	`INSERT INTO report_reply_days (grain, day, department_id, agent_id, channel, bucket, n)
		SELECT g.grain, x.day, ` + reportGrainCols + `, x.bucket, count(*)
		FROM (SELECT ` + reportDayExpr("f.first_reply_at / 3600000") + ` AS day, f.department_id, f.first_reply_by AS agent_id, f.channel,
		             (SELECT b.bucket FROM report_buckets b WHERE b.lo_ms <= f.first_reply_ms ORDER BY b.lo_ms DESC LIMIT 1) AS bucket
		      FROM ticket_firsts f WHERE f.first_reply_at IS NOT NULL AND f.hidden = 0) x
		JOIN report_grains g ON g.grain < 4
		GROUP BY 1, 2, 3, 4, 5, 6`,
	`DELETE FROM report_signed_in_days`,
	`INSERT INTO report_signed_in_days (day, agent_id)
		SELECT DISTINCT ` + reportDayExpr("s.at_hour") + `, s.agent_id FROM report_signed_in s`,
}

// zoneSpan is one row of report_zone.
type zoneSpan struct{ fromHour, offsetMin int64 }

// zoneSpans lists loc's offsets from 1970 to 2100, one per transition. A
// transition inside an hour (none of today's zones has one) moves the whole
// hour: report_hours keeps nothing finer.
func zoneSpans(loc *time.Location) []zoneSpan {
	var out []zoneSpan
	end := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	for t := time.Unix(0, 0).In(loc); t.Before(end); {
		_, off := t.Zone()
		h := t.Unix() / 3600
		if len(out) == 0 {
			h = -1 << 40
		}
		switch {
		case len(out) > 0 && out[len(out)-1].offsetMin == int64(off/60):
		case len(out) > 0 && out[len(out)-1].fromHour == h:
			out[len(out)-1].offsetMin = int64(off / 60)
		default:
			out = append(out, zoneSpan{h, int64(off / 60)})
		}
		_, next := t.ZoneBounds()
		if next.IsZero() || !next.After(t) {
			break
		}
		t = next
	}
	return out
}

// rebuildReportDays cuts the day rollups in zone, in tx: writes its offsets
// and counts every day row afresh. Slow on a big desk (seconds per million
// tickets, docs/REPORTS.md), but it runs only when the zone changes.
func rebuildReportDays(ctx context.Context, tx *sql.Tx, zone string) error {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return fmt.Errorf("report days: %w", err)
	}
	stmts := []string{`DELETE FROM report_zone`, `DELETE FROM report_zone_name`}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("report days: %w", err)
		}
	}
	if zone != "UTC" {
		spans := zoneSpans(loc)
		var args []any
		for _, s := range spans {
			args = append(args, s.fromHour, s.offsetMin)
		}
		q := `INSERT INTO report_zone (from_hour, offset_min) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?), ", len(spans)), ", ")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("report days: zone: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_zone_name (id, name) VALUES (1, ?)`, zone); err != nil {
			return fmt.Errorf("report days: zone: %w", err)
		}
	}
	for _, q := range reportDaysRebuildSQL {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("report days: %w", err)
		}
	}
	return nil
}

// reportZoneOf reads the zone the day rollups are cut in, in q.
func reportZoneOf(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (string, error) {
	var zone string
	err := q.QueryRowContext(ctx, `SELECT name FROM report_zone_name WHERE id = 1`).Scan(&zone)
	if errors.Is(err, sql.ErrNoRows) {
		return "UTC", nil
	}
	return zone, err
}

// keepReportZone cuts the day rollups in the desk's zone if they are cut in
// another: once, when migration 0031 first runs on a desk whose zone is
// not UTC (the migration cannot read a zone's rules).
func (s *Store) keepReportZone(ctx context.Context) error {
	var desk string
	err := s.w.QueryRowContext(ctx, `SELECT time_zone FROM account WHERE id = 1`).Scan(&desk)
	if errors.Is(err, sql.ErrNoRows) {
		desk = "UTC"
	} else if err != nil {
		return fmt.Errorf("store: report days: %w", err)
	}
	kept, err := reportZoneOf(ctx, s.w)
	if err != nil || kept == desk {
		return err
	}
	// Not s.write: a million tickets take longer than an ordinary write may.
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: report days: %w", err)
	}
	defer tx.Rollback()
	if err := rebuildReportDays(ctx, tx, desk); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	s.mem.gen.Add(1)
	return tx.Commit()
}

// reportZone is the zone the day rollups are cut in: its name read afresh
// (one row), its rules loaded once per name.
func (s *Store) reportZone(ctx context.Context) (*time.Location, error) {
	name, err := reportZoneOf(ctx, s.rd)
	if err != nil {
		return nil, fmt.Errorf("store: report zone: %w", err)
	}
	if loc, ok := reportZones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("store: report zone: %w", err)
	}
	reportZones.Store(name, loc)
	return loc, nil
}

var reportZones sync.Map // zone name → *time.Location

// dayNumber is the local date of t's day as days since 1970-01-01.
func dayNumber(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// dayOfNumber is local midnight of day n in loc.
func dayOfNumber(n int64, loc *time.Location) time.Time {
	y, m, d := time.Unix(n*86400, 0).UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// wholeDays says whether f's period is whole days of the zone the rollups
// are cut in (every period the picker offers is), and which: [from, to).
func (s *Store) wholeDays(ctx context.Context, f ReportFilter) (from, to int64, ok bool, err error) {
	loc, err := s.reportZone(ctx)
	if err != nil {
		return 0, 0, false, err
	}
	a, b := f.From.In(loc), f.To.In(loc)
	if !a.Equal(localDay(a, loc)) || !b.Equal(localDay(b, loc)) {
		return 0, 0, false, nil
	}
	return dayNumber(a), dayNumber(b), true, nil
}

// dayPeriod is a report period of whole days of the rollups' zone loc.
type dayPeriod struct {
	from, to int64
	loc      *time.Location
}

// reportDayPeriod says whether f's period is whole days of the zone the
// rollups are cut in (every period the picker offers is, in the desk's
// zone) and which; if not, the report reads hours.
func (s *Store) reportDayPeriod(ctx context.Context, f ReportFilter) (dayPeriod, bool, error) {
	loc, err := s.reportZone(ctx)
	if err != nil {
		return dayPeriod{}, false, err
	}
	a, b := f.From.In(loc), f.To.In(loc)
	if !a.Equal(localDay(a, loc)) || !b.Equal(localDay(b, loc)) || b.Before(a) {
		return dayPeriod{}, false, nil
	}
	return dayPeriod{dayNumber(a), dayNumber(b), loc}, true, nil
}

// The grains of report_days and report_reply_days.
const (
	grainFull       = 0 // department × agent × channel
	grainAll        = 1 // first answer times only (report_reply_days)
	grainDepartment = 2
	grainAgent      = 3
	grainAgentMonth = 4 // per agent and month, on the month's first day
)

// dayGrain is the smallest grain holding f's filters and the grouping by
// (”: by day, or a column of the key).
func dayGrain(f ReportFilter, by string) int {
	switch {
	case f.Channel != "":
		return grainFull
	case by == "agent_id":
		if f.DepartmentID != 0 {
			return grainFull
		}
		return grainAgent
	case by == "department_id":
		if f.AgentID != 0 {
			return grainFull
		}
		return grainDepartment
	case f.DepartmentID != 0 && f.AgentID != 0:
		return grainFull
	case f.DepartmentID != 0:
		return grainDepartment
	case f.AgentID != 0:
		return grainAgent
	case by == "histogram":
		return grainAll
	}
	// All departments' figures add up from theirs: a row of all would be
	// updated by every new ticket, which writers on PostgreSQL queue for.
	return grainDepartment
}

// dayWhere is the WHERE of a read of r (report_days or report_reply_days)
// for f over p at grain g, which is written out so the planner can use the
// full grain's partial indexes.
func dayWhere(f ReportFilter, p dayPeriod, g int) (string, []any) {
	where := []string{fmt.Sprintf("r.grain = %d", g), "r.day >= " + intArg, "r.day < " + intArg}
	args := []any{p.from, p.to}
	return rollupFilterWhere(f, where, args) // reports.go
}

// dayRollupSQL sums report_days for f over p per day or per by. Per agent
// alone, the whole months of the period are read from the months and only
// the days at its ends from the days: the rows come back in up to three
// parts, each agent's to be added up.
func dayRollupSQL(f ReportFilter, p dayPeriod, by string) (string, []any) {
	col := "r.day"
	if by != "" {
		col = "r." + by
	}
	g := dayGrain(f, by)
	part := func(g int, p dayPeriod) (string, []any) {
		where, args := dayWhere(f, p, g)
		return `SELECT ` + col + `, ` + reportSums + ` FROM report_days r WHERE ` + where + ` GROUP BY ` + col, args
	}
	mFrom, mTo := monthsWithin(p)
	if g != grainAgent || by == "" || mFrom >= mTo {
		return part(g, p)
	}
	var qs []string
	var args []any
	for _, pt := range []struct {
		g        int
		from, to int64
	}{{grainAgentMonth, mFrom, mTo}, {grainAgent, p.from, mFrom}, {grainAgent, mTo, p.to}} {
		if pt.from >= pt.to {
			continue
		}
		q, a := part(pt.g, dayPeriod{pt.from, pt.to, p.loc})
		qs, args = append(qs, q), append(args, a...)
	}
	return strings.Join(qs, " UNION ALL "), args
}

// monthsWithin is the whole months of p: [first day of the first, first
// day after the last), empty if there is none.
func monthsWithin(p dayPeriod) (int64, int64) {
	first := dayOfNumber(p.from, time.UTC)
	if first.Day() != 1 {
		first = time.Date(first.Year(), first.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	}
	end := dayOfNumber(p.to, time.UTC)
	end = time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, time.UTC)
	return dayNumber(first), dayNumber(end)
}

// replyHistogramSQL counts the period's first answers per bucket.
func replyHistogramSQL(f ReportFilter, p dayPeriod) (string, []any) {
	where, args := dayWhere(f, p, dayGrain(f, "histogram"))
	return `SELECT r.bucket, sum(r.n) FROM report_reply_days r WHERE ` + where + ` GROUP BY r.bucket`, args
}

// bucketEstimate is the time a first answer in bucket k is taken for: the
// geometric middle of [1000 × 1.1^(k-1), 1000 × 1.1^k) ms, off by under 5%
// from any time in it; half a second for bucket 0 (under one second).
func bucketEstimate(k int64) time.Duration {
	if k <= 0 {
		return 500 * time.Millisecond
	}
	return time.Duration(1000*math.Pow(1.1, float64(k)-0.5)) * time.Millisecond
}

// histogramPercentile is the nearest-rank p-th percentile of the counts per
// bucket (sorted by bucket), as its bucket's estimate.
func histogramPercentile(buckets []bucketCount, p int) time.Duration {
	var n int64
	for _, b := range buckets {
		n += b.n
	}
	if n == 0 {
		return 0
	}
	rank := max((int64(p)*n+99)/100, 1)
	for _, b := range buckets {
		if rank <= b.n {
			return bucketEstimate(b.bucket)
		}
		rank -= b.n
	}
	return bucketEstimate(buckets[len(buckets)-1].bucket)
}

type bucketCount struct{ bucket, n int64 }

// replyPercentiles reads the period's histogram and its median and 90th
// percentile.
func (s *Store) replyPercentiles(ctx context.Context, f ReportFilter, p dayPeriod) (median, p90 time.Duration, err error) {
	q, args := replyHistogramSQL(f, p)
	var buckets []bucketCount
	if err := s.eachRow(ctx, q, args, func(rows scanner) error {
		var b bucketCount
		if err := rows.Scan(&b.bucket, &b.n); err != nil {
			return err
		}
		buckets = append(buckets, b)
		return nil
	}); err != nil {
		return 0, 0, fmt.Errorf("store: first answer times: %w", err)
	}
	slices.SortFunc(buckets, func(a, b bucketCount) int { return cmp.Compare(a.bucket, b.bucket) })
	return histogramPercentile(buckets, 50), histogramPercentile(buckets, 90), nil
}

// reportDaysFromRollup reads the period's days from report_days, every day
// of the period present.
func (s *Store) reportDaysFromRollup(ctx context.Context, f ReportFilter, p dayPeriod) ([]ReportDay, error) {
	days := make([]ReportDay, 0, max(p.to-p.from, 0))
	for d := p.from; d < p.to; d++ {
		days = append(days, ReportDay{Day: dayOfNumber(d, p.loc)})
	}
	q, args := dayRollupSQL(f, p, "")
	err := s.eachRow(ctx, q, args, func(rows scanner) error {
		var d int64
		var fig ReportFigures
		if err := rows.Scan(append([]any{&d}, fig.scanTargets()...)...); err != nil {
			return err
		}
		if d >= p.from && d < p.to {
			days[d-p.from].add(fig)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: report days: %w", err)
	}
	return days, nil
}
