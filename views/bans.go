package views

import (
	"net/url"
	"time"

	"helpline/store"
)

// Paths of Configuration → Banned IPs.
const (
	PathBans     = "/config/banned-ips"
	PathBanUnban = "/config/banned-ips/:id/unban"
)

// BanFromTicketPath opens the ban form filled with a ticket's sender.
func BanFromTicketPath(address, code string) string {
	return PathBans + "?" + url.Values{"address": {address}, "ticket": {code}}.Encode()
}

// BanRowID is the id of a ban's row in the history.
func BanRowID(id int64) string { return "ban-" + itoa64(id) }

// BanValues are the ban form's fields as typed.
type BanValues struct {
	Address    string
	ValidUntil string
	Reason     string
	Ticket     string
}

// BansProps is the Banned IPs page: the form and a page of the history.
type BansProps struct {
	Values  BanValues
	Errors  FieldErrors
	History []store.Ban
	Now     time.Time
	Before  int64 // the page shows bans older than this (0: the newest)
	Next    int64 // the next page's Before (0: none)
}
