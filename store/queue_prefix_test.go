package store

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"helpline/authz"
)

// A prefix typed last is read as the words of the index that start with
// it: a search finds the same tickets as with the prefix itself, in
// subjects and messages as in codes and requesters, with diacritics folded,
// and a prefix too many words start with is left a prefix.
func TestSearch_PrefixReadAsWordsFindsWhatThePrefixFinds(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	v := authz.Viewer{ID: o.ID, Perms: authz.BuiltinPerms(authz.RoleOwner)}
	dep := addDept(t, s, "Support")
	charged := contactTicket(t, s, dep, "Invoice charged twice", "Please check")
	charges := contactTicket(t, s, dep, "Strange charges", "On my card")
	chargeback := contactTicket(t, s, dep, "Chargeback request", "From the bank")
	polish := contactTicket(t, s, dep, "Zażółć gęślą jaźń", "Pangram")
	var many []string
	for i := range maxPrefixWords + 3 {
		many = append(many, contactTicket(t, s, dep, fmt.Sprintf("Widget%02dx broke", i), "It broke"))
	}
	slices.Reverse(many) // newest first, as a search lists them

	cases := map[string][]string{
		"char":         {chargeback, charges, charged},
		"CHARGE":       {chargeback, charges, charged},
		"invoice char": {charged},
		"charged":      {charged},
		"ges":          {polish},                                                         // gęślą, folded
		"gęś":          {polish},                                                         // not plain ASCII: stays a prefix
		"carla cust":   append(slices.Clone(many), polish, chargeback, charges, charged), // requesters
		"widget":       many,                                                             // more words than maxPrefixWords start with it
		"xyzzy":        nil,
	}
	for q, want := range cases {
		page, err := s.Queue(ctx, v, QueueFilter{Search: q, Limit: 100})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		if got := codes(page.Tickets); !slices.Equal(got, want) {
			t.Errorf("search %q = %v, want %v", q, got, want)
		}
	}

	if s.pg {
		return // PostgreSQL's search reads its GIN indexes as they are
	}
	// What FTS5 is asked: the words themselves, or the prefix when too
	// many words start with it.
	for text, want := range map[string]string{
		"invoice char": `"invoice" AND ("chargeback" OR "charged" OR "charges")`,
		"widget":       `"widget"*`,
		"xyzzy":        `("xyzzy")`,
		"gęś":          `"gęś"*`,
	} {
		got, err := s.ftsWordsQuery(ctx, "ticket_search", text)
		if err != nil || got != want {
			t.Errorf("query of %q = %s, %v; want %s", text, got, err, want)
		}
	}
}
