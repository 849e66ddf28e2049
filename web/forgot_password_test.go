package web

import (
	"bytes"
	"context"
	"io"
	"mime/quotedprintable"
	"net/http"
	netmail "net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"helpline/authz"
	"helpline/mail/mailtest"
	"helpline/store"
	"helpline/views"
)

var setPasswordLink = regexp.MustCompile(`https?://[^\s]+/set-password/[A-Za-z0-9_-]+`)

// mailText is the decoded body of a plain-text email.
func mailText(t *testing.T, raw []byte) string {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var r io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(m.Body)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// withMail points the desk's outgoing mail at a test SMTP server.
func withMail(t *testing.T, app *testApp, actorID int64) *mailtest.SMTP {
	t.Helper()
	srv := mailtest.StartSMTP(t)
	if err := app.st.SaveMailSettings(context.Background(), actorID, store.MailSettings{Host: srv.Host, Port: srv.Port,
		Security: store.SecurityNone, FromName: "Acme", FromAddress: "help@acme.example"}, ""); err != nil {
		t.Fatal(err)
	}
	return srv
}

func TestForgotPassword_WithoutMailSaysToAskAnAdministrator(t *testing.T) {
	app := newTestApp(t)
	app.team()
	c := app.client()
	c.get(views.PathForgot).wantStatus(http.StatusOK).wantContains("Ask an administrator")
	c.post(views.PathForgot, url.Values{"email": {"alice.agent@example.com"}}).wantStatus(http.StatusOK).wantContains("Ask an administrator")
}

func TestForgotPassword_SendsAOneHourLinkAndAnswersAlikeForAnyAddress(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	srv := withMail(t, app, tm.creator.ID)
	c := app.client()
	c.get(views.PathForgot).wantStatus(http.StatusOK).wantContains("Send link")
	c.post(views.PathForgot, url.Values{"email": {"not an address"}}).wantStatus(http.StatusUnprocessableEntity)

	const same = "If an account exists for that address, we have sent a link"
	unknown := c.post(views.PathForgot, url.Values{"email": {"nobody@example.com"}}).wantStatus(http.StatusOK)
	known := c.post(views.PathForgot, url.Values{"email": {strings.ToUpper(tm.agent.Email)}}).wantStatus(http.StatusOK)
	if unknown.text("#forgot-sent") != same || known.text("#forgot-sent") != same {
		t.Fatalf("answers %q and %q", unknown.text("#forgot-sent"), known.text("#forgot-sent"))
	}
	app.srv.mailWG.Wait()
	got := srv.Received()
	if len(got) != 1 || got[0].To[0] != tm.agent.Email {
		t.Fatalf("emails %+v, want one to %s", got, tm.agent.Email)
	}
	link := setPasswordLink.FindString(mailText(t, got[0].Data))
	if link == "" {
		t.Fatalf("no link in:\n%s", got[0].Data)
	}
	path := link[strings.Index(link, "/set-password/"):]
	// Asking leaves the password alone: whoever asked may not be the agent.
	app.client().signIn(tm.agent.Email, testPassword)
	c.get(path).wantStatus(http.StatusOK)
	// After an hour the link is dead.
	app.st.SetClock(func() time.Time { return time.Now().Add(61 * time.Minute) })
	c.get(path).wantStatus(http.StatusNotFound)
	app.st.SetClock(time.Now)

	// Asking again and again about one address is limited.
	for range 2 {
		c.post(views.PathForgot, url.Values{"email": {tm.agent.Email}}).wantStatus(http.StatusOK)
	}
	c.post(views.PathForgot, url.Values{"email": {tm.agent.Email}}).wantStatus(http.StatusTooManyRequests)
}

func TestCreateAgent_EmailsTheSetPasswordLinkWhenMailIsOn(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	srv := withMail(t, app, tm.creator.ID)
	admin := app.signedIn(tm.admin)
	r := admin.post(views.PathAgents, agentForm("Nina New", "nina@example.com", authz.RoleAgent)).wantStatus(http.StatusOK)
	r.wantContains("The link was also emailed to nina@example.com.")
	shown := setPasswordLink.FindString(r.body)
	app.srv.mailWG.Wait()
	got := srv.Received()
	if len(got) != 1 || got[0].To[0] != "nina@example.com" || shown == "" || !strings.Contains(mailText(t, got[0].Data), shown) {
		t.Fatalf("emails %+v; the page's link %q", got, shown)
	}
}
