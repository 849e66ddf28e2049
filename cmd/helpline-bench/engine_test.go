package main

import (
	"strings"
	"testing"
)

func TestEngine_RebindsPlaceholdersOnlyForPostgres(t *testing.T) {
	q := `SELECT code FROM tickets WHERE department_id = ? AND id > ?`
	if got := (engine{db: "bench/x.db"}).rebind(q); got != q {
		t.Errorf("SQLite query changed: %s", got)
	}
	pg := engine{db: "postgres://u@127.0.0.1:5432/x"}
	if got, want := pg.rebind(q), `SELECT code FROM tickets WHERE department_id = $1 AND id > $2`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestWithDatabase_KeepsServerAndOptions(t *testing.T) {
	got, err := withDatabase("postgres://helpline@127.0.0.1:5433/postgres?sslmode=disable", benchDatabase)
	if err != nil {
		t.Fatal(err)
	}
	if want := "postgres://helpline@127.0.0.1:5433/helpline_bench_1m?sslmode=disable"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if _, err := withDatabase("bench/helpline-1m.db", benchDatabase); err == nil {
		t.Error("a file path was taken for a server")
	}
}

func TestRenderReport_GivesEachRowItsShareOfTheBoundAndEachPostgresRowOfSQLite(t *testing.T) {
	o := options{conns: 32, tickets: 1000, duration: 10e9, out: "/nonexistent/BENCHMARKS.md"}
	runs := []engineRun{
		{engine: engine{name: "SQLite", db: "x.db", instances: 1}, rss: []int64{100 << 20},
			results: []wrkResult{{Name: nameHealth, ReqPerSec: 40000, RatioOfTop: 1}, {Name: nameProbe, ReqPerSec: 20000, RatioOfTop: 0.5},
				{Name: "queue, Agent", ReqPerSec: 10000, RatioOfTop: 0.25}},
			created: creationResult{before: 1000, acked: 20000, stored: 20000}},
		{engine: engine{name: "PostgreSQL", db: "postgres://h/d", instances: 2}, version: "15.9", rss: []int64{90 << 20, 80 << 20},
			results: []wrkResult{{Name: nameHealth, ReqPerSec: 30000, RatioOfTop: 1}, {Name: nameProbe, ReqPerSec: 12000, RatioOfTop: 0.4},
				{Name: "queue, Agent", ReqPerSec: 6000, RatioOfTop: 0.2}},
			created: creationResult{before: 1000, acked: 15000, stored: 15000}},
	}
	got := renderReport(o, runs)
	for _, want := range []string{
		// Each row's share of the ceiling, then of the in-memory bound of
		// its own engine, then (PostgreSQL) of the same row on SQLite.
		"| /healthz (ceiling) | 40,000 | 0.00 ms | 0.00 ms | 100% | – | 0 |",
		"| " + nameProbe + " | 20,000 | 0.00 ms | 0.00 ms | 50% | 100% | 0 |",
		"| queue, Agent | 10,000 | 0.00 ms | 0.00 ms | 25% | 50% | 0 |",
		"| queue, Agent | 6,000 | 0.00 ms | 0.00 ms | 20% | 50% | 60% | 0 |",
		"**PostgreSQL 15.9, 2 instances of the server**",
		"(16 connections each)",
		"15,000 acknowledged (1,500/s), 15,000 stored, 0 failed answers, lost or duplicated: 0; 75% of SQLite's.",
		"each instance; the database server's own not counted): 90 MB and 80 MB.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
}

func TestBusyTargets_KeepOnlyTheCeilingTheBoundAndTheBusyRows(t *testing.T) {
	all := []target{{name: nameHealth}, {name: "queue, Agent"}, {name: nameProbe},
		{name: "queue, Agent, 20 tickets/s arriving", arrivals: 20},
		{name: "queue, Agent, a different page each time", paths: []string{"/a", "/b"}},
		{name: "busy queue", paths: []string{"/a", "/b"}, arrivals: busyArrivals}}
	var got []string
	for _, tg := range onlyBusyTargets(all) {
		got = append(got, tg.name)
	}
	if want := []string{nameHealth, nameProbe, "busy queue"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("kept %q, want %q", got, want)
	}
}

func TestSpreadEvenly_TakesEvenStepsOverAll(t *testing.T) {
	xs := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
	if got := strings.Join(spreadEvenly(xs, 5), ""); got != "acegi" {
		t.Errorf("got %q", got)
	}
	if got := strings.Join(spreadEvenly(xs[:3], 5), ""); got != "abc" {
		t.Errorf("fewer than asked: got %q", got)
	}
}
