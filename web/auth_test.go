package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"helpline/authz"
	"helpline/store"
)

func TestFirstRun_EveryPageLeadsToSignUp(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	for _, p := range []string{"/", "/signin", "/profile", "/nowhere"} {
		c.get(p).wantRedirect("/signup")
	}
	c.get("/signup").wantStatus(http.StatusOK).wantContains("Create your free account")
	c.get("/healthz").wantStatus(http.StatusOK)
}

func TestSignUp_CreatesOwnerSignsInAndClosesForGood(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	c.get("/signup")
	c.post("/signup", url.Values{"company": {"Acme"}, "name": {"Ann Founder"}, "email": {"Ann@Example.com"}, "password": {"a long enough pass"}}).
		wantRedirect("/")
	r := c.get("/profile").wantStatus(http.StatusOK)
	if got := r.doc().Find("#f-name").AttrOr("value", ""); got != "Ann Founder" {
		t.Fatalf("profile name %q", got)
	}
	a, err := app.st.AgentByEmail(context.Background(), "ann@example.com")
	if err != nil || a.Role != authz.RoleOwner || !a.IsCreator {
		t.Fatalf("signed-up agent %+v, %v", a, err)
	}

	other := app.client()
	other.get("/signup").wantRedirect("/signin")
	r = other.post("/signup", url.Values{"company": {"Evil"}, "name": {"Mallory"}, "email": {"m@example.com"}, "password": {"a long enough pass"}})
	if r.status != http.StatusNotFound {
		t.Fatalf("second sign-up: status %d, want 404", r.status)
	}
	if _, err := app.st.AgentByEmail(context.Background(), "m@example.com"); err == nil {
		t.Fatal("second sign-up stored an agent")
	}
}

func TestSignUp_BadInputAnsweredNextToFieldAndNothingStored(t *testing.T) {
	good := url.Values{"company": {"Acme"}, "name": {"Ann"}, "email": {"ann@example.com"}, "password": {"a long enough pass"}}
	cases := []struct {
		name, field, value, wantMsg string
	}{
		{"empty company", "company", "", "Please fill this in."},
		{"empty name", "name", "  ", "Please fill this in."},
		{"malformed email", "email", "ann@", "Please enter an email address"},
		{"email with display name", "email", "Ann <ann@example.com>", "Please enter an email address"},
		{"short password", "password", "short", "at least 10 characters"},
		{"over-long name", "name", strings.Repeat("n", 101), "100"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app := newTestApp(t)
			c := app.client()
			form := url.Values{}
			for k, v := range good {
				form[k] = v
			}
			form.Set(tc.field, tc.value)
			r := c.post("/signup", form).wantStatus(http.StatusUnprocessableEntity)
			msg := r.text("#f-" + tc.field + "-error")
			if !strings.Contains(msg, tc.wantMsg) {
				t.Fatalf("message next to %s = %q, want %q", tc.field, msg, tc.wantMsg)
			}
			if tc.field != "company" && r.doc().Find("#f-company").AttrOr("value", "") != "Acme" {
				t.Fatal("typed company name was not kept")
			}
			if strings.Contains(r.body, "a long enough pass") {
				t.Fatal("the password was echoed back")
			}
			if ok, _ := app.st.HasAccount(context.Background()); ok {
				t.Fatal("an account was stored")
			}
		})
	}
}

func TestSignUp_HTMXGetsFormFragmentWith422(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	r := c.hxPost("/signup", url.Values{"company": {""}}).wantStatus(http.StatusUnprocessableEntity)
	if strings.Contains(r.body, "<html") || !strings.Contains(r.body, `id="signup"`) {
		t.Fatalf("htmx answer is not the form fragment:\n%s", r.body)
	}
	if !strings.Contains(r.header.Get("Vary"), "HX-Request") {
		t.Fatal("no Vary: HX-Request")
	}
}

func TestSignIn_SuccessRotatesSessionAndCSRF(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	c.get("/signin")
	before := c.csrf
	c.post("/signin", url.Values{"email": {"OWNER@example.com"}, "password": {testPassword}}).wantRedirect("/")
	r := c.get("/profile").wantStatus(http.StatusOK)
	if c.csrf == before {
		t.Fatal("CSRF token did not change at sign-in")
	}
	if r.text(".usermenu-name") != "Olivia Owner" {
		t.Fatalf("user menu shows %q", r.text(".usermenu-name"))
	}
	if r.doc().Find(`form[action="/signout"] button`).Text() != "Sign out" {
		t.Fatal("no Sign out in the user menu")
	}
	// The token from before sign-in no longer works.
	r = c.do(http.MethodPost, "/profile", url.Values{"_csrf": {before}, "name": {"X"}, "language": {"en"}}, false)
	r.wantStatus(http.StatusForbidden)
}

func TestSignIn_WrongEmailAndWrongPasswordSameMessage(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	wrongPw := app.client().post("/signin", url.Values{"email": {"owner@example.com"}, "password": {"not the password"}}).
		wantStatus(http.StatusUnprocessableEntity)
	wrongEmail := app.client().post("/signin", url.Values{"email": {"nobody@example.com"}, "password": {testPassword}}).
		wantStatus(http.StatusUnprocessableEntity)
	a, b := wrongPw.text(".form-error"), wrongEmail.text(".form-error")
	if a == "" || a != b {
		t.Fatalf("messages differ: %q vs %q", a, b)
	}
	if wrongEmail.doc().Find("#f-email").AttrOr("value", "") != "nobody@example.com" {
		t.Fatal("typed email not kept")
	}
	log, _ := app.st.AuditLog(context.Background(), 0, 10)
	failed := 0
	for _, e := range log {
		if e.Action == store.ActionSignInFailed {
			failed++
		}
	}
	// Only the failure for an agent's email is audited; unknown emails go
	// to the server's log, so nobody can grow the audit log at will.
	if failed != 1 {
		t.Fatalf("%d failed sign-ins audited, want 1", failed)
	}
}

