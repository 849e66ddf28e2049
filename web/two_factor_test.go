package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"helpline/security"
	"helpline/store"
	"helpline/views"
)

// fixedClock stops the store's clock (which the codes are checked against)
// at a known time and returns a way to move it.
func fixedClock(t *testing.T, app *testApp) func(time.Duration) time.Time {
	now := time.Now().Truncate(30 * time.Second)
	app.st.SetClock(func() time.Time { return now })
	t.Cleanup(func() { app.st.SetClock(time.Now) })
	return func(d time.Duration) time.Time {
		now = now.Add(d)
		return now
	}
}

// enrol turns on two-factor sign-in from Profile for the signed-in c and
// returns the secret it read from the page and the recovery codes.
func enrol(t *testing.T, app *testApp, c *client) (string, []string) {
	t.Helper()
	c.get(views.PathProfile).wantContains("Set up two-factor sign-in")
	r := c.post(views.PathProfileTwoFactor, url.Values{}).wantStatus(http.StatusOK)
	secret := r.text("#totp-secret")
	if secret == "" || r.doc().Find(".qr svg path").Length() != 1 {
		t.Fatalf("no QR code or key on the set-up page: %.500s", r.body)
	}
	c.post(views.PathProfileTwoFactorConfirm, url.Values{"code": {"000000"}}).
		wantStatus(http.StatusUnprocessableEntity).wantContains("This code is not right")
	r = c.post(views.PathProfileTwoFactorConfirm, url.Values{"code": {security.TOTPCode(secret, app.st.Now())}}).wantStatus(http.StatusOK)
	var codes []string
	r.doc().Find("#recovery-codes li").Each(func(_ int, s *goquery.Selection) { codes = append(codes, strings.TrimSpace(s.Text())) })
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown", len(codes))
	}
	return secret, codes
}

func passwordStep(c *client, email string) *response {
	return c.post(views.PathSignIn, url.Values{"email": {email}, "password": {testPassword}})
}

func TestTwoFactor_SignInAsksForACodeOnce(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	clock := fixedClock(t, app)
	secret, _ := enrol(t, app, app.signedIn(tm.agent))
	clock(30 * time.Second) // the code that confirmed is spent

	c := app.client()
	passwordStep(c, tm.agent.Email).wantRedirect(views.PathSignInCode)
	// The password alone gives no session.
	if r := c.get(views.PathProfile); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), views.PathSignIn) {
		t.Fatalf("after the password alone: %d %s", r.status, r.header.Get("Location"))
	}
	c.get(views.PathSignInCode).wantStatus(http.StatusOK).wantContains("Authentication code")
	c.post(views.PathSignInCode, url.Values{"code": {"123456"}}).wantStatus(http.StatusUnprocessableEntity)
	code := security.TOTPCode(secret, app.st.Now())
	c.post(views.PathSignInCode, url.Values{"code": {code}}).wantRedirect(views.PathHome)
	c.get(views.PathProfile).wantStatus(http.StatusOK).wantContains("Recovery codes left: 10")

	// The same code does not sign in a second time.
	other := app.client()
	passwordStep(other, tm.agent.Email).wantRedirect(views.PathSignInCode)
	other.post(views.PathSignInCode, url.Values{"code": {code}}).wantStatus(http.StatusUnprocessableEntity)
	// The code of the next step does.
	other.post(views.PathSignInCode, url.Values{"code": {security.TOTPCode(secret, clock(30*time.Second))}}).wantRedirect(views.PathHome)

	// No code step without the password first.
	app.client().post(views.PathSignInCode, url.Values{"code": {"123456"}}).wantRedirect(views.PathSignIn)
}

func TestTwoFactor_RecoveryCodeWorksOnce(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	fixedClock(t, app)
	_, codes := enrol(t, app, app.signedIn(tm.agent))
	c := app.client()
	passwordStep(c, tm.agent.Email).wantRedirect(views.PathSignInCode)
	c.post(views.PathSignInCode, url.Values{"code": {strings.ToUpper(codes[3])}}).wantRedirect(views.PathHome)
	c.get(views.PathProfile).wantContains("Recovery codes left: 9")
	again := app.client()
	passwordStep(again, tm.agent.Email).wantRedirect(views.PathSignInCode)
	again.post(views.PathSignInCode, url.Values{"code": {codes[3]}}).wantStatus(http.StatusUnprocessableEntity)
	log, _ := app.st.AuditLog(context.Background(), 0, 5)
	if log[0].Action != store.ActionTwoFactorFailed {
		t.Fatalf("a reused recovery code was not audited as a wrong code: %+v", log[0])
	}
}

