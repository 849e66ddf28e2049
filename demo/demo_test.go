package demo_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"helpline/authz"
	"helpline/demo"
	"helpline/store"
	"helpline/store/storetest"
)

var testHash = func() string {
	h, err := store.HashPassword("correct horse battery")
	if err != nil {
		panic(err)
	}
	return h
}()

func newStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(storetest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func fill(t *testing.T, s *store.Store, seed uint64) []demo.Account {
	t.Helper()
	accounts, err := demo.Fill(context.Background(), s, demo.Options{Tickets: 600, Departments: 4, Agents: 12, Admins: 2, PasswordHash: testHash, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return accounts
}

// TestFill_AccountsWorkInTheirDepartments: the Owner, then the
// Administrators, then Agents, each Agent seeing the departments listed.
func TestFill_AccountsWorkInTheirDepartments(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	accounts := fill(t, s, 7)
	if len(accounts) != 15 || accounts[0].Role != authz.RoleOwner || accounts[1].Role != authz.RoleAdmin ||
		accounts[3].Role != authz.RoleAgent || len(accounts[3].Departments) == 0 {
		t.Fatalf("accounts = %+v", accounts[:4])
	}
	for _, acc := range accounts {
		a, err := s.AgentByEmail(ctx, acc.Email)
		if err != nil || a.Name != acc.Name || a.Role != acc.Role || a.PasswordHash != testHash {
			t.Fatalf("account %+v: agent %+v, %v", acc, a, err)
		}
		if acc.Role != authz.RoleAgent {
			continue
		}
		depts, err := s.VisibleDepartments(ctx, a.Viewer())
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, d := range depts {
			names = append(names, d.Name)
		}
		slices.Sort(names)
		want := slices.Sorted(slices.Values(acc.Departments))
		if !slices.Equal(names, want) {
			t.Errorf("%s sees departments %v, want %v", acc.Email, names, want)
		}
	}
}

// TestFill_EveryStatusInTheQueue: the desk has tickets in every status,
// counted as the queue counts them.
func TestFill_EveryStatusInTheQueue(t *testing.T) {
	s := newStore(t)
	fill(t, s, 7)
	counts, err := s.StatusCounts(context.Background(), authz.Viewer{ID: 2, Perms: authz.BuiltinPerms(authz.RoleAdmin)}, 0)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, st := range store.TicketStatuses {
		if counts[st] == 0 {
			t.Errorf("no %s tickets: %v", st, counts)
		}
		total += counts[st]
	}
	if total != 600 {
		t.Fatalf("%d tickets counted, want 600", total)
	}
}

// TestFill_SameSeedSameDesk: a seed and a clock make one desk; another seed
// another.
func TestFill_SameSeedSameDesk(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	firstPage := func(seed uint64) []store.Ticket {
		s := newStore(t)
		s.SetClock(func() time.Time { return now })
		fill(t, s, seed)
		p, err := s.Queue(context.Background(), authz.Viewer{ID: 2, Perms: authz.BuiltinPerms(authz.RoleAdmin)}, store.QueueFilter{Limit: 200})
		if err != nil || len(p.Tickets) != 200 {
			t.Fatalf("first page: %d tickets, %v", len(p.Tickets), err)
		}
		return p.Tickets
	}
	a, b, other := firstPage(7), firstPage(7), firstPage(8)
	same := func(x, y []store.Ticket) bool {
		return slices.EqualFunc(x, y, func(p, q store.Ticket) bool {
			return p.Code == q.Code && p.Subject == q.Subject && p.Status == q.Status && p.Preview == q.Preview &&
				p.CreatedAt.Equal(q.CreatedAt) && p.UpdatedAt.Equal(q.UpdatedAt) && slices.Equal(p.Tags, q.Tags)
		})
	}
	if !same(a, b) {
		t.Fatal("the same seed made two different desks")
	}
	if same(a, other) {
		t.Fatal("another seed made the same desk")
	}
}

func TestFill_RefusesADeskWithAnAccount(t *testing.T) {
	s := newStore(t)
	fill(t, s, 7)
	if _, err := demo.Fill(context.Background(), s, demo.Options{Tickets: 1, PasswordHash: testHash}); !errors.Is(err, demo.ErrNotEmpty) {
		t.Fatalf("second fill: %v, want ErrNotEmpty", err)
	}
}

// TestFill_ReportsShowABusyWeekAndQuietWeekends: the demo desk's reports
// are filled, count every ticket, and look like a team's: weekdays busier
// than weekends, first answers within hours, days in the desk's zone.
func TestFill_ReportsShowABusyWeekAndQuietWeekends(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	fill(t, s, 7)
	set, err := s.Settings(ctx)
	if err != nil || set.TimeZone != demo.TimeZone {
		t.Fatalf("time zone %q, %v; want %s", set.TimeZone, err, demo.TimeZone)
	}
	loc, _ := time.LoadLocation(demo.TimeZone)
	now := time.Now()
	admin := authz.Viewer{ID: 2, Perms: authz.BuiltinPerms(authz.RoleAdmin)}
	o, err := s.ReportOverview(ctx, admin, store.ReportFilter{From: now.AddDate(-1, 0, -1), To: now.Add(time.Hour)}, loc)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := s.StatusCounts(ctx, admin, 0)
	if err != nil {
		t.Fatal(err)
	}
	shown := 600 - counts[store.TicketSpam] - counts[store.TicketDeleted] // reports leave these out
	if o.Totals.Created != int64(shown) || o.Totals.Answers == 0 || o.Totals.Resolved == 0 || o.Totals.Assigned == 0 {
		t.Fatalf("totals %+v, want %d tickets with answers, assignments and resolves", o.Totals, shown)
	}
	if avg := o.Totals.AvgReply(); avg < time.Minute || avg > 3*24*time.Hour {
		t.Errorf("new answer avg time %v", avg)
	}
	var weekday, weekend, weekdays, weekends int64
	for _, d := range o.Days {
		if wd := d.Day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			weekend, weekends = weekend+d.Created, weekends+1
		} else {
			weekday, weekdays = weekday+d.Created, weekdays+1
		}
	}
	if weekday*weekends < 3*weekend*weekdays {
		t.Errorf("%d tickets on %d weekdays, %d on %d weekend days: weekends should be much quieter", weekday, weekdays, weekend, weekends)
	}
}
