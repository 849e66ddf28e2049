package web

import (
	"net/http"
	"strings"
	"testing"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

func TestAPI_AgentsCreateWithLinkRoleByTheOwnerRulesDisable(t *testing.T) {
	w := newAPIWorld(t)
	admin := w.app.apiToken(w.tm.admin)
	var created apiCreatedAgent
	admin.call(http.MethodPost, "/agents", map[string]any{"name": "Nora New", "email": "nora@example.com", "role": "agent"}).
		wantStatus(http.StatusCreated).decode(&created)
	if created.Agent.Email != "nora@example.com" || !strings.Contains(created.SetPasswordLink, "/set-password/") &&
		!strings.Contains(created.SetPasswordLink, strings.Split(views.SetPasswordPath("x"), "x")[0]) {
		t.Fatalf("created %+v", created)
	}
	// The Agents page's rules: a taken email and a bad one are field errors.
	p := admin.call(http.MethodPost, "/agents", map[string]any{"name": "Nora Two", "email": "nora@example.com", "role": "agent"}).
		wantStatus(http.StatusUnprocessableEntity).problem()
	if len(p.Errors) != 1 || p.Errors[0].Field != "email" {
		t.Fatalf("taken email: %+v", p.Errors)
	}
	admin.call(http.MethodPost, "/agents", map[string]any{"name": "", "email": "x", "role": "wizard"}).wantStatus(http.StatusUnprocessableEntity)
	// An Administrator never grants Owner nor touches an Owner (SPEC §1).
	admin.call(http.MethodPost, "/agents/"+strconvFormat(created.Agent.ID)+"/role", map[string]string{"role": "owner"}).wantStatus(http.StatusForbidden)
	admin.call(http.MethodPost, "/agents/"+strconvFormat(w.tm.owner.ID)+"/role", map[string]string{"role": "agent"}).wantStatus(http.StatusForbidden)
	var a apiAgent
	admin.call(http.MethodPost, "/agents/"+strconvFormat(created.Agent.ID)+"/role", map[string]string{"role": "admin"}).wantStatus(http.StatusOK).decode(&a)
	if a.Role != string(authz.RoleAdmin) {
		t.Fatalf("role %s", a.Role)
	}
	// The account creator stays an Owner; nobody changes their own role.
	owner := w.app.apiToken(w.tm.owner)
	owner.call(http.MethodPost, "/agents/"+strconvFormat(w.tm.creator.ID)+"/role", map[string]string{"role": "admin"}).wantStatus(http.StatusConflict).problem()
	owner.call(http.MethodPost, "/agents/"+strconvFormat(w.tm.owner.ID)+"/role", map[string]string{"role": "admin"}).wantStatus(http.StatusConflict)
	admin.call(http.MethodPost, "/agents/"+strconvFormat(created.Agent.ID)+"/disable", nil).wantStatus(http.StatusOK).decode(&a)
	if a.Status != "disabled" {
		t.Fatalf("status %s", a.Status)
	}
	admin.get("/agents/999999").wantStatus(http.StatusNotFound)
	var list apiAgentList
	admin.get("/agents?q=nora").wantStatus(http.StatusOK).decode(&list)
	if len(list.Agents) != 1 {
		t.Fatalf("search: %+v", list.Agents)
	}
}

func TestAPI_DepartmentsAreTheAgentsOwn(t *testing.T) {
	w := newAPIWorld(t)
	var list apiDepartmentList
	w.app.apiToken(w.alice).get("/departments").wantStatus(http.StatusOK).decode(&list)
	if len(list.Departments) != 1 || list.Departments[0].ID != w.sales {
		t.Fatalf("Alice's departments %+v", list.Departments)
	}
	var d apiDepartment
	w.app.apiToken(w.tm.admin).get("/departments/" + strconvFormat(w.billing)).wantStatus(http.StatusOK).decode(&d)
	if d.Name != "Billing" {
		t.Fatalf("department %+v", d)
	}
}

func TestAPI_TicketFieldsSetByCodeCheckedByTheFieldsRules(t *testing.T) {
	w := newAPIWorld(t)
	if _, err := w.app.st.CreateTicketField(t.Context(), w.tm.creator.ID, store.TicketFieldInput{Name: "Product", Code: "product",
		Type: store.FieldDropdown, Options: []string{"Gadget", "Widget"}}); err != nil {
		t.Fatal(err)
	}
	alice := w.app.apiToken(w.alice)
	p := alice.call(http.MethodPut, "/tickets/"+w.inSales+"/fields", map[string]any{"fields": map[string]string{"product": "Spaceship", "colour": "red"}}).
		wantStatus(http.StatusUnprocessableEntity).problem()
	if len(p.Errors) != 1 || p.Errors[0].Field != "fields.colour" {
		t.Fatalf("errors %+v", p.Errors)
	}
	p = alice.call(http.MethodPut, "/tickets/"+w.inSales+"/fields", map[string]any{"fields": map[string]string{"product": "Spaceship"}}).
		wantStatus(http.StatusUnprocessableEntity).problem()
	if len(p.Errors) != 1 || p.Errors[0].Field != "fields.product" {
		t.Fatalf("errors %+v", p.Errors)
	}
	alice.call(http.MethodPut, "/tickets/"+w.inSales+"/fields", map[string]any{"fields": map[string]string{"PRODUCT": "Widget"}}).wantStatus(http.StatusOK)
	var full apiTicketFull
	alice.get("/tickets/" + w.inSales).decode(&full)
	if len(full.Fields) != 1 || full.Fields[0].Value != "Widget" {
		t.Fatalf("fields %+v", full.Fields)
	}
	var list apiTicketList
	alice.get("/tickets?field.product=Gadget").wantStatus(http.StatusOK).decode(&list)
	if len(list.Tickets) != 0 {
		t.Fatalf("a field filter: %+v", list.Tickets)
	}
}

func TestAPI_ContactsOfTheAgentsDepartmentsWithTheirTickets(t *testing.T) {
	w := newAPIWorld(t)
	alice := w.app.apiToken(w.alice)
	var c apiContact
	alice.call(http.MethodPost, "/contacts", map[string]string{"name": " Dora Buyer ", "email": "Dora@Example.com"}).wantStatus(http.StatusCreated).decode(&c)
	if c.Name != "Dora Buyer" || c.Email != "dora@example.com" {
		t.Fatalf("created %+v", c)
	}
	alice.call(http.MethodPost, "/contacts", map[string]string{"name": "Dora Again", "email": "dora@example.com"}).wantStatus(http.StatusConflict).problem()
	p := alice.call(http.MethodPost, "/contacts", map[string]string{"name": "", "email": "nope"}).wantStatus(http.StatusUnprocessableEntity).problem()
	if len(p.Errors) != 2 {
		t.Fatalf("errors %+v", p.Errors)
	}
	// Carla wrote to Sales (and to Billing): Alice sees her, with the Sales ticket only.
	carla := w.app.ticketAs(w.inSales).ContactID
	var full apiContactFull
	alice.get("/contacts/" + strconvFormat(carla)).wantStatus(http.StatusOK).decode(&full)
	if len(full.Tickets) != 1 || full.Tickets[0].Code != w.inSales {
		t.Fatalf("Carla's tickets for Alice %+v", full.Tickets)
	}
	// Dora wrote to nobody yet: outside Alice's scope, as a ticket would be.
	alice.get("/contacts/" + strconvFormat(c.ID)).wantStatus(http.StatusNotFound)
	var list apiContactList
	alice.get("/contacts").wantStatus(http.StatusOK).decode(&list)
	if len(list.Contacts) != 1 || list.Contacts[0].ID != carla {
		t.Fatalf("Alice's contacts %+v", list.Contacts)
	}
	var renamed apiContact
	alice.call(http.MethodPut, "/contacts/"+strconvFormat(carla), map[string]string{"name": "Carla Cruz", "email": "carla@example.com"}).
		wantStatus(http.StatusOK).decode(&renamed)
	if renamed.Name != "Carla Cruz" {
		t.Fatalf("renamed %+v", renamed)
	}
	w.app.apiToken(w.tm.agent).call(http.MethodPut, "/contacts/"+strconvFormat(carla), map[string]string{"name": "X", "email": "x@example.com"}).
		wantStatus(http.StatusNotFound)
	var all apiContactList
	w.app.apiToken(w.tm.owner).get("/contacts?q=dora").wantStatus(http.StatusOK).decode(&all)
	if len(all.Contacts) != 1 {
		t.Fatalf("the Owner's search %+v", all.Contacts)
	}
}
