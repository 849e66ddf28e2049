package desk

import (
	"archive/zip"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestTimeZones_EveryOneLoadsAndTheListIsSorted(t *testing.T) {
	zones := TimeZones()
	if zones[0] != "UTC" || len(zones) < 300 {
		t.Fatalf("zones start %q and number %d", zones[0], len(zones))
	}
	if !slices.IsSorted(zones[1:]) {
		t.Fatal("zones after UTC are not sorted, which ValidTimeZone needs")
	}
	for _, z := range zones {
		if !ValidTimeZone(z) {
			t.Errorf("%s is listed but not valid", z)
		}
		if _, err := time.LoadLocation(z); err != nil {
			t.Errorf("%s: %v", z, err)
		}
	}
	for _, bad := range []string{"", "Local", "Mars/Olympus", "europe/warsaw", "../etc/passwd", "Etc/GMT+5"} {
		if ValidTimeZone(bad) {
			t.Errorf("%q is valid", bad)
		}
		if Location(bad) != time.UTC {
			t.Errorf("Location(%q) is not UTC", bad)
		}
	}
	if got := time.Date(2025, 7, 1, 12, 0, 0, 0, time.UTC).In(Location("Europe/Warsaw")).Hour(); got != 14 {
		t.Errorf("noon UTC in Warsaw in July is %d h", got)
	}
}

// The list is generated from Go's zone data (go generate in desk/); a newer
// Go with new zones shows here.
func TestTimeZones_MatchGosZoneData(t *testing.T) {
	z, err := zip.OpenReader(filepath.Join(runtime.GOROOT(), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		t.Skipf("no zone data beside Go: %v", err)
	}
	defer z.Close()
	n := 0
	for _, f := range z.File {
		if area, _, ok := strings.Cut(f.Name, "/"); ok && area != "Etc" && strings.ToUpper(area[:1]) == area[:1] && !slices.Contains([]string{"Brazil", "Canada", "Chile", "Mexico", "US"}, area) {
			n++
			if !ValidTimeZone(f.Name) {
				t.Errorf("%s is in Go's zone data but not listed: run go generate ./desk/", f.Name)
			}
		}
	}
	if n != len(TimeZones())-1 {
		t.Errorf("Go's zone data has %d Area/City zones, the list %d: run go generate ./desk/", n, len(TimeZones())-1)
	}
}
