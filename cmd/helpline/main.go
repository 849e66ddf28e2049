// Command helpline serves the Helpline help desk console.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"helpline/jobs"
	"helpline/store"
	"helpline/web"
)

func main() {
	err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.As(err, &ue):
		fmt.Fprintln(os.Stderr, "helpline:", err)
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "helpline:", err)
		os.Exit(1)
	}
}

// usage is what "helpline help" prints, and what follows a command line
// that was not understood.
const usage = `Usage:
  helpline [serve] [--addr ADDR] [--db FILE] [--base-url URL] ...  serve the console
  helpline demo [--db FILE] [--tickets N] ...                       fill a new database with a sample desk
  helpline backup --to FILE [--db FILE]                             copy a desk, also while it serves
  helpline restore --from FILE [--db FILE]                          put a backup in place of a stopped desk
  helpline migrate-to postgres://user:pass@host/db [--db FILE]      move a stopped desk into a new PostgreSQL database
  helpline reset-password [--db FILE] [--base-url URL] EMAIL        print a one-time link to choose a new password
  helpline help                                                     show this text
Run "helpline COMMAND -h" for the flags of a command.
`

// usageError is a command line that was not understood: main prints the
// usage and exits with status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// commands are the subcommands; a first argument that is not one of them
// (nor a flag of serve) is refused rather than served.
var commands = map[string]func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error{
	"serve":          serve,
	"demo":           runDemo,
	"backup":         runBackup,
	"restore":        runRestore,
	"migrate-to":     runMigrateTo,
	"reset-password": runResetPassword,
	"help": func(_ context.Context, _ []string, _ func(string) string, stdout, _ io.Writer) error {
		_, err := fmt.Fprint(stdout, usage)
		return err
	},
}

// Config is the server's configuration: defaults, then HELPLINE_*
// environment variables, then flags.
type Config struct {
	Addr          string
	DB            string
	SecureCookies bool
	SessionSecret string
	CSRFSecret    string
	ContactLimit  int
	BaseURL       string
	// AttachmentMB is the largest attached file in megabytes (0: 10).
	AttachmentMB int
	// APIRateLimit is how many API requests a token may make a minute on
	// each instance (0: 600).
	APIRateLimit int
	// TrustedProxies: reverse proxies whose X-Forwarded-For is believed,
	// as given (checked by parseConfig).
	TrustedProxies string
	// MemoryMB is the Go runtime's soft memory limit in megabytes (0: none).
	MemoryMB int
	// BenchProbe serves the load runs' in-memory bound: only the
	// environment (HELPLINE_BENCH_PROBE, which helpline-bench sets) turns
	// it on, and no flag or help text offers it.
	BenchProbe bool
}

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	cfg := Config{Addr: "127.0.0.1:8080", DB: "data/helpline.db", MemoryMB: defaultMemoryMB}
	if v := getenv("HELPLINE_ADDR"); v != "" {
		cfg.Addr = v
	}
	if v := getenv("HELPLINE_DB"); v != "" {
		cfg.DB = v
	}
	if v := getenv("HELPLINE_SECURE_COOKIES"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return cfg, fmt.Errorf("HELPLINE_SECURE_COOKIES: %q is not true or false", v)
		}
		cfg.SecureCookies = b
	}
	if v := getenv("HELPLINE_CONTACT_LIMIT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return cfg, fmt.Errorf("HELPLINE_CONTACT_LIMIT: %q is not a positive number", v)
		}
		cfg.ContactLimit = n
	}
	if v := getenv("HELPLINE_ATTACHMENT_LIMIT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return cfg, fmt.Errorf("HELPLINE_ATTACHMENT_LIMIT: %q is not a positive number of megabytes", v)
		}
		cfg.AttachmentMB = n
	}
	if v := getenv("HELPLINE_API_RATE_LIMIT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return cfg, fmt.Errorf("HELPLINE_API_RATE_LIMIT: %q is not a positive number", v)
		}
		cfg.APIRateLimit = n
	}
	if v := getenv("HELPLINE_MEMORY_LIMIT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return cfg, fmt.Errorf("HELPLINE_MEMORY_LIMIT: %q is not a number of megabytes", v)
		}
		cfg.MemoryMB = n
	}
	if v := getenv("HELPLINE_BENCH_PROBE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return cfg, fmt.Errorf("HELPLINE_BENCH_PROBE: %q is not true or false", v)
		}
		cfg.BenchProbe = b
	}
	cfg.BaseURL = getenv("HELPLINE_BASE_URL")
	cfg.TrustedProxies = getenv("HELPLINE_TRUSTED_PROXIES")
	if _, err := web.ParseTrustedProxies(cfg.TrustedProxies); err != nil {
		return cfg, fmt.Errorf("HELPLINE_TRUSTED_PROXIES: %w", err)
	}
	cfg.SessionSecret = getenv("HELPLINE_SESSION_SECRET")
	cfg.CSRFSecret = getenv("HELPLINE_CSRF_SECRET")
	fs := flag.NewFlagSet("helpline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "address to listen on (HELPLINE_ADDR)")
	fs.StringVar(&cfg.DB, "db", cfg.DB, "SQLite database file, or a PostgreSQL address postgres://user:pass@host:5432/name (HELPLINE_DB)")
	fs.BoolVar(&cfg.SecureCookies, "secure-cookies", cfg.SecureCookies, "mark cookies Secure; use behind HTTPS (HELPLINE_SECURE_COOKIES)")
	fs.IntVar(&cfg.ContactLimit, "contact-limit", cfg.ContactLimit, "contact-form tickets one address may send in 10 minutes; 0 means 20 (HELPLINE_CONTACT_LIMIT)")
	fs.StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, "address people open the console at, e.g. https://help.example.com; links handed out use it (HELPLINE_BASE_URL)")
	fs.IntVar(&cfg.APIRateLimit, "api-rate-limit", cfg.APIRateLimit, "API requests one token may make a minute, on each instance; 0 means 600 (HELPLINE_API_RATE_LIMIT)")
	fs.IntVar(&cfg.AttachmentMB, "attachment-limit", cfg.AttachmentMB, "largest attached file in MB; 0 means 10 (HELPLINE_ATTACHMENT_LIMIT)")
	fs.IntVar(&cfg.MemoryMB, "memory-limit", cfg.MemoryMB, "soft limit of the Go runtime's memory in MB; 0 means none; GOMEMLIMIT, when set, wins (HELPLINE_MEMORY_LIMIT)")
	if err := parseCommand(fs, args); err != nil {
		return cfg, err
	}
	if cfg.MemoryMB < 0 {
		return cfg, fmt.Errorf("memory limit %d: want a number of megabytes, 0 for none", cfg.MemoryMB)
	}
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return cfg, fmt.Errorf("base URL %q: want http(s)://host[:port][/path]", cfg.BaseURL)
		}
		cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	}
	return cfg, nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return serve(ctx, args, getenv, stdout, stderr)
	}
	cmd, ok := commands[args[0]]
	if !ok {
		return usageError{fmt.Errorf("unknown command %q", args[0])}
	}
	return cmd(ctx, args[1:], getenv, stdout, stderr)
}

