package views

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"helpline/authz"
	"helpline/store"
)

// The benchmarks here render pages from data in memory, so the cost of
// rendering shows apart from the store's queries.

func benchCtx() context.Context {
	return WithEnv(context.Background(), &Env{
		User:      &CurrentUser{ID: 7, Name: "Anna Nowak", Email: "agent1@demo.example", Role: authz.RoleAgent},
		CSRFToken: "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4",
		Lang:      "en",
		Localizer: Localizer("en"),
		Nav:       []NavItem{{LabelID: "NavTickets", Path: PathTickets}},
		Asset:     func(n string) string { return "/static/" + n },
		Path:      PathTickets,
		Company:   "Demo Company",
	})
}

var benchStatuses = []store.TicketStatus{store.TicketNew, store.TicketOpen, store.TicketAnswered, store.TicketPostponed}

func benchTicket(i int, now time.Time) store.Ticket {
	created := now.Add(-time.Duration(i) * 37 * time.Minute)
	st := benchStatuses[i%len(benchStatuses)]
	t := store.Ticket{
		ID: int64(1000 + i), Code: fmt.Sprintf("ABC-%05d-XYZ", i), Subject: "Invoice shows the wrong amount",
		Status: st, Priority: store.Priority(i % 4), Channel: store.ChannelEmail,
		DepartmentID: int64(1 + i%3), DepartmentName: []string{"Sales", "Support", "Billing"}[i%3],
		ContactID: int64(500 + i), ContactName: "Maria Popescu", ContactEmail: fmt.Sprintf("maria%d@customer.example", i),
		Preview:      "The invoice for last month charges me twice for the same plan. Please advise.",
		MessageCount: 1 + i%6, SortKey: store.SortKey(st, store.Priority(i%4), created.UnixMilli()),
		CreatedAt: created, UpdatedAt: created.Add(20 * time.Minute),
	}
	if i%3 != 0 {
		t.AssigneeID, t.AssigneeName = 7, "Anna Nowak"
	}
	if st == store.TicketPostponed {
		t.PostponedUntil = now.Add(72 * time.Hour)
	}
	if i%2 == 0 {
		t.Tags = []string{"invoice", "vip"}
	}
	return t
}

func benchQueueProps() QueueProps {
	now := time.Now()
	p := QueueProps{
		Counts: store.QueueCounts{
			Status:     map[store.TicketStatus]int{store.TicketNew: 1210, store.TicketOpen: 1802, store.TicketAnswered: 2395, store.TicketPostponed: 604, store.TicketResolved: 12440, store.TicketSpam: 801, store.TicketDeleted: 799},
			Mine:       map[store.TicketStatus]int{store.TicketNew: 3, store.TicketOpen: 12, store.TicketAnswered: 20},
			Unassigned: map[store.TicketStatus]int{store.TicketNew: 1100, store.TicketOpen: 40},
		},
		Total: 18451, TotalKnown: true,
		Departments: []store.Department{{ID: 1, Name: "Sales"}, {ID: 2, Name: "Support"}, {ID: 3, Name: "Billing"}},
	}
	for i := range 50 {
		p.Page.Tickets = append(p.Page.Tickets, benchTicket(i, now))
	}
	last := p.Page.Tickets[49]
	p.Page.Next = store.Cursor{Key: last.SortKey, ID: last.ID}
	for i := range 12 {
		p.Agents = append(p.Agents, store.Assignable{ID: int64(7 + i), Name: fmt.Sprintf("Agent %d", i)})
	}
	return p
}

// benchTicketProps is a ticket with six messages and the events between
// them, as the ticket page shows it.
func benchTicketProps() TicketProps {
	now := time.Now()
	tk := benchTicket(1, now)
	tk.MessageCount = 6
	at := now.Add(-48 * time.Hour)
	step := func() time.Time { at = at.Add(47 * time.Minute); return at }
	customer := func(body string) store.Message {
		return store.Message{Kind: store.KindCustomer, AuthorName: tk.ContactName, ByContact: true, Body: body, CreatedAt: step()}
	}
	agent := func(kind store.MessageKind, body string) store.Message {
		return store.Message{Kind: kind, AuthorName: "Anna Nowak", Body: body, CreatedAt: step()}
	}
	event := func(e store.Event, d store.EventDetails) store.Message {
		return store.Message{Kind: store.KindEvent, AuthorName: "Anna Nowak", Event: e, Details: d, CreatedAt: step()}
	}
	thread := []store.Message{
		customer("The invoice for last month charges me twice for the same plan. Can you help?"),
		event(store.EventCreated, store.EventDetails{To: string(store.ChannelEmail)}),
		event(store.EventAssigned, store.EventDetails{Name: "Anna Nowak"}),
		agent(store.KindReply, "Thank you for writing to us. I checked this for you.\nThe second charge is a pre-authorisation."),
		event(store.EventStatus, store.EventDetails{From: "new", To: "answered"}),
		customer("It has not gone away after three days.\nThis is urgent."),
		event(store.EventStatus, store.EventDetails{From: "answered", To: "open"}),
		agent(store.KindNote, "Internal: asked Billing to refund the pre-authorisation."),
		agent(store.KindReply, "Sorry for the trouble. The refund is on its way."),
		event(store.EventStatus, store.EventDetails{From: "open", To: "answered"}),
		customer("Thanks! It arrived."),
		event(store.EventTagAdded, store.EventDetails{Name: "invoice"}),
	}
	for i := range thread {
		thread[i].ID = int64(9000 + i)
	}
	p := TicketProps{Ticket: tk, Thread: thread, Errors: FieldErrors{}}
	for i := range 8 {
		p.Assignable = append(p.Assignable, store.Assignable{ID: int64(7 + i), Name: fmt.Sprintf("Agent %d", i)})
	}
	p.Departments = []store.Department{{ID: 2, Name: "Support"}, {ID: 3, Name: "Billing"}}
	return p
}

func benchRender(b *testing.B, c templ.Component, want ...string) {
	ctx := benchCtx()
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := c.Render(ctx, &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
	for _, w := range want {
		if !strings.Contains(buf.String(), w) {
			b.Fatalf("the render does not show %q:\n%.3000s", w, buf.String())
		}
	}
}

func BenchmarkRender_QueueResults50Rows(b *testing.B) {
	p := benchQueueProps()
	benchRender(b, QueueResults(p), `id="ticket-ABC-00000-XYZ"`, `id="ticket-ABC-00049-XYZ"`, `rel="next"`)
}

func BenchmarkRender_QueuePage50Rows(b *testing.B) {
	p := benchQueueProps()
	benchRender(b, QueuePage(p, QueueBody(p)), `id="ticket-ABC-00049-XYZ"`, "</html>")
}

func BenchmarkRender_TicketPage6Messages(b *testing.B) {
	p := benchTicketProps()
	benchRender(b, TicketPage(p.Ticket.Subject, TicketBody(p)), "It has not gone away after three days.", "Thanks! It arrived.", "</html>")
}
