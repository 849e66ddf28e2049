package mail

import (
	"context"
	"testing"
	"time"

	"helpline/store"
)

// Once the account has ended the desk is read-only: the minute's mailbox
// check brings in nothing and leaves the mail on its server.
func TestCheckAll_AnEndedDeskLeavesTheMailOnTheServer(t *testing.T) {
	d := newIntakeDesk(t)
	ctx := context.Background()
	ends, err := d.st.StopAccount(ctx, d.owner.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	d.st.SetClock(func() time.Time { return ends.Add(time.Hour) })
	d.imap.Deliver(t, firstEmail)
	if err := CheckAll(ctx, d.st, 0); err != nil {
		t.Fatal(err)
	}
	if n := d.imap.Count(t); n != 1 {
		t.Fatalf("%d messages left on the server, want the one delivered", n)
	}
	page, err := d.st.Queue(ctx, d.owner.Viewer(), store.QueueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Tickets) != 0 {
		t.Fatalf("an ended desk took in %d tickets", len(page.Tickets))
	}
	// Before the end the same check takes it in.
	d.st.SetClock(func() time.Time { return ends.Add(-time.Hour) })
	if err := CheckAll(ctx, d.st, 0); err != nil {
		t.Fatal(err)
	}
	if n := d.imap.Count(t); n != 0 {
		t.Fatalf("%d messages left on the server before the end", n)
	}
}
