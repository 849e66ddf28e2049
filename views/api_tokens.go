package views

import (
	"strconv"
	"time"

	"helpline/store"
)

// APITokenExpiries are the lifetimes a new token may have, in days; 0 is
// never.
var APITokenExpiries = []int{30, 90, 365, 0}

type APITokenValues struct {
	Name   string
	Expiry string // days, or "never"
}

// APITokensProps is Profile → API tokens: the agent's tokens, the form for
// a new one, and a token's secret just once, right after it was made.
type APITokensProps struct {
	Rows      []store.APIToken
	Values    APITokenValues
	Errors    FieldErrors
	NewSecret string
	NewName   string
}

// APITokensAllProps is Configuration → API tokens: every agent's tokens.
type APITokensAllProps struct {
	Rows []store.APIToken
}

func apiTokenExpiryValue(days int) string {
	if days == 0 {
		return "never"
	}
	return strconv.Itoa(days)
}

func apiTokenExpiryLabel(days int) string {
	if days == 0 {
		return "APITokenExpiryNever"
	}
	return "APITokenExpiry" + strconv.Itoa(days)
}

// APITokenRowID is the table row of token id.
func APITokenRowID(id int64) string { return "api-token-" + strconv.FormatInt(id, 10) }

// apiTokenExpired reports whether tk's time has run out now.
func apiTokenExpired(tk store.APIToken) bool { return tk.Expired(time.Now()) }
