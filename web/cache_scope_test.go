package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"helpline/authz"
	"helpline/store"
	"helpline/store/storetest"
	"helpline/views"
)

// No viewer ever gets a kept page (or a row on one) built for a scope they
// lack: an Agent, a custom role without tickets:read_all and an
// Administrator look at the queue (whole, its results, filtered by
// department) and at every ticket before and after each kind of change (a
// reply, a new ticket, a transfer, department membership, a role change, a
// removal), so each change meets pages kept from before it. The instance
// that made the change serves the truth at once; on PostgreSQL a second
// instance on the same database, which hears of the change through the
// database's notifications, serves it within moments.
func TestCacheScope_NoViewerGetsAPageBuiltForAScopeTheyLack(t *testing.T) {
	dsn, sec := storetest.DSN(t), newSecrets()
	a := newTestAppOn(t, dsn, sec)
	instances := []*testApp{a}
	if storetest.Postgres() {
		instances = append(instances, newTestAppOn(t, dsn, sec))
	}
	ctx := context.Background()
	owner := a.owner()
	sales, support := a.department("Sales"), a.department("Support")
	reader := a.customRole(owner.ID, "Support reader", authz.TicketsReply)
	ann := a.agent("Ann Sales", "ann@example.com", authz.RoleAgent, sales)
	cora := a.agent("Cora Custom", "cora@example.com", authz.RoleAgent, support)
	if err := a.st.ChangeRole(ctx, owner.ID, cora.ID, reader, ""); err != nil {
		t.Fatal(err)
	}
	adam := a.agent("Adam Admin", "adam@example.com", authz.RoleAdmin)
	codes := []string{a.ticket(sales, "Price list please"), a.ticket(support, "Widget is broken")}
	latest := map[string]string{codes[0]: "Hello, Price list please", codes[1]: "Hello, Widget is broken"}

	type viewerAt struct {
		agent   store.Agent
		clients []*client // one per instance, sharing the browser's cookies
	}
	var viewers []*viewerAt
	for _, ag := range []store.Agent{ann, cora, adam} {
		v := &viewerAt{agent: ag}
		for i, app := range instances {
			c := app.client()
			if i == 0 {
				c.signIn(ag.Email, testPassword)
			} else {
				c.http.Jar = v.clients[0].http.Jar
			}
			v.clients = append(v.clients, c)
		}
		viewers = append(viewers, v)
	}

	// look reads every page as v through c and says what is wrong with it,
	// judged by the store's own scope check of v as the agent is now.
	look := func(v *viewerAt, c *client) error {
		ag, err := a.st.AgentByID(ctx, v.agent.ID)
		if err != nil {
			return err
		}
		visible := map[string]bool{}
		for _, code := range codes {
			_, err := a.st.TicketByCode(ctx, ag.Viewer(), code)
			visible[code] = err == nil
		}
		pages := []struct {
			path string
			htmx bool
		}{
			{views.PathTickets, false}, {views.PathTickets, true},
			{views.PathTickets + fmt.Sprintf("?department=%d", sales), false},
			{views.PathTickets + fmt.Sprintf("?department=%d", support), true},
		}
		for _, code := range codes {
			pages = append(pages, struct {
				path string
				htmx bool
			}{views.TicketPath(code), false})
		}
		for _, p := range pages {
			r := c.do(http.MethodGet, p.path, nil, p.htmx)
			if ag.Removed {
				if r.status == http.StatusOK || containsAny(r.body, codes) {
					return fmt.Errorf("%s removed, %s answered %d:\n%.1000s", ag.Name, p.path, r.status, r.body)
				}
				continue
			}
			if r.status == http.StatusSeeOther {
				// A role change ends the agent's sessions: sign in again.
				v.clients[0].get("/signin") // the signed-out browser's form token
				v.clients[0].signIn(ag.Email, testPassword)
				r = c.do(http.MethodGet, p.path, nil, p.htmx)
			}
			ticket, _ := strings.CutPrefix(p.path, views.PathTickets+"/")
			onTicket := ticket != p.path
			switch {
			case onTicket && !visible[ticket]:
				if r.status != http.StatusNotFound {
					return fmt.Errorf("%s, out of scope of %s: status %d", p.path, ag.Name, r.status)
				}
				continue
			case r.status != http.StatusOK:
				return fmt.Errorf("%s for %s: status %d", p.path, ag.Name, r.status)
			case onTicket && !strings.Contains(r.body, latest[ticket]):
				return fmt.Errorf("%s for %s lacks its latest message %q", p.path, ag.Name, latest[ticket])
			}
			for _, code := range codes {
				if !visible[code] && strings.Contains(r.body, code) {
					return fmt.Errorf("%s shows %s to %s, who may not see it", p.path, code, ag.Name)
				}
			}
			if p.path == views.PathTickets {
				for _, code := range codes {
					if visible[code] && !strings.Contains(r.body, code) {
						return fmt.Errorf("the queue of %s lacks %s, which they may see", ag.Name, code)
					}
				}
			}
		}
		return nil
	}
	// check: the instance that made the change at once, the others within
	// moments. Every page is read, so each is kept for the next change.
	check := func(step string) {
		t.Helper()
		for _, v := range viewers {
			if err := look(v, v.clients[0]); err != nil {
				t.Fatalf("after %s, on the instance that made it: %v", step, err)
			}
			for _, c := range v.clients[1:] {
				var last error
				deadline := time.Now().Add(5 * time.Second)
				for last = look(v, c); last != nil && time.Now().Before(deadline); last = look(v, c) {
					time.Sleep(20 * time.Millisecond)
				}
				if last != nil {
					t.Fatalf("after %s, on the other instance: %v", step, last)
				}
			}
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	check("nothing")
	must(a.st.Reply(ctx, adam.Viewer(), codes[0], "Here is the price list."))
	latest[codes[0]] = "Here is the price list."
	check("a reply")
	codes = append(codes, a.ticket(sales, "Second question"))
	latest[codes[2]] = "Hello, Second question"
	check("a new ticket in Sales")
	codes = append(codes, a.ticket(support, "Another widget"))
	latest[codes[3]] = "Hello, Another widget"
	check("a new ticket in Support")
	must(a.st.Transfer(ctx, adam.Viewer(), codes[0], support))
	check("a transfer from Sales to Support")
	must(a.st.SetMember(ctx, owner.ID, support, ann.ID, store.Channels{Tickets: true}))
	check("Ann joining Support")
	must(a.st.RemoveMember(ctx, owner.ID, sales, ann.ID))
	check("Ann leaving Sales")
	must(a.st.ChangeRole(ctx, owner.ID, ann.ID, authz.RoleAdmin, ""))
	check("Ann becoming an Administrator")
	must(a.st.ChangeRole(ctx, owner.ID, ann.ID, reader, ""))
	check("Ann taking the custom role")
	must(a.st.ChangeRole(ctx, owner.ID, cora.ID, authz.RoleAdmin, ""))
	check("Cora becoming an Administrator")
	must(a.st.ChangeRole(ctx, owner.ID, adam.ID, authz.RoleAgent, ""))
	check("Adam becoming an Agent of no department")
	must(a.st.RemoveAgent(ctx, owner.ID, cora.ID, ""))
	check("Cora's removal")
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
