package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"helpline/authz"
)

// loadWant is the Ticket load expected at some hours of a period (by
// index); every other hour has nothing created, a queue of 0 and nobody
// signed in.
type loadWant map[int]struct{ created, high, low, signedIn int64 }

// TestReportTicketLoad_Definitions reads the Ticket load of 11 January in
// Warsaw (UTC 10 Jan 23:00 to 11 Jan 23:00, hour 0 to 23) from the report
// desk, where the queue (New + Open) goes: A new at 23:30 and answered at
// 00:30 (hours 0, 1); A open again at 03:30 and answered at 04:30 (hours
// 4, 5, assigned to Ann by then); B, Bea's call to Support, at 10:00 and
// answered at 10:30 (hour 11); C new in Support at 12:00 (hour 13), still
// there. Ann signs in at 08:10 and uses the desk at 09:20 and 11:50 (hours
// 9 to 12); Bob signs in at 20:05 (hour 21).
func TestReportTicketLoad_Definitions(t *testing.T) {
	d := newReportDesk(t)
	s, ctx := d.s, context.Background()
	clock := time.Date(2026, 1, 11, 8, 10, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return clock })
	if err := s.CreateSession(ctx, "ann-token", d.ann.ID, false, "", ""); err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{time.Date(2026, 1, 11, 9, 20, 0, 0, time.UTC), time.Date(2026, 1, 11, 11, 50, 0, 0, time.UTC)} {
		clock = at
		se, err := s.SessionByToken(ctx, "ann-token")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.TouchSession(ctx, se); err != nil {
			t.Fatal(err)
		}
	}
	clock = time.Date(2026, 1, 11, 20, 5, 0, 0, time.UTC)
	if err := s.CreateSession(ctx, "bob-token", d.bob.ID, false, "", ""); err != nil {
		t.Fatal(err)
	}

	with := func(fn func(*ReportFilter)) ReportFilter { f := d.jan11; fn(&f); return f }
	type hour = struct{ created, high, low, signedIn int64 }
	whole := loadWant{0: {1, 1, 0, 0}, 1: {0, 1, 0, 0}, 4: {0, 1, 0, 0}, 5: {0, 1, 0, 0}, 9: {0, 0, 0, 1}, 10: {0, 0, 0, 1},
		11: {1, 1, 0, 1}, 12: {0, 0, 0, 1}, 13: {1, 1, 0, 0}, 21: {0, 1, 1, 1}}
	for h := 14; h < 24; h++ {
		if h != 21 {
			whole[h] = hour{0, 1, 1, 0}
		}
	}
	for _, tc := range []struct {
		name string
		v    authz.Viewer
		f    ReportFilter
		want loadWant
	}{
		{"the whole desk", d.adminV, d.jan11, whole},
		// The queue keeps its history: B was in Support's queue, and is
		// counted as created in Sales, where it is now.
		{"a department: its queue then, its members signed in", d.adminV, with(func(f *ReportFilter) { f.DepartmentID = d.sales }),
			loadWant{0: {1, 1, 0, 0}, 1: {0, 1, 0, 0}, 4: {0, 1, 0, 0}, 5: {0, 1, 0, 0}, 9: {0, 0, 0, 1}, 10: {0, 0, 0, 1},
				11: {1, 0, 0, 1}, 12: {0, 0, 0, 1}}},
		{"support: Bob signed in, C waiting", d.adminV, with(func(f *ReportFilter) { f.DepartmentID = d.support }),
			func() loadWant {
				w := loadWant{11: {0, 1, 0, 0}, 13: {1, 1, 0, 0}}
				for h := 14; h < 24; h++ {
					w[h] = hour{0, 1, 1, map[bool]int64{true: 1}[h == 21]}
				}
				return w
			}()},
		{"calls", d.adminV, with(func(f *ReportFilter) { f.Channel = ChannelCall }),
			loadWant{9: {0, 0, 0, 1}, 10: {0, 0, 0, 1}, 11: {1, 1, 0, 1}, 12: {0, 0, 0, 1}, 21: {0, 0, 0, 1}}},
		{"an Agent: the tickets assigned to them, whether they were signed in", d.annV, d.jan11,
			loadWant{4: {0, 1, 0, 0}, 5: {0, 1, 0, 0}, 9: {0, 0, 0, 1}, 10: {0, 0, 0, 1}, 11: {0, 0, 0, 1}, 12: {0, 0, 0, 1}}},
		{"an agent chosen by an Administrator", d.adminV, with(func(f *ReportFilter) { f.AgentID = d.bob.ID }),
			loadWant{21: {0, 0, 0, 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hours, err := s.ReportTicketLoad(ctx, tc.v, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(hours) != 24 || !hours[0].Hour.Equal(d.jan11.From) {
				t.Fatalf("%d hours from %v, want 24 from %v", len(hours), hours[0].Hour, d.jan11.From)
			}
			for i, h := range hours {
				want := tc.want[i]
				got := hour{h.Created, h.QueueHigh, h.QueueLow, h.SignedIn}
				if got != want || !h.QueueKnown {
					t.Errorf("hour %d (%s UTC): created, high, low, signed in %v (known %v), want %v",
						i, h.Hour.UTC().Format("15:04"), got, h.QueueKnown, want)
				}
			}
		})
	}
	if _, err := s.ReportTicketLoad(ctx, d.annV, with(func(f *ReportFilter) { f.AgentID = d.bob.ID })); !errors.Is(err, ErrNotFound) {
		t.Errorf("an Agent asking for Bob's load: %v, want not found", err)
	}
}

// TestReportTicketLoad_HoursBeforeTheQueueWasKeptAreUnknown: after a bulk
// load the queue's history starts at the load's last message.
func TestReportTicketLoad_HoursBeforeTheQueueWasKeptAreUnknown(t *testing.T) {
	d := newReportDesk(t)
	ctx := context.Background()
	for _, q := range queueRebuildSQL {
		if _, err := d.s.w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	d.s.forgetReads()
	hours, err := d.s.ReportTicketLoad(ctx, d.adminV, d.jan11)
	if err != nil {
		t.Fatal(err)
	}
	// The last message is B's transfer at 13:00 UTC: hour 14.
	for i, h := range hours {
		if h.QueueKnown != (i >= 14) {
			t.Errorf("hour %d known %v", i, h.QueueKnown)
		}
		if i >= 14 && (h.QueueHigh != 1 || h.QueueLow != 1) {
			t.Errorf("hour %d queue %d-%d, want 1", i, h.QueueLow, h.QueueHigh)
		}
	}
}
