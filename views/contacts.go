package views

import (
	"net/url"
	"strconv"
	"strings"

	"helpline/store"
)

// Paths of the Contacts page. (PathContact is the public contact form.)
const (
	PathContacts    = "/contacts"
	PathContactCard = "/contacts/:id"
	PathContactEdit = "/contacts/:id/edit"
	// PathContactMerge merges the contact into another; PathContactRemove
	// anonymises it.
	PathContactMerge  = "/contacts/:id/merge"
	PathContactRemove = "/contacts/:id/remove"
)

// ContactActionPath is one of a contact's actions (a PathContact* pattern).
func ContactActionPath(pattern string, id int64) string {
	return strings.Replace(pattern, ":id", strconv.FormatInt(id, 10), 1)
}

// ContactPath is a contact's page; ContactEditPath its Edit contact form.
func ContactPath(id int64) string {
	return strings.Replace(PathContactCard, ":id", strconv.FormatInt(id, 10), 1)
}

func ContactEditPath(id int64) string {
	return strings.Replace(PathContactEdit, ":id", strconv.FormatInt(id, 10), 1)
}

// ContactsProps is the Contacts list.
type ContactsProps struct {
	Page   store.ContactsPage
	Search string
}

// NextURL is the next page of the list, "" on the last.
func (p ContactsProps) NextURL() string {
	if p.Page.Next == 0 {
		return ""
	}
	q := url.Values{"after": {strconv.FormatInt(p.Page.Next, 10)}}
	if p.Search != "" {
		q.Set("q", p.Search)
	}
	return PathContacts + "?" + q.Encode()
}

// ContactCardProps is a contact's page.
type ContactCardProps struct {
	Contact   store.ContactCard
	Tickets   []store.ContactTicket
	CanEdit   bool
	CanRemove bool
	// Into is the Merge form's email, with its message in Errors.
	Into   string
	Errors FieldErrors
}

// ContactFormProps is Edit contact.
type ContactFormProps struct {
	Contact store.ContactCard
	Values  store.ContactInput
	// OtherEmails is the Other emails field as typed, one per line.
	OtherEmails string
	Errors      FieldErrors
}

// RequesterTicketsProps is the ticket page's card of the requester's
// other recent tickets.
type RequesterTicketsProps struct {
	ContactID int64
	Tickets   []store.ContactTicket
	CanOpen   bool // may open the Contacts page
}
