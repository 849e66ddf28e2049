// Command helpline-mailtrial runs a mail server for trying the desk's email
// on one machine, with no provider and nothing to install: SMTP on
// 127.0.0.1:2525 (emersion/go-smtp) and IMAP on 127.0.0.1:1143 (go-imap's
// in-memory server). Every address that mail is sent to gets a mailbox of
// its own, readable over IMAP with that address as user name and the
// password "trial": the desk's mailbox (support@desk.test) receives what
// customers write, and a customer's mailbox receives the desk's replies.
// Nothing is kept when it stops. It speaks no TLS: Security is None.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// password opens every mailbox, and is the SMTP password too.
const password = "trial"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "helpline-mailtrial:", err)
		os.Exit(1)
	}
}

func run() error {
	smtpAddr := flag.String("smtp", "127.0.0.1:2525", "SMTP address")
	imapAddr := flag.String("imap", "127.0.0.1:1143", "IMAP address")
	flag.Parse()
	smtpLn, err := net.Listen("tcp", *smtpAddr)
	if err != nil {
		return err
	}
	imapLn, err := net.Listen("tcp", *imapAddr)
	if err != nil {
		return err
	}
	t, err := start(smtpLn, imapLn)
	if err != nil {
		return err
	}
	fmt.Printf("SMTP on %s, IMAP on %s; every mailbox opens with its address and the password %q\n", smtpLn.Addr(), imapLn.Addr(), password)
	fmt.Println("The desk's mailbox: " + deskMailbox)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	select {
	case <-stop:
	case err = <-t.errc:
	}
	t.close()
	return err
}

// deskMailbox is the mailbox made at start, for the desk to read.
const deskMailbox = "support@desk.test"

// trial is the running pair of servers.
type trial struct {
	smtp *smtp.Server
	imap *imapserver.Server
	errc chan error
}

// start serves SMTP and IMAP on the listeners.
func start(smtpLn, imapLn net.Listener) (*trial, error) {
	boxes := &mailboxes{mem: imapmemserver.New(), users: map[string]*imapmemserver.User{}}
	if _, err := boxes.user(deskMailbox); err != nil {
		return nil, err
	}
	t := &trial{errc: make(chan error, 2)}
	t.imap = imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return boxes.mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true, // loopback only, for trying things out
	})
	t.smtp = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{boxes: boxes}, nil }))
	t.smtp.Domain = "localhost"
	t.smtp.AllowInsecureAuth = true
	go func() { t.errc <- t.imap.Serve(imapLn) }()
	go func() { t.errc <- t.smtp.Serve(smtpLn) }()
	return t, nil
}

func (t *trial) close() {
	t.smtp.Close()
	t.imap.Close()
}

// mailboxes holds one IMAP user per address mail was sent to.
type mailboxes struct {
	mem   *imapmemserver.Server
	mu    sync.Mutex
	users map[string]*imapmemserver.User
}

func (b *mailboxes) user(addr string) (*imapmemserver.User, error) {
	addr = strings.ToLower(addr)
	b.mu.Lock()
	defer b.mu.Unlock()
	if u, ok := b.users[addr]; ok {
		return u, nil
	}
	u := imapmemserver.NewUser(addr, password)
	if err := u.Create("INBOX", nil); err != nil {
		return nil, err
	}
	b.mem.AddUser(u)
	b.users[addr] = u
	return u, nil
}

// session takes one SMTP conversation: any sender, any recipient, with or
// without signing in (user name anything, password "trial").
type session struct {
	boxes *mailboxes
	from  string
	to    []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, _, pass string) error {
		if pass != password {
			return errors.New("the password is " + password)
		}
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = append(s.to, to); return nil }

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	for _, to := range s.to {
		u, err := s.boxes.user(to)
		if err != nil {
			return err
		}
		if _, err := u.Append("INBOX", bytes.NewReader(raw), &imap.AppendOptions{}); err != nil {
			return err
		}
		log.Printf("mail from %s to %s (%d bytes)", s.from, to, len(raw))
	}
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }
