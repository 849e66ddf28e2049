package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// bodies are a thread's messages (not events) in order.
func bodies(t *testing.T, s *Store, code string) []string {
	t.Helper()
	tk, err := s.TicketByCode(context.Background(), unscoped, code)
	if err != nil {
		t.Fatal(err)
	}
	thread, err := s.Thread(context.Background(), tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range thread {
		if m.Kind != KindEvent {
			out = append(out, m.Body)
		}
	}
	return out
}

func TestMergeTicket_ThreadsInterleaveByTimeAndTheOldTicketPoints(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	now := time.Now()
	s.SetClock(func() time.Time { return now })
	step := func() { now = now.Add(time.Minute) }
	old := contactTicket(t, s, w.sales, "Parcel lost", "old first")
	token, err := s.CustomerLink(ctx, old, "en")
	if err != nil {
		t.Fatal(err)
	}
	step()
	keep := contactTicket(t, s, w.sales, "Parcel lost again", "new first")
	if err := s.AddTag(ctx, w.annV, old, "courier"); err != nil {
		t.Fatal(err)
	}
	step()
	if err := s.CustomerReply(ctx, old, "old second"); err != nil {
		t.Fatal(err)
	}
	step()
	if err := s.Reply(ctx, w.annV, keep, "new answer"); err != nil {
		t.Fatal(err)
	}
	step()
	if err := s.MergeTicket(ctx, w.annV, old, keep); err != nil {
		t.Fatal(err)
	}
	want := []string{"old first", "new first", "old second", "new answer"}
	if got := bodies(t, s, keep); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("merged thread %q, want %q", got, want)
	}
	if got := bodies(t, s, old); len(got) != 0 {
		t.Fatalf("the merged ticket still holds %q", got)
	}
	into, err := s.MergedInto(ctx, w.annV, old)
	if err != nil || into != keep {
		t.Fatalf("pointer of the merged ticket: %q, %v", into, err)
	}
	kept, _ := s.TicketByCode(ctx, w.annV, keep)
	if kept.MessageCount != 4 || kept.Preview != "new answer" || strings.Join(kept.Tags, ",") != "courier" {
		t.Fatalf("ticket merged into: %d messages, preview %q, tags %v", kept.MessageCount, kept.Preview, kept.Tags)
	}
	if tk, _ := s.TicketByCode(ctx, w.annV, old); tk.Status != TicketResolved {
		t.Fatalf("merged ticket is %s", tk.Status)
	}
	// A pointer takes no more actions.
	if err := s.Reply(ctx, w.annV, old, "late"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("reply to a merged ticket: %v", err)
	}

	// The customer's link and email answers to the old ticket land in the new one.
	ct, err := s.CustomerTicketByToken(ctx, token)
	if err != nil || ct.Code != keep {
		t.Fatalf("old customer link opens %q, %v", ct.Code, err)
	}
	step()
	if _, err := s.CustomerReplyByToken(ctx, token, "via the page", "en", nil); err != nil {
		t.Fatal(err)
	}
	step()
	res, err := s.IntakeEmail(ctx, IncomingEmail{MessageID: "answer-1@example.com", FromName: "Carla Customer", FromEmail: "carla@example.com",
		Subject: "Re: Parcel lost [" + old + "]", Body: "via email", DepartmentID: w.sales})
	if err != nil || res.New || res.Code != keep {
		t.Fatalf("email answer to the merged ticket: %+v, %v", res, err)
	}
	got := bodies(t, s, keep)
	if n := len(got); n < 2 || got[n-2] != "via the page" || got[n-1] != "via email" {
		t.Fatalf("thread after the customer's answers: %q", got)
	}
}

func TestMergeTicket_OnlyWithinScope(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	sales := contactTicket(t, s, w.sales, "Invoice", "one")
	sales2 := contactTicket(t, s, w.sales, "Invoice again", "two")
	support := contactTicket(t, s, w.support, "Broken", "three")
	for _, c := range []struct {
		name       string
		code, into string
	}{
		{"into a ticket of another department", sales, support},
		{"a ticket of another department", support, sales},
	} {
		if err := s.MergeTicket(ctx, w.annV, c.code, c.into); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v, want not found", c.name, err)
		}
	}
	if err := s.MergeTicket(ctx, w.annV, sales, sales); !IsRule(err, RuleMergeSelf) {
		t.Errorf("merge into itself: %v", err)
	}
	if got := bodies(t, s, support); len(got) != 1 {
		t.Fatalf("refused merges changed the support ticket: %q", got)
	}
	if into, _ := s.MergedInto(ctx, w.adminV, sales); into != "" {
		t.Fatal("a refused merge left a pointer")
	}
	// Merged further: the pointer follows, one step deep.
	if err := s.MergeTicket(ctx, w.annV, sales, sales2); err != nil {
		t.Fatal(err)
	}
	if err := s.MergeTicket(ctx, w.annV, sales2, sales); !errors.Is(err, ErrNotFound) {
		t.Fatalf("merge into a merged ticket: %v", err)
	}
	both := w.both.Viewer()
	if err := s.MergeTicket(ctx, both, sales2, support); err != nil {
		t.Fatal(err)
	}
	if into, _ := s.MergedInto(ctx, w.adminV, sales); into != support {
		t.Fatalf("first merged ticket points at %q, want %q", into, support)
	}
}

