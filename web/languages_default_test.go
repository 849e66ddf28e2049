package web

import (
	"context"
	"testing"

	"helpline/desk"
	"helpline/views"
)

// TestLanguages_BrowsersTheDeskDoesNotSpeakGetTheDefault: the customer's
// ticket page and the sign-in page follow the visitor's browser among the
// offered languages; a browser asking for none of them (German, or no
// Accept-Language at all), or only for a withdrawn one, gets the desk's
// default language, not English.
func TestLanguages_BrowsersTheDeskDoesNotSpeakGetTheDefault(t *testing.T) {
	w := newTicketWorld(t)
	cust := w.app.client()
	_, path := customerLinkFromContactForm(t, w, cust, "Paczka")
	if err := w.app.st.SaveLanguages(context.Background(), w.adam.ID, desk.Languages{Offered: []string{"en", "pl"}, Default: "pl"}, ""); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ accept, want string }{
		{"de-DE,de;q=0.9", "pl"},
		{"", "pl"},
		{"ro-RO,ro;q=0.9", "pl"}, // Romanian is withdrawn
		{"en-GB,en;q=0.8", "en"},
	} {
		cust.acceptLanguage = c.accept
		for _, page := range []string{path, views.PathSignIn} {
			if lang := cust.get(page).wantStatus(200).doc().Find("html").AttrOr("lang", ""); lang != c.want {
				t.Errorf("%s for a browser asking %q is in %q, want %q", page, c.accept, lang, c.want)
			}
		}
	}
}
