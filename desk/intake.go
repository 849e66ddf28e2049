package desk

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits on a ticket as it arrives, in characters.
const (
	MaxName    = 100
	MaxEmail   = 254
	MaxSubject = 200
	MaxBody    = 10000
)

// TicketInput is a ticket as it arrives, with its first customer message
// (Body) and the person it is from.
type TicketInput struct {
	Subject      string
	Body         string
	Channel      Channel
	Priority     Priority
	DepartmentID int64
	ContactName  string
	ContactEmail string
	// SenderIP is the address a customer sent it from (contact form,
	// customer page); "" when it came another way.
	SenderIP string
	// Spam: sent from a banned address, so stored as Spam, never in the
	// queue.
	Spam bool
	// Lang is the customer's language when their request named one ("" when
	// not known); a contact-form ticket keeps it with its private link.
	Lang string
}

// Intake is what the way a ticket comes in allows it to be.
type Intake struct {
	// ByAgent: an agent logs the ticket by hand, so it came by one of
	// LoggedChannels. Otherwise it arrived by itself, by any channel.
	ByAgent bool
	// Departments the ticket may go to: any for a customer, an agent's own
	// for an agent.
	Departments []int64
}

// Values ParsePriority and ParseDepartmentID give for text that names
// nothing, so that ValidateTicket can tell "not given" from "not offered".
const (
	priorityMissing   Priority = -1
	priorityInvalid   Priority = -2
	departmentInvalid int64    = -1
)

// ParsePriority reads a priority given as text ("0" to "3"). Anything else
// gives a value ValidateTicket refuses: blank as missing, the rest as not
// one of the choices.
func ParsePriority(text string) Priority {
	text = strings.TrimSpace(text)
	if text == "" {
		return priorityMissing
	}
	for _, p := range Priorities {
		if text == strconv.Itoa(int(p)) {
			return p
		}
	}
	return priorityInvalid
}

// ParseDepartmentID reads a department ID given as text: 0 when blank (no
// department chosen), and an ID no department has when it is not one.
func ParseDepartmentID(text string) int64 {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0
	}
	id, err := strconv.ParseInt(text, 10, 64)
	if err != nil || id <= 0 {
		return departmentInvalid
	}
	return id
}

// ValidateTicket applies the intake rules. It returns the ticket trimmed,
// with line breaks as "\n", and the problems found, if any: required
// fields, lengths in characters, no control characters (in the body only
// NUL is refused: pasted text and mail carry tabs and form feeds), a bare
// email address, a known channel (one agents log, for ByAgent), a priority
// from low to urgent, and one of the allowed departments.
//
// A ticket without problems may be stored; one with problems must not be.
func ValidateTicket(in TicketInput, intake Intake) (TicketInput, FieldErrors) {
	errs := FieldErrors{}
	in.Channel = Channel(strings.TrimSpace(string(in.Channel)))
	switch {
	case in.Channel == "":
		errs.add(FieldChannel, Problem{MessageID: MsgRequired})
	case !in.Channel.Valid(), intake.ByAgent && !slices.Contains(LoggedChannels, in.Channel):
		errs.add(FieldChannel, Problem{MessageID: MsgInvalidChoice})
	}

	switch {
	case in.Priority == priorityMissing:
		errs.add(FieldPriority, Problem{MessageID: MsgRequired})
	case !in.Priority.Valid():
		errs.add(FieldPriority, Problem{MessageID: MsgInvalidChoice})
	}

	switch {
	case in.DepartmentID == 0:
		errs.add(FieldDepartment, Problem{MessageID: MsgRequired})
	case !slices.Contains(intake.Departments, in.DepartmentID):
		errs.add(FieldDepartment, Problem{MessageID: MsgInvalidChoice})
	}

	in.ContactName = errs.line(FieldContactName, in.ContactName, MaxName)
	in.ContactEmail = errs.line(FieldContactEmail, in.ContactEmail, MaxEmail)
	if _, bad := errs[FieldContactEmail]; !bad && !ValidEmail(in.ContactEmail) {
		errs.add(FieldContactEmail, Problem{MessageID: MsgEmail})
	}
	in.Subject = errs.line(FieldSubject, in.Subject, MaxSubject)

	in.Body = strings.TrimSpace(strings.ReplaceAll(in.Body, "\r\n", "\n"))
	switch {
	case !utf8.ValidString(in.Body):
		errs.add(FieldBody, Problem{MessageID: MsgInvalidText})
	case in.Body == "":
		errs.add(FieldBody, Problem{MessageID: MsgRequired})
	case utf8.RuneCountInString(in.Body) > MaxBody:
		errs.add(FieldBody, Problem{MessageID: MsgTooLong, Max: MaxBody})
	case strings.ContainsRune(in.Body, 0):
		errs.add(FieldBody, Problem{MessageID: MsgInvalidChoice})
	}

	if len(errs) == 0 {
		return in, nil
	}
	return in, errs
}

// line checks a required one-line text field and returns it trimmed.
func (e FieldErrors) line(f Field, v string, max int) string {
	v = strings.TrimSpace(v)
	switch {
	case !utf8.ValidString(v):
		e.add(f, Problem{MessageID: MsgInvalidText})
	case v == "":
		e.add(f, Problem{MessageID: MsgRequired})
	case utf8.RuneCountInString(v) > max:
		e.add(f, Problem{MessageID: MsgTooLong, Max: max})
	case !PlainText(v, false):
		e.add(f, Problem{MessageID: MsgInvalidChoice})
	}
	return v
}
