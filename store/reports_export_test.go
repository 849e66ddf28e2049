package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"helpline/authz"
)

// exportDesk is seven tickets, several created in the same millisecond, so
// pages of two rows end inside a run of equal creation times: A-E in Sales
// (A spam, C with two tags, D assigned to Ann), F-G in Support.
func exportDesk(t *testing.T) (*ticketWorld, ReportFilter, map[string]string) {
	t.Helper()
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	var clock time.Time
	s.SetClock(func() time.Time { return clock })
	codes := map[string]string{}
	for i, name := range []string{"A", "B", "C", "D", "E", "F", "G"} {
		// A, B, C at 09:00; D, E at 09:01; F, G at 09:02.
		clock = time.Date(2026, 3, 2, 9, []int{0, 0, 0, 1, 1, 2, 2}[i], 0, 0, time.UTC)
		dept := w.sales
		if name >= "F" {
			dept = w.support
		}
		codes[name] = contactTicket(t, s, dept, name, "hello")
	}
	clock = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, err := range []error{
		s.SetStatus(ctx, w.adminV, codes["A"], TicketSpam),
		s.AddTag(ctx, w.adminV, codes["C"], "zeta"),
		s.AddTag(ctx, w.adminV, codes["C"], "alpha"),
		s.Assign(ctx, w.adminV, codes["D"], w.ann.ID),
		s.Reply(ctx, w.annV, codes["D"], "answer"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	return w, ReportFilter{From: day, To: day.AddDate(0, 0, 1)}, codes
}

func exportSubjects(t *testing.T, s *Store, v authz.Viewer, f ReportFilter) ([]string, map[string]ExportedTicket) {
	t.Helper()
	var subjects []string
	rows := map[string]ExportedTicket{}
	if err := s.ExportTickets(context.Background(), v, f, func(e *ExportedTicket) error {
		subjects = append(subjects, e.Subject)
		rows[e.Subject] = *e
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return subjects, rows
}

// TestExportTickets_PagesKeepEveryRowOnceInOrder: read two rows a page,
// every ticket of the period comes once, oldest first (ties by id), with
// its department and assignee names, sorted tags and first answer.
func TestExportTickets_PagesKeepEveryRowOnceInOrder(t *testing.T) {
	w, f, _ := exportDesk(t)
	for _, page := range []int{2, 3, 1000} {
		t.Run(fmt.Sprint(page, " a page"), func(t *testing.T) {
			defer func(n int) { exportPageRows = n }(exportPageRows)
			exportPageRows = page
			got, rows := exportSubjects(t, w.s, w.adminV, f)
			if want := []string{"B", "C", "D", "E", "F", "G"}; !slices.Equal(got, want) {
				t.Fatalf("exported %q, want %q (spam left out)", got, want)
			}
			c, d, g := rows["C"], rows["D"], rows["G"]
			if c.Tags != "alpha, zeta" || c.Department != "Sales" || c.Assignee != "" || c.Channel != ChannelContactForm {
				t.Errorf("C's row %+v", c)
			}
			if d.Assignee != "Ann Sales" || d.Answers != 1 || d.FirstAnswered.IsZero() || !d.Resolved.IsZero() {
				t.Errorf("D's row %+v", d)
			}
			if g.Department != "Support" || !g.Created.Equal(time.Date(2026, 3, 2, 9, 2, 0, 0, time.UTC)) {
				t.Errorf("G's row %+v", g)
			}
		})
	}
}

// TestExportTickets_FiltersAndAgentScope: the department filter keeps its
// tickets; an Agent exports only the tickets assigned to them, and asking
// for another agent's is not found.
func TestExportTickets_FiltersAndAgentScope(t *testing.T) {
	w, f, _ := exportDesk(t)
	defer func(n int) { exportPageRows = n }(exportPageRows)
	exportPageRows = 2
	support := f
	support.DepartmentID = w.support
	if got, _ := exportSubjects(t, w.s, w.adminV, support); !slices.Equal(got, []string{"F", "G"}) {
		t.Errorf("Support's export %q", got)
	}
	if got, _ := exportSubjects(t, w.s, w.annV, f); !slices.Equal(got, []string{"D"}) {
		t.Errorf("Ann's export %q", got)
	}
	bobs := f
	bobs.AgentID = w.bob.ID
	err := w.s.ExportTickets(context.Background(), w.annV, bobs, func(*ExportedTicket) error { return nil })
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("Ann exporting Bob's tickets: %v, want not found", err)
	}
}

// TestExportTickets_StopsAtTheWritersError: an error from fn (a client gone)
// ends the export with it, pages still being read or not.
func TestExportTickets_StopsAtTheWritersError(t *testing.T) {
	w, f, _ := exportDesk(t)
	defer func(n int) { exportPageRows = n }(exportPageRows)
	exportPageRows = 1
	gone := errors.New("client gone")
	n := 0
	err := w.s.ExportTickets(context.Background(), w.adminV, f, func(*ExportedTicket) error {
		if n++; n == 2 {
			return gone
		}
		return nil
	})
	if !errors.Is(err, gone) || n != 2 {
		t.Errorf("after %d rows: %v, want the writer's error after 2", n, err)
	}
}
