package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"helpline/authz"
)

// reportState reads the kept report tables through the writer pool, in a
// transaction that may first run rebuild statements (and is always rolled
// back), so the same reads give the kept and the recounted figures.
func reportState(t *testing.T, s *Store, rebuild []string) (firsts, hours []string) {
	t.Helper()
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	{
		for _, q := range rebuild {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				t.Fatalf("rebuild: %v\n%s", err, q)
			}
		}
	}
	read := func(q string) []string {
		rows, err := tx.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(vals...))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	// The first assignee is left out: a rebuild can only take the assignee
	// now (the thread names, not numbers, whom a ticket went to); the test
	// checks it against its own record instead.
	firsts = read(`SELECT ticket_id, ' c', created_by, ' r', coalesce(first_reply_at, -1), first_reply_by,
		' a', coalesce(first_assign_at, -1), ' s', coalesce(first_resolve_at, -1), first_resolve_by,
		' kept', coalesce(first_reply_ms, -1), department_id, channel, hidden
		FROM ticket_firsts ORDER BY ticket_id`)
	hours = read(`SELECT at_hour, ' d', department_id, ' a', agent_id, ' ', channel, ' :', created, ' ', replied, ' ', reply_ms, ' ', assigned, ' ', assign_ms,
		' ', resolved, ' ', resolve_ms, ' ', answers, ' ', notes
		FROM report_hours WHERE created <> 0 OR replied <> 0 OR reply_ms <> 0 OR assigned <> 0 OR assign_ms <> 0
			OR resolved <> 0 OR resolve_ms <> 0 OR answers <> 0 OR notes <> 0
		ORDER BY at_hour, department_id, agent_id, channel`)
	return firsts, hours
}

