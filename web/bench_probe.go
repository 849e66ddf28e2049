package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// benchProbePath is the in-memory bound of the load runs (issue 20): a
// queue page of fifty rows made once in memory and rendered at each request
// with the queue's own templates, behind the same session check as every
// page, but without the page's reads. What the queue pages reach against it
// is what the store's reads leave of the render. The route exists only when
// the server starts with Config.BenchProbe (HELPLINE_BENCH_PROBE=1, which
// helpline-bench sets); it is not in the route table and no one else sees
// it.
const benchProbePath = "/_bench/queue-rows"

// registerBenchProbe adds the probe's route, for Agents as the queue.
func (s *Server) registerBenchProbe() {
	props := probeQueueProps(time.Now())
	s.e.GET(benchProbePath, s.guard(need(authz.TicketsRead), func(c echo.Context) error {
		p := props
		page := views.QueueProps{Filter: p.Filter, CanCreate: true, Density: p.Density}
		return s.render(c, http.StatusOK, views.QueuePage(page, views.QueueBody(p)), views.QueueResults(p))
	}))
}

// probeQueueProps is a full page of the queue as the demo desk shows it:
// fifty tickets of three departments in every active status, some assigned,
// some tagged, with the counts and choices around them.
func probeQueueProps(now time.Time) views.QueueProps {
	statuses := []store.TicketStatus{store.TicketNew, store.TicketOpen, store.TicketAnswered, store.TicketPostponed}
	departments := []store.Department{{ID: 1, Name: "Sales"}, {ID: 2, Name: "Support"}, {ID: 3, Name: "Billing"}}
	p := views.QueueProps{
		Counts: store.QueueCounts{
			Status: map[store.TicketStatus]int{store.TicketNew: 1210, store.TicketOpen: 1802, store.TicketAnswered: 2395,
				store.TicketPostponed: 604, store.TicketResolved: 12440, store.TicketSpam: 801, store.TicketDeleted: 799},
			Mine:       map[store.TicketStatus]int{store.TicketNew: 3, store.TicketOpen: 12, store.TicketAnswered: 20},
			Unassigned: map[store.TicketStatus]int{store.TicketNew: 1100, store.TicketOpen: 40},
		},
		Total: 6011, TotalKnown: true,
		Departments: departments,
		Density:     store.DensityCompact,
	}
	for i := range 50 {
		created := now.Add(-time.Duration(i) * 37 * time.Minute)
		st, pr := statuses[i%len(statuses)], store.Priority(i%4)
		d := departments[i%len(departments)]
		t := store.Ticket{
			ID: int64(1000 + i), Code: fmt.Sprintf("ABC-%05d-XYZ", i), Subject: "Invoice shows the wrong amount",
			Status: st, Priority: pr, Channel: store.ChannelEmail, DepartmentID: d.ID, DepartmentName: d.Name,
			ContactID: int64(500 + i), ContactName: "Maria Popescu", ContactEmail: fmt.Sprintf("maria%d@customer.example", i),
			Preview:      "The invoice for last month charges me twice for the same plan. Please advise.",
			MessageCount: 1 + i%6, SortKey: store.SortKey(st, pr, created.UnixMilli()),
			CreatedAt: created, UpdatedAt: created.Add(20 * time.Minute),
		}
		if i%3 != 0 {
			t.AssigneeID, t.AssigneeName = 7, "Anna Nowak"
		}
		if i%2 == 0 {
			t.Tags = []string{"invoice", "vip"}
		}
		p.Page.Tickets = append(p.Page.Tickets, t)
	}
	last := p.Page.Tickets[len(p.Page.Tickets)-1]
	p.Page.Next = store.Cursor{Key: last.SortKey, ID: last.ID}
	for i := range 12 {
		p.Agents = append(p.Agents, store.Assignable{ID: int64(7 + i), Name: fmt.Sprintf("Agent %d", i+1)})
	}
	return p
}