// Sign-in is one step in the store: the session, the time of the sign-in
// and its audit entry; a disabled agent with the right password gets none.
func TestSignIn_RecordsSessionTimeAndAuditOrNothing(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	ctx := context.Background()
	if err := app.st.SetAgentStatus(ctx, tm.creator.ID, tm.agent.ID, store.StatusDisabled, ""); err != nil {
		t.Fatal(err)
	}
	audits := func() (signIns int) {
		log, err := app.st.AuditLog(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range log {
			if e.Action == store.ActionSignIn {
				signIns++
			}
		}
		return signIns
	}
	before := audits()
	disabled := app.client()
	disabled.post("/signin", url.Values{"email": {tm.agent.Email}, "password": {testPassword}}).
		wantStatus(http.StatusUnprocessableEntity)
	disabled.get("/profile").wantRedirect("/signin")
	if a, _ := app.st.AgentByID(ctx, tm.agent.ID); !a.LastSignInAt.IsZero() || audits() != before {
		t.Fatal("a refused sign-in was recorded")
	}
	c := app.client()
	c.post("/signin", url.Values{"email": {tm.admin.Email}, "password": {testPassword}}).wantRedirect("/")
	c.get("/profile").wantStatus(http.StatusOK)
	if a, _ := app.st.AgentByID(ctx, tm.admin.ID); a.LastSignInAt.IsZero() || audits() != before+1 {
		t.Fatalf("sign-in not recorded: last %v, %d sign-ins audited", a.LastSignInAt, audits()-before)
	}
}

// Anyone can fail to sign in, as often as the limits allow: the audit
// entry it leaves must not empty every page kept for those at work.
func TestSignIn_FailedAttemptKeepsKeptPages(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	c.get("/signin")
	gen := app.st.Generation()
	c.post("/signin", url.Values{"email": {"owner@example.com"}, "password": {"not the password"}}).
		wantStatus(http.StatusUnprocessableEntity)
	c.post("/signin", url.Values{"email": {"nobody@example.com"}, "password": {testPassword}}).
		wantStatus(http.StatusUnprocessableEntity)
	if got := app.st.Generation(); got != gen {
		t.Fatalf("failed sign-ins moved the generation from %d to %d", gen, got)
	}
	log, err := app.st.AuditLog(context.Background(), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) < 1 || log[0].Action != store.ActionSignInFailed || log[0].TargetType != "agent" || log[0].TargetID == 0 {
		t.Fatalf("failed sign-ins not audited as they were: %+v", log)
	}
}

func TestSignIn_RateLimitedPerAccount(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	for i := 0; i < 5; i++ {
		c.post("/signin", url.Values{"email": {"owner@example.com"}, "password": {"wrong password"}}).wantStatus(http.StatusUnprocessableEntity)
	}
	// Even the right password is refused now, with a clear message.
	r := c.post("/signin", url.Values{"email": {"owner@example.com"}, "password": {testPassword}}).wantStatus(http.StatusTooManyRequests)
	r.wantContains("Too many sign-in attempts")
}

func TestSignIn_RateLimitedPerIP(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	for i := 0; i < 20; i++ {
		c.post("/signin", url.Values{"email": {"user" + string(rune('a'+i)) + "@example.com"}, "password": {"wrong password"}})
	}
	c.post("/signin", url.Values{"email": {"owner@example.com"}, "password": {testPassword}}).wantStatus(http.StatusTooManyRequests)
}

func TestSignIn_RememberMeKeepsCookie14Days(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	r := c.post("/signin", url.Values{"email": {"owner@example.com"}, "password": {testPassword}, "remember": {"1"}}).wantRedirect("/")
	if sc := r.header.Get("Set-Cookie"); !strings.Contains(sc, "Max-Age=1209600") {
		t.Fatalf("remember-me cookie: %q", sc)
	}
	r = app.client().post("/signin", url.Values{"email": {"owner@example.com"}, "password": {testPassword}}).wantRedirect("/")
	if sc := r.header.Get("Set-Cookie"); strings.Contains(sc, "Max-Age") || !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") {
		t.Fatalf("session cookie: %q", sc)
	}
}

func TestSignOut_EndsServerSession(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	c.signIn("owner@example.com", testPassword)
	c.post("/signout", nil).wantRedirect("/signin")
	c.get("/signin").wantContains("You have signed out.")
	c.get("/profile").wantRedirect("/signin")
	var n int
	if err := app.st.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	log, _ := app.st.AuditLog(context.Background(), 0, 5)
	for _, e := range log {
		if e.Action == store.ActionSignOut {
			n++
		}
	}
	if n != 1 {
		t.Fatal("sign-out not audited")
	}
}

func TestSessionEnded_NextRequestLandsOnSignInWithMessage(t *testing.T) {
	app := newTestApp(t)
	owner := app.owner()
	c := app.client()
	c.signIn("owner@example.com", testPassword)
	if err := app.st.EndSessions(context.Background(), owner.ID, store.EndRoleChanged); err != nil {
		t.Fatal(err)
	}
	c.get("/profile").wantRedirect("/signin")
	c.get("/signin").wantStatus(http.StatusOK).wantContains("Your role was changed; please sign in again")
}

func TestSignIn_NextOnlyGoesToLocalPaths(t *testing.T) {
	for next, want := range map[string]string{"/profile": "/profile", "//evil.example": "/", "https://evil.example": "/", "/\\evil": "/"} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}
