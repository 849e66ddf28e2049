package views

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"helpline/store"
)

// Paths of Channels → Email and of an undelivered email's Retry.
const (
	PathEmail           = "/config/email"
	PathEmailTest       = "/config/email/test"
	PathTicketMailRetry = "/tickets/:code/mail/:id/retry"
	PathMailboxes       = "/config/email/mailboxes"
	PathMailboxCheck    = "/config/email/mailboxes/:id/check"
	PathMailboxRemove   = "/config/email/mailboxes/:id/remove"
)

// MailboxValues are the fields of the Add mailbox form.
type MailboxValues struct {
	Department int64
	Host       string
	Port       string
	Security   string
	Username   string
	Folder     string
}

// MailboxRowID is a mailbox's row in the list.
func MailboxRowID(id int64) string { return "mailbox-" + strconv.FormatInt(id, 10) }

// mailboxResult says how a mailbox's last check went.
func mailboxResult(ctx context.Context, m store.Mailbox) string {
	if m.LastCheckAt.IsZero() {
		return T(ctx, "MailboxNeverChecked")
	}
	if !m.LastCheckOK {
		return deliveryReason(ctx, m.LastCheckText)
	}
	var n, a, i int
	fmt.Sscanf(m.LastCheckText, "%d %d %d", &n, &a, &i)
	return Tf(ctx, "MailboxCheckOK", map[string]any{"New": strconv.Itoa(n), "Added": strconv.Itoa(a), "Ignored": strconv.Itoa(i)})
}

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
	Mailboxes   []store.Mailbox
	Departments []store.Department
	Mailbox     MailboxValues
	MailboxErrs FieldErrors
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

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
