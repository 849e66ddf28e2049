package main

import (
	"math"
	"runtime/debug"
)

// defaultMemoryMB is the soft limit of the Go runtime's memory unless
// configured. The server's resident memory is what Go holds plus the
// binary's code (about 30 MB) and SQLite's allocations (up to about 35 MB on
// a million tickets), so 100 MB leaves room under issue 20's 150 MB
// (docs/BENCHMARKS.md, "Memory and Export tickets").
const defaultMemoryMB = 100

// applyMemoryLimit sets the Go runtime's soft memory limit to mb megabytes
// (0: none). Near it the collector runs sooner and returns freed memory to
// the system at once, instead of letting the heap double between
// collections after a burst (a sign-in's 19 MiB argon2 block, 32 pages built
// at once). It is soft: live data above it is never refused, only collected
// harder. A GOMEMLIMIT set in the environment wins, as Go has read it.
func applyMemoryLimit(mb int, getenv func(string) string) {
	switch {
	case getenv("GOMEMLIMIT") != "":
	case mb <= 0:
		debug.SetMemoryLimit(math.MaxInt64)
	default:
		debug.SetMemoryLimit(int64(mb) << 20)
	}
}
