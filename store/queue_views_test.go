package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"helpline/authz"
)

// queueViewsWorld is the ticket world after a mix of every change that
// moves a ticket between counts: assignment, transfer (which clears the
// assignee), status changes, postponing, bulk changes and the removal of
// an agent (whose open tickets become unassigned).
func queueViewsWorld(t *testing.T) *ticketWorld {
	t.Helper()
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	carl := addMember(t, s, "Carl Sales", "carl@example.com", authz.RoleAgent, w.sales)
	var all []string
	for i := range 16 {
		all = append(all, contactTicket(t, s, []int64{w.sales, w.support}[i%2], fmt.Sprint("T", i), "b"))
	}
	steps := []func() error{
		func() error { return s.Assign(ctx, w.adminV, all[0], w.ann.ID) },
		func() error { return s.Assign(ctx, w.adminV, all[2], w.ann.ID) },
		func() error { return s.Assign(ctx, w.adminV, all[4], w.both.ID) },
		func() error { return s.Assign(ctx, w.adminV, all[1], w.both.ID) },
		func() error { return s.Assign(ctx, w.adminV, all[3], w.bob.ID) },
		func() error { return s.Assign(ctx, w.adminV, all[6], carl.ID) },
		func() error { return s.Assign(ctx, w.adminV, all[8], carl.ID) },
		func() error { return s.Reply(ctx, w.annV, all[0], "x") },
		func() error { return s.SetStatus(ctx, w.adminV, all[2], TicketResolved) },
		func() error { return s.Transfer(ctx, w.adminV, all[4], w.support) },
		func() error { return s.Postpone(ctx, w.adminV, all[1], time.Now().Add(time.Hour)) },
		func() error { return s.CustomerReply(ctx, all[0], "y") },
		func() error { return s.SetStatus(ctx, w.adminV, all[5], TicketSpam) },
		func() error { return s.SetStatus(ctx, w.adminV, all[7], TicketDeleted) },
		func() error {
			_, err := s.Bulk(ctx, w.adminV, all[9:13], BulkAction{AssignTo: w.both.ID})
			return err
		},
		func() error {
			_, err := s.Bulk(ctx, w.adminV, all[10:12], BulkAction{Status: TicketResolved})
			return err
		},
		func() error { return s.Assign(ctx, w.adminV, all[9], 0) },
		func() error { return s.RemoveAgent(ctx, w.owner.ID, carl.ID, "") },
		// No action writes a ticket with an assignee or deletes one today;
		// the kept counts follow those too.
		func() error {
			_, err := s.w.Exec(`INSERT INTO tickets (code, subject, status, priority, channel, department_id, assignee_id, contact_id, sort_key, created_at, updated_at)
				SELECT 'RAW-00000-001', 'raw', 'open', 1, 'api', ?, ?, contact_id, 0, 1, 1 FROM tickets LIMIT 1`, w.sales, w.ann.ID)
			return err
		},
		func() error {
			_, err := s.w.Exec(`DELETE FROM tickets WHERE code = ?`, all[2])
			return err
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	return w
}

// TestQueueCounts_StayEqualToCountingAfterChanges compares the kept counts
// per status, of the viewer's own tickets and of the unassigned ones, with a
// COUNT(*) of the tickets, for every viewer and department filter.
func TestQueueCounts_StayEqualToCountingAfterChanges(t *testing.T) {
	w := queueViewsWorld(t)
	s, ctx := w.s, context.Background()
	for _, v := range []authz.Viewer{w.adminV, w.annV, w.bobV, w.both.Viewer()} {
		for _, dept := range []int64{0, w.sales, w.support} {
			got, err := s.QueueCounts(ctx, v, dept)
			if err != nil {
				t.Fatal(err)
			}
			for name, c := range map[string]struct {
				got  map[TicketStatus]int
				cond string
			}{
				"all":        {got.Status, "TRUE"},
				"mine":       {got.Mine, fmt.Sprintf("t.assignee_id = %d", v.ID)},
				"unassigned": {got.Unassigned, "t.assignee_id IS NULL"},
			} {
				want := map[TicketStatus]int{}
				rows, err := s.r.Query(`SELECT t.status, count(*) FROM tickets t WHERE (? OR t.department_id IN (SELECT department_id FROM department_members WHERE agent_id = ?))
					AND (? = 0 OR t.department_id = ?) AND `+c.cond+` GROUP BY t.status`, v.Can(authz.TicketsReadAll), v.ID, dept, dept)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var st TicketStatus
					var n int
					rows.Scan(&st, &n)
					want[st] = n
				}
				rows.Close()
				for _, st := range TicketStatuses {
					if c.got[st] != want[st] {
						t.Errorf("viewer %d dept %d %s: %s = %d, COUNT(*) says %d", v.ID, dept, name, st, c.got[st], want[st])
					}
				}
			}
		}
	}
}

// TestQueueViews_CountWhatTheViewShows pages through each ready view as
// each viewer and compares the number of tickets with the view's count and
// with the queue's count of matching tickets.
func TestQueueViews_CountWhatTheViewShows(t *testing.T) {
	w := queueViewsWorld(t)
	s, ctx := w.s, context.Background()
	seen := map[QueueView]int{}
	for _, v := range []authz.Viewer{w.adminV, w.annV, w.bobV, w.both.Viewer()} {
		for _, dept := range []int64{0, w.sales} {
			counts, err := s.QueueCounts(ctx, v, dept)
			if err != nil {
				t.Fatal(err)
			}
			for _, view := range QueueViews {
				f := view.Apply(QueueFilter{DepartmentID: dept, Limit: 3})
				if !view.Shows(f) {
					t.Fatalf("view %s does not show its own filter %+v", view, f)
				}
				n := 0
				for {
					p, err := s.Queue(ctx, v, f)
					if err != nil {
						t.Fatal(err)
					}
					n += len(p.Tickets)
					if p.Next.IsZero() {
						break
					}
					f.After = p.Next
				}
				if got := counts.View(view); got != n {
					t.Errorf("viewer %d dept %d: view %s counts %d, shows %d", v.ID, dept, view, got, n)
				}
				if got, ok := counts.Matching(view.Apply(QueueFilter{})); !ok || got != n {
					t.Errorf("viewer %d dept %d: view %s matches %d (%v), shows %d", v.ID, dept, view, got, ok, n)
				}
				seen[view] += n
			}
		}
	}
	for _, view := range QueueViews {
		if seen[view] == 0 {
			t.Errorf("no viewer sees a ticket in view %s: the test shows nothing", view)
		}
	}
	// The kept counts do not know channels, tags or words.
	var c QueueCounts
	for _, f := range []QueueFilter{{Channel: ChannelEmail}, {Tag: "vip"}, {Search: "parcel"}} {
		if _, ok := c.Matching(f); ok {
			t.Errorf("Matching(%+v) claims to know", f)
		}
	}
}

// TestQueueView_ShowsOnlyItsOwnFilter: a view is current only when the
// statuses and assignee are exactly its own.
func TestQueueView_ShowsOnlyItsOwnFilter(t *testing.T) {
	for _, tc := range []struct {
		f    QueueFilter
		want QueueView
	}{
		{QueueFilter{Open: true, Assignee: AssigneeMe}, ViewMine},
		{QueueFilter{Open: true, Assignee: AssigneeUnassigned, DepartmentID: 3}, ViewUnassigned},
		{QueueFilter{Open: true, Channel: ChannelCall}, ViewOpen},
		{QueueFilter{Status: TicketPostponed}, ViewPostponed},
		{QueueFilter{Status: TicketResolved, Sort: SortUpdated}, ViewResolved},
		{QueueFilter{}, ""},
		{QueueFilter{Assignee: AssigneeMe}, ""},
		{QueueFilter{Status: TicketResolved, Assignee: AssigneeMe}, ""},
		{QueueFilter{Status: TicketNew}, ""},
	} {
		for _, view := range QueueViews {
			if got := view.Shows(tc.f); got != (view == tc.want) {
				t.Errorf("%s.Shows(%+v) = %v", view, tc.f, got)
			}
		}
	}
}

// TestSortKeys_GoAndSQLAgree: the cursors the store makes in Go are the keys
// SQLite walks, for every status.
func TestSortKeys_GoAndSQLAgree(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	for _, st := range TicketStatuses {
		code := contactTicket(t, s, w.sales, string(st), "b")
		if _, err := s.w.Exec(`UPDATE tickets SET status = ? WHERE code = ?`, st, code); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := s.r.Query(`SELECT t.code, ` + updatedKeySQL + `, ` + createdKeySQL + ` FROM tickets t`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var code string
		var updated, created int64
		if err := rows.Scan(&code, &updated, &created); err != nil {
			t.Fatal(err)
		}
		tk, err := s.TicketByCode(ctx, w.adminV, code)
		if err != nil {
			t.Fatal(err)
		}
		if k := SortUpdated.keyOf(tk).Key; k != updated {
			t.Errorf("%s: Updated key %d in Go, %d in SQL", tk.Status, k, updated)
		}
		if k := SortCreated.keyOf(tk).Key; k != created {
			t.Errorf("%s: Created key %d in Go, %d in SQL", tk.Status, k, created)
		}
		lo, hi := recentRange(QueueFilter{Status: tk.Status})
		if updated < lo || updated >= hi {
			t.Errorf("%s: key %d outside its status's range [%d, %d)", tk.Status, updated, lo, hi)
		}
		n++
	}
	if n != len(TicketStatuses) {
		t.Fatalf("%d tickets read", n)
	}
}

func TestQueueDensity_KeptPerAgent(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	if d, err := s.QueueDensity(ctx, w.ann.ID); err != nil || d != DensityCompact {
		t.Fatalf("a new agent's density is %q, %v; want compact", d, err)
	}
	if err := s.SetQueueDensity(ctx, w.ann.ID, DensityComfortable); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.QueueDensity(ctx, w.ann.ID); d != DensityComfortable {
		t.Fatalf("Ann's density is %q after choosing comfortable", d)
	}
	if d, _ := s.QueueDensity(ctx, w.bob.ID); d != DensityCompact {
		t.Fatalf("Bob's density changed with Ann's: %q", d)
	}
	if err := s.SetQueueDensity(ctx, w.ann.ID, "huge"); err == nil {
		t.Fatal("an unknown density was kept")
	}
	if d, _ := s.QueueDensity(ctx, w.ann.ID); d != DensityComfortable {
		t.Fatalf("a refused density changed Ann's to %q", d)
	}
}
