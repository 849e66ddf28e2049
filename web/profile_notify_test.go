package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"
)

// Email me my notifications is off until the agent turns it on in
// Profile, which keeps it; turning it off again is unticking the box.
func TestProfile_EmailMeMyNotificationsIsOffUntilChosen(t *testing.T) {
	app := newTestApp(t)
	owner := app.owner()
	c := app.client()
	c.signIn("owner@example.com", testPassword)
	box := func() (bool, string) {
		t.Helper()
		r := c.get("/profile").wantStatus(http.StatusOK)
		sel := r.doc().Find(`#profile-form input[type="checkbox"][name="notify_email"]`)
		if sel.Length() != 1 {
			t.Fatal("the profile form has no Email me my notifications box")
		}
		_, checked := sel.Attr("checked")
		return checked, r.doc().Find(`#profile-form label.check`).Text()
	}
	if on, label := box(); on || label == "" {
		t.Fatalf("before choosing: checked %v, label %q", on, label)
	}
	c.post("/profile", url.Values{"name": {"Olivia Owner"}, "language": {"en"}, "notify_email": {"1"}}).wantRedirect("/profile")
	if on, _ := box(); !on {
		t.Fatal("the box is not ticked after saving it ticked")
	}
	if on, _ := app.st.NotifyByEmail(context.Background(), owner.ID); !on {
		t.Fatal("the setting is not stored")
	}
	c.post("/profile", url.Values{"name": {"Olivia Owner"}, "language": {"en"}}).wantRedirect("/profile")
	if on, _ := app.st.NotifyByEmail(context.Background(), owner.ID); on {
		t.Fatal("unticking the box left the setting on")
	}
	// Bad input stores nothing, the setting included, and keeps the tick.
	r := c.post("/profile", url.Values{"name": {""}, "language": {"en"}, "notify_email": {"1"}}).wantStatus(http.StatusUnprocessableEntity)
	if _, checked := r.doc().Find(`input[name="notify_email"]`).Attr("checked"); !checked {
		t.Fatal("the re-rendered form lost the tick")
	}
	if on, _ := app.st.NotifyByEmail(context.Background(), owner.ID); on {
		t.Fatal("a refused form stored the setting")
	}
}
