package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"helpline/bizhours"
)

// gold is Mon–Fri 9–17 in Warsaw with Christmas Eve off: first answer 1h,
// next answer 2h, resolution 8h of business time.
func gold(isDefault bool) SLALevel {
	l := SLALevel{Name: "Gold", FirstAnswer: time.Hour, NextAnswer: 2 * time.Hour, Resolution: 8 * time.Hour,
		TimeZone: "Europe/Warsaw", Holidays: []string{"2026-12-24"}, Default: isDefault}
	for d := time.Monday; d <= time.Friday; d++ {
		l.Week[d] = []bizhours.Interval{{Start: 9 * 60, End: 17 * 60}}
	}
	return l
}

func warsawAt(t *testing.T, day, h, m int) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(2026, 12, day, h, m, 0, 0, loc)
}

// wantClocks checks each target: a time is running with that due time,
// a duration is paused with that much left, nil is stopped.
func wantClocks(t *testing.T, s *Store, code string, want map[SLATarget]any, wantDue time.Time) {
	t.Helper()
	tk := wantTicket(t, s, code)
	got, err := s.TicketSLA(context.Background(), tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[SLATarget]bool{}
	for _, g := range got.Targets {
		seen[g.Target] = true
		switch w := want[g.Target].(type) {
		case time.Time:
			if g.Paused || !g.Due.Equal(w) {
				t.Errorf("%s: due %v paused %v, want due %v", g.Target, g.Due, g.Paused, w)
			}
		case time.Duration:
			if !g.Paused || g.Left != w {
				t.Errorf("%s: left %v paused %v, want paused with %v left", g.Target, g.Left, g.Paused, w)
			}
		default:
			t.Errorf("%s runs (%+v), want stopped", g.Target, g)
		}
	}
	for target, w := range want {
		if w != nil && !seen[target] {
			t.Errorf("%s is stopped, want %v", target, w)
		}
	}
	if due := tk.Due; !due.Equal(wantDue) && !(due.IsZero() && wantDue.IsZero()) {
		t.Errorf("ticket due %v, want %v", tk.Due, wantDue)
	}
}

func wantTicket(t *testing.T, s *Store, code string) Ticket {
	t.Helper()
	tk, err := s.TicketByCode(context.Background(), unscoped, code)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// The clocks through a ticket's life, with due times worked out by hand.
func TestSLAClocks_FollowBusinessHoursAndStatus(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	if _, err := s.CreateSLALevel(ctx, w.admin.ID, gold(true)); err != nil {
		t.Fatal(err)
	}
	now := warsawAt(t, 4, 16, 30) // Friday
	s.SetClock(func() time.Time { return now })
	at := func(day, h, m int) { now = warsawAt(t, day, h, m) }
	type clocks = map[SLATarget]any

	code := contactTicket(t, s, w.sales, "Printer", "It is on fire")
	// 30 minutes left on Friday: First answer Mon 9:30; Resolution 0.5h
	// Friday + 7.5h Monday = Mon 16:30.
	wantClocks(t, s, code, clocks{TargetFirstAnswer: warsawAt(t, 7, 9, 30), TargetResolution: warsawAt(t, 7, 16, 30)}, warsawAt(t, 7, 9, 30))

	at(7, 9, 0)
	if err := s.Postpone(ctx, w.annV, code, warsawAt(t, 7, 12, 0)); err != nil {
		t.Fatal(err)
	}
	// Postponed Mon 9:00: 30 minutes and 7.5 hours left, nothing due.
	wantClocks(t, s, code, clocks{TargetFirstAnswer: 30 * time.Minute, TargetResolution: 7*time.Hour + 30*time.Minute}, time.Time{})

	at(7, 11, 0)
	if err := s.CustomerReply(ctx, code, "Still burning"); err != nil {
		t.Fatal(err)
	}
	// Open again Mon 11:00: First answer 11:30; Resolution 6h Monday +
	// 1.5h Tuesday = Tue 10:30. No Next answer before the first.
	wantClocks(t, s, code, clocks{TargetFirstAnswer: warsawAt(t, 7, 11, 30), TargetResolution: warsawAt(t, 8, 10, 30)}, warsawAt(t, 7, 11, 30))

	at(7, 11, 15)
	if err := s.Reply(ctx, w.annV, code, "Extinguisher on its way"); err != nil {
		t.Fatal(err)
	}
	wantClocks(t, s, code, clocks{TargetResolution: warsawAt(t, 8, 10, 30)}, warsawAt(t, 8, 10, 30))

	at(8, 16, 30)
	if err := s.CustomerReply(ctx, code, "It arrived broken"); err != nil {
		t.Fatal(err)
	}
	// Next answer from Tue 16:30: 0.5h Tuesday + 1.5h Wednesday = Wed 10:30.
	// Resolution was due at 10:30 and is overdue.
	wantClocks(t, s, code, clocks{TargetNextAnswer: warsawAt(t, 9, 10, 30), TargetResolution: warsawAt(t, 8, 10, 30)}, warsawAt(t, 8, 10, 30))

	at(8, 16, 45)
	if err := s.SetStatus(ctx, w.annV, code, TicketResolved); err != nil {
		t.Fatal(err)
	}
	// Resolved: Next answer keeps 15m + 1.5h; the missed Resolution keeps none.
	wantClocks(t, s, code, clocks{TargetNextAnswer: time.Hour + 45*time.Minute, TargetResolution: time.Duration(0)}, time.Time{})

	at(24, 10, 0) // Christmas Eve, a holiday
	if err := s.CustomerReply(ctx, code, "Hello?"); err != nil {
		t.Fatal(err)
	}
	// Reopened: the waiting Next answer resumes (not restarted): Friday 25th
	// 9:00 + 1h45m = 10:45. Resolution is overdue at once.
	wantClocks(t, s, code, clocks{TargetNextAnswer: warsawAt(t, 25, 10, 45), TargetResolution: warsawAt(t, 24, 10, 0)}, warsawAt(t, 24, 10, 0))

	at(25, 10, 0)
	if err := s.Reply(ctx, w.annV, code, "Sorted"); err != nil {
		t.Fatal(err)
	}
	wantClocks(t, s, code, clocks{TargetResolution: warsawAt(t, 24, 10, 0)}, warsawAt(t, 24, 10, 0))
}

func TestSLA_NoDefaultLevelNoClocks(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	if _, err := s.CreateSLALevel(ctx, w.admin.ID, gold(false)); err != nil {
		t.Fatal(err)
	}
	code := contactTicket(t, s, w.sales, "Hello", "Hi")
	tk := wantTicket(t, s, code)
	got, err := s.TicketSLA(ctx, tk.ID)
	if err != nil || got.LevelID != 0 || len(got.Targets) != 0 || !tk.Due.IsZero() {
		t.Fatalf("ticket without default level: %+v, due %v, %v", got, tk.Due, err)
	}
	if _, err := s.DefaultSLALevel(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("default level = %v, want not found", err)
	}
}

// The rules' Change SLA level: the new level's targets from now.
func TestSetTicketSLALevel_StartsNewTargetsFromNow(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	now := warsawAt(t, 7, 10, 0) // Monday
	s.SetClock(func() time.Time { return now })
	goldID, err := s.CreateSLALevel(ctx, w.admin.ID, gold(false))
	if err != nil {
		t.Fatal(err)
	}
	code := contactTicket(t, s, w.sales, "Hello", "Hi")
	if err := s.SetTicketSLALevel(ctx, w.annV, code, goldID); err != nil {
		t.Fatal(err)
	}
	wantClocks(t, s, code, map[SLATarget]any{TargetFirstAnswer: warsawAt(t, 7, 11, 0), TargetResolution: warsawAt(t, 8, 10, 0)}, warsawAt(t, 7, 11, 0))
	if err := s.SetTicketSLALevel(ctx, w.bobV, code, goldID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("out of scope: %v, want not found", err)
	}
	if err := s.SetTicketSLALevel(ctx, w.annV, code, 0); err != nil {
		t.Fatal(err)
	}
	wantClocks(t, s, code, map[SLATarget]any{}, time.Time{})
}

func TestSLALevels_OneDefaultAndUniqueNames(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	first, err := s.CreateSLALevel(ctx, w.admin.ID, gold(true))
	if err != nil {
		t.Fatal(err)
	}
	silver := gold(true)
	silver.Name = "Silver"
	second, err := s.CreateSLALevel(ctx, w.admin.ID, silver)
	if err != nil {
		t.Fatal(err)
	}
	if l, err := s.DefaultSLALevel(ctx); err != nil || l.ID != second {
		t.Fatalf("default = %+v, %v; want Silver", l, err)
	}
	if _, err := s.CreateSLALevel(ctx, w.admin.ID, gold(false)); !errors.As(err, new(ErrConflict)) {
		t.Fatalf("second Gold: %v, want conflict", err)
	}
	// Only sla:manage writes levels, whatever route the call came by.
	if _, err := s.CreateSLALevel(ctx, w.ann.ID, gold(false)); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("an Agent creates a level: %v, want RuleNotPermitted", err)
	}
	if err := s.UpdateSLALevel(ctx, w.ann.ID, SLALevel{ID: first, Name: "Taken"}); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("an Agent changes a level: %v, want RuleNotPermitted", err)
	}
	l, err := s.SLALevel(ctx, first)
	if err != nil || l.Default || l.FirstAnswer != time.Hour || len(l.Week[time.Monday]) != 1 || l.Holidays[0] != "2026-12-24" {
		t.Fatalf("Gold = %+v, %v", l, err)
	}
}

