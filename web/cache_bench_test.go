package web

import (
	"context"
	"fmt"
	"testing"

	"helpline/store"
	"helpline/views"
)

// BenchmarkPageAfterNewTicket times a page asked for again right after a
// customer's new ticket (its writing is not timed): in a department the
// viewer sees, the page is built again; in one they do not see, their kept
// page stays and is served as kept.
func BenchmarkPageAfterNewTicket(b *testing.B) {
	s := newBenchSite(b)
	ctx := context.Background()
	agent, err := s.app.st.AgentByEmail(ctx, "agent1@demo.example")
	if err != nil {
		b.Fatal(err)
	}
	mine, err := s.app.st.VisibleDepartments(ctx, agent.Viewer())
	if err != nil || len(mine) == 0 {
		b.Fatalf("the Agent's departments: %v, %v", mine, err)
	}
	all, err := s.app.st.Departments(ctx)
	if err != nil {
		b.Fatal(err)
	}
	own, other := mine[0].ID, int64(0)
	for _, d := range all {
		seen := false
		for _, m := range mine {
			seen = seen || m.ID == d.ID
		}
		if !seen {
			other = d.ID
			break
		}
	}
	if other == 0 {
		b.Fatal("the Agent sees every department")
	}
	n := 0
	arrive := func(dept int64) {
		n++
		if _, err := s.app.st.CreateTicket(ctx, nil, store.NewTicketInput{Subject: fmt.Sprint("Arriving ", n), Body: "A new question.",
			Channel: store.ChannelContactForm, DepartmentID: dept, ContactName: "Steady Customer", ContactEmail: "steady@example.com"}); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		dept int64
	}{{"own-department", own}, {"other-department", other}} {
		b.Run("queue-Agent/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				arrive(c.dept)
				b.StartTimer()
				s.get(b, views.PathTickets, s.agentCookie, "")
			}
		})
	}
}
