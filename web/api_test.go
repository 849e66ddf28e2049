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

// apiWorld is a desk with two departments, an agent in the first only,
// and a ticket in each.
type apiWorld struct {
	app            *testApp
	tm             team
	sales, billing int64
	inSales        string
	inBilling      string
	alice          store.Agent // an Agent of Sales only
}

func newAPIWorld(t *testing.T) *apiWorld {
	app := newTestApp(t)
	w := &apiWorld{app: app, tm: app.team()}
	w.sales, w.billing = app.department("Sales"), app.department("Billing")
	w.alice = app.agent("Alice Sales", "alice.sales@example.com", authz.RoleAgent, w.sales)
	w.inSales, w.inBilling = app.ticket(w.sales, "Order 1"), app.ticket(w.billing, "Invoice 2")
	return w
}

func TestAPI_OpenAPIDocumentIsValidOpenAPI31(t *testing.T) {
	app := newTestApp(t)
	sp := app.apiSpec()
	if sp.doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi %q", sp.doc.OpenAPI)
	}
	for _, p := range []string{"/tickets", "/tickets/{code}", "/tickets/{code}/replies", "/agents", "/agents/{id}/role", "/departments"} {
		if sp.doc.Paths.Value(p) == nil {
			t.Errorf("the document lacks %s", p)
		}
	}
}

func TestAPI_OnlyATokenOpensItNeverACookie(t *testing.T) {
	w := newAPIWorld(t)
	anon := &apiClient{app: w.app}
	p := anon.get("/tickets").wantStatus(http.StatusUnauthorized).problem()
	if p.Detail == "" {
		t.Fatal("a 401 says nothing")
	}
	// A signed-in browser's cookie opens nothing under /api/v1.
	browser := w.app.signedIn(w.tm.owner)
	if r := browser.get(apiPrefix + "/tickets"); r.status != http.StatusUnauthorized {
		t.Fatalf("a session cookie on the API: status %d, want 401", r.status)
	}
	if r := browser.do(http.MethodPost, apiPrefix+"/tickets/"+w.inSales+"/notes", browser.withCSRF(url.Values{"body": {"x"}}), false); r.status != http.StatusUnauthorized {
		t.Fatalf("a cookie with a CSRF token posting to the API: status %d, want 401", r.status)
	}
	wrong := &apiClient{app: w.app, secret: "hlp_not-a-token"}
	wrong.get("/tickets").wantStatus(http.StatusUnauthorized)
	// With a token, no CSRF token is asked for.
	api := w.app.apiToken(w.tm.owner)
	api.call(http.MethodPost, "/tickets/"+w.inSales+"/notes", map[string]string{"body": "Checked by script"}).wantStatus(http.StatusCreated)
}

func TestAPI_TicketsListAndGetStayInTheAgentsDepartments(t *testing.T) {
	w := newAPIWorld(t)
	alice := w.app.apiToken(w.alice)
	var list apiTicketList
	alice.get("/tickets").wantStatus(http.StatusOK).decode(&list)
	if len(list.Tickets) != 1 || list.Tickets[0].Code != w.inSales {
		t.Fatalf("Alice's queue %+v, want only %s", list.Tickets, w.inSales)
	}
	var full apiTicketFull
	alice.get("/tickets/" + w.inSales).wantStatus(http.StatusOK).decode(&full)
	if full.Ticket.Subject != "Order 1" || len(full.Thread) == 0 || full.Thread[0].Body != "Hello, Order 1" {
		t.Fatalf("ticket %+v", full)
	}
	alice.get("/tickets/" + w.inBilling).wantStatus(http.StatusNotFound).problem()
	alice.call(http.MethodPost, "/tickets/"+w.inBilling+"/replies", map[string]string{"body": "Hi"}).wantStatus(http.StatusNotFound)
	alice.get("/departments/" + strconvFormat(w.billing)).wantStatus(http.StatusNotFound)
	owner := w.app.apiToken(w.tm.owner)
	owner.get("/tickets").wantStatus(http.StatusOK).decode(&list)
	if len(list.Tickets) != 2 {
		t.Fatalf("the Owner's queue has %d tickets, want 2", len(list.Tickets))
	}
}

func TestAPI_TicketsPageWithTheNextCursor(t *testing.T) {
	w := newAPIWorld(t)
	for i := 0; i < 4; i++ {
		w.app.ticket(w.sales, "More "+strconvFormat(int64(i)))
	}
	api := w.app.apiToken(w.tm.owner)
	seen := map[string]bool{}
	path := "/tickets?limit=2"
	for pages := 0; path != ""; pages++ {
		if pages > 5 {
			t.Fatal("the cursor never ends")
		}
		var list apiTicketList
		api.get(path).wantStatus(http.StatusOK).decode(&list)
		for _, tk := range list.Tickets {
			if seen[tk.Code] {
				t.Fatalf("%s on two pages", tk.Code)
			}
			seen[tk.Code] = true
		}
		path = ""
		if list.Next != "" {
			path = "/tickets?limit=2&after=" + url.QueryEscape(list.Next)
		}
	}
	if len(seen) != 6 {
		t.Fatalf("paged through %d tickets, want 6", len(seen))
	}
	api.get("/tickets?limit=0").wantStatus(http.StatusUnprocessableEntity).problem()
	api.get("/tickets?status=resolved").wantStatus(http.StatusOK)
}