// The Due order and the Overdue filter, in the viewer's scope.
func TestQueueDue_SortsByDueAndFiltersOverdue(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	now := warsawAt(t, 7, 9, 0) // Monday
	s.SetClock(func() time.Time { return now })
	if _, err := s.CreateSLALevel(ctx, w.admin.ID, gold(true)); err != nil {
		t.Fatal(err)
	}
	late := contactTicket(t, s, w.sales, "Late", "first") // due 10:00
	now = warsawAt(t, 7, 9, 30)
	soon := contactTicket(t, s, w.sales, "Soon", "second") // due 10:30
	now = warsawAt(t, 7, 9, 45)
	other := contactTicket(t, s, w.support, "Support", "third") // due 10:45
	now = warsawAt(t, 7, 9, 50)
	answered := contactTicket(t, s, w.sales, "Answered", "fourth") // no clock after the reply but Resolution
	if err := s.Reply(ctx, w.annV, answered, "Done"); err != nil {
		t.Fatal(err)
	}
	codes := func(p QueuePage) []string {
		var out []string
		for _, tk := range p.Tickets {
			out = append(out, tk.Code)
		}
		return out
	}
	page, err := s.Queue(ctx, w.adminV, QueueFilter{Sort: SortDue})
	if err != nil {
		t.Fatal(err)
	}
	// Resolution of "answered": 8h from Mon 9:50 = Tue 9:50, the latest.
	if got, want := codes(page), []string{late, soon, other, answered}; !slices.Equal(got, want) {
		t.Fatalf("Due order %v, want %v", got, want)
	}
	// Paging by (due, id).
	first, err := s.Queue(ctx, w.adminV, QueueFilter{Sort: SortDue, Limit: 2})
	if err != nil || first.Next.IsZero() {
		t.Fatalf("first page %v, %v", codes(first), err)
	}
	second, err := s.Queue(ctx, w.adminV, QueueFilter{Sort: SortDue, Limit: 2, After: first.Next})
	if err != nil || !slices.Equal(codes(second), []string{other, answered}) {
		t.Fatalf("second page %v, %v", codes(second), err)
	}
	now = warsawAt(t, 7, 10, 30) // "late" is overdue, "soon" due this minute
	overdue, err := s.Queue(ctx, w.adminV, QueueFilter{Overdue: true})
	if err != nil || !slices.Equal(codes(overdue), []string{late, soon}) {
		t.Fatalf("Overdue %v, %v", codes(overdue), err)
	}
	// Ann sees Sales only.
	mine, err := s.Queue(ctx, w.annV, QueueFilter{Sort: SortDue})
	if err != nil || !slices.Equal(codes(mine), []string{late, soon, answered}) {
		t.Fatalf("Ann's Due order %v, %v", codes(mine), err)
	}
}

