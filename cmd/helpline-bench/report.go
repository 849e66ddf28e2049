package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

const (
	resultsStart = "<!-- results: written by make bench -->"
	resultsEnd   = "<!-- end of results -->"
)

// spliceResults puts the new results between the markers of doc, keeping
// the analysis written around them; a doc without markers is replaced.
func spliceResults(doc, results string) string {
	block := resultsStart + "\n" + results + resultsEnd
	i, j := strings.Index(doc, resultsStart), strings.Index(doc, resultsEnd)
	if i < 0 || j < i {
		return "# Benchmarks\n\n" + block + "\n"
	}
	return doc[:i] + block + doc[j+len(resultsEnd):]
}

// renderReport is the Markdown the run prints and keeps in docs/BENCHMARKS.md.
func renderReport(o options, results []wrkResult, created creationResult, rss int64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Made by `make bench` on %s, commit `%s`.\n\n", time.Now().UTC().Format("2006-01-02 15:04 MST"), commit(".", o.out))
	fmt.Fprintf(&b, "Machine: %s; %d cores; %s memory; %s. Server and load generator (wrk, %d connections, %v per page) share the cores.\n",
		cpuModel(), runtime.NumCPU(), memTotal(), runtime.Version(), o.conns, o.duration)
	fmt.Fprintf(&b, "Database: %s tickets (`helpline demo --tickets %d`).\n\n", thousands(int64(created.before)), o.tickets)
	b.WriteString("| page | requests/s | p50 | p99 | share of /healthz | errors |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: |\n")
	for _, r := range results {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %.0f%% | %d |\n", r.Name, thousands(int64(r.ReqPerSec)), ms(r.P50), ms(r.P99), r.RatioOfTop*100, r.Errors)
	}
	b.WriteString("\n" + creationLine(o, created))
	fmt.Fprintf(&b, "\nServer peak memory (RSS high-water mark over the whole run): %.0f MB.\n", float64(rss)/(1<<20))
	return b.String()
}

// creationLine reports the contact-form run: what was acknowledged and stored.
func creationLine(o options, created creationResult) string {
	return fmt.Sprintf("Ticket creation through the contact form, %d concurrent clients for %v: %s acknowledged (%s/s), %s stored, %d failed answers, lost or duplicated: %d.\n",
		o.conns, o.duration, thousands(int64(created.acked)), thousands(int64(float64(created.acked)/o.duration.Seconds())),
		thousands(int64(created.stored)), created.failed, created.acked-created.stored)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

func thousands(n int64) string {
	s := fmt.Sprint(n)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// commit names the checked-out commit of the repository in dir, and says so
// when tracked files differ from it; out, the file the run writes its results
// into, does not count.
func commit(dir, out string) string {
	git := func(args ...string) ([]byte, error) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		return cmd.Output()
	}
	head, err := git("rev-parse", "--short", "HEAD")
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(head))
	status := []string{"status", "--porcelain", "--untracked-files=no", "--", "."}
	if rel := filepath.ToSlash(filepath.Clean(out)); !filepath.IsAbs(out) && !strings.HasPrefix(rel, "../") {
		status = append(status, ":(exclude)"+rel)
	}
	if st, err := git(status...); err != nil || len(st) > 0 {
		c += " (with uncommitted changes)"
	}
	return c
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "model name") {
			if _, v, ok := strings.Cut(line, ":"); ok {
				return strings.TrimSpace(v)
			}
		}
	}
	return runtime.GOARCH
}

func memTotal() string {
	b, _ := os.ReadFile("/proc/meminfo")
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "MemTotal:") {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "MemTotal:")), "%d", &kb)
			return fmt.Sprintf("%.0f GiB", float64(kb)/(1<<20))
		}
	}
	return "unknown"
}
