package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpline/authz"
	"helpline/desk"
	"helpline/store"
	"helpline/views"
)

func TestLanguages_WithdrawnLanguageFallsBackToTheDefault(t *testing.T) {
	w := newTicketWorld(t)
	ctx := context.Background()
	if err := w.app.st.UpdateProfile(ctx, w.ann.ID, store.ProfileInput{Name: w.ann.Name, Language: "ro"}, ""); err != nil {
		t.Fatal(err)
	}
	ann := w.as("ann@example.com")
	if lang := ann.get(views.PathProfile).doc().Find("html").AttrOr("lang", ""); lang != "ro" {
		t.Fatalf("Ann's page is in %q before the change", lang)
	}
	adam := w.as("adam@example.com")
	page := adam.get(views.PathLanguages).wantStatus(200).doc()
	if page.Find(`input[name="offered"]:checked`).Length() != 3 || page.Find(`#f-default option[selected]`).AttrOr("value", "") != "en" {
		t.Fatal("a new desk does not offer every language with English as default")
	}
	adam.post(views.PathLanguages, url.Values{"offered": {"en", "pl"}, "default": {"pl"}}).wantRedirect(views.PathLanguages)
	if got := adam.get(views.PathLanguages).text(".flash"); got != "The languages were saved." {
		t.Fatalf("flash %q", got)
	}

	// Ann chose Romanian: she now sees the default, Polish, and her Profile
	// offers English and Polish only.
	profile := ann.get(views.PathProfile).wantStatus(200).doc()
	if lang := profile.Find("html").AttrOr("lang", ""); lang != "pl" {
		t.Fatalf("Ann's page is in %q after Romanian was withdrawn, want pl", lang)
	}
	var offered []string
	profile.Find(`#f-language option`).Each(func(_ int, s *goquery.Selection) { offered = append(offered, s.AttrOr("value", "")) })
	if !slices.Equal(offered, []string{"en", "pl"}) {
		t.Fatalf("the Profile offers %v", offered)
	}
	r := ann.post(views.PathProfile, url.Values{"name": {"Ann Sales"}, "language": {"ro"}}).wantStatus(http.StatusUnprocessableEntity)
	if r.text("#f-language-error") == "" {
		t.Fatal("choosing a withdrawn language has no message next to the field")
	}
	// A new agent gets the default language.
	created, _, err := w.app.st.CreateAgent(ctx, w.app.ownerID(), store.AgentInput{Name: "Nina New", Email: "nina@example.com", Role: authz.RoleAgent, Status: store.StatusActive}, "")
	if err != nil {
		t.Fatal(err)
	}
	if created.Language != "pl" {
		t.Fatalf("a new agent speaks %q, want the default pl", created.Language)
	}
	log, _ := w.app.st.AuditLog(ctx, 0, 5)
	if !slices.ContainsFunc(log, func(e store.AuditEntry) bool {
		return e.Action == store.ActionLanguagesUpdate && e.ActorID == w.adam.ID
	}) {
		t.Fatalf("no audit entry of the change: %+v", log)
	}
}

func TestLanguages_BadInputIs422AndStoresNothing(t *testing.T) {
	w := newTicketWorld(t)
	adam := w.as("adam@example.com")
	for name, tc := range map[string]struct {
		form       url.Values
		field, msg string
	}{
		"none offered":        {url.Values{"default": {"en"}}, "offered", "Offer at least one language."},
		"unknown offered":     {url.Values{"offered": {"en", "de"}, "default": {"en"}}, "offered", "Please choose one of the offered options."},
		"default not offered": {url.Values{"offered": {"en"}, "default": {"ro"}}, "default", "The default language must be one of the offered languages."},
		"unknown default":     {url.Values{"offered": {"en"}, "default": {"xx"}}, "default", "Please choose one of the offered options."},
	} {
		r := adam.post(views.PathLanguages, tc.form).wantStatus(http.StatusUnprocessableEntity)
		if msg := r.text("#f-" + tc.field + "-error"); msg != tc.msg {
			t.Errorf("%s: message %q, want %q", name, msg, tc.msg)
		}
	}
	l, _ := w.app.st.Languages(context.Background())
	if !slices.Equal(l.Offered, []string{"en", "pl", "ro"}) || l.Default != "en" {
		t.Fatalf("refused saves changed the languages: %+v", l)
	}
	ann := w.as("ann@example.com")
	ann.get(views.PathLanguages).wantStatus(http.StatusForbidden)
	ann.post(views.PathLanguages, url.Values{"offered": {"en"}, "default": {"en"}}).wantStatus(http.StatusForbidden)
	if l2, _ := w.app.st.Languages(context.Background()); !slices.Equal(l2.Offered, l.Offered) {
		t.Fatal("an Agent changed the languages")
	}
	if !strings.Contains(adam.get(views.PathLanguages).body, "Română") {
		t.Fatal("the languages page does not name Romanian in Romanian")
	}
}

// The contact form speaks the desk's default language to every visitor.
func TestLanguages_ContactFormSpeaksTheDefault(t *testing.T) {
	w := newTicketWorld(t)
	visitor := w.app.client()
	visitor.acceptLanguage = "ro-RO,ro;q=0.9"
	if lang := visitor.get(views.PathContact).wantStatus(200).doc().Find("html").AttrOr("lang", ""); lang != "en" {
		t.Fatalf("the contact form is in %q for a Romanian browser, want the default en", lang)
	}
	if err := w.app.st.SaveLanguages(context.Background(), w.adam.ID, desk.Languages{Offered: []string{"en", "pl"}, Default: "pl"}, ""); err != nil {
		t.Fatal(err)
	}
	visitor.acceptLanguage = "en"
	if lang := visitor.get(views.PathContact).wantStatus(200).doc().Find("html").AttrOr("lang", ""); lang != "pl" {
		t.Fatalf("the contact form is in %q, want the default pl", lang)
	}
	// The sign-in page still follows the browser among the offered languages.
	if lang := visitor.get(views.PathSignIn).doc().Find("html").AttrOr("lang", ""); lang != "en" {
		t.Fatalf("sign-in is in %q for an English browser", lang)
	}
}