// TestReportRollups_EqualARecountAfterRandomActions applies random sequences
// of ticket actions, with the clock moving on by minutes to hours between
// them, and checks the figures the triggers kept equal those counted afresh
// from the tickets and their threads.
func TestReportRollups_EqualARecountAfterRandomActions(t *testing.T) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			w := newTicketWorld(t)
			s, ctx := w.s, context.Background()
			// The days are cut in Warsaw, whose clocks go forward on 29
			// March while the actions run.
			setDeskZone(t, w, "Europe/Warsaw")
			rng := rand.New(rand.NewPCG(seed, 7))
			clock := time.Date(2026, 3, 28, 20, 0, 0, 0, time.UTC) // across a DST change in Europe
			s.SetClock(func() time.Time { return clock })
			agents := []Agent{w.ann, w.bob, w.both}
			depts := []int64{w.sales, w.support}
			var codes []string
			firstAssignee := map[string]int64{}
			act := func(i int) error {
				if len(codes) == 0 || rng.IntN(6) == 0 {
					d := depts[rng.IntN(2)]
					in := NewTicketInput{Subject: fmt.Sprint("Ticket ", i), Body: "Hello", Channel: ChannelContactForm,
						Priority: PriorityNormal, DepartmentID: d, ContactName: "Carla", ContactEmail: "carla@example.com"}
					var actor *authz.Viewer
					if rng.IntN(3) == 0 {
						v := w.both.Viewer()
						actor, in.Channel = &v, ChannelCall
					}
					code, err := s.CreateTicket(ctx, actor, in)
					codes = append(codes, code)
					return err
				}
				code := codes[rng.IntN(len(codes))]
				a := agents[rng.IntN(len(agents))]
				var err error
				switch rng.IntN(10) {
				case 0, 1:
					err = s.Reply(ctx, w.adminV, code, "reply")
					if rng.IntN(2) == 0 {
						err = s.Reply(ctx, a.Viewer(), code, "reply")
					}
				case 2:
					err = s.AddNote(ctx, a.Viewer(), code, "note")
				case 3:
					err = s.Assign(ctx, w.adminV, code, a.ID)
					if err == nil {
						if _, ok := firstAssignee[code]; !ok {
							firstAssignee[code] = a.ID
						}
					}
				case 4:
					err = s.Assign(ctx, w.adminV, code, 0)
				case 5:
					err = s.Transfer(ctx, w.adminV, code, depts[rng.IntN(2)])
				case 6:
					err = s.SetStatus(ctx, a.Viewer(), code, TicketResolved)
				case 7:
					err = s.SetStatus(ctx, w.adminV, code, []TicketStatus{TicketOpen, TicketSpam, TicketDeleted}[rng.IntN(3)])
				case 8:
					err = s.CustomerReply(ctx, code, "again")
				case 9:
					_, err = s.Bulk(ctx, w.adminV, []string{code, codes[rng.IntN(len(codes))]}, BulkAction{Status: TicketResolved})
				}
				if err != nil && (IsRule(err, RuleAssigneeNotMember) || IsRule(err, RuleSameDepartment) ||
					IsRule(err, RuleTicketDeleted) || errors.Is(err, ErrNotFound)) {
					return nil
				}
				return err
			}
			queue := newQueueModel()
			for i := range 150 {
				clock = clock.Add(time.Duration(rng.IntN(180)) * time.Minute)
				if err := act(i); err != nil {
					t.Fatalf("action %d: %v", i, err)
				}
				queue.observe(hourOf(clock), queueCounted(t, s))
			}
			queue.check(t, s)
			// ticket_firsts against a recount from the threads; the hours
			// against a recount from the kept firsts (whose first assignee
			// a thread cannot tell) and the threads.
			keptF, keptH := reportState(t, s, nil)
			wantF, _ := reportState(t, s, reportRebuildSQL)
			_, wantH := reportState(t, s, reportRebuildSQL[2:])
			if len(keptH) == 0 {
				t.Fatal("no figures kept at all")
			}
			if !slices.Equal(keptF, wantF) {
				t.Errorf("ticket_firsts differ from a recount:\nkept %q\nwant %q", keptF, wantF)
			}
			if !slices.Equal(keptH, wantH) {
				t.Errorf("report_hours differ from a recount:\nkept %q\nwant %q", keptH, wantH)
			}
			// The day rollups against a recount from the hours and firsts.
			keptD := dayState(t, s, nil)
			wantD := dayState(t, s, reportDaysRebuildSQL)
			if len(keptD) == 0 {
				t.Fatal("no day figures kept at all")
			}
			if !slices.Equal(keptD, wantD) {
				t.Errorf("report_days and report_reply_days differ from a recount:\nkept %q\nwant %q", keptD, wantD)
			}
			for code, want := range firstAssignee {
				var got int64
				if err := s.r.QueryRow(`SELECT f.first_assign_to FROM ticket_firsts f JOIN tickets t ON t.id = f.ticket_id WHERE t.code = ?`, code).Scan(&got); err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("ticket %s first assigned to %d, kept %d", code, want, got)
				}
			}
		})
	}
}

// queueModel is the Ticket load's queue as a test counts it from the
// tickets after every action: per key (department or 0, assignee or 0,
// channel or ”) the size now and per hour the largest, smallest and last.
type queueModel struct {
	level map[string]int64
	hours map[string]string // key and hour: "high low last"
	rows  map[string][3]int64
}

func newQueueModel() *queueModel {
	return &queueModel{level: map[string]int64{}, rows: map[string][3]int64{}}
}

