package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"helpline/authz"
	"helpline/desk"
)

func contactInput(dept int64, i int) NewTicketInput {
	return NewTicketInput{Subject: fmt.Sprintf("Question %d", i), Body: fmt.Sprintf("Message number %d", i),
		Channel: ChannelContactForm, Priority: PriorityNormal, DepartmentID: dept,
		ContactName: "Carla Customer", ContactEmail: fmt.Sprintf("carla%d@example.com", i%5)}
}

// storedCodes lists the codes of every ticket in the database.
func storedCodes(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT code FROM tickets ORDER BY code`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// wantCreatedWhole checks that every ticket has its first message, counted,
// and its creation event, and that the kept counts equal counting.
func wantCreatedWhole(t *testing.T, db *sql.DB) {
	t.Helper()
	var bad int
	err := db.QueryRow(`SELECT count(*) FROM tickets t WHERE t.message_count <> 1
		OR (SELECT count(*) FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'customer') <> 1
		OR (SELECT count(*) FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'event' AND m.event = 'created') <> 1
		OR (SELECT count(*) FROM messages m WHERE m.ticket_id = t.id) <> 2`).Scan(&bad)
	if err != nil || bad != 0 {
		t.Fatalf("%d tickets without exactly their first message and creation event (err %v)", bad, err)
	}
	err = db.QueryRow(`SELECT count(*) FROM (SELECT department_id, status, count(*) AS n FROM tickets GROUP BY 1, 2) c
		FULL JOIN ticket_counts k USING (department_id, status) WHERE coalesce(c.n, 0) <> coalesce(k.n, 0)`).Scan(&bad)
	if err != nil || bad != 0 {
		t.Fatalf("%d kept counts differ from counting (err %v)", bad, err)
	}
}

func TestCreateTicket_ConcurrentCallsAreEachStoredOnce(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	const n = 64
	codes := make([]string, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			dept := w.sales
			if i%2 == 1 {
				dept = w.support
			}
			codes[i], errs[i] = s.CreateTicket(ctx, nil, contactInput(dept, i))
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("ticket %d: %v", i, err)
		}
	}
	slices.Sort(codes)
	if len(slices.Compact(slices.Clone(codes))) != n {
		t.Fatalf("codes are not distinct: %v", codes)
	}
	if got := storedCodes(t, s.r); !slices.Equal(got, codes) {
		t.Fatalf("stored %d tickets %v, acknowledged %d %v", len(got), got, n, codes)
	}
	wantCreatedWhole(t, s.r)
	for dept, want := range map[int64]int{w.sales: n / 2, w.support: n / 2} {
		counts, err := s.StatusCounts(ctx, w.adminV, dept)
		if err != nil {
			t.Fatal(err)
		}
		if counts[TicketNew] != want {
			t.Errorf("department %d counts %d new tickets, want %d", dept, counts[TicketNew], want)
		}
	}
}

func TestCreateTicket_UnknownDepartmentFailsAloneInItsBatch(t *testing.T) {
	w := newTicketWorld(t)
	s := w.s
	ann := w.annV
	batch := []*intakeRequest{
		{in: contactInput(w.sales, 1)},
		{in: contactInput(9999, 2)},                   // no such department
		{in: contactInput(w.support, 3), actor: &ann}, // not one of Ann's
		{in: contactInput(w.sales, 4), actor: &ann},
		// Fails at the ticket insert, after its new contact was written.
		{in: NewTicketInput{Subject: "x", Body: "x", Channel: ChannelEmail, Priority: 9, DepartmentID: w.sales,
			ContactName: "Lou Lost", ContactEmail: "lou@example.com"}},
	}
	for _, r := range batch {
		r.reply = make(chan intakeReply, 1)
	}
	gen := s.mem.gen.Load()
	s.writeBatch(s.intake, batch)
	// One commit moves the generation twice: before it and after it.
	if moved := s.mem.gen.Load() - gen; moved != 2 {
		t.Fatalf("the batch moved the generation by %d, want one commit (2)", moved)
	}
	var stored []string
	for i, r := range batch {
		rep := <-r.reply
		switch i {
		case 1, 2:
			if !errors.Is(rep.err, ErrNotFound) || rep.code != "" {
				t.Errorf("ticket %d: code %q, error %v; want ErrNotFound", i, rep.code, rep.err)
			}
		case 4:
			if rep.err == nil || rep.code != "" {
				t.Errorf("ticket with priority 9: code %q, error %v; want an error", rep.code, rep.err)
			}
		default:
			if rep.err != nil {
				t.Fatalf("ticket %d: %v", i, rep.err)
			}
			stored = append(stored, rep.code)
		}
	}
	slices.Sort(stored)
	if got := storedCodes(t, s.r); !slices.Equal(got, stored) {
		t.Fatalf("stored %v, want %v", got, stored)
	}
	wantCreatedWhole(t, s.r)
	var lost int
	s.r.QueryRow(`SELECT count(*) FROM contacts WHERE email = 'lou@example.com'`).Scan(&lost)
	if lost != 0 {
		t.Fatal("the contact of a failed ticket is stored: its savepoint was not rolled back")
	}
}

func TestCreateTicket_ConcurrentBadDepartmentsGetNotFoundOthersStored(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	const n = 64
	var mu sync.Mutex
	var acked []string
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dept := w.sales
			if i%8 == 0 {
				dept = -1
			}
			code, err := s.CreateTicket(ctx, nil, contactInput(dept, i))
			if dept < 0 {
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("ticket %d into no department: %q, %v; want ErrNotFound", i, code, err)
				}
				return
			}
			if err != nil {
				t.Errorf("ticket %d: %v", i, err)
				return
			}
			mu.Lock()
			acked = append(acked, code)
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(acked)
	if got := storedCodes(t, s.r); len(acked) != n-n/8 || !slices.Equal(got, acked) {
		t.Fatalf("stored %d tickets, acknowledged %d, want %d", len(got), len(acked), n-n/8)
	}
	wantCreatedWhole(t, s.r)
}

func TestClose_AnswersTicketsInFlightAndKeepsEveryAcknowledgedOne(t *testing.T) {
	path := filepath.Join(t.TempDir(), "close.db")
	ctx := context.Background()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	signUpOwner(t, s)
	dept := addDept(t, s, "Sales")

	const clients = 32
	var mu sync.Mutex
	var acked []string
	var others []error
	firstDone := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				code, err := s.CreateTicket(ctx, nil, contactInput(dept, c*1000+i))
				mu.Lock()
				if err == nil {
					acked = append(acked, code)
				} else if !errors.Is(err, ErrClosed) {
					others = append(others, err)
				}
				mu.Unlock()
				if err != nil {
					return
				}
				once.Do(func() { close(firstDone) })
			}
		}()
	}
	<-firstDone
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	allDone := make(chan struct{})
	go func() { wg.Wait(); close(allDone) }()
	select {
	case <-allDone:
	case <-time.After(20 * time.Second):
		t.Fatal("creating tickets still waits 20 s after Close")
	}
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("close: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Close hangs")
	}
	if len(others) > 0 {
		t.Fatalf("creations answered %v; want a code or ErrClosed", others)
	}
	if _, err := s.CreateTicket(ctx, nil, contactInput(dept, 0)); !errors.Is(err, ErrClosed) {
		t.Fatalf("creating after Close: %v, want ErrClosed", err)
	}

	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	slices.Sort(acked)
	if got := storedCodes(t, s2.r); !slices.Equal(got, acked) {
		t.Fatalf("after reopening: %d tickets stored, %d acknowledged", len(got), len(acked))
	}
	wantCreatedWhole(t, s2.r)
}

func TestCreateTicket_CancelledBeforeHandOverStoresNothing(t *testing.T) {
	w := newTicketWorld(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := w.s.CreateTicket(ctx, nil, contactInput(w.sales, 1)); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if got := storedCodes(t, w.s.r); len(got) != 0 {
		t.Fatalf("stored %v", got)
	}
}

func TestCreateTicket_RefusesInputThatBreaksTheIntakeRules(t *testing.T) {
	w := newTicketWorld(t)
	ctx := context.Background()
	rows := func() (n int) {
		t.Helper()
		if err := w.s.rd.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM tickets) + (SELECT count(*) FROM contacts)
			+ (SELECT count(*) FROM messages)`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := rows()
	for _, tc := range []struct {
		name  string
		actor *authz.Viewer
		in    func(*NewTicketInput)
		field desk.Field
	}{
		{"blank subject", nil, func(in *NewTicketInput) { in.Subject = "  " }, desk.FieldSubject},
		{"body with NUL", nil, func(in *NewTicketInput) { in.Body = "Hi\x00" }, desk.FieldBody},
		{"email with a display name", nil, func(in *NewTicketInput) { in.ContactEmail = "Eve <eve@example.com>" }, desk.FieldContactEmail},
		{"name turned around", nil, func(in *NewTicketInput) { in.ContactName = "Eve \u202egpj.exe" }, desk.FieldContactName},
		{"priority 9", nil, func(in *NewTicketInput) { in.Priority = 9 }, desk.FieldPriority},
		{"unknown channel", nil, func(in *NewTicketInput) { in.Channel = "fax" }, desk.FieldChannel},
		{"no department", nil, func(in *NewTicketInput) { in.DepartmentID = 0 }, desk.FieldDepartment},
		{"an agent logging a contact form ticket", &w.annV, func(*NewTicketInput) {}, desk.FieldChannel},
	} {
		in := contactInput(w.sales, 1)
		tc.in(&in)
		code, err := w.s.CreateTicket(ctx, tc.actor, in)
		var problems desk.FieldErrors
		if !errors.As(err, &problems) || len(problems) != 1 || problems[tc.field].MessageID == "" || code != "" {
			t.Errorf("%s: code %q, error %v; want a problem with %s only", tc.name, code, err, tc.field)
		}
	}
	if n := rows(); n != before {
		t.Fatalf("refused tickets wrote %d rows", n-before)
	}
	// What the rules tidy up is stored tidied, whoever called.
	in := contactInput(w.sales, 1)
	in.Subject, in.ContactName, in.Channel = "  Question  ", " Carla ", " call "
	code, err := w.s.CreateTicket(ctx, &w.annV, in)
	if err != nil {
		t.Fatal(err)
	}
	if tk, err := w.s.TicketByCode(ctx, w.adminV, code); err != nil || tk.Subject != "Question" || tk.Channel != ChannelCall {
		t.Fatalf("stored %+v, %v", tk, err)
	}
}
