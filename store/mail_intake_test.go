package store

import (
	"bytes"
	"context"
	"testing"
)

func TestMailboxes_PasswordIsSealedAtRest(t *testing.T) {
	w := newTicketWorld(t)
	ctx := context.Background()
	id, err := w.s.AddMailbox(ctx, w.owner.ID, Mailbox{DepartmentID: w.sales, Host: "imap.example.com", Port: 993, Security: SecurityTLS,
		Username: "sales@acme.example", Password: "correct horse battery"}, "")
	if err != nil {
		t.Fatal(err)
	}
	var raw []byte
	if err := w.s.r.QueryRowContext(ctx, `SELECT password FROM mailboxes WHERE id = ?`, id).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if len(raw) == 0 || bytes.Contains(raw, []byte("correct horse")) {
		t.Fatalf("the mailbox password is stored in clear: %q", raw)
	}
	if mb, err := w.s.Mailbox(ctx, id); err != nil || mb.Password != "correct horse battery" || mb.Folder != "INBOX" {
		t.Fatalf("read back %+v, %v", mb, err)
	}
}

// Email in, at the store: each Message-ID is taken once; an answer joins
// its ticket by In-Reply-To (the desk's reply), References (the customer's
// first email) or the code in the subject, only from the requester; mail
// recorded as ignored (a loop guard's verdict) stays ignored.
func TestIntakeEmail_OnceByMessageIDAndThreadedByReferencesInReplyToOrCode(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	if err := s.SaveMailSettings(ctx, w.owner.ID, MailSettings{Host: "h", Port: 25, Security: SecurityNone, FromAddress: "help@acme.example"}, ""); err != nil {
		t.Fatal(err)
	}
	email := func(id, from, subject string, inReplyTo, refs []string) IntakeResult {
		t.Helper()
		r, err := s.IntakeEmail(ctx, IncomingEmail{MessageID: id, InReplyTo: inReplyTo, References: refs, FromName: "Dora",
			FromEmail: from, Subject: subject, Body: "text of " + id, DepartmentID: w.sales})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	first := email("first@x.example", "dora@x.example", "Parcel lost", nil, nil)
	if !first.New || first.Code == "" {
		t.Fatalf("first email: %+v", first)
	}
	if again := email("first@x.example", "dora@x.example", "Parcel lost", nil, nil); !again.Duplicate || again.Code != first.Code {
		t.Fatalf("the same Message-ID again: %+v", again)
	}
	if err := s.Reply(ctx, w.annV, first.Code, "Which parcel?"); err != nil {
		t.Fatal(err)
	}
	due, err := s.DueMail(ctx, 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("due %+v, %v", due, err)
	}
	for _, tc := range []struct {
		id, subject     string
		inReplyTo, refs []string
	}{
		{"a1@x.example", "Re: Parcel lost", []string{due[0].HeaderID}, nil},
		{"a2@x.example", "again", nil, []string{"unknown@y.example", "first@x.example"}},
		{"a3@x.example", "Re: Parcel lost [" + first.Code + "]", nil, nil},
	} {
		if err := s.SetStatus(ctx, w.annV, first.Code, TicketResolved); err != nil {
			t.Fatal(err)
		}
		if r := email(tc.id, "Dora@X.example", tc.subject, tc.inReplyTo, tc.refs); r.New || r.Code != first.Code {
			t.Fatalf("answer %s: %+v", tc.id, r)
		}
		if tk, _ := s.TicketByCode(ctx, w.annV, first.Code); tk.Status != TicketOpen {
			t.Fatalf("answer %s left the ticket %s", tc.id, tk.Status)
		}
	}
	tk, _ := s.TicketByCode(ctx, w.annV, first.Code)
	if th, _ := s.Thread(ctx, tk.ID); countKind(th, KindCustomer) != 4 {
		t.Fatalf("the thread has %d customer messages, want 4", countKind(th, KindCustomer))
	}
	// Someone else naming the code or answering the desk's email starts a
	// ticket of their own.
	if r := email("e1@y.example", "eve@y.example", "Re: ["+first.Code+"]", []string{due[0].HeaderID}, nil); !r.New || r.Code == first.Code {
		t.Fatalf("a stranger's answer: %+v", r)
	}
	// Ignored once (an auto-reply, a bounce): ignored for good.
	if err := s.IgnoreEmail(ctx, "bounce@mx.example"); err != nil {
		t.Fatal(err)
	}
	if err := s.IgnoreEmail(ctx, "bounce@mx.example"); err != nil {
		t.Fatal(err)
	}
	if r := email("bounce@mx.example", "dora@x.example", "Re: ["+first.Code+"]", nil, nil); !r.Duplicate || r.Code != "" {
		t.Fatalf("an ignored email taken later: %+v", r)
	}
}

func countKind(th []Message, k MessageKind) int {
	n := 0
	for _, m := range th {
		if m.Kind == k {
			n++
		}
	}
	return n
}
