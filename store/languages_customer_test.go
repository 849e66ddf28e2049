package store

import (
	"context"
	"testing"

	"helpline/desk"
)

// TestCustomerEmails_CustomersLanguageWhileOfferedElseTheDefault: an email
// to a customer whose language the desk does not know is written in the
// desk's default language (as it is when it is sent), one to a customer
// who wrote in Romanian in Romanian, and in the default again once the
// desk withdraws Romanian.
func TestCustomerEmails_CustomersLanguageWhileOfferedElseTheDefault(t *testing.T) {
	w := newTicketWorld(t)
	ctx := context.Background()
	if err := w.s.SaveMailSettings(ctx, w.owner.ID, MailSettings{Host: "h", Port: 25, Security: SecurityNone, FromAddress: "help@acme.example"}, ""); err != nil {
		t.Fatal(err)
	}
	save := func(def string, offered ...string) {
		t.Helper()
		if err := w.s.SaveLanguages(ctx, w.admin.ID, desk.Languages{Offered: offered, Default: def}, ""); err != nil {
			t.Fatal(err)
		}
	}
	save("pl", "en", "pl", "ro")

	unknown, err := w.s.CreateTicket(ctx, nil, contactInput(w.sales, 1)) // no language known: a call, the API
	if err != nil {
		t.Fatal(err)
	}
	ro := contactInput(w.sales, 2)
	ro.Lang = "ro"
	romanian, err := w.s.CreateTicket(ctx, nil, ro)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.CustomerLink(ctx, romanian, "ro"); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{unknown, romanian} {
		if err := w.s.Reply(ctx, w.annV, code, "An answer"); err != nil {
			t.Fatal(err)
		}
	}
	langs := func() map[string]string {
		t.Helper()
		due, err := w.s.DueMail(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, m := range due {
			out[m.Code] = m.Lang
		}
		return out
	}
	check := func(when string, wantUnknown, wantRomanian string) {
		t.Helper()
		got := langs()
		if got[unknown] != wantUnknown || got[romanian] != wantRomanian {
			t.Fatalf("%s: the emails are in %q (language unknown) and %q (a Romanian customer), want %q and %q",
				when, got[unknown], got[romanian], wantUnknown, wantRomanian)
		}
	}
	check("default Polish", "pl", "ro")
	save("en", "en", "pl", "ro")
	check("default English", "en", "ro")
	save("pl", "en", "pl")
	check("Romanian withdrawn", "pl", "pl")

	// A customer link made afresh by an agent does not invent a language.
	if err := w.s.ResetCustomerLink(ctx, w.annV, unknown); err != nil {
		t.Fatal(err)
	}
	check("after a reset", "pl", "pl")
}