func TestAPI_TicketActionsAsTheConsole(t *testing.T) {
	w := newAPIWorld(t)
	alice := w.app.apiToken(w.alice)
	code := w.inSales
	var tk apiTicket
	alice.call(http.MethodPost, "/tickets/"+code+"/replies", map[string]string{"body": "We are on it."}).wantStatus(http.StatusCreated).decode(&tk)
	if tk.Status != "answered" {
		t.Fatalf("after a reply: %s", tk.Status)
	}
	alice.call(http.MethodPost, "/tickets/"+code+"/notes", map[string]string{"body": "Internal"}).wantStatus(http.StatusCreated)
	alice.call(http.MethodPost, "/tickets/"+code+"/status", map[string]string{"status": "resolved"}).wantStatus(http.StatusOK).decode(&tk)
	if tk.Status != "resolved" {
		t.Fatalf("status %s", tk.Status)
	}
	alice.call(http.MethodPost, "/tickets/"+code+"/status", map[string]string{"status": "bogus"}).wantStatus(http.StatusUnprocessableEntity)
	alice.call(http.MethodPost, "/tickets/"+code+"/assign", map[string]int64{"agent_id": w.alice.ID}).wantStatus(http.StatusOK).decode(&tk)
	if tk.Assignee == nil || tk.Assignee.ID != w.alice.ID {
		t.Fatalf("assignee %+v", tk.Assignee)
	}
	// Someone outside the department cannot be assigned: the console's 422.
	alice.call(http.MethodPost, "/tickets/"+code+"/assign", map[string]int64{"agent_id": w.tm.agent.ID}).wantStatus(http.StatusUnprocessableEntity)
	alice.call(http.MethodPost, "/tickets/"+code+"/tags", map[string]string{"tag": "VIP"}).wantStatus(http.StatusOK).decode(&tk)
	if len(tk.Tags) != 1 || tk.Tags[0] != "vip" {
		t.Fatalf("tags %v", tk.Tags)
	}
	alice.call(http.MethodPost, "/tickets/"+code+"/tags", map[string]string{"tag": "<b>"}).wantStatus(http.StatusUnprocessableEntity).problem()
	alice.call(http.MethodDelete, "/tickets/"+code+"/tags/vip", nil).wantStatus(http.StatusOK).decode(&tk)
	if len(tk.Tags) != 0 {
		t.Fatalf("tags after removal %v", tk.Tags)
	}
	alice.call(http.MethodPost, "/tickets/"+code+"/notes", map[string]string{"body": "  "}).wantStatus(http.StatusUnprocessableEntity)
	alice.call(http.MethodPost, "/tickets/"+code+"/notes", `{"body": "x", "bogus": 1}`).wantStatus(http.StatusBadRequest)
	// Transferred away, the ticket is out of Alice's scope from then on.
	alice.call(http.MethodPost, "/tickets/"+code+"/transfer", map[string]int64{"department_id": w.billing}).wantStatus(http.StatusOK).decode(&tk)
	if tk.Department.ID != w.billing {
		t.Fatalf("department %+v", tk.Department)
	}
	alice.get("/tickets/" + code).wantStatus(http.StatusNotFound)
	var full apiTicketFull
	w.app.apiToken(w.tm.owner).get("/tickets/" + code).wantStatus(http.StatusOK).decode(&full)
	kinds := []string{}
	for _, m := range full.Thread {
		if m.Kind != "event" {
			kinds = append(kinds, m.Kind)
		}
	}
	if !strings.Contains(strings.Join(kinds, ","), "customer,reply,note") {
		t.Fatalf("thread kinds %v", kinds)
	}
}

func TestAPI_CreateTicketByTheIntakeRules(t *testing.T) {
	w := newAPIWorld(t)
	alice := w.app.apiToken(w.alice)
	before := w.countTickets(t)
	p := alice.call(http.MethodPost, "/tickets", map[string]any{"department_id": w.billing, "contact_name": "", "contact_email": "nope",
		"subject": "Help", "body": "Text"}).wantStatus(http.StatusUnprocessableEntity).problem()
	fields := map[string]bool{}
	for _, e := range p.Errors {
		fields[e.Field] = true
	}
	if !fields["department_id"] || !fields["contact_name"] || !fields["contact_email"] {
		t.Fatalf("field errors %+v: want department_id (not hers), contact_name, contact_email", p.Errors)
	}
	if w.countTickets(t) != before {
		t.Fatal("a refused ticket was stored")
	}
	var tk apiTicket
	alice.call(http.MethodPost, "/tickets", map[string]any{"department_id": w.sales, "contact_name": "Carl", "contact_email": "carl@example.com",
		"subject": "From the shop", "body": "Order 77 is late"}).wantStatus(http.StatusCreated).decode(&tk)
	if tk.Channel != "api" || tk.Department.ID != w.sales || tk.Priority != 1 || tk.Contact.Email != "carl@example.com" {
		t.Fatalf("created %+v", tk)
	}
}

func (w *apiWorld) countTickets(t *testing.T) int {
	t.Helper()
	db, err := store.OpenSQL(w.app.path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(context.Background(), `SELECT count(*) FROM tickets`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAPI_UnknownPathsAndOversizedBodiesAnswerProblemJSON(t *testing.T) {
	w := newAPIWorld(t)
	api := w.app.apiToken(w.tm.owner)
	api.get("/nothing-here").wantStatus(http.StatusNotFound).problem()
	big := `{"body": "` + strings.Repeat("x", 3<<20) + `"}`
	api.call(http.MethodPost, "/tickets/"+w.inSales+"/notes", big).wantStatus(http.StatusRequestEntityTooLarge).problem()
}
