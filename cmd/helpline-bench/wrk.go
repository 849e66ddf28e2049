package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// wrkResult is one measured page.
type wrkResult struct {
	Name       string
	Requests   int
	Errors     int // non-2xx/3xx answers and socket errors
	ReqPerSec  float64
	P50, P99   time.Duration
	RatioOfTop float64 // requests/s as a share of /healthz in the same run
}

// wrkTimeout is how long wrk waits for an answer before counting the
// request as an error (a timeout) and dropping it from the latencies.
const wrkTimeout = 5 * time.Second

// runWrk loads path on the instances at bases with wrk for d over conns
// connections, sending header ("Name: value", if any). With paths, each request asks for one of them
// at random. wrk runs two threads with conns/2 connections each; with two
// instances, each thread connects to one of them (a script sets the
// thread's address), so the load is split evenly and wrk still reports one
// rate and one latency distribution over every request.
func runWrk(ctx context.Context, name string, bases []string, path string, paths []string, header string, conns int, d time.Duration) (wrkResult, error) {
	args := []string{"-t2", "-c" + strconv.Itoa(conns), "-d" + strconv.Itoa(int(d.Seconds())) + "s", "--latency", "--timeout", strconv.Itoa(int(wrkTimeout.Seconds())) + "s"}
	if header != "" {
		args = append(args, "-H", header)
	}
	var addrs []string
	if len(bases) > 1 {
		for _, b := range bases {
			addrs = append(addrs, strings.TrimPrefix(b, "http://"))
		}
	}
	if len(paths) > 0 || len(addrs) > 0 {
		script, err := writeScript(paths, addrs)
		if err != nil {
			return wrkResult{}, err
		}
		defer os.Remove(script)
		args = append(args, "-s", script)
	}
	args = append(args, bases[0]+path)
	out, err := exec.CommandContext(ctx, "wrk", args...).CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk %s: %v\n%s", name, err, out)
	}
	return parseWrk(name, string(out))
}

// writeScript writes a wrk script. With paths, it asks for one of them at
// random on every request (each wrk thread draws from its own seed); with
// addrs (host:port), wrk's threads connect to them in turn instead of to the
// address on the command line.
func writeScript(paths, addrs []string) (string, error) {
	var b strings.Builder
	b.WriteString("local paths = {\n")
	for _, p := range paths {
		if strings.ContainsAny(p, "\"\\\n") {
			return "", fmt.Errorf("path %q cannot go into a wrk script", p)
		}
		fmt.Fprintf(&b, "  \"%s\",\n", p)
	}
	b.WriteString("}\nlocal addrs = {\n")
	for _, a := range addrs {
		host, port, err := net.SplitHostPort(a)
		if err != nil || strings.ContainsAny(a, "\"\\\n") {
			return "", fmt.Errorf("address %q cannot go into a wrk script", a)
		}
		fmt.Fprintf(&b, "  {\"%s\", \"%s\"},\n", host, port)
	}
	b.WriteString(`}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
  if #addrs > 0 then
    local a = addrs[(threads - 1) % #addrs + 1]
    thread.addr = wrk.lookup(a[1], a[2])[1]
  end
end
function init(args)
  math.randomseed(os.time() * 1000 + seed)
end
if #paths > 0 then
  function request()
    return wrk.format(nil, paths[math.random(#paths)])
  end
end
`)
	f, err := os.CreateTemp("", "helpline-bench-*.lua")
	if err != nil {
		return "", err
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), f.Close()
}

// parseWrk reads wrk's report: Requests/sec, the latency distribution, the
// request count and the error lines.
func parseWrk(name, out string) (wrkResult, error) {
	r := wrkResult{Name: name}
	sawRate := false
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "Requests/sec:":
			r.ReqPerSec, _ = strconv.ParseFloat(f[1], 64)
			sawRate = true
		case len(f) == 2 && f[0] == "50%":
			r.P50 = parseWrkDuration(f[1])
		case len(f) == 2 && f[0] == "99%":
			r.P99 = parseWrkDuration(f[1])
		case len(f) >= 2 && f[1] == "requests" && len(f) > 2 && f[2] == "in":
			r.Requests, _ = strconv.Atoi(f[0])
		case len(f) >= 4 && f[0] == "Non-2xx":
			n, _ := strconv.Atoi(f[len(f)-1])
			r.Errors += n
		case len(f) >= 2 && f[0] == "Socket" && f[1] == "errors:":
			for i := 2; i+1 < len(f); i += 2 {
				n, _ := strconv.Atoi(strings.TrimSuffix(f[i+1], ","))
				r.Errors += n
			}
		}
	}
	if !sawRate {
		return r, fmt.Errorf("wrk %s: no Requests/sec in output:\n%s", name, out)
	}
	// A page none of whose requests was answered within the timeout is a
	// result, not a broken run: the row says so and the run goes on.
	if r.Requests == 0 {
		r.P50, r.P99 = wrkTimeout, wrkTimeout
	}
	return r, nil
}

func parseWrkDuration(s string) time.Duration {
	units := []struct {
		suffix string
		mult   time.Duration
	}{{"us", time.Microsecond}, {"ms", time.Millisecond}, {"s", time.Second}, {"m", time.Minute}}
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			v, err := strconv.ParseFloat(strings.TrimSuffix(s, u.suffix), 64)
			if err != nil {
				return 0
			}
			return time.Duration(v * float64(u.mult))
		}
	}
	return 0
}
