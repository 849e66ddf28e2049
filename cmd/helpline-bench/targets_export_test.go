package main

import (
	"strings"
	"testing"
	"time"
)

// The export's rows are its lines after the header, however the body is
// split into reads; the report's line gives rows/s and the RSS.
func TestExportLine(t *testing.T) {
	n, err := countLines(strings.NewReader("Code,Subject\n" + strings.Repeat("ABC,\"a, b\"\n", 100000)))
	if err != nil || n != 100001 {
		t.Fatalf("counted %d lines, %v", n, err)
	}
	line := exportLine(exportResult{rows: n - 1, took: 2 * time.Second, rss: 100 << 20, peak: 120 << 20})
	for _, want := range []string{"100,000 rows in 2.0 s", "**50,000 rows/s**", "100 MB", "peak so far 120 MB"} {
		if !strings.Contains(line, want) {
			t.Errorf("%q lacks %q", line, want)
		}
	}
	if exportLine(exportResult{}) != "" {
		t.Error("a run without the export has a line for it")
	}
}
