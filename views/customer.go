package views

import (
	"net/url"
	"strings"

	"helpline/store"
)

// Paths of the customer's ticket page and of its link on the ticket page.
const (
	PathCustomerTicket     = "/c/:token"
	PathTicketCustomerLink = "/tickets/:code/customer-link"
)

// CustomerTicketPath is the customer's page of the ticket token opens.
func CustomerTicketPath(token string) string {
	return strings.Replace(PathCustomerTicket, ":token", url.PathEscape(token), 1)
}

// CustomerTicketProps is the customer's ticket page.
type CustomerTicketProps struct {
	Ticket store.CustomerTicket
	Token  string
	Body   string // the reply box's text, kept when it is refused
	Errors FieldErrors
}

// Action is where the page's reply form posts.
func (p CustomerTicketProps) Action() string { return CustomerTicketPath(p.Token) }
