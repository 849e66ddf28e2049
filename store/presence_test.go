package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"helpline/authz"
)

func names(ps []Presence) []string {
	var out []string
	for _, p := range ps {
		n := p.Name
		if p.Replying {
			n += " (replying)"
		}
		out = append(out, n)
	}
	return out
}

func TestPresence_OthersAreSeenUntilTheyStopPolling(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	now := time.Now()
	s.SetClock(func() time.Time { return now })
	code := contactTicket(t, s, w.sales, "Parcel lost", "where is it")
	bea := w.both.Viewer()
	if others, err := s.TouchPresence(ctx, w.annV, code, false); err != nil || len(others) != 0 {
		t.Fatalf("alone on the ticket: %v, %v", names(others), err)
	}
	if others, _ := s.TouchPresence(ctx, bea, code, true); len(others) != 1 || others[0].Name != "Ann Sales" || others[0].Replying {
		t.Fatalf("Bea sees %v", names(others))
	}
	if others, _ := s.TouchPresence(ctx, w.annV, code, false); len(others) != 1 || others[0].Name != "Bea Both" || !others[0].Replying {
		t.Fatalf("Ann sees %v, want Bea replying", names(others))
	}
	// Bea closes her page: she stops polling and runs out.
	now = now.Add(PresenceTimeout + time.Second)
	if others, _ := s.TouchPresence(ctx, w.annV, code, false); len(others) != 0 {
		t.Fatalf("after Bea left Ann still sees %v", names(others))
	}
	// Leaving says goodbye at once.
	s.TouchPresence(ctx, bea, code, false)
	if err := s.LeaveTicket(ctx, bea, code); err != nil {
		t.Fatal(err)
	}
	if others, _ := s.TouchPresence(ctx, w.annV, code, false); len(others) != 0 {
		t.Fatalf("after Bea closed the page Ann sees %v", names(others))
	}
	// Bob works in Support: the ticket is not there for him.
	if _, err := s.TouchPresence(ctx, w.bobV, code, false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Bob on a Sales ticket: %v", err)
	}
}

func TestReplySince_FindsAnotherAgentsReplyAfterThePageWasLoaded(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	code := contactTicket(t, s, w.sales, "Parcel lost", "where is it")
	tk, _ := s.TicketByCode(ctx, w.annV, code)
	thread, _ := s.Thread(ctx, tk.ID)
	seen := thread[len(thread)-1].ID
	if _, err := s.ReplySince(ctx, w.annV, code, seen); !errors.Is(err, ErrNotFound) {
		t.Fatalf("nobody replied yet: %v", err)
	}
	if err := s.Reply(ctx, w.annV, code, "mine"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReplySince(ctx, w.annV, code, seen); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Ann's own reply counts as someone else's: %v", err)
	}
	if err := s.Reply(ctx, w.both.Viewer(), code, "Bea's answer"); err != nil {
		t.Fatal(err)
	}
	r, err := s.ReplySince(ctx, w.annV, code, seen)
	if err != nil || r.AgentName != "Bea Both" || r.Body != "Bea's answer" {
		t.Fatalf("reply since: %+v, %v", r, err)
	}
	if _, err := s.ReplySince(ctx, w.annV, code, r.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a reply already seen is asked about again: %v", err)
	}
}

func TestInstances_PresenceIsSeenAcrossInstances(t *testing.T) {
	a, b := twoInstances(t)
	ctx := context.Background()
	o := signUpOwner(t, a)
	dept := addDept(t, a, "Sales")
	ann := addMember(t, a, "Ann Sales", "ann@example.com", authz.RoleAgent, dept)
	bea := addMember(t, a, "Bea Both", "bea@example.com", authz.RoleAgent, dept)
	_ = o
	code := contactTicket(t, a, dept, "Parcel lost", "where is it")
	if _, err := a.TouchPresence(ctx, ann.Viewer(), code, true); err != nil {
		t.Fatal(err)
	}
	others, err := b.TouchPresence(ctx, bea.Viewer(), code, false)
	if err != nil || len(others) != 1 || others[0].Name != "Ann Sales" || !others[0].Replying {
		t.Fatalf("Bea on instance B sees %v, %v", names(others), err)
	}
}
