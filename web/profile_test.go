package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"helpline/store"
)

func TestProfile_ChangeNameAliasAndLanguage(t *testing.T) {
	app := newTestApp(t)
	owner := app.owner()
	c := app.client()
	c.signIn("owner@example.com", testPassword)
	c.post("/profile", url.Values{"name": {"Olivia O."}, "alias": {"Liv"}, "language": {"pl"}}).wantRedirect("/profile")
	r := c.get("/profile").wantStatus(http.StatusOK)
	if lang := r.doc().Find("html").AttrOr("lang", ""); lang != "pl" {
		t.Fatalf("page language %q after choosing Polish", lang)
	}
	r.wantContains("Profil")
	a, _ := app.st.AgentByID(context.Background(), owner.ID)
	if a.Name != "Olivia O." || a.Alias != "Liv" || a.Language != "pl" {
		t.Fatalf("stored profile %+v", a)
	}
	log, _ := app.st.AuditLog(context.Background(), 0, 1)
	if log[0].Action != store.ActionProfileUpdate || log[0].ActorID != owner.ID {
		t.Fatalf("last audit entry %+v", log[0])
	}
}

func TestProfile_BadInputKeepsValuesAndStoresNothing(t *testing.T) {
	cases := map[string]struct {
		form  url.Values
		field string
	}{
		"empty name":       {url.Values{"name": {""}, "language": {"en"}}, "name"},
		"over-long alias":  {url.Values{"name": {"Ann"}, "alias": {strings.Repeat("a", 101)}, "language": {"en"}}, "alias"},
		"unknown language": {url.Values{"name": {"Ann"}, "language": {"xx"}}, "language"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			app := newTestApp(t)
			owner := app.owner()
			c := app.client()
			c.signIn("owner@example.com", testPassword)
			r := c.post("/profile", tc.form).wantStatus(http.StatusUnprocessableEntity)
			if r.text("#f-"+tc.field+"-error") == "" {
				t.Fatalf("no message next to %s", tc.field)
			}
			a, _ := app.st.AgentByID(context.Background(), owner.ID)
			if a.Name != "Olivia Owner" || a.Alias != "" || a.Language != "" {
				t.Fatalf("profile changed: %+v", a)
			}
		})
	}
}

func TestProfile_PasswordChangeNeedsCurrentPassword(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	c.signIn("owner@example.com", testPassword)
	r := c.post("/profile/password", url.Values{"current_password": {"wrong one!!"}, "new_password": {"another long one"}}).
		wantStatus(http.StatusUnprocessableEntity)
	if r.text("#f-current_password-error") != "⚠ The current password is not right." && !strings.Contains(r.text("#f-current_password-error"), "not right") {
		t.Fatalf("message %q", r.text("#f-current_password-error"))
	}
	c.post("/profile/password", url.Values{"current_password": {testPassword}, "new_password": {"short"}}).
		wantStatus(http.StatusUnprocessableEntity).wantContains("at least 10 characters")
	c.post("/profile/password", url.Values{"current_password": {testPassword}, "new_password": {"another long one"}}).
		wantStatus(http.StatusOK).wantContains("Your password was changed.")
	// Still signed in here; the new password works for a new sign-in.
	c.get("/profile").wantStatus(http.StatusOK)
	app.client().signIn("owner@example.com", "another long one")
	app.client().post("/signin", url.Values{"email": {"owner@example.com"}, "password": {testPassword}}).wantStatus(http.StatusUnprocessableEntity)
}

func TestLanguage_FromBrowserWhenProfileHasNone(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	c.acceptLanguage = "ro-RO,ro;q=0.9"
	r := c.get("/signin").wantStatus(http.StatusOK)
	if lang := r.doc().Find("html").AttrOr("lang", ""); lang != "ro" {
		t.Fatalf("lang %q for a Romanian browser", lang)
	}
	r.wantContains("Conectare")
}
