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

// apiConsoleTwin is the console route each API operation does the work of.
var apiConsoleTwin = map[string]struct{ method, path string }{
	"listTickets":     {http.MethodGet, views.PathTickets},
	"getTicket":       {http.MethodGet, views.PathTicket},
	"createTicket":    {http.MethodPost, views.PathTicketNew},
	"replyToTicket":   {http.MethodPost, views.PathTicketMessages},
	"addNote":         {http.MethodPost, views.PathTicketMessages},
	"setTicketStatus": {http.MethodPost, views.PathTicketStatus},
	"assignTicket":    {http.MethodPost, views.PathTicketAssign},
	"transferTicket":  {http.MethodPost, views.PathTicketTransfer},
	"addTicketTag":    {http.MethodPost, views.PathTicketTags},
	"removeTicketTag": {http.MethodPost, views.PathTicketTagRemove},
	"setTicketFields": {http.MethodPost, views.PathTicketFieldValues},
	"listAgents":      {http.MethodGet, views.PathAgents},
	"getAgent":        {http.MethodGet, views.PathAgentEdit},
	"createAgent":     {http.MethodPost, views.PathAgents},
	"changeAgentRole": {http.MethodPost, views.PathAgentRole},
	"disableAgent":    {http.MethodPost, views.PathAgentStatus},
	"listDepartments": {http.MethodGet, views.PathTickets}, // the queue's department filter
	"getDepartment":   {http.MethodGet, views.PathTickets},
	// Contacts have no console screen of their own yet: they are read
	// through tickets, added by logging a ticket and changed by replying.
	"listContacts":  {http.MethodGet, views.PathTickets},
	"getContact":    {http.MethodGet, views.PathTicket},
	"createContact": {http.MethodPost, views.PathTicketNew},
	"updateContact": {http.MethodPost, views.PathTicketMessages},
}

// TestAPI_EveryOperationNeedsWhatItsConsoleRouteNeeds: the two tables
// agree, operation by operation.
func TestAPI_EveryOperationNeedsWhatItsConsoleRouteNeeds(t *testing.T) {
	app := newTestApp(t)
	console := map[string]access{}
	for _, r := range app.srv.routes() {
		console[r.method+" "+r.path] = r.perm
	}
	for _, op := range app.srv.apiOps() {
		twin, ok := apiConsoleTwin[op.id]
		if !ok {
			t.Errorf("API operation %s has no console twin in the test's table", op.id)
			continue
		}
		perm := console[twin.method+" "+twin.path]
		if len(perm.anyOf) != 1 || perm.anyOf[0] != op.perm {
			t.Errorf("%s needs %s, its console route %s %s needs %s", op.id, op.perm, twin.method, twin.path, perm)
		}
	}
}

// TestAPI_ReplaysTheConsolesPermissionMatrix calls every operation with a
// token of each role and a custom role, and its console twin as the same
// agent signed in: each is refused (403) exactly when the other is.
func TestAPI_ReplaysTheConsolesPermissionMatrix(t *testing.T) {
	w := newAPIWorld(t)
	app := w.app
	custom := app.customRole(w.tm.creator.ID, "Team lead", authz.TicketsReadAll, authz.AgentsManage)
	lead := app.addAgent(w.tm.creator.ID, "Lena Lead", custom)
	target := app.addAgent(w.tm.creator.ID, "Tom Target", authz.RoleAgent)
	salesContact := app.ticketAs(w.inSales).ContactID
	fill := func(p string) string {
		p = strings.ReplaceAll(p, ":code", w.inSales)
		p = strings.ReplaceAll(p, ":tag", "vip")
		if strings.HasPrefix(p, "/contacts/") {
			return strings.ReplaceAll(p, ":id", strconvFormat(salesContact))
		}
		return strings.ReplaceAll(p, ":id", strconvFormat(target.ID))
	}
	ctx := context.Background()
	walked := 0
	for _, who := range []store.Agent{w.tm.agent, w.alice, lead, w.tm.admin, w.tm.owner} {
		api := app.apiToken(who)
		browser := app.signedIn(who)
		for _, op := range app.srv.apiOps() {
			twin := apiConsoleTwin[op.id]
			var apiStatus, consoleStatus int
			if op.method == http.MethodGet {
				apiStatus = api.get(fill(op.path)).status
				consoleStatus = browser.get(fill(twin.path)).status
			} else {
				apiStatus = api.call(op.method, fill(op.path), map[string]any{}).status
				consoleStatus = browser.post(fill(twin.path), url.Values{}).status
			}
			// A disable that went through is undone for the next caller.
			if err := app.st.SetAgentStatus(ctx, w.tm.creator.ID, target.ID, store.StatusActive, ""); err != nil {
				t.Fatal(err)
			}
			if apiStatus == http.StatusUnauthorized {
				t.Fatalf("%s %s: the token was refused", who.Name, op.id)
			}
			if (apiStatus == http.StatusForbidden) != (consoleStatus == http.StatusForbidden) {
				t.Errorf("%s %s: API %d, console %d", who.Name, op.id, apiStatus, consoleStatus)
			}
			if want := who.Perms.Has(op.perm); want == (apiStatus == http.StatusForbidden) {
				t.Errorf("%s %s: API %d, but the role %s %s", who.Name, op.id, apiStatus,
					map[bool]string{true: "holds", false: "lacks"}[want], op.perm)
			}
			walked++
		}
	}
	if walked < 5*15 {
		t.Fatalf("walked %d calls", walked)
	}
}

func TestAPI_TokenFollowsItsAgentRoleChangeDisableExpiryAndRevocation(t *testing.T) {
	w := newAPIWorld(t)
	app := w.app
	ctx := context.Background()
	adam := app.addAgent(w.tm.creator.ID, "Adam Second", authz.RoleAdmin)
	api := app.apiToken(adam)
	api.get("/agents").wantStatus(http.StatusOK)
	if err := app.st.ChangeRole(ctx, w.tm.creator.ID, adam.ID, authz.RoleAgent, ""); err != nil {
		t.Fatal(err)
	}
	api.get("/agents").wantStatus(http.StatusForbidden).problem()
	if err := app.st.SetAgentStatus(ctx, w.tm.creator.ID, adam.ID, store.StatusDisabled, ""); err != nil {
		t.Fatal(err)
	}
	api.get("/tickets").wantStatus(http.StatusUnauthorized).problem()
	if err := app.st.SetAgentStatus(ctx, w.tm.creator.ID, adam.ID, store.StatusActive, ""); err != nil {
		t.Fatal(err)
	}
	api.get("/tickets").wantStatus(http.StatusOK)
	toks, _ := app.st.APITokens(ctx, adam.ID)
	if _, err := app.st.RevokeAPIToken(ctx, adam.Viewer(), toks[0].ID, ""); err != nil {
		t.Fatal(err)
	}
	r := api.get("/tickets").wantStatus(http.StatusUnauthorized)
	if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
		t.Fatalf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
	}

	// Expiry, on the store's clock.
	_, secret, err := app.st.CreateAPIToken(ctx, w.tm.owner.ID, "Monitoring", time.Now().Add(30*24*time.Hour), "")
	if err != nil {
		t.Fatal(err)
	}
	monitoring := &apiClient{app: app, secret: secret}
	monitoring.get("/tickets").wantStatus(http.StatusOK)
	app.st.SetClock(func() time.Time { return time.Now().Add(31 * 24 * time.Hour) })
	monitoring.get("/tickets").wantStatus(http.StatusUnauthorized).problem()
}
