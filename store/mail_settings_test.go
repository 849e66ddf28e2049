package store

import (
	"bytes"
	"context"
	"errors"
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
