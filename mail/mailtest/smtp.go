// Package mailtest runs real mail servers on loopback for tests: an SMTP
// server (emersion/go-smtp) that keeps what it receives.
package mailtest

import (
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one email the server took.
type Received struct {
	From string
	To   []string
	Data []byte
}

// SMTP is an SMTP server on 127.0.0.1. Recipients whose address starts
// with "reject" are refused for good (550). With User set it asks for that
// user name and Password (PLAIN, allowed without TLS on loopback).
type SMTP struct {
	Host     string
	Port     int
	User     string
	Password string

	t        testing.TB
	dropNext int
	mu       sync.Mutex
	got      []Received
	srv      *smtp.Server
	addr     string
}

// StartSMTP starts a server on a free port; it stops when the test ends.
func StartSMTP(t testing.TB) *SMTP {
	t.Helper()
	s := &SMTP{t: t}
	s.listen("127.0.0.1:0")
	t.Cleanup(s.Stop)
	return s
}

func (s *SMTP) listen(addr string) {
	s.t.Helper()
	var ln net.Listener
	var err error
	// The port of a server just stopped may take a moment to be free.
	for range 50 {
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("smtp listen: %v", err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{srv: s, conn: c}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.mu.Lock()
	s.srv, s.addr = srv, ln.Addr().String()
	s.mu.Unlock()
	host, port, _ := net.SplitHostPort(s.addr)
	s.Host = host
	s.Port, _ = strconv.Atoi(port)
	go srv.Serve(ln)
}

// Stop shuts the server down: connections are refused until Restart.
func (s *SMTP) Stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

// Restart starts the server again on the same port.
func (s *SMTP) Restart() {
	s.t.Helper()
	s.listen(s.addr)
}

// Received returns what the server took so far.
func (s *SMTP) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.got...)
}

// WaitFor waits until the server has taken n emails and returns them.
func (s *SMTP) WaitFor(n int, within time.Duration) []Received {
	s.t.Helper()
	deadline := time.Now().Add(within)
	for {
		got := s.Received()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the SMTP server took %d emails in %s, want %d", len(got), within, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// DropNext makes the server hang up in the middle of the next n messages'
// data, as a server that crashes or loses its network does.
func (s *SMTP) DropNext(n int) {
	s.mu.Lock()
	s.dropNext = n
	s.mu.Unlock()
}

type session struct {
	conn   *smtp.Conn
	srv    *SMTP
	authed bool
	msg    Received
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != ss.srv.User || pass != ss.srv.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.srv.User != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.msg = Received{From: from}
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasPrefix(to, "reject") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox here"}
	}
	ss.msg.To = append(ss.msg.To, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	ss.srv.mu.Lock()
	drop := ss.srv.dropNext > 0
	if drop {
		ss.srv.dropNext--
	}
	ss.srv.mu.Unlock()
	if drop {
		io.ReadFull(r, make([]byte, 64))
		ss.conn.Conn().Close()
		return errors.New("connection lost")
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.msg.Data = b
	ss.srv.mu.Lock()
	ss.srv.got = append(ss.srv.got, ss.msg)
	ss.srv.mu.Unlock()
	return nil
}

func (ss *session) Reset()        { ss.msg = Received{} }
func (ss *session) Logout() error { return nil }
