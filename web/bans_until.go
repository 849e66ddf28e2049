package web

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// banDuration is a duration as the Valid until field takes it: a number
// and m (minutes), h (hours), d (days) or w (weeks), e.g. "1d", "12 h".
var banDuration = regexp.MustCompile(`^(\d{1,6})\s*([mhdw])$`)

// maxBan bounds a ban; a longer one is almost surely a typo.
const maxBan = 100 * 365 * 24 * time.Hour

// parseValidUntil reads Valid until: a duration from now, a date (the ban
// holds through that day, in the desk's time zone), or a date and time.
// It answers the message ID of what is wrong, "" when nothing is.
func parseValidUntil(raw string, now time.Time, zone *time.Location) (time.Time, string) {
	v := strings.ToLower(strings.TrimSpace(raw))
	if v == "" {
		return time.Time{}, "ErrRequired"
	}
	var until time.Time
	if m := banDuration.FindStringSubmatch(v); m != nil {
		n, _ := strconv.Atoi(m[1])
		unit := map[string]time.Duration{"m": time.Minute, "h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour}[m[2]]
		switch {
		case n == 0:
			return time.Time{}, "ErrBanInPast"
		case int64(n) > int64(maxBan/unit):
			return time.Time{}, "ErrBanUntil"
		}
		return now.Add(time.Duration(n) * unit), ""
	}
	if day, err := time.ParseInLocation("2006-01-02", v, zone); err == nil {
		until = day.AddDate(0, 0, 1)
	} else if at, err := time.ParseInLocation("2006-01-02t15:04", strings.Replace(v, " ", "t", 1), zone); err == nil {
		until = at
	} else {
		return time.Time{}, "ErrBanUntil"
	}
	switch {
	case !until.After(now):
		return time.Time{}, "ErrBanInPast"
	case until.Sub(now) > maxBan:
		return time.Time{}, "ErrBanUntil"
	}
	return until, ""
}
