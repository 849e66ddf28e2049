package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

const sampleWrk = `Running 10s test @ http://127.0.0.1:8080/tickets
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     9.12ms    3.40ms  60.02ms   80.00%
    Req/Sec     1.77k   120.00     2.00k    70.00%
  Latency Distribution
     50%    8.50ms
     75%   10.10ms
     90%   13.00ms
     99%   21.31ms
  35342 requests in 10.01s, 401.23MB read
  Non-2xx or 3xx responses: 12
Requests/sec:   3530.62
Transfer/sec:     40.08MB
`

func TestParseWrk_ReadsRateLatencyAndErrors(t *testing.T) {
	r, err := parseWrk("queue", sampleWrk)
	if err != nil {
		t.Fatal(err)
	}
	if r.ReqPerSec != 3530.62 || r.Requests != 35342 || r.Errors != 12 {
		t.Fatalf("parsed %+v", r)
	}
	if r.P50 != 8500*time.Microsecond || r.P99 != 21310*time.Microsecond {
		t.Fatalf("latencies p50 %v p99 %v", r.P50, r.P99)
	}
	if _, err := parseWrk("x", "garbage"); err == nil {
		t.Fatal("garbage parsed without error")
	}
}

const timedOutWrk = `Running 3s test @ http://127.0.0.1:8080/reports
  2 threads and 32 connections
  Latency Distribution
     50%    0.00us
     99%    0.00us
  0 requests in 3.01s, 0.00B read
  Socket errors: connect 0, read 0, write 0, timeout 32
Requests/sec:      0.00
Transfer/sec:       0.00B
`

func TestParseWrk_ARowWithNoAnswerInTimeIsAResult(t *testing.T) {
	r, err := parseWrk("report", timedOutWrk)
	if err != nil {
		t.Fatalf("a row that timed out stopped the run: %v", err)
	}
	if r.Requests != 0 || r.Errors != 32 || r.P99 != wrkTimeout {
		t.Fatalf("parsed %+v", r)
	}
	if got := latency(r, r.P99); got != "over 5 s" {
		t.Fatalf("p99 shown as %q", got)
	}
}

func TestSpliceResults_KeepsTheAnalysisAroundTheTable(t *testing.T) {
	doc := "# Benchmarks\n\nintro\n\n" + resultsStart + "\nold table\n" + resultsEnd + "\n\n## Analysis\nkept\n"
	got := spliceResults(doc, "new table\n")
	if want := "# Benchmarks\n\nintro\n\n" + resultsStart + "\nnew table\n" + resultsEnd + "\n\n## Analysis\nkept\n"; got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
	if got := spliceResults("", "t\n"); got != "# Benchmarks\n\n"+resultsStart+"\nt\n"+resultsEnd+"\n" {
		t.Fatalf("empty doc: %q", got)
	}
}

func TestWriteScript_ListsEveryPathAndRefusesQuotes(t *testing.T) {
	name, err := writeScript([]string{"/tickets?after=12.3", "/tickets/ABC-1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(name)
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"/tickets?after=12.3",`, `"/tickets/ABC-1",`, "function request()"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("script lacks %s:\n%s", want, b)
		}
	}
	if _, err := writeScript([]string{`/tickets?q="x`}, nil); err == nil {
		t.Error("a path with a quote was written into the script")
	}
}

func TestWriteScript_SendsEachThreadToOneInstance(t *testing.T) {
	name, err := writeScript(nil, []string{"127.0.0.1:8081", "127.0.0.1:8082"})
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(name)
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`{"127.0.0.1", "8081"},`, `{"127.0.0.1", "8082"},`, "thread.addr = wrk.lookup("} {
		if !strings.Contains(string(b), want) {
			t.Errorf("script lacks %s:\n%s", want, b)
		}
	}
	if _, err := writeScript(nil, []string{"no port"}); err == nil {
		t.Error("an address without a port was written into the script")
	}
}
