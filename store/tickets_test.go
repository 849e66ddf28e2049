package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"helpline/authz"
	"slices"
	"testing"
	"time"
)

// addMember inserts an agent directly (the agents screens live elsewhere)
// and makes them a ticket-serving member of depts.
func addMember(t *testing.T, s *Store, name, email string, role authz.Role, depts ...int64) Agent {
	t.Helper()
	ctx := context.Background()
	now := s.nowMs()
	builtin, customID := roleColumns(role)
	var id int64
	if err := s.w.QueryRowContext(ctx, `INSERT INTO agents (name, email, role, custom_role_id, status, password_hash, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'active', ?, ?, ?) RETURNING id`, name, NormalizeEmail(email), builtin, customID, testHash, now, now).Scan(&id); err != nil {
		t.Fatal(err)
	}
	for _, d := range depts {
		if err := s.SetMember(ctx, fixtureOwner(t, s), d, id, Channels{Tickets: true}); err != nil {
			t.Fatal(err)
		}
	}
	a, err := s.AgentByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func addDept(t *testing.T, s *Store, name string) int64 {
	t.Helper()
	id, err := s.CreateDepartment(context.Background(), fixtureOwner(t, s), DepartmentInput{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// fixtureOwner is the account's first Owner, who sets up departments.
func fixtureOwner(t *testing.T, s *Store) int64 {
	t.Helper()
	var id int64
	if err := s.w.QueryRow(`SELECT id FROM agents WHERE role = 'owner' ORDER BY id LIMIT 1`).Scan(&id); err != nil {
		t.Fatalf("fixtures need an Owner first: %v", err)
	}
	return id
}

func contactTicket(t *testing.T, s *Store, dept int64, subject, body string) string {
	t.Helper()
	code, err := s.CreateTicket(context.Background(), nil, NewTicketInput{Subject: subject, Body: body, Channel: ChannelContactForm,
		Priority: PriorityNormal, DepartmentID: dept, ContactName: "Carla Customer", ContactEmail: "carla@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func wantStatus(t *testing.T, s *Store, code string, want TicketStatus) Ticket {
	t.Helper()
	tk, err := s.TicketByCode(context.Background(), authz.Viewer{Perms: authz.BuiltinPerms(authz.RoleOwner)}, code)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Status != want {
		t.Fatalf("ticket %s is %s, want %s", code, tk.Status, want)
	}
	return tk
}

// ticketWorld is a desk with two departments, an Agent in each, an Agent in
// both, and an Administrator.
type ticketWorld struct {
	s                  *Store
	sales, support     int64
	owner, admin       Agent
	ann, bob, both     Agent
	annV, bobV, adminV authz.Viewer
}

func newTicketWorld(t *testing.T) *ticketWorld {
	t.Helper()
	return newTicketWorldOn(t, newTestStore(t))
}

// newTicketWorldOn builds the same world on the store s.
func newTicketWorldOn(t *testing.T, s *Store) *ticketWorld {
	t.Helper()
	w := &ticketWorld{s: s, owner: signUpOwner(t, s)}
	w.sales, w.support = addDept(t, s, "Sales"), addDept(t, s, "Support")
	w.admin = addMember(t, s, "Adam Admin", "adam@example.com", authz.RoleAdmin)
	w.ann = addMember(t, s, "Ann Sales", "ann@example.com", authz.RoleAgent, w.sales)
	w.bob = addMember(t, s, "Bob Support", "bob@example.com", authz.RoleAgent, w.support)
	w.both = addMember(t, s, "Bea Both", "bea@example.com", authz.RoleAgent, w.sales, w.support)
	w.annV, w.bobV, w.adminV = w.ann.Viewer(), w.bob.Viewer(), w.admin.Viewer()
	return w
}

func TestTicketCode_LooksLikeThePublicFormat(t *testing.T) {
	for range 100 {
		c := NewTicketCode()
		if len(c) != 13 || c[3] != '-' || c[9] != '-' {
			t.Fatalf("code %q is not like XKB-4F2QD-9TR", c)
		}
		for i, r := range c {
			if i != 3 && i != 9 && !(r >= 'A' && r <= 'Z' || r >= '2' && r <= '9') {
				t.Fatalf("code %q has %q", c, r)
			}
		}
	}
}

func TestTicketStatus_FollowsSpecTransitions(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	code := contactTicket(t, s, w.sales, "Invoice is wrong", "Please check invoice 42")
	tk := wantStatus(t, s, code, TicketNew)
	if tk.UpdatedByName != "Carla Customer" || tk.MessageCount != 1 || tk.Preview != "Please check invoice 42" {
		t.Fatalf("new ticket = %+v", tk)
	}

	steps := []struct {
		name string
		do   func() error
		want TicketStatus
	}{
		{"agent reply answers", func() error { return s.Reply(ctx, w.annV, code, "We are on it") }, TicketAnswered},
		{"customer reply opens answered", func() error { return s.CustomerReply(ctx, code, "Any news?") }, TicketOpen},
		{"note keeps status", func() error { return s.AddNote(ctx, w.annV, code, "call them") }, TicketOpen},
		{"resolve", func() error { return s.SetStatus(ctx, w.annV, code, TicketResolved) }, TicketResolved},
		{"customer reply opens resolved", func() error { return s.CustomerReply(ctx, code, "Still wrong") }, TicketOpen},
		{"postpone", func() error { return s.Postpone(ctx, w.annV, code, time.Now().Add(time.Hour)) }, TicketPostponed},
		{"customer reply opens postponed", func() error { return s.CustomerReply(ctx, code, "Hello?") }, TicketOpen},
		{"spam", func() error { return s.SetStatus(ctx, w.annV, code, TicketSpam) }, TicketSpam},
		{"customer reply leaves spam alone", func() error { return s.CustomerReply(ctx, code, "buy now") }, TicketSpam},
		{"delete", func() error { return s.SetStatus(ctx, w.annV, code, TicketDeleted) }, TicketDeleted},
		{"reopen", func() error { return s.SetStatus(ctx, w.annV, code, TicketOpen) }, TicketOpen},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		wantStatus(t, s, code, st.want)
	}
	if err := s.SetStatus(ctx, w.annV, code, TicketAnswered); !IsRule(err, RuleStatusNotSettable) {
		t.Fatalf("setting Answered by hand: %v, want RuleStatusNotSettable", err)
	}
	if err := s.Postpone(ctx, w.annV, code, time.Now().Add(-time.Minute)); !IsRule(err, RulePostponeInPast) {
		t.Fatalf("postpone into the past: %v, want RulePostponeInPast", err)
	}

	tk = wantStatus(t, s, code, TicketOpen)
	if tk.UpdatedByName != "Ann Sales" || tk.SortKey != sortKey(TicketOpen, PriorityNormal, tk.CreatedAt.UnixMilli()) {
		t.Fatalf("after reopen: updated by %q, sort key %d", tk.UpdatedByName, tk.SortKey)
	}
	thread, err := s.Thread(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []MessageKind
	var statusEvents int
	for _, m := range thread {
		kinds = append(kinds, m.Kind)
		if m.Event == EventStatus || m.Event == EventPostponed {
			statusEvents++
			if m.AuthorName == "" {
				t.Fatalf("status event without an author: %+v", m)
			}
		}
	}
	if statusEvents != 9 || kinds[0] != KindCustomer || kinds[1] != KindEvent || !slices.Contains(kinds, KindNote) || !slices.Contains(kinds, KindReply) {
		t.Fatalf("thread kinds %v with %d status events, want 9", kinds, statusEvents)
	}
}

func TestReturnPostponed_NewComesBackNewOthersOpen(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	now := time.Now()
	s.SetClock(func() time.Time { return now })
	wasNew := contactTicket(t, s, w.sales, "A", "a")
	wasAnswered := contactTicket(t, s, w.sales, "B", "b")
	later := contactTicket(t, s, w.sales, "C", "c")
	if err := s.Reply(ctx, w.annV, wasAnswered, "hi"); err != nil {
		t.Fatal(err)
	}
	for code, until := range map[string]time.Duration{wasNew: time.Hour, wasAnswered: time.Hour, later: 3 * time.Hour} {
		if err := s.Postpone(ctx, w.annV, code, now.Add(until)); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.ReturnPostponed(ctx); err != nil || n != 0 {
		t.Fatalf("return before time: %d, %v", n, err)
	}
	now = now.Add(2 * time.Hour)
	if n, err := s.ReturnPostponed(ctx); err != nil || n != 2 {
		t.Fatalf("return after 2h: %d, %v; want 2", n, err)
	}
	wantStatus(t, s, wasNew, TicketNew)
	tk := wantStatus(t, s, wasAnswered, TicketOpen)
	wantStatus(t, s, later, TicketPostponed)
	if tk.UpdatedByName != "Ann Sales" {
		t.Fatalf("the system's return changed the last human change to %q", tk.UpdatedByName)
	}
	if tk.SortKey != sortKey(TicketOpen, PriorityNormal, tk.CreatedAt.UnixMilli()) {
		t.Fatal("returned ticket keeps a postponed sort key")
	}
}

// The check runs every 30 seconds: with nothing due it must not commit,
// or every kept page would be dropped each time it runs.
func TestReturnPostponed_NothingDueLeavesGenerationAlone(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	now := time.Now()
	s.SetClock(func() time.Time { return now })
	code := contactTicket(t, s, w.sales, "A", "a")
	if err := s.Postpone(ctx, w.annV, code, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	gen, sessGen := s.Generation(), s.sessGen.Load()
	if n, err := s.ReturnPostponed(ctx); err != nil || n != 0 {
		t.Fatalf("nothing due: %d, %v", n, err)
	}
	if n, err := s.PurgeSessions(ctx); err != nil || n != 0 {
		t.Fatalf("nothing expired: %d, %v", n, err)
	}
	if s.Generation() != gen || s.sessGen.Load() != sessGen {
		t.Fatalf("generations moved from %d/%d to %d/%d with nothing to do", gen, sessGen, s.Generation(), s.sessGen.Load())
	}
	now = now.Add(2 * time.Hour)
	if n, err := s.ReturnPostponed(ctx); err != nil || n != 1 {
		t.Fatalf("one due: %d, %v", n, err)
	}
	if s.Generation() == gen {
		t.Fatal("returning a ticket left the generation where it was")
	}
	wantStatus(t, s, code, TicketNew)
}

func TestTickets_AgentSeesAndTouchesOnlyOwnDepartments(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	salesCode := contactTicket(t, s, w.sales, "Price list", "send prices")
	supportCode := contactTicket(t, s, w.support, "Broken widget", "widget broken")

	if _, err := s.TicketByCode(ctx, w.annV, supportCode); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Ann reads a Support ticket: %v, want ErrNotFound", err)
	}
	if _, err := s.TicketByCode(ctx, w.annV, "NOP-NOPNO-NOP"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing ticket: %v, want ErrNotFound", err)
	}
	for _, b := range []authz.Viewer{w.bothVOf(), w.adminV, w.owner.Viewer()} {
		if _, err := s.TicketByCode(ctx, b, supportCode); err != nil {
			t.Fatalf("viewer %+v cannot read a Support ticket: %v", b, err)
		}
	}
	actions := map[string]func() error{
		"reply":    func() error { return s.Reply(ctx, w.annV, supportCode, "x") },
		"note":     func() error { return s.AddNote(ctx, w.annV, supportCode, "x") },
		"resolve":  func() error { return s.SetStatus(ctx, w.annV, supportCode, TicketResolved) },
		"postpone": func() error { return s.Postpone(ctx, w.annV, supportCode, time.Now().Add(time.Hour)) },
		"assign":   func() error { return s.Assign(ctx, w.annV, supportCode, w.bob.ID) },
		"transfer": func() error { return s.Transfer(ctx, w.annV, supportCode, w.sales) },
		"tag":      func() error { return s.AddTag(ctx, w.annV, supportCode, "x") },
		"untag":    func() error { return s.RemoveTag(ctx, w.annV, supportCode, "x") },
	}
	for name, do := range actions {
		if err := do(); !errors.Is(err, ErrNotFound) {
			t.Errorf("Ann's %s on a Support ticket: %v, want ErrNotFound", name, err)
		}
	}
	wantStatus(t, s, supportCode, TicketNew)

	if _, err := s.CreateTicket(ctx, &w.annV, NewTicketInput{Subject: "x", Body: "x", Channel: ChannelCall, DepartmentID: w.support,
		ContactName: "X", ContactEmail: "x@example.com"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Ann logs a ticket into Support: %v, want ErrNotFound", err)
	}

	page, err := s.Queue(ctx, w.annV, QueueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Tickets) != 1 || page.Tickets[0].Code != salesCode {
		t.Fatalf("Ann's queue = %v, want only the Sales ticket", codes(page.Tickets))
	}
	if page, _ := s.Queue(ctx, w.annV, QueueFilter{DepartmentID: w.support}); len(page.Tickets) != 0 {
		t.Fatalf("Ann filtering on Support sees %v", codes(page.Tickets))
	}
	if page, _ := s.Queue(ctx, w.annV, QueueFilter{Search: "widget"}); len(page.Tickets) != 0 {
		t.Fatalf("Ann's search finds %v in Support", codes(page.Tickets))
	}
	counts, err := s.StatusCounts(ctx, w.annV, 0)
	if err != nil || counts[TicketNew] != 1 {
		t.Fatalf("Ann's counts = %v, %v; want 1 New", counts, err)
	}
	if counts, _ := s.StatusCounts(ctx, w.adminV, 0); counts[TicketNew] != 2 {
		t.Fatalf("admin's counts = %v, want 2 New", counts)
	}
	if page, _ := s.Queue(ctx, w.adminV, QueueFilter{}); len(page.Tickets) != 2 {
		t.Fatalf("admin's queue = %v, want both", codes(page.Tickets))
	}
}

func (w *ticketWorld) bothVOf() authz.Viewer { return w.both.Viewer() }

func codes(ts []Ticket) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Code)
	}
	return out
}

func TestAssignAndTransfer_FollowDepartments(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	code := contactTicket(t, s, w.sales, "Q", "q")
	if err := s.Assign(ctx, w.annV, code, w.bob.ID); !IsRule(err, RuleAssigneeNotMember) {
		t.Fatalf("assign to Bob (Support only): %v, want RuleAssigneeNotMember", err)
	}
	if err := s.Assign(ctx, w.annV, code, w.both.ID); err != nil {
		t.Fatal(err)
	}
	if tk := wantStatus(t, s, code, TicketNew); tk.AssigneeID != w.both.ID || tk.AssigneeName != "Bea Both" {
		t.Fatalf("assignee = %d %q", tk.AssigneeID, tk.AssigneeName)
	}
	if err := s.Transfer(ctx, w.adminV, code, w.sales); !IsRule(err, RuleSameDepartment) {
		t.Fatalf("transfer to the same department: %v", err)
	}
	if err := s.Transfer(ctx, w.adminV, code, w.support); err != nil {
		t.Fatal(err)
	}
	tk := wantStatus(t, s, code, TicketNew)
	if tk.DepartmentID != w.support || tk.AssigneeID != 0 || tk.UpdatedByName != "Adam Admin" {
		t.Fatalf("after transfer: %+v", tk)
	}
	if _, err := s.TicketByCode(ctx, w.annV, code); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Ann still sees the transferred ticket: %v", err)
	}
	thread, _ := s.Thread(ctx, tk.ID)
	last := thread[len(thread)-1]
	if last.Event != EventTransferred || last.Details.From != "Sales" || last.Details.To != "Support" || last.AuthorName != "Adam Admin" {
		t.Fatalf("last event = %+v", last)
	}
}

func TestSearch_FindsSubjectAndMessageWordsNotEvents(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	a := contactTicket(t, s, w.sales, "Refund for order", "I want my money back")
	b := contactTicket(t, s, w.sales, "Delivery late", "Where is the parcel?")
	if err := s.Reply(ctx, w.annV, b, "The courier has zebras"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddNote(ctx, w.annV, a, "Ask finance about Zürich branch"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddTag(ctx, w.annV, a, "vip"); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]string{
		"refund":          {a},
		"money":           {a},
		"zebras":          {b},
		"zurich":          {a}, // diacritics folded
		"parc":            {b}, // the last word is a prefix
		"delivery parcel": {b},
		"vip":             nil, // tags are events, not text
		"status":          nil,
		`"(*`:             nil,
	}
	for q, want := range cases {
		page, err := s.Queue(ctx, w.annV, QueueFilter{Search: q})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		if got := codes(page.Tickets); !slices.Equal(got, want) {
			t.Errorf("search %q = %v, want %v", q, got, want)
		}
	}
	if page, _ := s.Queue(ctx, w.annV, QueueFilter{Search: "money", Status: TicketResolved}); len(page.Tickets) != 0 {
		t.Fatalf("search with a status filter ignores it: %v", codes(page.Tickets))
	}
}

// TestQueue_KeysetPagingVisitsEveryTicketOnceInOrder creates tickets with
// equal times (ties on the sort key) over three departments, then walks an
// Agent's and an Administrator's queue forward and back in small pages.
func TestQueue_KeysetPagingVisitsEveryTicketOnceInOrder(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	other := addDept(t, s, "Other")
	base := time.Now()
	s.SetClock(func() time.Time { return base })
	depts := []int64{w.sales, w.support, other}
	var made []string
	for i := range 60 {
		if i%10 == 0 {
			base = base.Add(time.Second) // groups of ten share created_at
		}
		code, err := s.CreateTicket(ctx, nil, NewTicketInput{Subject: fmt.Sprintf("T%d", i), Body: "b", Channel: ChannelEmail,
			Priority: Priorities[i%4], DepartmentID: depts[i%3], ContactName: "C", ContactEmail: "c@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if err := s.AddTag(ctx, w.adminV, code, "half"); err != nil {
				t.Fatal(err)
			}
		}
		switch i % 5 {
		case 1:
			s.Reply(ctx, w.adminV, code, "r")
		case 2:
			s.SetStatus(ctx, w.adminV, code, TicketResolved)
		case 3:
			s.SetStatus(ctx, w.adminV, code, TicketSpam)
		}
		made = append(made, code)
	}
	// Later, some older tickets are assigned (to Bea, in Sales and
	// Support), so the Updated order differs from the Created one.
	for i, code := range made {
		if i%4 == 0 && i%3 != 2 {
			base = base.Add(time.Second)
			if err := s.Assign(ctx, w.adminV, code, w.both.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tc := range []struct {
		name   string
		v      authz.Viewer
		filter QueueFilter
		// commonTags makes every tag common, so a tag filter walks the
		// queue and probes each ticket instead of reading the tag's index.
		commonTags bool
	}{
		{"agent in two departments", w.both.Viewer(), QueueFilter{}, false},
		{"agent in one department", w.annV, QueueFilter{}, false},
		{"admin", w.adminV, QueueFilter{}, false},
		{"admin, one department", w.adminV, QueueFilter{DepartmentID: other}, false},
		{"admin, status", w.adminV, QueueFilter{Status: TicketResolved}, false},
		{"agent, unassigned", w.both.Viewer(), QueueFilter{Assignee: AssigneeUnassigned}, false},
		{"admin, rare tag", w.adminV, QueueFilter{Tag: "half"}, false},
		{"admin, common tag", w.adminV, QueueFilter{Tag: "half"}, true},
		{"agent in two departments, rare tag", w.both.Viewer(), QueueFilter{Tag: "half"}, false},
		{"agent in two departments, common tag", w.both.Viewer(), QueueFilter{Tag: "half"}, true},
		{"admin, department, status and rare tag", w.adminV, QueueFilter{DepartmentID: w.sales, Status: TicketNew, Tag: "half"}, false},
		{"admin, open", w.adminV, QueueFilter{Open: true}, false},
		{"agent in two departments, my open", w.both.Viewer(), QueueFilter{Open: true, Assignee: AssigneeMe}, false},
		{"admin by update", w.adminV, QueueFilter{Sort: SortUpdated}, false},
		{"admin by creation", w.adminV, QueueFilter{Sort: SortCreated}, false},
		{"agent in two departments by update", w.both.Viewer(), QueueFilter{Sort: SortUpdated}, false},
		{"agent in two departments by creation", w.both.Viewer(), QueueFilter{Sort: SortCreated}, false},
		{"agent in two departments, open by update", w.both.Viewer(), QueueFilter{Open: true, Sort: SortUpdated}, false},
		{"agent in two departments, my open by creation", w.both.Viewer(), QueueFilter{Open: true, Assignee: AssigneeMe, Sort: SortCreated}, false},
		{"admin, unassigned by update", w.adminV, QueueFilter{Assignee: AssigneeUnassigned, Sort: SortUpdated}, false},
		{"admin, unassigned resolved by creation", w.adminV, QueueFilter{Status: TicketResolved, Assignee: AssigneeUnassigned, Sort: SortCreated}, false},
		{"agent in two departments, my open by update, common tag", w.both.Viewer(), QueueFilter{Open: true, Assignee: AssigneeMe, Sort: SortUpdated, Tag: "half"}, true},
		{"agent, unassigned by update", w.both.Viewer(), QueueFilter{Open: true, Assignee: AssigneeUnassigned, Sort: SortUpdated}, false},
		{"admin, one department by update", w.adminV, QueueFilter{DepartmentID: other, Sort: SortUpdated}, false},
		{"admin, status New by update", w.adminV, QueueFilter{Status: TicketNew, Sort: SortUpdated}, false},
		{"admin, resolved by creation", w.adminV, QueueFilter{Status: TicketResolved, Sort: SortCreated}, false},
		{"admin, rare tag by update", w.adminV, QueueFilter{Tag: "half", Sort: SortUpdated}, false},
		{"agent in two departments, common tag by creation", w.both.Viewer(), QueueFilter{Tag: "half", Sort: SortCreated}, true},
	} {
		// An assignee's tickets in the Updated or Created order are read
		// from the assignee's range while few, else walked in each
		// department's range: both ways.
		fewRows := []int{defaultFewAssigned}
		if tc.filter.Sort != SortPriority && tc.filter.Assignee != AssigneeAnyone {
			fewRows = append(fewRows, 0)
		}
		for _, few := range fewRows {
			name := tc.name
			if few == 0 {
				name += ", many assigned"
			}
			t.Run(name, func(t *testing.T) {
				s.fewAssignedRows = few
				defer func() { s.fewAssignedRows = defaultFewAssigned }()
				if tc.commonTags {
					s.rareTagRows = 1
					defer func() { s.rareTagRows = defaultRareTagRows }()
				}
				var want []int64
				rows, err := s.r.Query(`SELECT t.id FROM tickets t WHERE (? OR t.department_id IN (SELECT department_id FROM department_members WHERE agent_id = ?))
				AND (? = 0 OR t.department_id = ?) AND (? = '' AND t.status NOT IN ('spam', 'deleted') OR t.status = ?)
				AND (? = '' OR EXISTS (SELECT 1 FROM ticket_tags tt WHERE tt.ticket_id = t.id AND tt.tag = ?))
				AND (NOT ? OR t.status IN ('new', 'open', 'answered'))
				AND (? = '' OR ? = 'me' AND t.assignee_id = ? OR ? = 'unassigned' AND t.assignee_id IS NULL)
				ORDER BY `+tc.filter.Sort.keySQL()+`, t.id`+map[bool]string{true: " DESC"}[tc.filter.Sort == SortCreated], tc.v.Can(authz.TicketsReadAll), tc.v.ID, tc.filter.DepartmentID, tc.filter.DepartmentID, tc.filter.Status, tc.filter.Status,
					tc.filter.Tag, tc.filter.Tag, tc.filter.Open && tc.filter.Status == "",
					tc.filter.Assignee, tc.filter.Assignee, tc.v.ID, tc.filter.Assignee)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var id int64
					rows.Scan(&id)
					want = append(want, id)
				}
				rows.Close()
				if len(want) < 4 {
					t.Fatalf("only %d tickets to page through", len(want))
				}
				f := tc.filter
				f.Limit = 7
				var got []int64
				var pages []QueuePage
				for {
					p, err := s.Queue(ctx, tc.v, f)
					if err != nil {
						t.Fatal(err)
					}
					pages = append(pages, p)
					for _, tk := range p.Tickets {
						got = append(got, tk.ID)
					}
					if len(pages) > 1 && p.Prev.IsZero() {
						t.Fatalf("page %d has no Previous link", len(pages))
					}
					if p.Next.IsZero() {
						break
					}
					f.After, f.Before = p.Next, Cursor{}
				}
				if !slices.Equal(got, want) {
					t.Fatalf("paged ids %v\nwant       %v", got, want)
				}
				if !pages[0].Prev.IsZero() {
					t.Fatal("the first page has a Previous link")
				}
				// Walk back from the last page: each page equals the one seen going forward.
				for i := len(pages) - 1; i > 0; i-- {
					f.After, f.Before = Cursor{}, pages[i].Prev
					p, err := s.Queue(ctx, tc.v, f)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(codes(p.Tickets), codes(pages[i-1].Tickets)) {
						t.Fatalf("back to page %d = %v, want %v", i, codes(p.Tickets), codes(pages[i-1].Tickets))
					}
					if p.Next.IsZero() || (i-1 > 0) == p.Prev.IsZero() {
						t.Fatalf("back to page %d: next %v prev %v", i, p.Next, p.Prev)
					}
				}
			})
		}
	}
}

// TestStatusCounts_StayEqualToCountingAfterChanges runs a mix of actions and
// compares the kept counts with a COUNT(*) of the tickets.
func TestStatusCounts_StayEqualToCountingAfterChanges(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	var all []string
	for i := range 12 {
		all = append(all, contactTicket(t, s, []int64{w.sales, w.support}[i%2], fmt.Sprint("T", i), "b"))
	}
	steps := []func() error{
		func() error { return s.Reply(ctx, w.adminV, all[0], "x") },
		func() error { return s.SetStatus(ctx, w.adminV, all[1], TicketResolved) },
		func() error { return s.Transfer(ctx, w.adminV, all[2], w.support) },
		func() error { return s.Postpone(ctx, w.adminV, all[3], time.Now().Add(time.Hour)) },
		func() error { return s.CustomerReply(ctx, all[0], "y") },
		func() error { return s.SetStatus(ctx, w.adminV, all[4], TicketSpam) },
		func() error { return s.SetStatus(ctx, w.adminV, all[5], TicketDeleted) },
		func() error {
			_, err := s.Bulk(ctx, w.adminV, all[6:10], BulkAction{Status: TicketResolved})
			return err
		},
		func() error { return s.Transfer(ctx, w.adminV, all[7], w.sales) },
		func() error { return s.SetStatus(ctx, w.adminV, all[1], TicketOpen) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	for _, v := range []authz.Viewer{w.adminV, w.annV, w.bobV} {
		for _, dept := range []int64{0, w.sales, w.support} {
			got, err := s.StatusCounts(ctx, v, dept)
			if err != nil {
				t.Fatal(err)
			}
			want := map[TicketStatus]int{}
			rows, _ := s.r.Query(`SELECT t.status, count(*) FROM tickets t WHERE (? OR t.department_id IN (SELECT department_id FROM department_members WHERE agent_id = ?))
				AND (? = 0 OR t.department_id = ?) GROUP BY t.status`, v.Can(authz.TicketsReadAll), v.ID, dept, dept)
			for rows.Next() {
				var st TicketStatus
				var n int
				rows.Scan(&st, &n)
				want[st] = n
			}
			rows.Close()
			for _, st := range TicketStatuses {
				if got[st] != want[st] {
					t.Errorf("viewer %d dept %d: %s = %d, COUNT(*) says %d", v.ID, dept, st, got[st], want[st])
				}
			}
		}
	}
}

func TestBulk_LeavesTicketsOutsideTheScopeAlone(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	mine := contactTicket(t, s, w.sales, "mine", "m")
	theirs := contactTicket(t, s, w.support, "theirs", "t")
	sel := []string{mine, theirs, "NOP-NOPNO-NOP"}
	for name, a := range map[string]BulkAction{
		"status": {Status: TicketResolved},
		"tag":    {Tag: "Urgent Stuff"},
		"assign": {AssignTo: w.ann.ID},
	} {
		res, err := s.Bulk(ctx, w.annV, sel, a)
		if err != nil || res.Changed != 1 || len(res.NotTaken) != 0 {
			t.Fatalf("bulk %s: %+v, %v; want 1 changed and no refusal (the others are not Ann's to see)", name, res, err)
		}
	}
	tk := wantStatus(t, s, mine, TicketResolved)
	if !slices.Equal(tk.Tags, []string{"urgent stuff"}) || tk.AssigneeID != w.ann.ID {
		t.Fatalf("own ticket after bulk: tags %v assignee %d", tk.Tags, tk.AssigneeID)
	}
	other := wantStatus(t, s, theirs, TicketNew)
	if len(other.Tags) != 0 || other.AssigneeID != 0 || other.UpdatedByName != "Carla Customer" {
		t.Fatalf("out-of-scope ticket was touched: %+v", other)
	}
	// An assignee outside a ticket's department is skipped, not forced,
	// and the result says which ticket and why.
	res, err := s.Bulk(ctx, w.adminV, []string{mine, theirs}, BulkAction{AssignTo: w.bob.ID})
	if err != nil || res.Changed != 1 || !slices.Equal(res.NotTaken, []BulkRefusal{{Code: mine, Department: "Sales"}}) {
		t.Fatalf("bulk assign to Bob: %+v, %v; want 1 changed (Support) and %s refused for Sales", res, err, mine)
	}
}

func TestTransfer_HistoryNamesTheAssigneeItCleared(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	code := contactTicket(t, s, w.sales, "Q", "q")
	if err := s.Assign(ctx, w.adminV, code, w.both.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Transfer(ctx, w.adminV, code, w.support); err != nil {
		t.Fatal(err)
	}
	if err := s.Transfer(ctx, w.adminV, code, w.sales); err != nil {
		t.Fatal(err)
	}
	tk := wantStatus(t, s, code, TicketNew)
	thread, err := s.Thread(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	var cleared []string
	for _, m := range thread {
		if m.Event == EventTransferred {
			cleared = append(cleared, m.Details.Name)
		}
	}
	if !slices.Equal(cleared, []string{"Bea Both", ""}) {
		t.Fatalf("transfers cleared %q, want Bea Both and then no one", cleared)
	}
}

func TestDeletedTicket_TakesNoReplyOrNoteUntilReopened(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	code := contactTicket(t, s, w.sales, "Q", "q")
	if err := s.SetStatus(ctx, w.annV, code, TicketDeleted); err != nil {
		t.Fatal(err)
	}
	if err := s.Reply(ctx, w.annV, code, "hello"); !IsRule(err, RuleTicketDeleted) {
		t.Fatalf("reply to a deleted ticket: %v", err)
	}
	if err := s.AddNote(ctx, w.annV, code, "hello"); !IsRule(err, RuleTicketDeleted) {
		t.Fatalf("note on a deleted ticket: %v", err)
	}
	if err := s.SetStatus(ctx, w.annV, code, TicketOpen); err != nil {
		t.Fatal(err)
	}
	if err := s.Reply(ctx, w.annV, code, "hello"); err != nil {
		t.Fatal(err)
	}
}

func TestNextInQueue_FollowsWhereTheTicketStood(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	base := time.Now()
	var all []string
	for i := range 3 {
		s.SetClock(func() time.Time { return base.Add(time.Duration(i) * time.Second) })
		all = append(all, contactTicket(t, s, w.sales, fmt.Sprintf("T%d", i), "words"))
	}
	s.SetClock(time.Now)
	next := func(f QueueFilter, code string, action func()) (string, error) {
		t.Helper()
		tk, err := s.TicketByCode(ctx, w.annV, code)
		if err != nil {
			t.Fatal(err)
		}
		place, err := s.PlaceInQueue(ctx, w.annV, f, tk)
		if err != nil {
			t.Fatal(err)
		}
		if action != nil {
			action()
		}
		return s.NextInQueue(ctx, w.annV, f, place)
	}
	// Answering the first takes it out of the New view; the next is the second.
	got, err := next(QueueFilter{Status: TicketNew}, all[0], func() {
		if err := s.Reply(ctx, w.annV, all[0], "done"); err != nil {
			t.Fatal(err)
		}
	})
	if err != nil || got != all[1] {
		t.Fatalf("after answering the first: %q, %v; want %s", got, err, all[1])
	}
	for _, tc := range []struct {
		name string
		f    QueueFilter
		from string
		want string // "" for none
	}{
		{"all, from the first", QueueFilter{}, all[1], all[2]},
		{"new, from the last", QueueFilter{Status: TicketNew}, all[2], ""},
		// A ticket the view does not show leads to the view's first.
		{"new, from an answered ticket", QueueFilter{Status: TicketNew}, all[0], all[1]},
		{"search, newest first", QueueFilter{Search: "words"}, all[2], all[1]},
		{"search, from the oldest", QueueFilter{Search: "words"}, all[0], ""},
		{"a view of one", QueueFilter{Search: all[2]}, all[2], ""},
	} {
		got, err := next(tc.f, tc.from, nil)
		if tc.want == "" {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("%s: next = %q, %v; want ErrNotFound", tc.name, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: next = %q, %v; want %s", tc.name, got, err, tc.want)
		}
	}
	// In the Updated and Created orders the place is the ticket's own key
	// in that order. Answering all[1] makes it the latest change.
	s.SetClock(func() time.Time { return base.Add(10 * time.Second) })
	if err := s.Reply(ctx, w.annV, all[1], "done"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		f    QueueFilter
		from string
		want string
	}{
		{"created, newest first", QueueFilter{Open: true, Sort: SortCreated}, all[2], all[1]},
		{"created, from the oldest", QueueFilter{Open: true, Sort: SortCreated}, all[0], ""},
		{"updated, latest change first", QueueFilter{Open: true, Sort: SortUpdated}, all[1], all[2]},
		{"updated, from the least recent", QueueFilter{Sort: SortUpdated}, all[0], ""},
		{"updated new, from an answered ticket", QueueFilter{Status: TicketNew, Sort: SortUpdated}, all[0], all[2]},
	} {
		got, err := next(tc.f, tc.from, nil)
		if tc.want == "" {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("%s: next = %q, %v; want ErrNotFound", tc.name, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: next = %q, %v; want %s", tc.name, got, err, tc.want)
		}
	}
	// Answering moves a ticket to the top of the Updated order; the next
	// is still the one after where it stood.
	s.SetClock(func() time.Time { return base.Add(20 * time.Second) })
	got, err = next(QueueFilter{Open: true, Sort: SortUpdated}, all[2], func() {
		if err := s.Reply(ctx, w.annV, all[2], "done"); err != nil {
			t.Fatal(err)
		}
	})
	if err != nil || got != all[0] {
		t.Fatalf("after answering by Updated: %q, %v; want %s", got, err, all[0])
	}
	// Tickets created in the same millisecond: by Created the newer is
	// first, so the older follows it.
	s.SetClock(func() time.Time { return base.Add(time.Hour) })
	older := contactTicket(t, s, w.sales, "Twin A", "words")
	newer := contactTicket(t, s, w.sales, "Twin B", "words")
	s.SetClock(time.Now)
	if got, err := next(QueueFilter{Open: true, Sort: SortCreated}, newer, nil); err != nil || got != older {
		t.Fatalf("created, from the newer twin: %q, %v; want %s", got, err, older)
	}
	if got, err := next(QueueFilter{Status: TicketNew}, older, nil); err != nil || got != newer {
		t.Fatalf("priority, from the older twin: %q, %v; want %s", got, err, newer)
	}
	for _, code := range []string{older, newer} {
		if err := s.SetStatus(ctx, w.annV, code, TicketSpam); err != nil {
			t.Fatal(err)
		}
	}
	// Another department's tickets are never next.
	other := contactTicket(t, s, w.support, "Theirs", "words")
	if got, err := next(QueueFilter{Status: TicketNew}, all[2], nil); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Ann's next after her last = %q, %v; want ErrNotFound, never %s", got, err, other)
	}
}

func TestUnassignOpenTickets_FreesUnfinishedTicketsWithAnEvent(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	open := contactTicket(t, s, w.sales, "open", "o")
	done := contactTicket(t, s, w.sales, "done", "d")
	for _, c := range []string{open, done} {
		if err := s.Assign(ctx, w.adminV, c, w.ann.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetStatus(ctx, w.adminV, done, TicketResolved); err != nil {
		t.Fatal(err)
	}
	before, _ := s.StatusCounts(ctx, w.adminV, 0)
	err := s.write(ctx, func(tx *sql.Tx) error { return unassignOpenTickets(ctx, tx, w.ann.ID, w.admin.ID) })
	if err != nil {
		t.Fatal(err)
	}
	tk := wantStatus(t, s, open, TicketNew)
	if tk.AssigneeID != 0 || tk.DepartmentID != w.sales || tk.UpdatedByName != "Adam Admin" {
		t.Fatalf("open ticket after unassign: %+v", tk)
	}
	if tk := wantStatus(t, s, done, TicketResolved); tk.AssigneeID != w.ann.ID {
		t.Fatal("a resolved ticket lost its assignee")
	}
	thread, _ := s.Thread(ctx, tk.ID)
	if last := thread[len(thread)-1]; last.Event != EventAssigned || last.Details.Name != "" || last.AuthorName != "Adam Admin" {
		t.Fatalf("last event = %+v", last)
	}
	after, _ := s.StatusCounts(ctx, w.adminV, 0)
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Fatalf("counts changed: %v -> %v", before, after)
	}
	// History keeps a removed agent's name, marked.
	s.w.Exec(`UPDATE agents SET removed_at = 1 WHERE id = ?`, w.ann.ID)
	if tk := wantStatus(t, s, done, TicketResolved); tk.AssigneeName != "Ann Sales (removed)" {
		t.Fatalf("removed assignee shows as %q", tk.AssigneeName)
	}
}

// A ticket that changes between reading an Agent's departments' keys and
// reading the page's rows does not leave the page short or out of order: the
// page is the queue as it is after the change.
func TestQueue_MergedPageFollowsAChangeBetweenItsReads(t *testing.T) {
	for _, o := range QueueSorts {
		t.Run("sort "+string(o), func(t *testing.T) { mergedPageFollowsAChange(t, o) })
	}
}

func mergedPageFollowsAChange(t *testing.T, o QueueSort) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	for i := range 12 {
		contactTicket(t, s, []int64{w.sales, w.support}[i%2], fmt.Sprintf("T%d", i), "b")
	}
	bea := w.both.Viewer()
	f := QueueFilter{Limit: 5, Sort: o}
	before, err := s.Queue(ctx, bea, f)
	if err != nil {
		t.Fatal(err)
	}
	moved := before.Tickets[1].Code
	s.betweenQueueReads = func() {
		s.betweenQueueReads = nil
		if err := s.SetStatus(ctx, w.adminV, moved, TicketSpam); err != nil {
			t.Error(err)
		}
	}
	got, err := s.Queue(ctx, bea, f)
	if err != nil {
		t.Fatal(err)
	}
	if s.betweenQueueReads != nil {
		t.Fatal("the page was not read in two steps")
	}
	want, err := s.Queue(ctx, bea, f)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(codes(got.Tickets), moved) || !slices.Equal(codes(got.Tickets), codes(want.Tickets)) || len(got.Tickets) != 5 {
		t.Fatalf("page after a change between reads %v, want %v (without %s)", codes(got.Tickets), codes(want.Tickets), moved)
	}
	if got.Next != want.Next {
		t.Fatalf("next cursor %v, want %v", got.Next, want.Next)
	}
}