func TestMergeTicket_AnotherRequestersLinkDoesNotOpenTheMergedConversation(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	old, err := s.CreateTicket(ctx, nil, NewTicketInput{Subject: "Hi", Body: "from dan", Channel: ChannelContactForm,
		Priority: PriorityNormal, DepartmentID: w.sales, ContactName: "Dan Other", ContactEmail: "dan@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	token, _ := s.CustomerLink(ctx, old, "en")
	keep := contactTicket(t, s, w.sales, "Hello", "from carla")
	if err := s.MergeTicket(ctx, w.annV, old, keep); err != nil {
		t.Fatal(err)
	}
	if ct, err := s.CustomerTicketByToken(ctx, token); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Dan's link opens %+v (%v): Carla's conversation", ct.Thread, err)
	}
	// Dan's emailed answer still reaches the agents, on the new ticket.
	res, err := s.IntakeEmail(ctx, IncomingEmail{MessageID: "dan-2@example.com", FromName: "Dan Other", FromEmail: "dan@example.com",
		Subject: "Re: Hi [" + old + "]", Body: "dan again", DepartmentID: w.sales})
	if err != nil || res.Code != keep {
		t.Fatalf("Dan's answer: %+v, %v", res, err)
	}
}

func TestEditTicket_RecordsEachChangeWithItsAuthor(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	code := contactTicket(t, s, w.sales, "Typo in subjcet", "hello")
	other, err := s.CreateTicket(ctx, nil, NewTicketInput{Subject: "Other", Body: "x", Channel: ChannelContactForm,
		Priority: PriorityNormal, DepartmentID: w.sales, ContactName: "Dora Duplicate", ContactEmail: "dora@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	_ = other
	supportOnly, err := s.CreateTicket(ctx, nil, NewTicketInput{Subject: "S", Body: "x", Channel: ChannelContactForm,
		Priority: PriorityNormal, DepartmentID: w.support, ContactName: "Sam Support", ContactEmail: "sam@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	_ = supportOnly
	// A requester Ann may not see is refused, and nothing else changes.
	err = s.EditTicket(ctx, w.annV, code, TicketEdit{Subject: "Typo in subject", Priority: PriorityUrgent, RequesterEmail: "sam@example.com"})
	if !IsRule(err, RuleRequesterNotVisible) {
		t.Fatalf("requester outside Ann's departments: %v", err)
	}
	if tk, _ := s.TicketByCode(ctx, w.annV, code); tk.Subject != "Typo in subjcet" || tk.Priority != PriorityNormal {
		t.Fatalf("a refused edit stored %q, %d", tk.Subject, tk.Priority)
	}
	if err := s.EditTicket(ctx, w.bobV, code, TicketEdit{Subject: "x", Priority: PriorityLow, RequesterEmail: "carla@example.com"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Bob edited a Sales ticket: %v", err)
	}
	err = s.EditTicket(ctx, w.annV, code, TicketEdit{Subject: "Typo in subject", Priority: PriorityUrgent, RequesterEmail: " DORA@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	tk, _ := s.TicketByCode(ctx, w.annV, code)
	if tk.Subject != "Typo in subject" || tk.Priority != PriorityUrgent || tk.ContactEmail != "dora@example.com" || tk.UpdatedByName != "Ann Sales" {
		t.Fatalf("edited ticket %+v", tk)
	}
	thread, _ := s.Thread(ctx, tk.ID)
	events := map[Event]Message{}
	for _, m := range thread {
		events[m.Event] = m
	}
	for e, d := range map[Event]EventDetails{
		EventSubjectChanged:   {From: "Typo in subjcet", To: "Typo in subject"},
		EventPriorityChanged:  {From: "1", To: "3"},
		EventRequesterChanged: {From: "Carla Customer <carla@example.com>", To: "Dora Duplicate <dora@example.com>"},
	} {
		m, ok := events[e]
		if !ok || m.AuthorName != "Ann Sales" || m.Details != d {
			t.Errorf("event %s: %+v", e, m)
		}
	}
	// Saving again unchanged adds nothing.
	n := len(thread)
	if err := s.EditTicket(ctx, w.annV, code, TicketEdit{Subject: "Typo in subject", Priority: PriorityUrgent, RequesterEmail: "dora@example.com"}); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Thread(ctx, tk.ID); len(again) != n {
		t.Fatalf("an unchanged save added %d entries", len(again)-n)
	}
}
