package web

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"helpline/store"
	"helpline/store/storetest"
	"helpline/views"
)

const testCard = "4111 1111 1111 1111"

func TestPlugins_OnlyAdministratorsAndOwners(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	agent := app.signedIn(tm.agent)
	agent.get(views.PathPlugins).wantStatus(http.StatusForbidden)
	agent.get(views.PathSearchReplace).wantStatus(http.StatusForbidden)
	agent.post(views.PathSearchReplaceRules, url.Values{"kind": {"card"}, "replacement": {"x"}}).wantStatus(http.StatusForbidden)
	agent.post(views.PathSearchReplaceActive, url.Values{"active": {"1"}}).wantStatus(http.StatusForbidden)
	for _, who := range []store.Agent{tm.admin, tm.owner} {
		r := app.signedIn(who).get(views.PathPlugins).wantStatus(http.StatusOK)
		if r.text("#plugin-search_replace td:nth-child(1)") != "Search & Replace" || r.text("#plugin-search_replace td:nth-child(3)") != "No" ||
			!strings.HasPrefix(r.text("#plugin-search_replace td:nth-child(2)"), "Masks card numbers, IBANs") {
			t.Fatalf("plugins row: %q", r.text("#plugin-search_replace"))
		}
	}
	if rules, _ := app.st.SearchReplaceRules(context.Background()); len(rules) != 0 {
		t.Fatal("an Agent added a rule")
	}
}

func TestSearchReplace_BadPatternIs422AndTestBoxShowsTheResult(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	c := app.signedIn(tm.admin)
	for _, p := range []string{"(unclosed", "a*", ""} {
		r := c.post(views.PathSearchReplaceRules, url.Values{"kind": {"regex"}, "pattern": {p}, "replacement": {"x"}}).
			wantStatus(http.StatusUnprocessableEntity)
		if r.text("#f-pattern-error") == "" {
			t.Errorf("%q: no message next to the pattern", p)
		}
	}
	c.post(views.PathSearchReplaceRules, url.Values{"kind": {"nonsense"}, "replacement": {"x"}}).wantStatus(http.StatusUnprocessableEntity)
	c.post(views.PathSearchReplaceRules, url.Values{"kind": {"card"}, "replacement": {""}}).wantStatus(http.StatusUnprocessableEntity)
	if rules, _ := app.st.SearchReplaceRules(context.Background()); len(rules) != 0 {
		t.Fatalf("bad rules stored: %+v", rules)
	}
	c.post(views.PathSearchReplaceRules, url.Values{"kind": {"card"}, "replacement": {"[card]"}}).wantRedirect(views.PathSearchReplace)
	c.post(views.PathSearchReplaceRules, url.Values{"kind": {"regex"}, "pattern": {`(?i)pin:\s*\d+`}, "replacement": {"pin: ****"}}).
		wantRedirect(views.PathSearchReplace)
	r := c.post(views.PathSearchReplaceTest, url.Values{"sample": {"Card " + testCard + ", PIN: 1234"}}).wantStatus(http.StatusOK)
	if got := r.text("#mask-result"); got != "Card [card], pin: ****" {
		t.Fatalf("test box shows %q", got)
	}
	log, _ := app.st.AuditLog(context.Background(), 0, 1)
	if log[0].Action != store.ActionSearchReplaceAdd {
		t.Fatalf("audit %+v", log[0])
	}
}

