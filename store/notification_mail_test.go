package store

import (
	"context"
	"database/sql"
	"errors"
	"testing"
)

// noticeMails counts the notification emails waiting for each agent.
func noticeMails(t *testing.T, s *Store) map[int64]int {
	t.Helper()
	rows, err := s.r.Query(`SELECT agent_id, count(*) FROM outbox WHERE agent_id IS NOT NULL GROUP BY agent_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		out[id] = n
	}
	return out
}

func setNotifyEmail(t *testing.T, s *Store, a Agent, on bool) {
	t.Helper()
	if err := s.UpdateProfile(context.Background(), a.ID, ProfileInput{Name: a.Name, Alias: a.Alias, Language: a.Language, NotifyEmail: on}, ""); err != nil {
		t.Fatal(err)
	}
	if got, err := s.NotifyByEmail(context.Background(), a.ID); err != nil || got != on {
		t.Fatalf("Email me my notifications of %s is %v (%v), want %v", a.Name, got, err, on)
	}
}

func TestNotificationMail_EachTriggerIsEmailedOnlyWhenAskedForAndMailIsOn(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	bea := w.both.Viewer()
	code := contactTicket(t, s, w.sales, "Parcel lost", "where is it")
	if on, _ := s.NotifyByEmail(ctx, w.both.ID); on {
		t.Fatal("Email me my notifications is on before the agent chose it")
	}

	// Mail off: Bea asked for emails, the top bar tells her, no email.
	setNotifyEmail(t, s, w.both, true)
	if err := s.Assign(ctx, w.annV, code, w.both.ID); err != nil {
		t.Fatal(err)
	}
	if n := noticeMails(t, s); len(n) != 0 {
		t.Fatalf("without mail settings %v notification emails were queued", n)
	}
	if err := s.SaveMailSettings(ctx, w.owner.ID, MailSettings{Host: "h", Port: 25, Security: SecurityNone, FromAddress: "help@acme.example"}, ""); err != nil {
		t.Fatal(err)
	}

	// Mail on, Bea asked: each trigger is one email to her.
	if err := s.Assign(ctx, w.annV, code, w.ann.ID); err != nil { // Ann's own action, and Ann did not ask
		t.Fatal(err)
	}
	if err := s.Assign(ctx, w.annV, code, w.both.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.CustomerReply(ctx, code, "any news?"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddNote(ctx, w.annV, code, "@Bea Both can you check?"); err != nil {
		t.Fatal(err)
	}
	if n := noticeMails(t, s); len(n) != 1 || n[w.both.ID] != 3 {
		t.Fatalf("notification emails %v, want 3 to Bea only", n)
	}
	due, err := s.DueNoticeMail(ctx, 10)
	if err != nil || len(due) != 3 {
		t.Fatalf("due %+v, %v", due, err)
	}
	want := []struct {
		kind  NotificationKind
		actor string
	}{{NotifyAssigned, "Ann Sales"}, {NotifyCustomerReply, "Carla Customer"}, {NotifyMention, "Ann Sales"}}
	for i, m := range due {
		if m.Kind != want[i].kind || m.Actor != want[i].actor || m.Code != code || m.Subject != "Parcel lost" ||
			m.ToEmail != "bea@example.com" || m.ToName != "Bea Both" || m.HeaderID == "" {
			t.Fatalf("email %d: %+v, want %s by %s", i, m, want[i].kind, want[i].actor)
		}
	}
	// They are not emails to the customer: not sent as replies, not shown
	// as the ticket's deliveries, never a thread's reference.
	if replies, _ := s.DueMail(ctx, 10); len(replies) != 0 {
		t.Fatalf("notification emails go out as replies: %+v", replies)
	}
	tk, _ := s.TicketByCode(ctx, bea, code)
	if ds, _ := s.Deliveries(ctx, tk.ID); len(ds) != 0 {
		t.Fatalf("the ticket page lists notification emails: %+v", ds)
	}

	// Bea's own actions: assigning herself, mentioning herself.
	if err := s.Assign(ctx, bea, code, w.ann.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Assign(ctx, bea, code, w.both.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.AddNote(ctx, bea, code, "note to self @Bea Both"); err != nil {
		t.Fatal(err)
	}
	if n := noticeMails(t, s); n[w.both.ID] != 3 {
		t.Fatalf("Bea's own actions emailed her: %v", n)
	}

	// Bob asked too, but may not see a Sales ticket: a mention of him is
	// never emailed.
	setNotifyEmail(t, s, w.bob, true)
	if err := s.AddNote(ctx, w.annV, code, "@Bob Support look"); err != nil {
		t.Fatal(err)
	}
	if n := noticeMails(t, s); n[w.bob.ID] != 0 {
		t.Fatalf("Bob is emailed about a ticket outside his departments: %v", n)
	}

	// Setting off: the notification only.
	setNotifyEmail(t, s, w.both, false)
	if err := s.CustomerReply(ctx, code, "hello?"); err != nil {
		t.Fatal(err)
	}
	if n := noticeMails(t, s); n[w.both.ID] != 3 {
		t.Fatalf("emailed with the setting off: %v", n)
	}
	if ns, _ := s.Notifications(ctx, bea, 50); len(ns) != 5 || ns[0].Kind != NotifyCustomerReply {
		t.Fatalf("Bea has %d notifications, want 5, the newest the answer", len(ns))
	}
	// An agent disabled before the emails go out is not written to.
	if _, err := s.w.Exec(`UPDATE agents SET status = 'disabled' WHERE id = ?`, w.both.ID); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueNoticeMail(ctx, 10); len(due) != 0 {
		t.Fatalf("emails to a disabled agent: %+v", due)
	}
}

// The email is written by the transaction that writes the notification:
// when that transaction does not commit, neither exists.
func TestNotificationMail_WrittenInTheTransactionOfTheChange(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	code := contactTicket(t, s, w.sales, "Parcel lost", "where is it")
	tk, _ := s.TicketByCode(ctx, w.annV, code)
	if err := s.SaveMailSettings(ctx, w.owner.ID, MailSettings{Host: "h", Port: 25, Security: SecurityNone, FromAddress: "help@acme.example"}, ""); err != nil {
		t.Fatal(err)
	}
	setNotifyEmail(t, s, w.both, true)
	boom := errors.New("the change fails after notifying")
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := notify(ctx, tx, w.both.ID, tk.ID, NotifyMention, w.ann.ID, s.nowMs()); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE agent_id = ?`, w.both.ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("inside the transaction %d emails (%v), want 1", n, err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if n := noticeMails(t, s); len(n) != 0 {
		t.Fatalf("a rolled-back notification left emails: %v", n)
	}
	if ns, _ := s.Notifications(ctx, w.both.Viewer(), 10); len(ns) != 0 {
		t.Fatalf("a rolled-back notification is listed: %+v", ns)
	}
	// A refused action (a note on a deleted ticket) writes neither.
	if err := s.SetStatus(ctx, w.annV, code, TicketDeleted); err != nil {
		t.Fatal(err)
	}
	if err := s.AddNote(ctx, w.annV, code, "@Bea Both"); err == nil {
		t.Fatal("a note on a deleted ticket was taken")
	}
	if n := noticeMails(t, s); len(n) != 0 {
		t.Fatalf("a refused note left emails: %v", n)
	}
}
