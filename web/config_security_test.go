package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"helpline/store"
	"helpline/views"
)

func securityForm(over map[string]string) url.Values {
	v := url.Values{"min_length": {"10"}, "max_length": {"200"}, "expiry_days": {"0"}, "refuse_common": {"1"}}
	for k, x := range over {
		if x == "" {
			v.Del(k)
		} else {
			v.Set(k, x)
		}
	}
	return v
}

func TestSecuritySettings_OnlyAdministratorsAndOwners(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	agent := app.signedIn(tm.agent)
	agent.get(views.PathSecurity).wantStatus(http.StatusForbidden)
	agent.post(views.PathSecurity, securityForm(map[string]string{"min_length": "30"})).wantStatus(http.StatusForbidden)
	for _, who := range []store.Agent{tm.admin, tm.owner} {
		c := app.signedIn(who)
		c.get(views.PathSecurity).wantStatus(http.StatusOK).wantContains("Require two-factor sign-in for Administrators and Owners")
	}
	st, _ := app.st.SecuritySettings(context.Background())
	if st.Policy.MinLength != 10 {
		t.Fatalf("an Agent changed the policy: %+v", st.Policy)
	}
}

func TestSecuritySettings_BadInputIs422AndStoresNothing(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	c := app.signedIn(tm.admin)
	cases := []struct {
		over  map[string]string
		field string
	}{
		{map[string]string{"min_length": "9"}, "min_length"},
		{map[string]string{"min_length": "ten"}, "min_length"},
		{map[string]string{"max_length": "201"}, "max_length"},
		{map[string]string{"min_length": "40", "max_length": "30"}, "max_length"},
		{map[string]string{"expiry_days": "-1"}, "expiry_days"},
		{map[string]string{"expiry_days": ""}, "expiry_days"},
	}
	for _, tc := range cases {
		r := c.post(views.PathSecurity, securityForm(tc.over)).wantStatus(http.StatusUnprocessableEntity)
		if r.text("#f-"+tc.field+"-error") == "" {
			t.Errorf("%v: no message next to %s", tc.over, tc.field)
		}
	}
	st, _ := app.st.SecuritySettings(context.Background())
	if st != store.DefaultSecuritySettings() {
		t.Fatalf("bad input stored: %+v", st)
	}
	c.post(views.PathSecurity, securityForm(map[string]string{"min_length": "14", "require_digit": "1", "expiry_days": "90"})).
		wantRedirect(views.PathSecurity)
	c.get(views.PathSecurity).wantContains("The security settings were saved.")
	st, _ = app.st.SecuritySettings(context.Background())
	if st.Policy.MinLength != 14 || !st.Policy.RequireDigit || st.Policy.ExpiryDays != 90 || !st.Policy.RefuseCommon || st.Policy.RequireLetter {
		t.Fatalf("saved %+v", st)
	}
	log, _ := app.st.AuditLog(context.Background(), 0, 1)
	if log[0].Action != store.ActionSecuritySettings || !strings.Contains(log[0].Details, "minimum length: 10 → 14") {
		t.Fatalf("audit %+v", log[0])
	}
}

func setPolicy(t *testing.T, app *testApp, by int64, p func(*store.SecuritySettings)) {
	t.Helper()
	st := store.DefaultSecuritySettings()
	p(&st)
	if err := app.st.SaveSecuritySettings(context.Background(), by, st, ""); err != nil {
		t.Fatal(err)
	}
}

func TestPasswordPolicy_AppliesAtSignUp(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	form := signUpForm("Acme")
	form.Set("password", "qwertyuiop")
	c.post(views.PathSignUp, form).wantStatus(http.StatusUnprocessableEntity).wantContains("one of the most common")
	if _, err := app.st.Account(context.Background()); err == nil {
		t.Fatal("a refused sign-up made the account")
	}
	c.post(views.PathSignUp, signUpForm("Acme")).wantRedirect(views.PathHome)
}

func TestPasswordPolicy_AppliesInProfileAndWithALink(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	setPolicy(t, app, tm.creator.ID, func(s *store.SecuritySettings) {
		s.Policy.MinLength, s.Policy.MaxLength, s.Policy.RequireDigit, s.Policy.RequireLetter = 16, 30, true, true
	})
	c := app.signedIn(tm.agent)
	for pw, msg := range map[string]string{
		"abcdefghijk12":                     "minimum number of characters: 16",
		"abcdefghijklmnopqrstuvwxyz1234567": "maximum number of characters: 30",
		"abcdefghijklmnopqr":                "must contain a digit",
		"1234567890123456789":               "must contain a letter",
	} {
		c.post(views.PathPassword, url.Values{"current_password": {testPassword}, "new_password": {pw}}).
			wantStatus(http.StatusUnprocessableEntity).wantContains(msg)
	}
	c.post(views.PathPassword, url.Values{"current_password": {testPassword}, "new_password": {"sixteen chars 16"}}).
		wantStatus(http.StatusOK)

	// A reset link (set-password page) follows the policy too.
	token, err := app.st.ResetPassword(context.Background(), tm.creator.ID, tm.admin.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	link := app.client()
	link.get(views.SetPasswordPath(token)).wantStatus(http.StatusOK)
	link.post(views.SetPasswordPath(token), url.Values{"password": {"no digits in this one"}}).
		wantStatus(http.StatusUnprocessableEntity).wantContains("must contain a digit")
	if a, _ := app.st.AgentByID(context.Background(), tm.admin.ID); a.PasswordHash != "" {
		t.Fatal("a refused password was stored")
	}
	link.post(views.SetPasswordPath(token), url.Values{"password": {"digits 1n this one"}}).wantRedirect(views.PathHome)
}

func TestPasswordPolicy_ExpiredPasswordAsksForANewOneAfterSignIn(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	setPolicy(t, app, tm.creator.ID, func(s *store.SecuritySettings) { s.Policy.ExpiryDays = 30 })
	// Not expired yet: an ordinary sign-in.
	app.signedIn(tm.agent)
	later := time.Now().Add(31 * 24 * time.Hour)
	app.st.SetClock(func() time.Time { return later })
	t.Cleanup(func() { app.st.SetClock(time.Now) })

	c := app.client()
	// A wrong password is a wrong password, expired or not.
	c.post(views.PathSignIn, url.Values{"email": {tm.agent.Email}, "password": {"not the password"}}).
		wantStatus(http.StatusUnprocessableEntity)
	r := c.post(views.PathSignIn, url.Values{"email": {tm.agent.Email}, "password": {testPassword}}).wantStatus(http.StatusSeeOther)
	to := r.header.Get("Location")
	if !strings.HasPrefix(to, "/set-password/") {
		t.Fatalf("an expired password sent the agent to %q", to)
	}
	// No session yet.
	c.get(views.PathProfile).wantRedirect(views.PathSignIn + "?next=%2Fprofile")
	c.get(to).wantStatus(http.StatusOK).wantContains("Your password has expired")
	c.post(to, url.Values{"password": {testPassword}}).wantStatus(http.StatusUnprocessableEntity).wantContains("different from the one you had")
	c.post(to, url.Values{"password": {"a brand new passphrase"}}).wantRedirect(views.PathHome)
	c.get(views.PathProfile).wantStatus(http.StatusOK)
	// The new password is young: the next sign-in is ordinary.
	app.client().post(views.PathSignIn, url.Values{"email": {tm.agent.Email}, "password": {"a brand new passphrase"}}).wantRedirect(views.PathHome)
}
