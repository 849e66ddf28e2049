package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// exportResult is Reports → Export tickets of a year, downloaded once over
// HTTP as an Administrator (issue 14: at least 50,000 rows/s with the
// server's RSS under 150 MB).
type exportResult struct {
	rows      int
	took      time.Duration
	rss, peak int64 // the exporting server's, just after the download
}

// measureExport downloads Export tickets of the last year from the server
// at base and counts its rows (the lines after the header; a subject never
// holds a line break).
func measureExport(base string, admin session, s *server) (exportResult, error) {
	now := time.Now().UTC()
	q := url.Values{"period": {"custom"}, "from": {now.AddDate(-1, 0, 1).Format("2006-01-02")}, "to": {now.Format("2006-01-02")}}
	fmt.Fprintf(os.Stderr, "loading %-28s %s\n", "Export tickets, a year", "/reports/tickets.csv")
	req, _ := http.NewRequest(http.MethodGet, base+"/reports/tickets.csv?"+q.Encode(), nil)
	req.Header.Set("Cookie", admin.cookie)
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return exportResult{}, fmt.Errorf("export tickets: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return exportResult{}, fmt.Errorf("export tickets: status %d", res.StatusCode)
	}
	lines, err := countLines(res.Body)
	if err != nil {
		return exportResult{}, fmt.Errorf("export tickets after %d lines: %w", lines, err)
	}
	r := exportResult{rows: max(lines-1, 0), took: time.Since(start), peak: s.peakRSS()}
	r.rss = s.rss("VmRSS:")
	return r, nil
}

func countLines(r io.Reader) (int, error) {
	buf := make([]byte, 64<<10)
	n := 0
	for {
		m, err := r.Read(buf)
		n += bytes.Count(buf[:m], []byte{'\n'})
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// exportLine is the report's line for r.
func exportLine(r exportResult) string {
	if r.rows == 0 {
		return ""
	}
	return fmt.Sprintf("\nReports → Export tickets of a year over HTTP, as an Administrator: %s rows in %.1f s, **%s rows/s**; the server's RSS just after: %.0f MB (peak so far %.0f MB).\n",
		thousands(int64(r.rows)), r.took.Seconds(), thousands(int64(float64(r.rows)/r.took.Seconds())), float64(r.rss)/(1<<20), float64(r.peak)/(1<<20))
}

// noteRSS prints each server's resident memory and its high-water mark after
// a row, so a run shows which row raised the peak.
func noteRSS(servers []*server, row string) {
	var parts []string
	for _, s := range servers {
		parts = append(parts, fmt.Sprintf("%.0f MB (peak %.0f MB)", float64(s.rss("VmRSS:"))/(1<<20), float64(s.peakRSS())/(1<<20)))
	}
	fmt.Fprintf(os.Stderr, "  after %s: RSS %s\n", row, strings.Join(parts, ", "))
}

// rss reads one memory line of the server's /proc status, in bytes.
func (s *server) rss(field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field) {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, field)), "%d", &kb)
			return kb * 1024
		}
	}
	return 0
}
