package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// cookies returns the cookies the client holds for the test server.
func (c *client) cookies() []*http.Cookie {
	u, _ := url.Parse(c.app.ts.URL)
	return c.http.Jar.Cookies(u)
}

// replay is another browser holding a copy of cookies (a stolen cookie).
func (a *testApp) replay(cookies []*http.Cookie) *client {
	c := a.client()
	u, _ := url.Parse(a.ts.URL)
	c.http.Jar.SetCookies(u, cookies)
	return c
}

func cookieValue(cs []*http.Cookie) string {
	for _, c := range cs {
		if c.Name == cookieName {
			return c.Value
		}
	}
	return ""
}

func TestSignIn_CookieTokenRotatesAndAnEarlierSessionEnds(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	c.get(views.PathSignIn)
	anonymous := c.cookies()
	c.signIn("owner@example.com", testPassword)
	first := c.cookies()
	if cookieValue(first) == cookieValue(anonymous) {
		t.Fatal("the cookie did not change at sign-in")
	}
	// A cookie planted before sign-in does not become signed in.
	app.replay(anonymous).get(views.PathProfile).wantRedirect(views.PathSignIn)

	// Signing in again on the same browser ends the session it had.
	c.post(views.PathSignIn, url.Values{"email": {"owner@example.com"}, "password": {testPassword}}).wantRedirect(views.PathHome)
	c.get(views.PathProfile).wantStatus(http.StatusOK)
	app.replay(first).get(views.PathProfile).wantRedirect(views.PathSignIn)
}

func TestSignOut_CopiedCookieStopsWorking(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	c.signIn("owner@example.com", testPassword)
	stolen := c.cookies()
	app.replay(stolen).get(views.PathProfile).wantStatus(http.StatusOK)
	c.post(views.PathSignOut, nil).wantRedirect(views.PathSignIn)
	app.replay(stolen).get(views.PathProfile).wantRedirect(views.PathSignIn)
}

func TestSessions_DisabledOrRemovedAgentIsSignedOutOnTheNextRequest(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	ctx := context.Background()
	for name, act := range map[string]func(store.Agent) error{
		"disabled": func(a store.Agent) error {
			return app.st.SetAgentStatus(ctx, tm.creator.ID, a.ID, store.StatusDisabled, "")
		},
		"removed": func(a store.Agent) error { return app.st.RemoveAgent(ctx, tm.creator.ID, a.ID, "") },
	} {
		target := app.addAgent(tm.creator.ID, "Victim "+name, authz.RoleAdmin)
		c := app.signedIn(target)
		copyOf := c.cookies()
		c.get(views.PathAgents).wantStatus(http.StatusOK)
		if err := act(target); err != nil {
			t.Fatal(err)
		}
		c.get(views.PathAgents).wantRedirect(views.PathSignIn)
		app.replay(copyOf).get(views.PathAgents).wantRedirect(views.PathSignIn)
		app.replay(copyOf).hxPost(views.PathDepartments, url.Values{"name": {"Sneaky " + name}}).wantStatus(http.StatusUnauthorized)
		deps, err := app.st.Departments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(deps) != 1 { // the first one, from sign-up
			t.Fatalf("%s agent's copied cookie created a department", name)
		}
	}
}

func TestCookies_SecureWhenSwitchedOnAndAlwaysHttpOnlyLax(t *testing.T) {
	for _, secure := range []bool{false, true} {
		app := newTestApp(t)
		app.owner()
		srv, err := New(Config{SecureCookies: secure, SessionSecret: make32(), CSRFSecret: make32(), Logger: app.srv.log}, app.st)
		if err != nil {
			t.Fatal(err)
		}
		app.srv = srv
		app.ts.Config.Handler = srv.Handler()
		for _, path := range []string{views.PathSignIn} {
			r := app.client().get(path)
			sc := strings.Join(r.header.Values("Set-Cookie"), "\n")
			if sc == "" || !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") || strings.Contains(sc, "Secure") != secure {
				t.Errorf("secure=%v: Set-Cookie %q", secure, sc)
			}
			if hsts := r.header.Get("Strict-Transport-Security"); (hsts != "") != secure {
				t.Errorf("secure=%v: HSTS %q", secure, hsts)
			}
		}
	}
}

func make32() []byte {
	b := make([]byte, 32)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}

func TestSessions_RememberMeLastsFourteenDaysOnTheServerToo(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	c.get(views.PathSignIn)
	c.post(views.PathSignIn, url.Values{"email": {"owner@example.com"}, "password": {testPassword}, "remember": {"1"}}).wantRedirect(views.PathHome)
	c.get(views.PathProfile).wantStatus(http.StatusOK)
	app.st.SetClock(func() time.Time { return time.Now().Add(store.RememberFor - time.Hour) })
	c.get(views.PathProfile).wantStatus(http.StatusOK)
	app.st.SetClock(func() time.Time { return time.Now().Add(store.RememberFor + time.Hour) })
	c.get(views.PathProfile).wantRedirect(views.PathSignIn)
}
