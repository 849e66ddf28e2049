package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCommit_SaysWhenCodeDiffersButNotForItsOwnResults(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run("init", "-q")
	write("main.go", "package main\n")
	write("docs/BENCHMARKS.md", "# Benchmarks\n")
	run("add", ".")
	run("commit", "-q", "-m", "start")

	clean := commit(dir, "docs/BENCHMARKS.md")
	if clean == "unknown" || strings.Contains(clean, "uncommitted") {
		t.Fatalf("a clean checkout reads %q", clean)
	}
	write("docs/BENCHMARKS.md", "# Benchmarks\n\nnew results\n")
	if got := commit(dir, "docs/BENCHMARKS.md"); got != clean {
		t.Errorf("the run's own results made the checkout read %q", got)
	}
	if got := commit(dir, "/tmp/elsewhere.md"); !strings.Contains(got, "uncommitted") {
		t.Errorf("a changed file in the checkout reads %q when the results go elsewhere", got)
	}
	write("main.go", "package main\n\nfunc main() {}\n")
	if got := commit(dir, "docs/BENCHMARKS.md"); !strings.Contains(got, "uncommitted") {
		t.Errorf("changed code reads %q", got)
	}
}

// The busy and reports parts create no tickets of their own, so their
// report says nothing of creation; a whole run reports it on each engine.
func TestRenderReport_CreationOnlyWhenTheRunCreated(t *testing.T) {
	runs := []engineRun{
		{engine: engine{name: "SQLite", instances: 1}, created: creationResult{before: 10, stored: 5, acked: 5}},
		{engine: engine{name: "PostgreSQL", db: "postgres://x@127.0.0.1/db", instances: 2}, created: creationResult{before: 10, stored: 4, acked: 4}},
	}
	for only, want := range map[string]int{"": 2, onlyBusy: 0, onlyReports: 0} {
		got := strings.Count(renderReport(options{only: only, duration: time.Second, conns: 32}, runs), "Ticket creation through the contact form")
		if got != want {
			t.Errorf("--only %q: the report says %d times how tickets were created, want %d", only, got, want)
		}
	}
}
