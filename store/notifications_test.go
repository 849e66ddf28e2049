package store

import (
	"context"
	"testing"
)

func TestNotifications_EachTriggerTellsTheAgentItConcerns(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	bea := w.both.Viewer()
	code := contactTicket(t, s, w.sales, "Parcel lost", "where is it")
	got := func(name string, want ...NotificationKind) {
		t.Helper()
		viewer := map[string]Agent{"ann": w.ann, "bea": w.both, "bob": w.bob}[name].Viewer()
		ns, err := s.Notifications(ctx, viewer, 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(ns) != len(want) {
			t.Fatalf("%s has %d notifications, want %v: %+v", name, len(ns), want, ns)
		}
		for i, n := range ns {
			if n.Kind != want[i] || n.Code != code {
				t.Fatalf("%s's notification %d: %+v, want %s", name, i, n, want[i])
			}
		}
	}
	// Assigning oneself tells nobody; assigning someone else tells them.
	if err := s.Assign(ctx, w.annV, code, w.ann.ID); err != nil {
		t.Fatal(err)
	}
	got("ann")
	if err := s.Assign(ctx, w.annV, code, w.both.ID); err != nil {
		t.Fatal(err)
	}
	got("bea", NotifyAssigned)
	// The customer answers Bea's ticket.
	if err := s.CustomerReply(ctx, code, "any news?"); err != nil {
		t.Fatal(err)
	}
	got("bea", NotifyCustomerReply, NotifyAssigned)
	got("ann")
	// Bea mentions Ann by name and Bob by alias: Bob works in Support and
	// may not see the ticket, so he is never told.
	if _, err := s.w.Exec(`UPDATE agents SET alias = 'bobby' WHERE id = ?`, w.bob.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.AddNote(ctx, bea, code, "@ann sales please check; @bobby too; not @Anna"); err != nil {
		t.Fatal(err)
	}
	got("ann", NotifyMention)
	got("bob")
	if u, _ := s.Unread(ctx, w.bobV); u.Count != 0 {
		t.Fatalf("Bob counts %d unread about a ticket he may not see", u.Count)
	}
	if u, _ := s.Unread(ctx, bea); u.Count != 2 {
		t.Fatalf("Bea counts %d unread, want 2", u.Count)
	}
	unread, _ := s.UnreadTickets(ctx, bea)
	tk, _ := s.TicketByCode(ctx, bea, code)
	if !unread[tk.ID] {
		t.Fatal("the ticket is not unread for Bea")
	}
	// Opening the ticket reads it; Mark all as read reads the rest.
	if err := s.ReadTicket(ctx, bea, code); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.Unread(ctx, bea); u.Count != 0 {
		t.Fatalf("after opening the ticket Bea counts %d unread", u.Count)
	}
	if u, _ := s.Unread(ctx, w.annV); u.Count != 1 {
		t.Fatalf("Bea's reading changed Ann's count to %d", u.Count)
	}
	if err := s.ReadAllNotifications(ctx, w.annV); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.Unread(ctx, w.annV); u.Count != 0 {
		t.Fatalf("after Mark all as read Ann counts %d", u.Count)
	}
	// A ticket moved out of an agent's departments is no longer told about.
	if err := s.Assign(ctx, w.annV, code, w.ann.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.CustomerReply(ctx, code, "hello?"); err != nil {
		t.Fatal(err)
	}
	if err := s.Transfer(ctx, w.adminV, code, w.support); err != nil {
		t.Fatal(err)
	}
	if ns, _ := s.Notifications(ctx, w.annV, 50); len(ns) != 0 {
		t.Fatalf("Ann is still told about a ticket now in Support: %+v", ns)
	}
}

func TestMentions_WholeWordsOnly(t *testing.T) {
	for _, c := range []struct {
		text, who string
		want      bool
	}{
		{"hi @ann", "ann", true},
		{"hi @Ann, see", "ann", true},
		{"hi @anna", "ann", false},
		{"@Ann Sales look", "Ann Sales", true},
		{"mail ann@example.com", "example", false},
		{"@Łucja!", "łucja", true},
	} {
		if got := mentions(c.text, c.who); got != c.want {
			t.Errorf("mentions(%q, %q) = %t", c.text, c.who, got)
		}
	}
}
