package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"helpline/authz"
	"helpline/store/storetest"
	"helpline/views"
)

// TestInstances_TwoServeOneDesk: two instances on one PostgreSQL desk, a
// user's requests going to either. A session made on one works on the
// other; a reply through one shows on the other at once, even on pages it
// kept; a role change through one signs the agent out on the other at the
// next click. Several instances share a desk on PostgreSQL only; make
// test-postgres runs this.
func TestInstances_TwoServeOneDesk(t *testing.T) {
	if !storetest.Postgres() {
		t.Skip("several instances share one desk on PostgreSQL only")
	}
	dsn, sec := storetest.DSN(t), newSecrets()
	a, b := newTestAppOn(t, dsn, sec), newTestAppOn(t, dsn, sec)
	owner := a.owner()
	sales := a.department("Sales")
	ann := a.agent("Ann Sales", "ann@example.com", authz.RoleAgent, sales)
	code := a.ticket(sales, "Printer on fire")

	onA := a.client()
	onA.signIn("ann@example.com", testPassword)
	// The same browser (its cookies) sends its next requests to B.
	onB := b.client()
	onB.http.Jar = onA.http.Jar
	onB.get(views.PathTickets).wantStatus(http.StatusOK).wantContains(code)
	onB.get(views.TicketPath(code)).wantStatus(http.StatusOK) // B keeps both pages

	onA.post(views.TicketActionPath(views.PathTicketMessages, code), url.Values{"kind": {"reply"}, "body": {"Have you tried turning it off"}}).
		wantRedirect(views.TicketPath(code))
	storetest.Eventually(t, "the reply made through A on B's ticket page", func() bool {
		return strings.Contains(onB.get(views.TicketPath(code)).body, "Have you tried turning it off")
	})
	storetest.Eventually(t, "the ticket Answered in B's queue", func() bool {
		return onB.get(views.PathTickets).text("td.qc-status") == "Answered"
	})

	if err := a.st.ChangeRole(context.Background(), owner.ID, ann.ID, authz.RoleAdmin, ""); err != nil {
		t.Fatal(err)
	}
	storetest.Eventually(t, "Ann signed out on B after A changed her role", func() bool {
		return onB.get(views.PathTickets).status == http.StatusSeeOther
	})
	onB.get(views.PathTickets).wantRedirect(views.PathSignIn)
}
