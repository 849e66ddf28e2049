package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"helpline/store"
	"helpline/views"
)

var secretOnPage = regexp.MustCompile(`<code class="api-token-secret">(hlp_[A-Za-z0-9_-]+)</code>`)

// createToken makes a token through Profile → API tokens and returns the
// secret the page showed.
func (c *client) createToken(name, expiry string) string {
	c.app.t.Helper()
	r := c.post(views.PathAPITokens, url.Values{"name": {name}, "expiry": {expiry}}).wantStatus(http.StatusOK)
	m := secretOnPage.FindStringSubmatch(r.body)
	if m == nil {
		c.app.t.Fatalf("the new token's secret is not on the page:\n%.3000s", r.body)
	}
	return m[1]
}

func TestAPITokens_ShownOnceListedWithLastUseAndRevoked(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	alice := app.signedIn(tm.agent)
	secret := alice.createToken("Shop integration", "30")

	page := alice.get(views.PathAPITokens).wantStatus(http.StatusOK).wantContains("Shop integration")
	if strings.Contains(page.body, secret) {
		t.Fatal("the secret is shown again after the page that made it")
	}
	var hash []byte
	db, err := store.OpenSQL(app.path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(`SELECT token_hash FROM api_tokens`).Scan(&hash); err != nil || string(hash) != string(store.HashToken(secret)) {
		t.Fatalf("stored %x, %v: want the SHA-256 of the secret", hash, err)
	}
	if !strings.Contains(page.text("#"+views.APITokenRowID(1)), "Not yet") {
		t.Fatalf("an unused token says so: %q", page.text("table"))
	}
	tok, _, err := app.st.AuthenticateAPIToken(context.Background(), secret)
	if err != nil {
		t.Fatal(err)
	}
	page = alice.get(views.PathAPITokens)
	if strings.Contains(page.text("#"+views.APITokenRowID(tok.ID)), "Not yet") {
		t.Fatal("a used token still shows no last use")
	}
	alice.post(views.WithID(views.PathAPITokenRevoke, tok.ID), nil).wantRedirect(views.PathAPITokens)
	alice.get(views.PathAPITokens).wantContains("was revoked").wantContains("Revoked")
	if _, _, err := app.st.AuthenticateAPIToken(context.Background(), secret); err == nil {
		t.Fatal("a revoked token still authenticates")
	}
}

func TestAPITokens_BadInputIs422AndStoresNothing(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	alice := app.signedIn(tm.agent)
	for _, form := range []url.Values{
		{"name": {""}, "expiry": {"30"}},
		{"name": {"Too long " + strings.Repeat("x", 120)}, "expiry": {"30"}},
		{"name": {"CRM"}, "expiry": {"7"}},
	} {
		r := alice.post(views.PathAPITokens, form).wantStatus(http.StatusUnprocessableEntity)
		if r.doc().Find(".field-invalid").Length() == 0 || secretOnPage.MatchString(r.body) {
			t.Fatalf("%v: want the form with the field's message and no token:\n%.2000s", form, r.body)
		}
	}
	rows, err := app.st.APITokens(context.Background(), tm.agent.ID)
	if err != nil || len(rows) != 0 {
		t.Fatalf("stored %d tokens (%v), want none", len(rows), err)
	}
}

func TestAPITokens_ExpiryChoiceIsKept(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	alice := app.signedIn(tm.agent)
	alice.createToken("Never", "never")
	alice.createToken("Year", "365")
	rows, _ := app.st.APITokens(context.Background(), tm.agent.ID)
	if len(rows) != 2 || !rows[1].ExpiresAt.IsZero() {
		t.Fatalf("a never-expiring token: %+v", rows)
	}
	if d := time.Until(rows[0].ExpiresAt); d < 364*24*time.Hour || d > 366*24*time.Hour {
		t.Fatalf("a 365-day token expires in %v", d)
	}
}

func TestAPITokens_AgentsSeeTheirOwnAdministratorsEveryones(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	alice := app.signedIn(tm.agent)
	alice.createToken("Alice's script", "90")
	owner := app.signedIn(tm.owner)
	owner.createToken("Otto's script", "90")
	ottosTok, _ := app.st.APITokens(context.Background(), tm.owner.ID)

	if strings.Contains(alice.get(views.PathAPITokens).body, "Otto's script") {
		t.Fatal("an agent sees another agent's token")
	}
	alice.get(views.PathConfigAPITokens).wantStatus(http.StatusForbidden)
	alice.post(views.WithID(views.PathConfigAPITokenRevoke, ottosTok[0].ID), nil).wantStatus(http.StatusForbidden)
	alice.post(views.WithID(views.PathAPITokenRevoke, ottosTok[0].ID), nil).wantStatus(http.StatusNotFound)

	admin := app.signedIn(tm.admin)
	page := admin.get(views.PathConfigAPITokens).wantStatus(http.StatusOK).wantContains("Alice&#39;s script").wantContains("Otto&#39;s script")
	if page.doc().Find(`nav a[href="`+views.PathConfigAPITokens+`"]`).Length() == 0 {
		t.Fatal("Configuration's navigation lacks API tokens for an administrator")
	}
	admin.post(views.WithID(views.PathConfigAPITokenRevoke, ottosTok[0].ID), nil).wantRedirect(views.PathConfigAPITokens)
	admin.get(views.PathConfigAPITokens).wantContains("Otto&#39;s script” was revoked")
	rows, _ := app.st.APITokens(context.Background(), tm.owner.ID)
	if rows[0].RevokedAt.IsZero() {
		t.Fatal("the administrator's Revoke left the token live")
	}
	admin.get(views.PathAudit).wantContains("API token revoked").wantContains("API token created")
}
