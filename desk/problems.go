package desk

import (
	"slices"
	"strings"
)

// Field names one part of a ticket as it arrives. Each channel maps it onto
// its own names (a form field, a JSON key).
type Field string

const (
	FieldChannel      Field = "channel"
	FieldPriority     Field = "priority"
	FieldDepartment   Field = "department"
	FieldContactName  Field = "contact_name"
	FieldContactEmail Field = "contact_email"
	FieldSubject      Field = "subject"
	FieldBody         Field = "body"
)

// Message IDs of the translation catalogue (views/locales) that problems
// carry, so every channel tells people the same thing.
const (
	MsgRequired      = "ErrRequired"
	MsgTooLong       = "ErrTooLong" // takes the limit as Max
	MsgEmail         = "ErrEmail"
	MsgInvalidChoice = "ErrInvalidChoice"
	MsgInvalidText   = "ErrInvalidText" // bytes that are not UTF-8
)

// Problem is what is wrong with one field.
type Problem struct {
	MessageID string
	Max       int // the limit broken, for MsgTooLong
}

// TemplateData is the data the message's template takes.
func (p Problem) TemplateData() map[string]any {
	if p.MessageID != MsgTooLong {
		return nil
	}
	return map[string]any{"Max": p.Max}
}

// FieldErrors holds the first problem found with each field. As an error
// it is the refusal of a ticket that breaks the rules; callers find it with
// errors.As.
type FieldErrors map[Field]Problem

func (e FieldErrors) Error() string {
	fields := make([]string, 0, len(e))
	for f, p := range e {
		fields = append(fields, string(f)+": "+p.MessageID)
	}
	slices.Sort(fields)
	return "invalid ticket (" + strings.Join(fields, ", ") + ")"
}

// add records p for f unless f already has a problem.
func (e FieldErrors) add(f Field, p Problem) {
	if _, seen := e[f]; !seen {
		e[f] = p
	}
}
