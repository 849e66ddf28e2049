// Package web is Helpline's HTTP layer: the route table, middleware,
// sessions and one file of handlers per resource.
package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"helpline/billing"
	"helpline/store"
	"helpline/views"
)

// Config is what the web layer needs from the command line.
type Config struct {
	SecureCookies bool
	SessionSecret []byte // at least 32 bytes
	CSRFSecret    []byte // at least 32 bytes
	Logger        *slog.Logger
	// ContactLimit is how many contact-form tickets one address may send
	// in ten minutes (0: 20).
	ContactLimit int
	// BaseURL is where people open the console (no trailing slash); links
	// handed out are built on it. Empty: the address of the request.
	BaseURL string
	// AttachmentLimit is the largest file taken, in bytes (0: 10 MB).
	AttachmentLimit int64
	// APIRateLimit is how many API requests one token may make in a
	// minute, on each instance (0: 600).
	APIRateLimit int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client; none: the connection's address is the client's.
	TrustedProxies []netip.Prefix
	// Payments takes the payments the Owner records on My account (nil:
	// billing.ManualPayments, which calls nobody). A card provider goes here.
	Payments billing.PaymentProvider
	// BenchProbe serves the load runs' in-memory bound (bench_probe.go);
	// never set outside them.
	BenchProbe bool
}

// Server serves the console.
type Server struct {
	e          *echo.Echo
	st         *store.Store
	cfg        Config
	log        *slog.Logger
	sess       *sessionManager
	hasAccount atomic.Bool
	signIn     *signInGate
	contactIP  *limiter
	fragments  *fragments
	forgot     *forgotLimits
	mailWG     sync.WaitGroup // password emails on their way
	apiRate    *apiWindow     // requests per API token and minute
}

// New builds the server: middleware in order, then the route table. It fails
// if a route does not declare a permission.
func New(cfg Config, st *store.Store) (*Server, error) {
	if len(cfg.SessionSecret) < 32 || len(cfg.CSRFSecret) < 32 {
		return nil, errors.New("web: session and CSRF secrets must be at least 32 bytes")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{
		e:         echo.New(),
		st:        st,
		cfg:       cfg,
		log:       cfg.Logger,
		sess:      newSessionManager(cfg.SessionSecret, cfg.CSRFSecret, cfg.SecureCookies),
		signIn:    newSignInGate(),
		fragments: newFragments(st),
		forgot:    newForgotLimits(),
		apiRate:   newAPIWindow(cfg.APIRateLimit),
	}
	if cfg.ContactLimit <= 0 {
		cfg.ContactLimit = 20
	}
	s.contactIP = newLimiter(cfg.ContactLimit, 10*time.Minute)
	e := s.e
	e.HideBanner, e.HidePort = true, true
	// Sign-in limits and bans are per IP: take the address of the
	// connection, not a header any client can set (client_ip.go).
	e.IPExtractor = clientIP(cfg.TrustedProxies)
	e.HTTPErrorHandler = s.handleError

	e.Use(s.logRequests)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true}))
	e.Use(securityHeaders(cfg.SecureCookies))
	// Forms with files may be as large as their files allow; others 2 MB.
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "2M", Skipper: isUpload}))
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: strconv.FormatInt(s.uploadBodyLimit(), 10) + "B",
		Skipper: func(c echo.Context) bool { return !isUpload(c) }}))
	e.Use(s.loadSession)
	e.Use(parseForm)
	e.Use(refuseInvalidText)
	e.Use(s.checkCSRF)
	e.Use(s.firstRun)

	if err := s.register(s.routes()); err != nil {
		return nil, err
	}
	if err := s.registerAPI(s.apiOps()); err != nil {
		return nil, err
	}
	if cfg.BenchProbe {
		s.registerBenchProbe()
	}
	return s, nil
}

// Handler returns the HTTP handler.
func (s *Server) Handler() http.Handler { return s.e }

// Echo exposes the router to tests that walk the registered routes.
func (s *Server) Echo() *echo.Echo { return s.e }

func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		req := c.Request()
		s.log.Info("request", "method", req.Method, "path", logPath(c), "status", c.Response().Status,
			"duration", time.Since(start).Round(time.Microsecond), "ip", c.RealIP())
		return nil
	}
}

// parseForm reads a posted form once, before anything acts on it: a body
// over the limit is 413 however it was sent (a chunked body has no length
// to check up front), and a malformed one is 400, never a form with the bad
// fields silently left out.
func parseForm(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		switch req.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if isAPI(c) { // JSON, read by the operation itself
			return next(c)
		}
		var err error
		if strings.HasPrefix(req.Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm) {
			err = req.ParseMultipartForm(1 << 20)
		} else {
			err = req.ParseForm()
		}
		switch {
		case err == nil:
			return next(c)
		case errors.Is(err, echo.ErrStatusRequestEntityTooLarge):
			return echo.ErrStatusRequestEntityTooLarge
		case bodyTimedOut(err) || req.Context().Err() != nil:
			// A multipart reader does not wrap the deadline's error, but
			// the server ends the request's context with the read.
			return errBodyTimeout
		default:
			return echo.ErrBadRequest
		}
	}
}

// logPath is the request path as logs may keep it: a path that carries a
// secret (a one-time set-password link) is logged as its route pattern, so
// whoever reads the logs cannot use the link.
func logPath(c echo.Context) string {
	if strings.Contains(c.Path(), ":token") {
		return c.Path()
	}
	return c.Request().URL.Path
}

func securityHeaders(secure bool) echo.MiddlewareFunc {
	const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			h.Set("Cache-Control", "no-store")
			if secure {
				h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
			}
			return next(c)
		}
	}
}

// firstRun sends every page to sign-up until the account exists.
func (s *Server) firstRun(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.hasAccount.Load() || isAPI(c) {
			return next(c)
		}
		ok, err := s.st.HasAccount(c.Request().Context())
		if err != nil {
			return err
		}
		if ok {
			s.hasAccount.Store(true)
			return next(c)
		}
		switch p := c.Path(); {
		case p == views.PathSignUp || p == views.PathHealth || p == staticRoute:
			return next(c)
		}
		return s.redirect(c, views.PathSignUp)
	}
}

func (s *Server) String() string { return fmt.Sprintf("helpline web (%d routes)", len(s.e.Routes())) }
