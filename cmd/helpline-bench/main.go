// Command helpline-bench measures the console under load: it builds (or
// reuses) a database of a million tickets, starts the server on a loopback
// port, signs in as an Agent and as an Administrator, and loads each page
// with wrk. With --postgres it does the same again on PostgreSQL, with two
// instances of the server sharing one database and each page's load split
// between them. It prints one report and writes it to docs/BENCHMARKS.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

type options struct {
	bin      string
	db       string
	sqlite   bool
	postgres string
	tickets  int
	duration time.Duration
	conns    int
	out      string
	password string
	only     string
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "helpline-bench:", err)
		os.Exit(1)
	}
}

// engineRun is everything measured on one engine.
type engineRun struct {
	engine
	version  string // the PostgreSQL server's
	settings string // its settings that bear on the figures
	results  []wrkResult
	created  creationResult
	rss      []int64 // peak RSS of each instance
	export   exportResult
}

func run() error {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/helpline", "the helpline binary to measure")
	flag.StringVar(&o.db, "db", "bench/helpline-1m.db", "SQLite database to make or reuse")
	flag.BoolVar(&o.sqlite, "sqlite", true, "measure on SQLite; --sqlite=false measures only PostgreSQL and leaves docs/BENCHMARKS.md alone")
	flag.StringVar(&o.postgres, "postgres", "", "also measure on PostgreSQL: postgres://user@host:port/db of a server where the run may create the database "+benchDatabase)
	flag.IntVar(&o.tickets, "tickets", 1_000_000, "tickets in a new database")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long each page is loaded")
	flag.IntVar(&o.conns, "conns", 32, "concurrent connections")
	flag.StringVar(&o.out, "out", "docs/BENCHMARKS.md", "where to write the results")
	flag.StringVar(&o.password, "password", demoPassword, "password of the demo accounts")
	flag.StringVar(&o.only, "only", "", `run one part and leave docs/BENCHMARKS.md alone: "creation" measures only the contact form, `+
		`"busy" only the ceiling, the in-memory bound and the rows with tickets arriving and a different page each time, `+
		`"reports" only the ceiling, the Reports rows and Export tickets`)
	flag.Parse()
	if o.only != "" && o.only != "creation" && o.only != onlyBusy && o.only != onlyReports {
		return fmt.Errorf("--only %q: the parts are \"creation\", %q and %q", o.only, onlyBusy, onlyReports)
	}
	if !o.sqlite && o.postgres == "" {
		return errors.New("nothing to measure: --sqlite=false needs --postgres")
	}
	if o.postgres != "" && o.conns%2 != 0 {
		return fmt.Errorf("--conns %d: the PostgreSQL run splits connections between two instances, so it must be even", o.conns)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if _, err := exec.LookPath("wrk"); err != nil && o.only == "" {
		return errors.New("wrk is not installed (apt-get install wrk)")
	}
	// Both databases are made before anything is measured, so a database
	// being filled never shares the machine with a measurement.
	var engines []engine
	if o.sqlite {
		if err := ensureDatabase(ctx, o); err != nil {
			return err
		}
		engines = append(engines, engine{name: "SQLite", db: o.db, instances: 1})
	}
	if o.postgres != "" {
		address, err := ensurePostgres(ctx, o)
		if err != nil {
			return err
		}
		engines = append(engines, engine{name: "PostgreSQL", db: address, instances: 2})
	}

	var runs []engineRun
	for _, e := range engines {
		fmt.Fprintf(os.Stderr, "== %s, %d instance(s)\n", e.name, e.instances)
		r, err := measure(ctx, o, e)
		if err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
		if o.only == "creation" {
			fmt.Printf("%s: %s", e.name, creationLine(o, r.created))
			continue
		}
		runs = append(runs, r)
	}
	if o.only == "creation" {
		return nil
	}

	report := renderReport(o, runs)
	fmt.Print(report)
	if o.only != "" {
		return nil
	}
	if !o.sqlite {
		// Without the SQLite run the report lacks the rows the doc's
		// analysis is about; it is printed only.
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(o.out), 0o755); err != nil {
		return err
	}
	old, _ := os.ReadFile(o.out)
	return os.WriteFile(o.out, []byte(spliceResults(string(old), report)), 0o644)
}

// measure starts the engine's instances and loads every page on them, then
// runs the contact-form creation check.
func measure(ctx context.Context, o options, e engine) (engineRun, error) {
	run := engineRun{engine: e}
	if e.postgres() {
		run.version, run.settings = serverVersion(ctx, e.db)
	}
	fx, err := loadFixtures(ctx, e)
	if err != nil {
		return run, err
	}
	var servers []*server
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	var bases []string
	for i := 0; i < e.instances; i++ {
		s, err := startServer(ctx, o, e.db)
		if err != nil {
			return run, err
		}
		servers = append(servers, s)
		bases = append(bases, s.base)
	}

	if o.only == "creation" {
		fmt.Fprintf(os.Stderr, "creating tickets through the contact form for %v with %d clients\n", o.duration, o.conns)
		run.created, err = createTickets(ctx, bases, e, fx, o.conns, o.duration)
		return run, err
	}

	// Sessions are signed in on the first instance; the cookie must open
	// the console on every other one too (the keys are in the database).
	agent, err := signIn(bases[0], fx.agentEmail, o.password)
	if err != nil {
		return run, fmt.Errorf("sign in as agent %s: %w", fx.agentEmail, err)
	}
	admin, err := signIn(bases[0], fx.adminEmail, o.password)
	if err != nil {
		return run, fmt.Errorf("sign in as administrator %s: %w", fx.adminEmail, err)
	}
	for _, base := range bases[1:] {
		if _, err := get(base, "/tickets", agent.cookie); err != nil {
			return run, fmt.Errorf("the session signed in on %s does not open the queue on %s: %w", bases[0], base, err)
		}
	}
	agentToken, err := createAPIToken(bases[0], agent)
	if err != nil {
		return run, fmt.Errorf("API token for %s: %w", fx.agentEmail, err)
	}
	targets, err := pageTargets(bases[0], fx, agent, admin, agentToken)
	if err != nil {
		return run, err
	}

	switch o.only {
	case onlyBusy:
		targets = onlyBusyTargets(targets)
	case onlyReports:
		targets = onlyReportTargets(targets)
	}
	var ceiling float64
	for _, tg := range targets {
		fmt.Fprintf(os.Stderr, "loading %-28s %s\n", tg.name, tg.path)
		var stopArrivals func() (int, error)
		if tg.arrivals > 0 {
			stopArrivals = trickle(ctx, bases, fx, tg.arrivals)
		}
		header := ""
		switch {
		case tg.auth != "":
			header = "Authorization: " + tg.auth
		case tg.cookie != "":
			header = "Cookie: " + tg.cookie
		}
		r, err := runWrk(ctx, tg.name, bases, tg.path, tg.paths, header, o.conns, o.duration)
		if stopArrivals != nil {
			n, terr := stopArrivals()
			if err == nil && terr != nil {
				err = fmt.Errorf("tickets arriving during %s: %w", tg.name, terr)
			}
			if err == nil && n < tg.arrivals*int(o.duration.Seconds())/2 {
				err = fmt.Errorf("only %d tickets arrived during %s", n, tg.name)
			}
		}
		if err != nil {
			return run, err
		}
		if tg.name == nameHealth {
			ceiling = r.ReqPerSec
		}
		if ceiling > 0 {
			r.RatioOfTop = r.ReqPerSec / ceiling
		}
		run.results = append(run.results, r)
		noteRSS(servers, tg.name)
	}
	if run.export, err = measureExport(bases[0], admin, servers[0]); err != nil {
		return run, err
	}

	if o.only != "" { // a part of the run creates no tickets of its own
		run.created.before, err = deskSize(ctx, e)
	} else {
		fmt.Fprintf(os.Stderr, "creating tickets through the contact form for %v with %d clients\n", o.duration, o.conns)
		run.created, err = createTickets(ctx, bases, e, fx, o.conns, o.duration)
	}
	if err != nil {
		return run, err
	}
	for _, s := range servers {
		run.rss = append(run.rss, s.peakRSS())
	}
	return run, nil
}

// ensureDatabase makes the demo database unless it is already there.
func ensureDatabase(ctx context.Context, o options) error {
	if _, err := os.Stat(o.db); err == nil {
		fmt.Fprintf(os.Stderr, "reusing %s\n", o.db)
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(o.db), 0o755); err != nil {
		return err
	}
	tmp := o.db + ".building"
	os.Remove(tmp)
	start := time.Now()
	cmd := exec.CommandContext(ctx, o.bin, "demo", "--db", tmp, "--tickets", fmt.Sprint(o.tickets), "--password", o.password)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	took := time.Since(start).Round(time.Second)
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Rename(tmp+suffix, o.db+suffix)
	}
	if err := os.Rename(tmp, o.db); err != nil {
		return err
	}
	// The demo named the file it was built in; the accounts it listed are here.
	fmt.Fprintf(os.Stderr, "made %s in %v (built as %s); start a server on it with: helpline --db %s\n", o.db, took, tmp, o.db)
	return nil
}

type server struct {
	cmd  *exec.Cmd
	base string
	done chan error
}

func startServer(ctx context.Context, o options, db string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(o.bin, "--db", db, "--addr", addr)
	// One client address sends every contact form here: lift the per-IP limit.
	// The same for the API's per-token limit: wrk sends one token.
	// The bench-only route of the in-memory bound is served too.
	cmd.Env = append(os.Environ(), "HELPLINE_CONTACT_LIMIT=1000000000", "HELPLINE_API_RATE_LIMIT=1000000000", benchProbeEnv)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, base: "http://" + addr, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(s.base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case err := <-s.done:
			return nil, fmt.Errorf("server exited: %v", err)
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	s.stop()
	return nil, errors.New("server did not answer /healthz within 30s")
}

func (s *server) stop() {
	if s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			s.cmd.Process.Kill()
		}
	}
}

// peakRSS is the server's resident memory high-water mark, in bytes.
func (s *server) peakRSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:")), "%d", &kb)
			return kb * 1024
		}
	}
	return 0
}
