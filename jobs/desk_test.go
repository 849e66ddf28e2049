package jobs

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"helpline/store"
	"helpline/store/storetest"
)

func deskJob(t *testing.T, st *store.Store, name string) Job {
	t.Helper()
	for _, j := range Desk(st) {
		if j.Name == name {
			return j
		}
	}
	t.Fatalf("no job %q", name)
	return Job{}
}

// The job runs every 30 seconds: with nothing due it must leave the
// store's generation alone, or every kept page would be dropped each time.
func TestReturnPostponed_WritesOnlyWhenATicketIsDue(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(storetest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	st.SetClock(func() time.Time { return now })
	owner, err := st.SignUp(ctx, store.SignUpInput{Company: "Acme", Name: "Olivia Owner", Email: "owner@example.com", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	dept, err := st.CreateDepartment(ctx, owner.ID, store.DepartmentInput{Name: "Sales"})
	if err != nil {
		t.Fatal(err)
	}
	code, err := st.CreateTicket(ctx, nil, store.NewTicketInput{Subject: "Call me back", Body: "Tomorrow, please.",
		Channel: store.ChannelContactForm, DepartmentID: dept, ContactName: "Carla Customer", ContactEmail: "carla@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Postpone(ctx, owner.Viewer(), code, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	job := deskJob(t, st, "return postponed")

	gen := st.Generation()
	if err := job.Run(ctx, log); err != nil {
		t.Fatal(err)
	}
	if st.Generation() != gen {
		t.Fatalf("generation moved from %d to %d with nothing due", gen, st.Generation())
	}
	now = now.Add(2 * time.Hour)
	if err := job.Run(ctx, log); err != nil {
		t.Fatal(err)
	}
	if st.Generation() == gen {
		t.Fatal("returning a ticket left the generation where it was")
	}
	tk, err := st.TicketByCode(ctx, owner.Viewer(), code)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Status != store.TicketNew {
		t.Fatalf("ticket is %s after its time came, want new", tk.Status)
	}
	if !strings.Contains(logged.String(), "count=1") {
		t.Fatalf("the return was not logged: %s", logged.String())
	}
}
