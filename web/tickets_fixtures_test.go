package web

import (
	"context"
	"testing"

	"helpline/authz"
	"helpline/store"
)

// agent adds an active agent who signs in with testPassword and works
// tickets in depts. It writes the row with SQL on the same database:
// creating agents is the agents screens' business, not the tickets'.
func (a *testApp) agent(name, email string, role authz.Role, depts ...int64) store.Agent {
	a.t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQL(a.path)
	if err != nil {
		a.t.Fatal(err)
	}
	defer db.Close()
	hash, err := store.HashPassword(testPassword)
	if err != nil {
		a.t.Fatal(err)
	}
	var id int64
	if err := db.QueryRowContext(ctx, `INSERT INTO agents (name, email, role, status, password_hash, language, created_at, updated_at)
		VALUES (?, ?, ?, 'active', ?, 'en', 0, 0) RETURNING id`, name, store.NormalizeEmail(email), role, hash).Scan(&id); err != nil {
		a.t.Fatal(err)
	}
	for _, d := range depts {
		if err := a.st.SetMember(ctx, a.ownerID(), d, id, store.Channels{Tickets: true}); err != nil {
			a.t.Fatal(err)
		}
	}
	ag, err := a.st.AgentByID(ctx, id)
	if err != nil {
		a.t.Fatal(err)
	}
	return ag
}

func (a *testApp) department(name string) int64 {
	a.t.Helper()
	id, err := a.st.CreateDepartment(context.Background(), a.ownerID(), store.DepartmentInput{Name: name})
	if err != nil {
		a.t.Fatal(err)
	}
	return id
}

// ownerID is the Owner app.owner() signed up, who sets up departments.
func (a *testApp) ownerID() int64 {
	a.t.Helper()
	o, err := a.st.AgentByEmail(context.Background(), "owner@example.com")
	if err != nil {
		a.t.Fatalf("fixtures need app.owner() first: %v", err)
	}
	return o.ID
}

// ticket stores a contact-form ticket in dept and returns its code.
func (a *testApp) ticket(dept int64, subject string) string {
	a.t.Helper()
	code, err := a.st.CreateTicket(context.Background(), nil, store.NewTicketInput{Subject: subject, Body: "Hello, " + subject,
		Channel: store.ChannelContactForm, DepartmentID: dept, ContactName: "Carla Customer", ContactEmail: "carla@example.com"})
	if err != nil {
		a.t.Fatal(err)
	}
	return code
}

func (a *testApp) ticketAs(code string) store.Ticket {
	a.t.Helper()
	tk, err := a.st.TicketByCode(context.Background(), authz.Viewer{Perms: authz.BuiltinPerms(authz.RoleOwner)}, code)
	if err != nil {
		a.t.Fatal(err)
	}
	return tk
}

// ticketWorld is a desk with Sales and Support, Ann (Agent, Sales), Bob
// (Agent, Support), Adam (Administrator) and a ticket in each department.
type ticketWorld struct {
	app                    *testApp
	sales, support         int64
	ann, bob, adam         store.Agent
	salesCode, supportCode string
}

func newTicketWorld(t *testing.T) *ticketWorld {
	t.Helper()
	app := newTestApp(t)
	app.owner()
	w := &ticketWorld{app: app}
	w.sales, w.support = app.department("Sales"), app.department("Support")
	w.ann = app.agent("Ann Sales", "ann@example.com", authz.RoleAgent, w.sales)
	w.bob = app.agent("Bob Support", "bob@example.com", authz.RoleAgent, w.support)
	w.adam = app.agent("Adam Admin", "adam@example.com", authz.RoleAdmin)
	w.salesCode = app.ticket(w.sales, "Price list please")
	w.supportCode = app.ticket(w.support, "Widget is broken")
	return w
}

func (w *ticketWorld) as(email string) *client {
	c := w.app.client()
	c.signIn(email, testPassword)
	return c
}