// TestSearchReplace_CardNumbersNeverReachTheDatabase sends a card number
// through every way text comes in, then reads the raw rows.
func TestSearchReplace_CardNumbersNeverReachTheDatabase(t *testing.T) {
	w := newTicketWorld(t)
	app := w.app
	ctx := context.Background()
	owner, err := app.st.AgentByEmail(ctx, "owner@example.com")
	if err != nil {
		t.Fatal(err)
	}
	admin := app.signedIn(owner)
	admin.post(views.PathSearchReplaceRules, url.Values{"kind": {"card"}, "replacement": {"[card]"}}).wantRedirect(views.PathSearchReplace)

	// Off: stored as written (the test can tell a masked row from a raw one).
	cust := app.client()
	customerLinkFromContactForm(t, w, cust, "Before "+testCard)
	before := rawRowsWithCard(t, app)
	if before == 0 {
		t.Fatal("with the plugin off the card number was masked anyway")
	}
	admin.post(views.PathSearchReplaceActive, url.Values{"active": {"1"}}).wantRedirect(views.PathSearchReplace)

	// The contact form: subject and message.
	cust = app.client()
	cust.get(views.PathContact)
	cust.post(views.PathContact, url.Values{"name": {"Carla Customer"}, "email": {"carla@example.com"},
		"department": {itoa(w.sales)}, "subject": {"Card " + testCard}, "message": {"Please charge " + testCard}})
	code, path := customerLinkFromContactForm(t, w, cust, "Parcel "+testCard)
	// The customer's page.
	cust.post(path, url.Values{"body": {"Again: " + testCard}})
	// Replies and notes.
	ann := w.as("ann@example.com")
	ann.post(views.TicketActionPath(views.PathTicketMessages, code), url.Values{"kind": {"reply"}, "body": {"Your card " + testCard}}).
		wantRedirect(views.TicketPath(code))
	ann.post(views.TicketActionPath(views.PathTicketMessages, code), url.Values{"kind": {"note"}, "body": {"Card " + testCard}}).
		wantRedirect(views.TicketPath(code))
	// A ticket an agent logs by hand.
	ann.post(views.PathTicketNew, url.Values{"channel": {"call"}, "department": {itoa(w.sales)}, "priority": {"2"}, "name": {"Dan Caller"},
		"email": {"dan@example.com"}, "subject": {"Card " + testCard}, "message": {"He read out " + testCard}}).wantStatus(http.StatusSeeOther)
	// Email: a new ticket, and an answer to one.
	res, err := app.st.IntakeEmail(ctx, store.IncomingEmail{MessageID: "m1@example.com", FromName: "Eve", FromEmail: "eve@example.com",
		Subject: "Card " + testCard, Body: "Number " + testCard, DepartmentID: w.sales})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.st.IntakeEmail(ctx, store.IncomingEmail{MessageID: "m2@example.com", InReplyTo: []string{"m1@example.com"},
		FromName: "Eve", FromEmail: "eve@example.com", Subject: "Re: Card [" + res.Code + "]", Body: "Also " + testCard,
		DepartmentID: w.sales}); err != nil {
		t.Fatal(err)
	}

	if n := rawRowsWithCard(t, app); n != before {
		t.Fatalf("%d more rows hold the card number", n-before)
	}
	// Seven messages and four subjects carried the number: each was reached.
	var messages, subjects int
	if err := rawDB(t, app).QueryRowContext(ctx, `SELECT (SELECT count(*) FROM messages WHERE body LIKE '%[card]%'),
		(SELECT count(*) FROM tickets WHERE subject LIKE '%[card]%')`).Scan(&messages, &subjects); err != nil {
		t.Fatal(err)
	}
	if messages != 7 || subjects != 4 {
		t.Fatalf("%d messages and %d subjects masked, want 7 and 4", messages, subjects)
	}
}

// rawRowsWithCard counts rows of tickets and messages holding testCard in
// any spelling of its digits.
func rawRowsWithCard(t *testing.T, app *testApp) int {
	t.Helper()
	like := "'%" + strings.ReplaceAll(testCard, " ", "") + "%'"
	var n int
	err := rawDB(t, app).QueryRowContext(context.Background(), `SELECT
		(SELECT count(*) FROM messages WHERE replace(body, ' ', '') LIKE `+like+`) +
		(SELECT count(*) FROM tickets WHERE replace(subject, ' ', '') LIKE `+like+` OR replace(preview, ' ', '') LIKE `+like+`)`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// rawDB opens the test's database directly, past the store.
func rawDB(t *testing.T, app *testApp) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if storetest.Postgres() {
		driver = "pgx"
	}
	db, err := sql.Open(driver, app.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
