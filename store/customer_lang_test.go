package store

import (
	"context"
	"testing"

	"helpline/desk"
)

// A customer's emails are written in the language they wrote in, and when
// that is not known, in the desk's default language (SPEC §6.5), not
// always English.
func TestCustomerLink_LanguageIsTheCustomersElseTheDesksDefault(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	if err := s.SaveLanguages(ctx, w.owner.ID, desk.Languages{Offered: []string{"en", "pl", "ro"}, Default: "pl"}, ""); err != nil {
		t.Fatal(err)
	}
	lang := func(code string) string {
		t.Helper()
		token, err := s.CustomerLink(ctx, code, "")
		if err != nil {
			t.Fatal(err)
		}
		ct, err := s.CustomerTicketByToken(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		// An unknown language is kept as unknown; the emails speak the
		// desk's default at the time they are sent (DueMail).
		langs, err := s.Languages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return langs.For(ct.Lang)
	}
	for _, tc := range []struct{ id, lang, want string }{
		{"unknown@x.example", "", "pl"},
		{"romanian@x.example", "ro", "ro"},
	} {
		r, err := s.IntakeEmail(ctx, IncomingEmail{MessageID: tc.id, FromName: "Dora", FromEmail: "dora@x.example", Subject: "Hello",
			Body: "Hi", DepartmentID: w.sales, Lang: tc.lang})
		if err != nil {
			t.Fatal(err)
		}
		if got := lang(r.Code); got != tc.want {
			t.Fatalf("email in %q: the customer's language is %q, want %q", tc.lang, got, tc.want)
		}
	}
	// A contact-form ticket whose link is first made by a reply's email.
	code := contactTicket(t, s, w.sales, "Parcel lost", "where is it")
	if err := s.ResetCustomerLink(ctx, w.annV, code); err != nil {
		t.Fatal(err)
	}
	if got := lang(code); got != "pl" {
		t.Fatalf("a link made by Reset customer link speaks %q, want the default pl", got)
	}
}
