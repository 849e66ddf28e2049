package store

import (
	"bytes"
	"context"
	"errors"
	"helpline/authz"
	"testing"
)

func TestMailSettings_PasswordIsSealedAtRestAndKeptWhenNotGiven(t *testing.T) {
	w := newTicketWorld(t)
	ctx := context.Background()
	if _, err := w.s.MailSettings(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("mail configured on a new desk: %v", err)
	}
	in := MailSettings{Host: "smtp.example.com", Port: 587, Security: SecurityStartTLS, Username: "desk",
		Password: "correct horse battery", FromName: "Acme", FromAddress: "help@acme.example"}
	if err := w.s.SaveMailSettings(ctx, w.owner.ID, in, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	var raw []byte
	if err := w.s.r.QueryRowContext(ctx, `SELECT password FROM mail_settings`).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if len(raw) == 0 || bytes.Contains(raw, []byte("correct horse")) {
		t.Fatalf("the password is stored in clear: %q", raw)
	}
	got, err := w.s.MailSettings(ctx)
	if err != nil || got != in {
		t.Fatalf("read back %+v, %v", got, err)
	}
	in.Password, in.Port = "", 465
	if err := w.s.SaveMailSettings(ctx, w.owner.ID, in, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ = w.s.MailSettings(ctx); got.Password != "correct horse battery" || got.Port != 465 {
		t.Fatalf("after a save without password: %+v", got)
	}
	var n int
	if err := w.s.r.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'mail.settings' AND details NOT LIKE '%horse%'`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("audit entries without the password: %d, %v", n, err)
	}
}

func TestOutbox_ReplyQueuesItsEmailInTheSameTransactionOnlyWhenMailIsOn(t *testing.T) {
	w := newTicketWorld(t)
	ctx := context.Background()
	code, err := w.s.CreateTicket(ctx, nil, contactInput(w.sales, 1))
	if err != nil {
		t.Fatal(err)
	}
	count := func() (n int) {
		t.Helper()
		if err := w.s.r.QueryRowContext(ctx, `SELECT count(*) FROM outbox`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if err := w.s.Reply(ctx, w.annV, code, "no mail yet"); err != nil || count() != 0 {
		t.Fatalf("without mail settings: %v, %d emails queued", err, count())
	}
	if err := w.s.SaveMailSettings(ctx, w.owner.ID, MailSettings{Host: "h", Port: 25, Security: SecurityNone, FromAddress: "help@acme.example"}, ""); err != nil {
		t.Fatal(err)
	}
	if err := w.s.AddNote(ctx, w.annV, code, "note"); err != nil || count() != 0 {
		t.Fatalf("a note queued an email: %v, %d", err, count())
	}
	// A reply refused in its transaction leaves no email behind.
	if err := w.s.SetStatus(ctx, w.annV, code, TicketDeleted); err != nil {
		t.Fatal(err)
	}
	if err := w.s.Reply(ctx, w.annV, code, "to a deleted ticket"); !IsRule(err, RuleTicketDeleted) || count() != 0 {
		t.Fatalf("reply to a deleted ticket: %v, %d emails", err, count())
	}
	if err := w.s.SetStatus(ctx, w.annV, code, TicketOpen); err != nil {
		t.Fatal(err)
	}
	if err := w.s.Reply(ctx, w.annV, code, "with mail"); err != nil || count() != 1 {
		t.Fatalf("with mail settings: %v, %d emails queued", err, count())
	}
	due, err := w.s.DueMail(ctx, 10)
	if err != nil || len(due) != 1 || due[0].Body != "with mail" || due[0].Token == "" || due[0].Code != code {
		t.Fatalf("due mail %+v, %v", due, err)
	}
}

// The store refuses the mail server and the mailboxes to anyone without
// channels:manage, whatever screen let the request through.
func TestMailSettings_OnlyThoseWhoManageChannelsChangeThem(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	agent := addAgent(t, s, o.ID, "alice", authz.RoleAgent)
	dept, err := s.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "Support"})
	if err != nil {
		t.Fatal(err)
	}
	m := MailSettings{Host: "smtp.example.com", Port: 587, Security: "starttls", FromAddress: "help@example.com"}
	if err := s.SaveMailSettings(ctx, agent.ID, m, ""); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("an Agent saving the mail server: %v, want not permitted", err)
	}
	if got, _ := s.MailSettings(ctx); got.Host != "" {
		t.Fatalf("mail server after a refused save: %+v", got)
	}
	box := Mailbox{DepartmentID: dept, Host: "imap.example.com", Port: 993, Security: "tls", Username: "help", Password: "secret"}
	if _, err := s.AddMailbox(ctx, agent.ID, box, ""); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("an Agent adding a mailbox: %v, want not permitted", err)
	}
	admin := addAgent(t, s, o.ID, "adam", authz.RoleAdmin)
	if err := s.SaveMailSettings(ctx, admin.ID, m, ""); err != nil {
		t.Fatalf("an Administrator saving the mail server: %v", err)
	}
	id, err := s.AddMailbox(ctx, admin.ID, box, "")
	if err != nil {
		t.Fatalf("an Administrator adding a mailbox: %v", err)
	}
	if err := s.RemoveMailbox(ctx, agent.ID, id, ""); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("an Agent removing a mailbox: %v, want not permitted", err)
	}
	if boxes, _ := s.Mailboxes(ctx); len(boxes) != 1 {
		t.Fatalf("mailboxes after a refused removal: %d, want 1", len(boxes))
	}
}
