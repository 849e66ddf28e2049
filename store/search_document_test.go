package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

func TestSearch_NewTicketIsFoundOnceByItsSubjectAndMessage(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	code := contactTicket(t, s, w.sales, "Broken umbrella", "The handle snapped off yesterday")
	other := contactTicket(t, s, w.sales, "Invoice copy", "Please send the invoice again")
	search := func(q string) []string { t.Helper(); return w.annSearch(t, q) }
	for _, q := range []string{"snapped", "handle", "umbrella"} {
		if got := search(q); !slices.Equal(got, []string{code}) {
			t.Errorf("search %q = %v, want [%s]", q, got, code)
		}
	}
	// A later message replaces the document: found once, by old and new words.
	if err := s.Reply(ctx, w.annV, code, "A courier brings a new one"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"snapped", "umbrella", "courier"} {
		if got := search(q); !slices.Equal(got, []string{code}) {
			t.Errorf("after a reply, search %q = %v, want [%s]", q, got, code)
		}
	}
	if got := search("invoice"); !slices.Equal(got, []string{other}) {
		t.Errorf("search invoice = %v, want [%s]", got, other)
	}
}

// TestMigrate_SearchDocumentsOfExistingTicketsFollowLaterMessages builds a
// database at schema 4, where the ticket insert wrote the search document,
// then migrates it and adds a message.
func TestMigrate_SearchDocumentsOfExistingTicketsFollowLaterMessages(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	if err := s.migrate(ctx, shippedMigrations(t, func(v int64) bool { return v <= 4 })); err != nil {
		t.Fatal(err)
	}
	// An account and a ticket as schema 4 wrote them: the triggers of the
	// time index it.
	const dept = 1
	for _, q := range []string{
		`INSERT INTO agents (id, name, email, role, status, created_at, updated_at) VALUES (1, 'Olga', 'olga@example.com', 'owner', 'active', 0, 0)`,
		`INSERT INTO account (id, company_name, creator_id, created_at) VALUES (1, 'Acme', 1, 0)`,
		`INSERT INTO departments (id, name, created_at, updated_at) VALUES (1, 'Sales', 0, 0)`,
		`INSERT INTO contacts (id, name, email, created_at) VALUES (1, 'Carla', 'carla@example.com', 0)`,
		fmt.Sprintf(`INSERT INTO tickets (id, code, subject, status, channel, department_id, contact_id, sort_key, message_count, created_at, updated_at)
			VALUES (1, 'OLD-TICKE-T23', 'Flooded basement', 'new', 'email', %d, 1, 0, 1, 0, 0)`, dept),
		`INSERT INTO messages (ticket_id, kind, contact_id, body, created_at) VALUES (1, 'customer', 1, 'Water everywhere', 0)`,
	} {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	v := mustAgent(t, s, 1).Viewer()
	if err := s.Reply(ctx, v, "OLD-TICKE-T23", "A plumber is on the way"); err != nil {
		t.Fatal(err)
	}
	// Its requester and code were indexed by the migration that added them.
	for _, q := range []string{"flooded", "water", "plumber", "carla", "old-ticke-t23"} {
		page, err := s.Queue(ctx, v, QueueFilter{Search: q})
		if err != nil {
			t.Fatal(err)
		}
		if got := codes(page.Tickets); !slices.Equal(got, []string{"OLD-TICKE-T23"}) {
			t.Errorf("search %q = %v, want the old ticket once", q, got)
		}
	}
}
