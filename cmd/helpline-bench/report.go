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

// renderReport is the Markdown the run prints and keeps in docs/BENCHMARKS.md:
// the SQLite table, then the PostgreSQL one with each row's share of the
// same SQLite row.
func renderReport(o options, runs []engineRun) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Made by `make bench` on %s, commit `%s`.\n\n", time.Now().UTC().Format("2006-01-02 15:04 MST"), commit(".", o.out))
	fmt.Fprintf(&b, "Machine: %s; %d cores; %s memory; %s. Server and load generator (wrk, %d connections, %v per page) share the cores.\n",
		cpuModel(), runtime.NumCPU(), memTotal(), runtime.Version(), o.conns, o.duration)
	var sqlite map[string]wrkResult
	var sqliteCreated creationResult
	for _, r := range runs {
		if r.postgres() {
			renderPostgres(&b, o, r, sqlite, sqliteCreated)
			continue
		}
		sqlite = map[string]wrkResult{}
		for _, x := range r.results {
			sqlite[x.Name] = x
		}
		sqliteCreated = r.created
		fmt.Fprintf(&b, "Database: %s tickets (`helpline demo --tickets %d`).\n\n", thousands(int64(r.created.before)), o.tickets)
		b.WriteString("| page | requests/s | p50 | p99 | share of /healthz | share of in-memory bound | errors |\n")
		b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
		bound := shareOfBound(r.results)
		for _, x := range r.results {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %.0f%% | %s | %d |\n", x.Name, thousands(int64(x.ReqPerSec)), latency(x, x.P50), latency(x, x.P99), x.RatioOfTop*100, bound(x), x.Errors)
		}
		b.WriteString(exportLine(r.export))
		if o.only == "" { // a part of the run creates no tickets of its own
			b.WriteString("\n" + creationLine(o, r.created))
		}
		fmt.Fprintf(&b, "\nServer peak memory (RSS high-water mark over the whole run): %s.\n", megabytes(r.rss))
	}
	return b.String()
}

// renderPostgres is the PostgreSQL part of the report; sqlite holds the
// SQLite rows of the same run, by name, when there was one.
func renderPostgres(b *strings.Builder, o options, r engineRun, sqlite map[string]wrkResult, sqliteCreated creationResult) {
	share := func(name string, v float64) string {
		s, ok := sqlite[name]
		if !ok || s.ReqPerSec == 0 {
			return "–"
		}
		return fmt.Sprintf("%.0f%%", v/s.ReqPerSec*100)
	}
	fmt.Fprintf(b, "\n**PostgreSQL %s, %d instances of the server** on one database (`%s`, made by `helpline demo --tickets %d`: %s tickets at the start), same machine, same run",
		r.version, r.instances, benchDatabase, o.tickets, thousands(int64(r.created.before)))
	if r.settings != "" {
		fmt.Fprintf(b, "; the database server runs with %s", r.settings)
	}
	fmt.Fprintf(b, ". wrk's two threads connect one to each instance (%d connections each), so every row's load is split evenly; requests/s is over both, p50 and p99 over every request.",
		o.conns/r.instances)
	if sqlite != nil {
		b.WriteString(" *Share of SQLite* is requests/s against the same row of the SQLite table above.")
	}
	b.WriteString("\n\n")
	b.WriteString("| page | requests/s | p50 | p99 | share of /healthz | share of in-memory bound | share of SQLite | errors |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	bound := shareOfBound(r.results)
	for _, x := range r.results {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %.0f%% | %s | %s | %d |\n", x.Name, thousands(int64(x.ReqPerSec)), latency(x, x.P50), latency(x, x.P99), x.RatioOfTop*100, bound(x),
			share(x.Name, x.ReqPerSec), x.Errors)
	}
	b.WriteString(exportLine(r.export))
	if o.only == "" {
		b.WriteString("\n" + strings.TrimSuffix(creationLine(o, r.created), ".\n"))
		if sqliteCreated.acked > 0 {
			fmt.Fprintf(b, "; %.0f%% of SQLite's", float64(r.created.acked)/float64(sqliteCreated.acked)*100)
		}
		b.WriteString(".\n")
	}
	fmt.Fprintf(b, "\nServer peak memory (RSS high-water mark over the whole run, each instance; the database server's own not counted): %s.\n", megabytes(r.rss))
}

// shareOfBound gives each row's requests/s as a share of the in-memory
// bound measured in the same run (nameProbe): what a page would cost were
// its rows already in memory. Rows before the bound was measured, and runs
// without it, show a dash.
func shareOfBound(results []wrkResult) func(wrkResult) string {
	var bound float64
	for _, x := range results {
		if x.Name == nameProbe {
			bound = x.ReqPerSec
		}
	}
	return func(x wrkResult) string {
		if bound == 0 || x.Name == nameHealth {
			return "–"
		}
		return fmt.Sprintf("%.0f%%", x.ReqPerSec/bound*100)
	}
}

func megabytes(rss []int64) string {
	var parts []string
	for _, n := range rss {
		parts = append(parts, fmt.Sprintf("%.0f MB", float64(n)/(1<<20)))
	}
	return strings.Join(parts, " and ")
}

// creationLine reports the contact-form run: what was acknowledged and stored.
func creationLine(o options, created creationResult) string {
	return fmt.Sprintf("Ticket creation through the contact form, %d concurrent clients for %v: %s acknowledged (%s/s), %s stored, %d failed answers, lost or duplicated: %d.\n",
		o.conns, o.duration, thousands(int64(created.acked)), thousands(int64(float64(created.acked)/o.duration.Seconds())),
		thousands(int64(created.stored)), created.failed, created.acked-created.stored)
}

// latency is a row's p50 or p99, or how long wrk waited when no request of
// the row was answered in time.
func latency(x wrkResult, d time.Duration) string {
	if x.Requests == 0 && x.ReqPerSec == 0 {
		return fmt.Sprintf("over %.0f s", wrkTimeout.Seconds())
	}
	return ms(d)
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
