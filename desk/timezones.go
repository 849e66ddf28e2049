package desk

import (
	"slices"
	"sync"
	"time"
	// The zone data goes into the binary, so a desk's time zone works on a
	// machine without /usr/share/zoneinfo (a scratch container, say).
	_ "time/tzdata"
)

//go:generate go run gen_timezones.go

// DefaultTimeZone is the desk's zone until someone chooses one.
const DefaultTimeZone = "UTC"

// TimeZones lists the IANA zones a desk may choose: UTC, then every
// Area/City zone of Go's zone data, by name.
func TimeZones() []string { return timeZones }

// ValidTimeZone reports whether name is one of TimeZones.
func ValidTimeZone(name string) bool {
	_, found := slices.BinarySearch(timeZones[1:], name)
	return name == DefaultTimeZone || found
}

// Location is the zone called name, or UTC for a name that is not one of
// TimeZones (a stored value from a newer zone list, say): times are then
// shown in UTC rather than not at all.
// Every page asks, so each zone is read from the zone data once.
func Location(name string) *time.Location {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location)
	}
	if !ValidTimeZone(name) {
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	locations.Store(name, loc)
	return loc
}

// locations keeps the zones loaded, by name; zone data never changes while
// the program runs, so nothing here goes stale.
var locations sync.Map