// queueCounted counts the tickets New or Open under every key.
func queueCounted(t *testing.T, s *Store) map[string]int64 {
	t.Helper()
	rows, err := s.w.Query(`SELECT department_id, coalesce(assignee_id, 0), channel FROM tickets WHERE status IN ('new', 'open')`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var d, a int64
		var c string
		if err := rows.Scan(&d, &a, &c); err != nil {
			t.Fatal(err)
		}
		for _, dd := range []int64{0, d} {
			for _, aa := range slices.Compact([]int64{0, a}) {
				for _, cc := range []string{"", c} {
					out[fmt.Sprint(dd, " ", aa, " ", cc)]++
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func (m *queueModel) observe(hour int64, now map[string]int64) {
	keys := map[string]bool{}
	for k := range now {
		keys[k] = true
	}
	for k := range m.level {
		keys[k] = true
	}
	for k := range keys {
		before, after := m.level[k], now[k]
		if before == after {
			continue
		}
		id := fmt.Sprint(k, " @", hour)
		r, ok := m.rows[id]
		if !ok {
			r = [3]int64{max(before, after), min(before, after), after}
		}
		r = [3]int64{max(r[0], after), min(r[1], after), after}
		m.rows[id] = r
		m.level[k] = after
	}
}

// check compares the kept queue with the model.
func (m *queueModel) check(t *testing.T, s *Store) {
	t.Helper()
	read := func(q string) map[string]string {
		rows, err := s.w.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]string{}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				t.Fatal(err)
			}
			out[k] = v
		}
		return out
	}
	keptLevels := read(`SELECT department_id || ' ' || agent_id || ' ' || channel, '' || n FROM queue_levels WHERE n <> 0`)
	keptHours := read(`SELECT department_id || ' ' || agent_id || ' ' || channel || ' @' || at_hour, high || ' ' || low || ' ' || last FROM queue_hours`)
	wantLevels, wantHours := map[string]string{}, map[string]string{}
	for k, n := range m.level {
		if n != 0 {
			wantLevels[k] = fmt.Sprint(n)
		}
	}
	for k, r := range m.rows {
		wantHours[k] = fmt.Sprint(r[0], " ", r[1], " ", r[2])
	}
	if len(wantHours) == 0 {
		t.Fatal("the queue never changed")
	}
	// The Tags tab's creation time and replies of each ticket.
	keptTickets := read(`SELECT '' || ticket_id, created_at || ' ' || answers FROM ticket_firsts`)
	countedTickets := read(`SELECT '' || t.id, t.created_at || ' ' || (SELECT count(*) FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'reply') FROM tickets t`)
	if !maps.Equal(keptTickets, countedTickets) {
		t.Errorf("ticket_firsts' created_at and answers differ from a count:\nkept %v\nwant %v", keptTickets, countedTickets)
	}
	if !maps.Equal(keptLevels, wantLevels) {
		t.Errorf("queue_levels differ from a count:\nkept %v\nwant %v", keptLevels, wantLevels)
	}
	for k, want := range wantHours {
		if keptHours[k] != want {
			t.Errorf("queue_hours %s: kept %q, counted %q", k, keptHours[k], want)
		}
	}
	for k, kept := range keptHours {
		if _, ok := wantHours[k]; !ok {
			t.Errorf("queue_hours %s: kept %q, no change counted", k, kept)
		}
	}
}

// dayState reads the day rollups (rows left at zero are as good as none),
// after rebuild statements in a transaction rolled back.
func dayState(t *testing.T, s *Store, rebuild []string) []string {
	t.Helper()
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, q := range rebuild {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			t.Fatalf("rebuild: %v\n%s", err, q)
		}
	}
	var out []string
	for _, q := range []string{
		`SELECT grain, day, department_id, agent_id, channel, created, replied, reply_ms, assigned, assign_ms, resolved, resolve_ms, answers, notes
		FROM report_days WHERE created <> 0 OR replied <> 0 OR reply_ms <> 0 OR assigned <> 0 OR assign_ms <> 0
			OR resolved <> 0 OR resolve_ms <> 0 OR answers <> 0 OR notes <> 0
		ORDER BY grain, day, department_id, agent_id, channel`,
		`SELECT 'hist', grain, day, department_id, agent_id, channel, bucket, n FROM report_reply_days WHERE n <> 0
		ORDER BY grain, day, department_id, agent_id, channel, bucket`,
	} {
		rows, err := tx.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(vals...))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return out
}
