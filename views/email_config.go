package views

import (
	"context"
	"strconv"
	"strings"

	"helpline/store"
)

// Paths of Channels → Email and of an undelivered email's Retry.
const (
	PathEmail           = "/config/email"
	PathEmailTest       = "/config/email/test"
	PathTicketMailRetry = "/tickets/:code/mail/:id/retry"
)

// TicketMailRetryPath is the Retry of one outgoing email of a ticket.
func TicketMailRetryPath(q QueueFilterValues, code string, id int64) string {
	return q.TicketActionURL(WithID(PathTicketMailRetry, id), code)
}

// EmailValues are the fields of the outgoing mail form. The password is
// never among them: it is not shown back.
type EmailValues struct {
	Host        string
	Port        string
	Security    string
	Username    string
	FromName    string
	FromAddress string
}

// EmailProps is Channels → Email.
type EmailProps struct {
	Values      EmailValues
	Errors      FieldErrors
	Configured  bool
	HasPassword bool
	TestTo      string
	TestErrors  FieldErrors
}

// EmailValuesOf fills the form from saved settings.
func EmailValuesOf(m store.MailSettings) EmailValues {
	return EmailValues{Host: m.Host, Port: strconv.Itoa(m.Port), Security: string(m.Security), Username: m.Username,
		FromName: m.FromName, FromAddress: m.FromAddress}
}

func securityLabelID(s store.MailSecurity) string {
	switch s {
	case store.SecurityStartTLS:
		return "SecurityStartTLS"
	case store.SecurityTLS:
		return "SecurityTLS"
	}
	return "SecurityNone"
}

func deliveryID(id int64) string { return "delivery-" + strconv.FormatInt(id, 10) }

// previewOf is the start of a reply, to say which one an email carries.
func previewOf(body string) string {
	r := []rune(strings.Join(strings.Fields(body), " "))
	if len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return string(r)
}

// deliveryReason says in plain words why an email was not delivered, with
// the server's own words after it.
func deliveryReason(ctx context.Context, reason string) string {
	id, detail, _ := strings.Cut(reason, "\n")
	if !strings.HasPrefix(id, "MailProblem") {
		return reason
	}
	msg := T(ctx, id)
	if detail != "" {
		msg += " (" + detail + ")"
	}
	return msg
}
