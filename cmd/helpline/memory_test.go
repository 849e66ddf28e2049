package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// The memory limit is the configured megabytes, none at 0, and left as Go
// set it from GOMEMLIMIT when that is in the environment.
func TestApplyMemoryLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	none := func(string) string { return "" }
	applyMemoryLimit(64, none)
	if got := debug.SetMemoryLimit(-1); got != 64<<20 {
		t.Errorf("64 MB: limit %d", got)
	}
	applyMemoryLimit(0, none)
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("0: limit %d, want none", got)
	}
	debug.SetMemoryLimit(300 << 20)
	applyMemoryLimit(64, func(k string) string {
		if k == "GOMEMLIMIT" {
			return "300MiB"
		}
		return ""
	})
	if got := debug.SetMemoryLimit(-1); got != 300<<20 {
		t.Errorf("with GOMEMLIMIT: limit %d, want Go's own", got)
	}
}