// serve runs the console until SIGINT or SIGTERM.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	applyMemoryLimit(cfg.MemoryMB, getenv)
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	st, err := openDesk(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	sessionSecret, err := secret(ctx, st, cfg.SessionSecret, "session")
	if err != nil {
		return err
	}
	csrfSecret, err := secret(ctx, st, cfg.CSRFSecret, "csrf")
	if err != nil {
		return err
	}
	proxies, err := web.ParseTrustedProxies(cfg.TrustedProxies)
	if err != nil {
		return err
	}
	srv, err := web.New(web.Config{
		SecureCookies: cfg.SecureCookies,
		SessionSecret: sessionSecret,
		CSRFSecret:    csrfSecret,
		Logger:        logger,
		ContactLimit:  cfg.ContactLimit,
		BaseURL:       cfg.BaseURL,
		// Files live in the database: see store/attachments.go.
		AttachmentLimit: int64(cfg.AttachmentMB) << 20,
		APIRateLimit:    cfg.APIRateLimit,
		TrustedProxies:  proxies,
		BenchProbe:      cfg.BenchProbe,
	}, st)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	// The jobs end with ctx, as the server does; Stop waits for a run in
	// progress, and being deferred after st.Close it runs before it.
	// Links in customers' emails: on --base-url, else on this address.
	mailBase := cfg.BaseURL
	if mailBase == "" {
		mailBase = "http://" + ln.Addr().String()
	}
	background := jobs.NewRunner(logger, append(jobs.Desk(st), jobs.Mail(st, mailBase, int64(cfg.AttachmentMB)<<20)...)...)
	background.Start(ctx)
	defer background.Stop()

	fmt.Fprintf(stdout, "Helpline is serving http://%s (database %s)\n", ln.Addr(), store.Redacted(cfg.DB))
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// openDesk opens the database at path and brings its schema up to date.
func openDesk(ctx context.Context, path string) (*store.Store, error) {
	st, err := store.Open(path)
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// secret is the explicit value from the environment, else the one kept in
// the database (generated on first run).
func secret(ctx context.Context, st *store.Store, explicit, name string) ([]byte, error) {
	if explicit != "" {
		if len(explicit) < 32 {
			return nil, fmt.Errorf("the %s secret must be at least 32 characters", name)
		}
		return []byte(explicit), nil
	}
	return st.Secret(ctx, name, 64)
}