// A postponement that ends by itself (the background job) resumes the
// clocks with the business time they kept.
func TestSLAClocks_ResumeWhenPostponementEnds(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	now := warsawAt(t, 7, 10, 0) // Monday
	s.SetClock(func() time.Time { return now })
	if _, err := s.CreateSLALevel(ctx, w.admin.ID, gold(true)); err != nil {
		t.Fatal(err)
	}
	code := contactTicket(t, s, w.sales, "Printer", "Paper jam")
	now = warsawAt(t, 7, 10, 30)
	if err := s.Postpone(ctx, w.annV, code, warsawAt(t, 7, 12, 0)); err != nil {
		t.Fatal(err)
	}
	// Left: 30 minutes of First answer; Resolution 6.5h Monday + 1h Tuesday.
	wantClocks(t, s, code, map[SLATarget]any{TargetFirstAnswer: 30 * time.Minute, TargetResolution: 7*time.Hour + 30*time.Minute}, time.Time{})
	now = warsawAt(t, 7, 12, 5)
	if n, err := s.ReturnPostponed(ctx); err != nil || n != 1 {
		t.Fatalf("returned %d, %v", n, err)
	}
	// Resumed at 12:05: First answer 12:35; Resolution 4h55m Monday +
	// 2h35m Tuesday = Tue 11:35.
	wantClocks(t, s, code, map[SLATarget]any{TargetFirstAnswer: warsawAt(t, 7, 12, 35), TargetResolution: warsawAt(t, 8, 11, 35)}, warsawAt(t, 7, 12, 35))
}
