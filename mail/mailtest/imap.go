package mailtest

import (
	"bytes"
	"net"
	"strconv"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// IMAP is go-imap's IMAP server with its in-memory backend on 127.0.0.1,
// with one user whose INBOX tests deliver to.
type IMAP struct {
	Host     string
	Port     int
	User     string
	Password string
	user     *imapmemserver.User
}

// StartIMAP starts the server on a free port; it stops when the test ends.
func StartIMAP(t testing.TB, user, password string) *IMAP {
	t.Helper()
	mem := imapmemserver.New()
	u := imapmemserver.NewUser(user, password)
	if err := u.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(u)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	p, _ := strconv.Atoi(port)
	return &IMAP{Host: host, Port: p, User: user, Password: password, user: u}
}

// Deliver puts a raw email into INBOX.
func (s *IMAP) Deliver(t testing.TB, raw string) {
	t.Helper()
	raw = string(bytes.ReplaceAll([]byte(raw), []byte("\r\n"), []byte("\n")))
	raw = string(bytes.ReplaceAll([]byte(raw), []byte("\n"), []byte("\r\n")))
	if _, err := s.user.Append("INBOX", bytes.NewReader([]byte(raw)), &imap.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
}

// Count is how many messages INBOX holds.
func (s *IMAP) Count(t testing.TB) int {
	t.Helper()
	data, err := s.user.Status("INBOX", &imap.StatusOptions{NumMessages: true})
	if err != nil {
		t.Fatal(err)
	}
	return int(*data.NumMessages)
}
