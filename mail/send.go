// Package mail carries the desk's email: it sends through the configured
// SMTP server (wneessen/go-mail) and says in plain words why a send failed.
package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/textproto"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"helpline/store"
)

// Timeout bounds one conversation with the mail server.
const Timeout = 20 * time.Second

// client builds a go-mail client for the settings.
func client(cfg store.MailSettings) (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(cfg.Port), gomail.WithTimeout(Timeout)}
	switch cfg.Security {
	case store.SecurityTLS:
		opts = append(opts, gomail.WithSSL())
	case store.SecurityStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if cfg.Username != "" {
		// Without TLS the administrator chose a plain connection (a relay on
		// a trusted network): PLAIN is then the one mechanism every server
		// offers, and go-mail's discovery would refuse it.
		auth := gomail.SMTPAuthAutoDiscover
		if cfg.Security == store.SecurityNone {
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	return gomail.NewClient(cfg.Host, opts...)
}

// Send hands the messages to the mail server in one connection.
func Send(ctx context.Context, cfg store.MailSettings, msgs ...*gomail.Msg) error {
	c, err := client(cfg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	return c.DialAndSendWithContext(ctx, msgs...)
}

// Problem is why a send failed, as a message ID of the catalogue.
type Problem string

const (
	ProblemHost     Problem = "MailProblemHost"     // the server's name is unknown
	ProblemConnect  Problem = "MailProblemConnect"  // nothing answers at host:port, or it hung up
	ProblemTLS      Problem = "MailProblemTLS"      // no secure connection: wrong Security or port, bad certificate
	ProblemAuth     Problem = "MailProblemAuth"     // user name or password refused
	ProblemRejected Problem = "MailProblemRejected" // the server refused the message or recipient
	ProblemOther    Problem = "MailProblemOther"
)

// Explain sorts a send error into a Problem, and says whether trying again
// cannot help: only a server's permanent refusal (a 5xx answer) is final; a
// connection lost half way, even in the middle of the message, is tried
// again.
func Explain(err error) (p Problem, permanent bool) {
	var dnsErr *net.DNSError
	var tpErr *textproto.Error
	var sendErr *gomail.SendError
	var recErr tls.RecordHeaderError
	var certErr *tls.CertificateVerificationError
	var authorityErr x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.As(err, &dnsErr):
		return ProblemHost, false
	case errors.As(err, &recErr), errors.As(err, &certErr), errors.As(err, &authorityErr), errors.As(err, &hostErr),
		strings.Contains(err.Error(), "STARTTLS"), strings.Contains(err.Error(), "tls:"):
		return ProblemTLS, false
	case errors.As(err, &tpErr) && (tpErr.Code == 530 || tpErr.Code == 534 || tpErr.Code == 535 || tpErr.Code == 538):
		return ProblemAuth, false
	case errors.As(err, &tpErr):
		return ProblemRejected, tpErr.Code >= 500
	case errors.As(err, &sendErr) && sendErr.ErrorCode() >= 400:
		return ProblemRejected, sendErr.ErrorCode() >= 500
	case errors.As(err, &sendErr) && sendErr.Reason == gomail.ErrConnCheck,
		errors.Is(err, context.DeadlineExceeded), isNetError(err):
		return ProblemConnect, false
	}
	return ProblemOther, false
}

func isNetError(err error) bool {
	var opErr *net.OpError
	var netErr net.Error
	return errors.As(err, &opErr) || errors.As(err, &netErr) || errors.Is(err, net.ErrClosed) ||
		strings.Contains(err.Error(), "EOF") || strings.Contains(err.Error(), "connection reset")
}