func TestTwoFactor_WrongCodesAreLimited(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	fixedClock(t, app)
	secret, _ := enrol(t, app, app.signedIn(tm.agent))
	c := app.client()
	passwordStep(c, tm.agent.Email).wantRedirect(views.PathSignInCode)
	for i := 0; i < 5; i++ {
		c.post(views.PathSignInCode, url.Values{"code": {"000000"}}).wantStatus(http.StatusUnprocessableEntity)
	}
	c.post(views.PathSignInCode, url.Values{"code": {security.TOTPCode(secret, app.st.Now())}}).wantStatus(http.StatusTooManyRequests)
	c.get(views.PathSignInCode).wantRedirect(views.PathSignIn)
}

func TestTwoFactor_RequiredForAdministratorsAndOwnersAtNextSignIn(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	fixedClock(t, app)
	setPolicy(t, app, tm.creator.ID, func(s *store.SecuritySettings) { s.RequireTwoFactor = true })

	// An Agent is not asked.
	passwordStep(app.client(), tm.agent.Email).wantRedirect(views.PathHome)

	c := app.client()
	passwordStep(c, tm.admin.Email).wantRedirect(views.PathSignInEnrol)
	c.get(views.PathProfile).wantStatus(http.StatusSeeOther)
	r := c.get(views.PathSignInEnrol).wantStatus(http.StatusOK).wantContains("must sign in with a code")
	secret := r.text("#totp-secret")
	c.post(views.PathSignInEnrol, url.Values{"code": {"000000"}}).wantStatus(http.StatusUnprocessableEntity)
	if tf, _ := app.st.TwoFactor(context.Background(), tm.admin.ID); tf.Enabled {
		t.Fatal("a wrong code turned two-factor sign-in on")
	}
	secret = c.get(views.PathSignInEnrol).text("#totp-secret") // a fresh page draws a fresh key
	r = c.post(views.PathSignInEnrol, url.Values{"code": {security.TOTPCode(secret, app.st.Now())}}).wantStatus(http.StatusOK)
	if r.doc().Find("#recovery-codes li").Length() != 10 {
		t.Fatal("no recovery codes after enrolment")
	}
	c.get(views.PathProfile).wantStatus(http.StatusOK).wantContains("Recovery codes left: 10")
	// From now on the code is asked.
	passwordStep(app.client(), tm.admin.Email).wantRedirect(views.PathSignInCode)
}

func TestTwoFactor_AdministratorResetEndsSessionsAndIsAudited(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	fixedClock(t, app)
	agent := app.signedIn(tm.agent)
	enrol(t, app, agent)
	path := views.WithID(views.PathAgentTwoFactor, tm.agent.ID)

	// Someone who may not reset passwords may not reset this either.
	other := app.addAgent(tm.creator.ID, "Bob Agent", "agent")
	app.signedIn(other).post(path, url.Values{}).wantStatus(http.StatusForbidden)

	admin := app.signedIn(tm.admin)
	admin.get(views.WithID(views.PathAgentEdit, tm.agent.ID)).wantContains("Reset two-factor sign-in")
	admin.post(path, url.Values{}).wantRedirect(views.WithID(views.PathAgentEdit, tm.agent.ID))
	if tf, _ := app.st.TwoFactor(context.Background(), tm.agent.ID); tf.Enabled || tf.Secret != "" {
		t.Fatal("two-factor sign-in still on after the reset")
	}
	r := agent.get(views.PathProfile)
	if r.status != http.StatusSeeOther {
		t.Fatalf("the agent's session survived the reset: %d", r.status)
	}
	agent.get(r.header.Get("Location")).wantContains("Your two-factor sign-in was reset")
	log, _ := app.st.AuditLog(context.Background(), 0, 1)
	if log[0].Action != store.ActionTwoFactorReset || log[0].TargetID != tm.agent.ID {
		t.Fatalf("audit %+v", log[0])
	}
	passwordStep(app.client(), tm.agent.Email).wantRedirect(views.PathHome)
}

// A set-password link (Forgot password?) proves the email, not the phone:
// an agent with two-factor sign-in still gives a code after using one.
func TestTwoFactor_PasswordLinkStillAsksForTheCode(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	fixedClock(t, app)
	secret, _ := enrol(t, app, app.signedIn(tm.agent))
	_, token, err := app.st.ForgotPasswordLink(context.Background(), tm.agent.Email, "")
	if err != nil {
		t.Fatal(err)
	}
	c := app.client()
	c.get(views.SetPasswordPath(token)).wantStatus(http.StatusOK)
	c.post(views.SetPasswordPath(token), url.Values{"password": {"a new long passphrase"}}).wantRedirect(views.PathSignInCode)
	if r := c.get(views.PathProfile); r.status != http.StatusSeeOther {
		t.Fatalf("signed in by the link alone: %d", r.status)
	}
	c.post(views.PathSignInCode, url.Values{"code": {security.TOTPCode(secret, app.st.Now().Add(30*time.Second))}}).wantRedirect(views.PathHome)
	c.get(views.PathProfile).wantStatus(http.StatusOK)
}
