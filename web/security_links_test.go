package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpline/store"
	"helpline/views"
)

// syncBuffer is a log destination that tests can read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// captureLogs sends the server's logs to a buffer the test can read.
func (a *testApp) captureLogs() *syncBuffer {
	buf := &syncBuffer{}
	a.srv.log = slog.New(slog.NewTextHandler(buf, nil))
	return buf
}

func (a *testApp) resetLink(actor, target store.Agent) (token, link string) {
	a.t.Helper()
	token, err := a.st.ResetPassword(context.Background(), actor.ID, target.ID, "")
	if err != nil {
		a.t.Fatal(err)
	}
	return token, views.SetPasswordPath(token)
}

func TestSetPasswordLink_TokenNeverWrittenToTheLog(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	logs := app.captureLogs()
	token, link := app.resetLink(tm.creator, tm.agent)
	c := app.client()
	c.get(link).wantStatus(http.StatusOK)
	c.post(link, url.Values{"password": {"short"}}).wantStatus(http.StatusUnprocessableEntity)
	c.post(link, url.Values{"password": {"a good new password"}}).wantRedirect(views.PathHome)
	c.get(link).wantStatus(http.StatusNotFound)
	if !strings.Contains(logs.String(), "/set-password/") {
		t.Fatalf("requests were not logged at all:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), token) {
		t.Fatalf("the one-time token is in the log:\n%s", logs.String())
	}
}

func TestSetPasswordLink_PageSendsNoReferrerAndLoadsOnlyOwnFiles(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	_, link := app.resetLink(tm.creator, tm.agent)
	c := app.client()
	for _, r := range []*response{
		c.get(link).wantStatus(http.StatusOK),
		c.post(link, url.Values{"password": {"short"}}).wantStatus(http.StatusUnprocessableEntity),
		c.get(views.SetPasswordPath("not-a-real-token")).wantStatus(http.StatusNotFound),
	} {
		if got := r.header.Get("Referrer-Policy"); got != "no-referrer" {
			t.Errorf("Referrer-Policy %q, want no-referrer", got)
		}
		r.doc().Find("[src], [href], [action]").Each(func(_ int, s *goquery.Selection) {
			for _, attr := range []string{"src", "href", "action"} {
				if v, ok := s.Attr(attr); ok && (!strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//")) {
					t.Errorf("%s=%q leaves the site", attr, v)
				}
			}
		})
	}
}

func TestSetPasswordLink_DeadOnceTheAgentIsRemoved(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	_, link := app.resetLink(tm.creator, tm.agent)
	if err := app.st.RemoveAgent(context.Background(), tm.creator.ID, tm.agent.ID, ""); err != nil {
		t.Fatal(err)
	}
	c := app.client()
	c.get(link).wantStatus(http.StatusNotFound)
	c.post(link, url.Values{"password": {"a good new password"}}).wantStatus(http.StatusNotFound)
	c.get(views.PathProfile).wantRedirect(views.PathSignIn)
}

func TestSetPasswordLink_DisabledAgentIsNotSignedIn(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	_, link := app.resetLink(tm.creator, tm.agent)
	if err := app.st.SetAgentStatus(context.Background(), tm.creator.ID, tm.agent.ID, store.StatusDisabled, ""); err != nil {
		t.Fatal(err)
	}
	c := app.client()
	c.post(link, url.Values{"password": {"a good new password"}}).wantRedirect(views.PathSignIn)
	c.get(views.PathProfile).wantRedirect(views.PathSignIn)
	if st := app.client().postSignInFresh(tm.agent.Email, "a good new password"); st == http.StatusSeeOther {
		t.Fatal("a disabled agent signed in")
	}
}

// postSignInFresh fetches the sign-in page for a token, then signs in.
func (c *client) postSignInFresh(email, password string) int {
	c.get(views.PathSignIn)
	return c.postSignIn(email, password, nil)
}
