package store

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func newContactTicket(t *testing.T, s *Store, dept int64, name, email, subject string) string {
	t.Helper()
	code, err := s.CreateTicket(context.Background(), nil, NewTicketInput{Subject: subject, Body: "Hello from " + name,
		Channel: ChannelContactForm, Priority: PriorityNormal, DepartmentID: dept, ContactName: name, ContactEmail: email})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestMergeContacts_KeepsEveryTicketAndTheOldEmailFindsTheKeptContact(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	a1 := newContactTicket(t, s, w.sales, "Carla", "carla@work.example", "One")
	a2 := newContactTicket(t, s, w.support, "Carla", "carla@work.example", "Two")
	b1 := newContactTicket(t, s, w.sales, "Carla Nowak", "carla@home.example", "Three")
	dup, _ := s.TicketByCode(ctx, w.adminV, a1)
	keep, _ := s.TicketByCode(ctx, w.adminV, b1)
	// Bob sees neither Sales contact.
	if err := s.MergeContacts(ctx, w.bobV, dup.ContactID, keep.ContactID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Bob merged contacts he may not see: %v", err)
	}
	if err := s.MergeContacts(ctx, w.annV, dup.ContactID, dup.ContactID); !IsRule(err, RuleContactSelf) {
		t.Fatalf("merge into itself: %v", err)
	}
	if err := s.MergeContacts(ctx, w.annV, dup.ContactID, keep.ContactID); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{a1, a2, b1} {
		tk, err := s.TicketByCode(ctx, w.adminV, code)
		if err != nil || tk.ContactID != keep.ContactID {
			t.Fatalf("ticket %s after the merge: contact %d, %v", code, tk.ContactID, err)
		}
	}
	if _, err := s.ContactByID(ctx, w.adminV, dup.ContactID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the duplicate is still there: %v", err)
	}
	card, _ := s.ContactByID(ctx, w.adminV, keep.ContactID)
	if strings.Join(card.OtherEmails, ",") != "carla@work.example" {
		t.Fatalf("kept contact's other emails: %v", card.OtherEmails)
	}
	// New mail from the duplicate's address joins the kept contact.
	res, err := s.IntakeEmail(ctx, IncomingEmail{MessageID: "new-1@example.com", FromName: "Carla", FromEmail: "carla@work.example",
		Subject: "Another thing", Body: "hi", DepartmentID: w.sales})
	if err != nil {
		t.Fatal(err)
	}
	if tk, _ := s.TicketByCode(ctx, w.adminV, res.Code); tk.ContactID != keep.ContactID {
		t.Fatalf("new mail from the old address went to contact %d", tk.ContactID)
	}
	code := newContactTicket(t, s, w.sales, "Carla again", "carla@work.example", "Form")
	if tk, _ := s.TicketByCode(ctx, w.adminV, code); tk.ContactID != keep.ContactID {
		t.Fatalf("the contact form with the old address made contact %d", tk.ContactID)
	}
}

func TestAnonymiseContact_RemovesPersonalDataAndKeepsTicketsReadable(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	code := newContactTicket(t, s, w.sales, "Carla Secret", "carla@secret.example", "Parcel")
	tk, _ := s.TicketByCode(ctx, w.adminV, code)
	if err := s.UpdateContact(ctx, w.annV, tk.ContactID, ContactInput{Name: "Carla Secret", Phone: "+48 600", Company: "Secret Ltd",
		Notes: "lives at 1 Main St", OtherEmails: []string{"carla@other.example"}}); err != nil {
		t.Fatal(err)
	}
	// Another contact's email is refused as an other email.
	newContactTicket(t, s, w.sales, "Dora", "dora@example.com", "x")
	if err := s.UpdateContact(ctx, w.annV, tk.ContactID, ContactInput{Name: "Carla Secret", OtherEmails: []string{"dora@example.com"}}); !errors.As(err, new(ErrConflict)) {
		t.Fatalf("taking Dora's email: %v", err)
	}
	if err := s.AnonymiseContact(ctx, w.adminV, tk.ContactID); err != nil {
		t.Fatal(err)
	}
	card, err := s.ContactByID(ctx, w.adminV, tk.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(append([]string{card.Name, card.Email, card.Phone, card.Company, card.Notes}, card.OtherEmails...), " ")
	for _, secret := range []string{"Carla", "secret", "600", "Secret Ltd", "Main St", "other.example"} {
		if strings.Contains(all, secret) {
			t.Fatalf("the anonymised contact still holds %q: %+v", secret, card)
		}
	}
	after, err := s.TicketByCode(ctx, w.annV, code)
	if err != nil || after.Subject != "Parcel" {
		t.Fatalf("the ticket after anonymising: %+v, %v", after, err)
	}
	thread, _ := s.Thread(ctx, after.ID)
	if len(thread) == 0 || thread[0].Body != "Hello from Carla Secret" || strings.Contains(thread[0].AuthorName, "Carla") {
		t.Fatalf("thread after anonymising: %+v", thread[0])
	}
	// Searching the old email finds nothing (the messages are kept as written).
	for _, q := range []string{"carla@secret.example"} {
		page, err := s.Queue(ctx, w.adminV, QueueFilter{Search: q, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, found := range page.Tickets {
			if found.Code == code {
				t.Fatalf("search %q still finds the ticket by the removed data", q)
			}
		}
	}
}
