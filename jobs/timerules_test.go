package jobs

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"helpline/automation"
	"helpline/store"
	"helpline/store/storetest"
)

// The time rules' job runs every minute: it acts once on a ticket whose
// moment came, and a run with nothing to do leaves the kept pages alone.
func TestTimeRulesJob_ActsOnceAndKeepsPagesWhenIdle(t *testing.T) {
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
	if _, err := st.CreateTimeRule(ctx, owner.ID, store.TimeRuleInput{Active: true, Name: "Chase", ApplyWhen: automation.OlderThan, After: time.Hour,
		Definition: automation.Definition{Actions: []automation.Action{{Kind: automation.AddTag, Value: "chase"}}}}, ""); err != nil {
		t.Fatal(err)
	}
	code, err := st.CreateTicket(ctx, nil, store.NewTicketInput{Subject: "Call me back", Body: "Tomorrow, please.",
		Channel: store.ChannelContactForm, DepartmentID: dept, ContactName: "Carla Customer", ContactEmail: "carla@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	job := deskJob(t, st, "time rules")
	if job.Every != time.Minute {
		t.Fatalf("the job runs every %v, want a minute", job.Every)
	}

	now = now.Add(30 * time.Minute)
	// On PostgreSQL, until the store hears the database every read of the
	// generation is a new one.
	storetest.Eventually(t, "the store to hear the database", func() bool { return st.Generation() == st.Generation() })
	gen := st.Generation()
	if err := job.Run(ctx, log); err != nil {
		t.Fatal(err)
	}
	if st.Generation() != gen {
		t.Fatal("a run with nothing due moved the generation")
	}
	now = now.Add(31 * time.Minute)
	for range 2 {
		if err := job.Run(ctx, log); err != nil {
			t.Fatal(err)
		}
	}
	tk, err := st.TicketByCode(ctx, owner.Viewer(), code)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(tk.Tags, "chase") {
		t.Fatalf("ticket tags %q after an hour", tk.Tags)
	}
	if n := strings.Count(logged.String(), "time rules applied"); n != 1 {
		t.Fatalf("logged %d runs that applied, want 1: %s", n, logged.String())
	}
}
