package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"helpline/authz"
	"helpline/store"
	"helpline/store/storetest"
)

const movedPassword = "correct horse battery"

// movedDesk is what a SQLite desk held before it moved, to compare with.
type movedDesk struct {
	path                      string
	owner, agent, lead, gone  store.Agent
	leadRole                  authz.Role
	leadLink                  string
	code                      string // a ticket with a reply, a note, a tag and an assignee
	threadLen                 int
	ownerCounts, agentCounts  store.QueueCounts
	statusCounts              map[store.TicketStatus]int
	maxTicket, maxAgent       int64
	auditEntries              int
	departments, departmentID int64
}

// must is v, for the look-ups of a test, which are not what it tests: an
// error panics, failing the test with where it happened.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// sqliteDeskToMove makes a SQLite desk with something in every table: every
// role and a custom one, a removed agent, departments and their members,
// tickets with replies, notes, events and tags, sessions, used and unused
// password links, and the audit entries all of it writes.
func sqliteDeskToMove(t *testing.T) movedDesk {
	t.Helper()
	ctx := context.Background()
	d := movedDesk{path: filepath.Join(t.TempDir(), "data", "helpline.db")}
	st, err := openDesk(ctx, d.path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hash := must(store.HashPassword(movedPassword))
	d.owner = must(st.SignUp(ctx, store.SignUpInput{Company: "Acme", Name: "Olivia Owner", Email: "owner@example.com", PasswordHash: hash}))
	sales := must(st.CreateDepartment(ctx, d.owner.ID, store.DepartmentInput{Name: "Sales"}))
	support := must(st.CreateDepartment(ctx, d.owner.ID, store.DepartmentInput{Name: "Support", Description: "Żółć and more"}))
	d.departmentID = sales
	admin, _, err := st.CreateAgent(ctx, d.owner.ID, store.AgentInput{Name: "Adam Admin", Email: "adam@example.com", Role: authz.RoleAdmin, DepartmentIDs: []int64{support}}, "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	d.agent, _, err = st.CreateAgent(ctx, d.owner.ID, store.AgentInput{Name: "Ann Agent", Email: "ann@example.com", Role: authz.RoleAgent, DepartmentIDs: []int64{sales}}, "")
	if err != nil {
		t.Fatal(err)
	}
	d.leadRole = must(st.CreateCustomRole(ctx, d.owner.ID, store.CustomRoleInput{Name: "Team lead"}, ""))
	d.lead, d.leadLink, err = st.CreateAgent(ctx, d.owner.ID, store.AgentInput{Name: "Lee Lead", Email: "lee@example.com", Role: d.leadRole, DepartmentIDs: []int64{sales, support}}, "")
	if err != nil {
		t.Fatal(err)
	}
	d.gone, _, err = st.CreateAgent(ctx, d.owner.ID, store.AgentInput{Name: "Gary Gone", Email: "gary@example.com", Role: authz.RoleAgent}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RemoveAgent(ctx, d.owner.ID, d.gone.ID, ""); err != nil {
		t.Fatal(err)
	}
	// Ann chooses her password with a link (used), Lee has not yet used his.
	annLink := must(st.ResetPassword(ctx, admin.ID, d.agent.ID, ""))
	if _, err := st.SetPasswordWithLink(ctx, annLink, hash, ""); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSession(ctx, "owner-session", d.owner.ID, true, "10.0.0.2", "test"); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSession(ctx, "ann-session", d.agent.ID, false, "", ""); err != nil {
		t.Fatal(err)
	}
	ownerV := must(st.AgentByID(ctx, d.owner.ID)).Viewer()
	for i := range 24 {
		dept := []int64{sales, support}[i%2]
		code, err := st.CreateTicket(ctx, nil, store.NewTicketInput{Subject: fmt.Sprintf("Question %d", i), Body: fmt.Sprintf("Message number %d", i),
			Channel: store.ChannelContactForm, Priority: store.PriorityNormal, DepartmentID: dept,
			ContactName: fmt.Sprintf("Customer %d", i%5), ContactEmail: fmt.Sprintf("customer%d@example.com", i%5)})
		if err != nil {
			t.Fatal(err)
		}
		switch i % 4 {
		case 0: // Sales, where Ann works
			if err := st.Assign(ctx, ownerV, code, d.agent.ID); err != nil {
				t.Fatal(err)
			}
		case 2:
			if err := st.SetStatus(ctx, ownerV, code, store.TicketResolved); err != nil {
				t.Fatal(err)
			}
		case 3:
			if err := st.Reply(ctx, ownerV, code, "We are on it"); err != nil {
				t.Fatal(err)
			}
		}
	}
	d.code, err = st.CreateTicket(ctx, nil, store.NewTicketInput{Subject: "Printer on fire", Body: "The zanzibar printer smokes since Monday",
		Channel: store.ChannelEmail, Priority: store.PriorityHigh, DepartmentID: sales, ContactName: "Carla Customer", ContactEmail: "carla@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	// Email: the settings with their sealed password, a customer's file,
	// and Ann's notifications by email waiting in the outbox.
	if err := st.SaveMailSettings(ctx, d.owner.ID, store.MailSettings{Host: "smtp.acme.example", Port: 587, Security: store.SecurityStartTLS,
		Username: "desk", Password: "mail-s3cret", FromAddress: "help@acme.example"}, ""); err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateProfile(ctx, d.agent.ID, store.ProfileInput{Name: "Ann Agent", NotifyEmail: true}, ""); err != nil {
		t.Fatal(err)
	}
	if err := st.AttachToFirstMessage(ctx, d.code, []store.NewAttachment{{Filename: "smoke.png", Data: []byte("\x89PNG\r\n\x1a\nsmoke")}}); err != nil {
		t.Fatal(err)
	}
	for _, step := range []error{
		st.Reply(ctx, ownerV, d.code, "Unplug it, please"),
		st.AddNote(ctx, ownerV, d.code, "Third time this month"),
		st.AddTag(ctx, ownerV, d.code, "hardware"),
		st.AddTag(ctx, ownerV, d.code, "urgent"),
		st.Assign(ctx, ownerV, d.code, d.agent.ID),
		st.CustomerReply(ctx, d.code, "It stopped smoking"),
	} {
		if step != nil {
			t.Fatal(step)
		}
	}

	tk := must(st.TicketByCode(ctx, ownerV, d.code))
	d.maxTicket = tk.ID
	d.threadLen = len(must(st.Thread(ctx, tk.ID)))
	d.ownerCounts = must(st.QueueCounts(ctx, ownerV, 0))
	d.agentCounts = must(st.QueueCounts(ctx, must(st.AgentByID(ctx, d.agent.ID)).Viewer(), sales))
	d.statusCounts = must(st.StatusCounts(ctx, ownerV, 0))
	d.maxAgent = d.gone.ID
	d.auditEntries = len(must(st.AuditLog(ctx, 0, 10000)))
	d.departments = int64(len(must(st.Departments(ctx))))
	return d
}

// A desk moves from SQLite to PostgreSQL whole: people sign in with the
// same passwords and sessions, tickets are found by code and by their
// words, the queue counts what it counted, and new rows get new ids.
func TestMigrateTo_MovesASQLiteDeskToPostgreSQL(t *testing.T) {
	if !storetest.Postgres() {
		t.Skip("moving a desk into PostgreSQL needs a PostgreSQL server: this test runs with HELPLINE_TEST_ENGINE=postgres (make test-postgres)")
	}
	ctx := context.Background()
	d := sqliteDeskToMove(t)
	target := storetest.DSN(t)

	var stdout, stderr strings.Builder
	if err := run(ctx, []string{"migrate-to", target, "--db", d.path}, noEnvAt, &stdout, &stderr); err != nil {
		t.Fatalf("migrate-to: %v\n%s", err, stderr.String())
	}
	for _, table := range []string{"agents", "custom_roles", "sessions", "password_tokens", "department_members", "tickets", "messages", "ticket_tags", "audit_log", "ticket_search"} {
		if !strings.Contains(stderr.String(), "  "+table+" ") {
			t.Errorf("no progress line for %s:\n%s", table, stderr.String())
		}
		if !strings.Contains(stdout.String(), "  "+table+" ") {
			t.Errorf("the summary leaves out %s:\n%s", table, stdout.String())
		}
	}
	if !strings.Contains(stdout.String(), "Every table matches") {
		t.Fatalf("the summary does not say the tables match:\n%s", stdout.String())
	}

	to, err := store.Open(target)
	if err != nil {
		t.Fatal(err)
	}
	defer to.Close()

	// The audit log: every entry, and one saying the desk moved.
	entries := must(to.AuditLog(ctx, 0, 10000))
	if len(entries) != d.auditEntries+1 {
		t.Errorf("%d audit entries, want the %d moved and one more", len(entries), d.auditEntries)
	}
	if e := entries[0]; e.Action != store.ActionDeskMove || e.ActorID != 0 || !strings.Contains(e.Details, d.path) {
		t.Errorf("the newest audit entry: %+v, want the move, by nobody, naming %s", e, d.path)
	}

	// Signing in: the same password, and the sessions and links from before.
	owner := must(to.AgentByEmail(ctx, "owner@example.com"))
	if owner.ID != d.owner.ID || !store.CheckPassword(owner.PasswordHash, movedPassword) || !owner.IsCreator {
		t.Fatalf("the Owner after the move: %+v", owner)
	}
	if err := to.SignIn(ctx, store.SignInInput{AgentID: owner.ID, PasswordHash: owner.PasswordHash, Token: "after-the-move"}); err != nil {
		t.Fatalf("signing in after the move: %v", err)
	}
	for _, tok := range []string{"after-the-move", "owner-session", "ann-session"} {
		if se, err := to.SessionByToken(ctx, tok); err != nil || se.EndedReason != "" {
			t.Errorf("session %s: %+v, %v", tok, se, err)
		}
	}
	if ann := must(to.AgentByEmail(ctx, "ann@example.com")); !store.CheckPassword(ann.PasswordHash, movedPassword) {
		t.Error("Ann's password, chosen with her link, does not work after the move")
	}
	if lead := must(to.AgentByID(ctx, d.lead.ID)); lead.Role != d.leadRole || lead.RoleName != "Team lead" {
		t.Errorf("the custom role's holder: role %q (%q), want %q", lead.Role, lead.RoleName, d.leadRole)
	}
	if _, err := to.SetPasswordWithLink(ctx, d.leadLink, must(store.HashPassword("another one")), ""); err != nil {
		t.Errorf("the link handed out before the move: %v", err)
	}
	if gone := must(to.AgentByID(ctx, d.gone.ID)); !gone.Removed {
		t.Error("the removed agent is back")
	}
	if _, err := to.AgentByEmail(ctx, "gary@example.com"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the removed agent's email: %v, want not found", err)
	}

	// Tickets: by code, by a word of a message, by the code as a search.
	ownerV := owner.Viewer()
	tk, err := to.TicketByCode(ctx, ownerV, d.code)
	if err != nil || tk.ID != d.maxTicket || tk.Subject != "Printer on fire" {
		t.Fatalf("the ticket by its code: %+v, %v", tk, err)
	}
	if n := len(must(to.Thread(ctx, tk.ID))); n != d.threadLen {
		t.Errorf("the thread has %d messages, want %d", n, d.threadLen)
	}
	for _, words := range []string{"zanzibar", "smoking", "unplug", d.code, "carla@example.com"} {
		page := must(to.Queue(ctx, ownerV, store.QueueFilter{Search: words, Limit: 10}))
		if len(page.Tickets) != 1 || page.Tickets[0].Code != d.code {
			t.Errorf("searching %q found %d tickets, want %s", words, len(page.Tickets), d.code)
		}
	}
	if page := must(to.Queue(ctx, ownerV, store.QueueFilter{Tag: "hardware", Limit: 10})); len(page.Tickets) != 1 {
		t.Errorf("the tag finds %d tickets, want 1", len(page.Tickets))
	}

	// Email: the settings work, the file downloads, nothing waiting is lost.
	if m, err := to.MailSettings(ctx); err != nil || m.Password != "mail-s3cret" || m.Host != "smtp.acme.example" {
		t.Errorf("mail settings after the move: %+v, %v", m, err)
	}
	if files := must(to.Attachments(ctx, tk.ID)); len(files) != 1 {
		t.Errorf("the ticket's files after the move: %+v", files)
	} else {
		for _, fs := range files {
			if f, err := to.TicketAttachment(ctx, ownerV, d.code, fs[0].ID); err != nil || string(f.Data) != "\x89PNG\r\n\x1a\nsmoke" {
				t.Errorf("the file after the move: %q, %v", f.Data, err)
			}
		}
	}
	if replies := must(to.DueMail(ctx, 100)); len(replies) == 0 {
		t.Error("the replies' emails waiting in the outbox were not moved")
	}
	if notices := must(to.DueNoticeMail(ctx, 100)); len(notices) != 2 || notices[0].ToEmail != "ann@example.com" ||
		notices[0].Kind != store.NotifyAssigned || notices[1].Kind != store.NotifyCustomerReply {
		t.Errorf("Ann's notification emails after the move: %+v", notices)
	}
	if on, err := to.NotifyByEmail(ctx, d.agent.ID); err != nil || !on {
		t.Errorf("Ann's Email me my notifications after the move: %v, %v", on, err)
	}

	// Counts: the same as on SQLite.
	if got := must(to.QueueCounts(ctx, ownerV, 0)); !sameCounts(got, d.ownerCounts) {
		t.Errorf("the Owner's queue counts: %+v, want %+v", got, d.ownerCounts)
	}
	agentV := must(to.AgentByID(ctx, d.agent.ID)).Viewer()
	if got := must(to.QueueCounts(ctx, agentV, d.departmentID)); !sameCounts(got, d.agentCounts) {
		t.Errorf("the Agent's queue counts: %+v, want %+v", got, d.agentCounts)
	}
	if got := must(to.StatusCounts(ctx, ownerV, 0)); !reflect.DeepEqual(nonZero(got), nonZero(d.statusCounts)) {
		t.Errorf("the status counts: %+v, want %+v", got, d.statusCounts)
	}

	// New rows get ids above the copied ones.
	code, err := to.CreateTicket(ctx, nil, store.NewTicketInput{Subject: "After the move", Body: "Hello from PostgreSQL",
		Channel: store.ChannelContactForm, Priority: store.PriorityNormal, DepartmentID: d.departmentID, ContactName: "Carla Customer", ContactEmail: "carla@example.com"})
	if err != nil {
		t.Fatalf("a new ticket after the move: %v", err)
	}
	if tk := must(to.TicketByCode(ctx, ownerV, code)); tk.ID <= d.maxTicket {
		t.Errorf("the new ticket has id %d, not above the copied %d", tk.ID, d.maxTicket)
	}
	a, _, err := to.CreateAgent(ctx, owner.ID, store.AgentInput{Name: "Nina New", Email: "nina@example.com", Role: authz.RoleAgent}, "")
	if err != nil || a.ID <= d.maxAgent {
		t.Errorf("a new agent after the move: id %d (copied up to %d), %v", a.ID, d.maxAgent, err)
	}
	if id, err := to.CreateDepartment(ctx, owner.ID, store.DepartmentInput{Name: "Billing"}); err != nil || id <= d.departments {
		t.Errorf("a new department after the move: id %d, %v", id, err)
	}

	// A second move into the same database is refused and changes nothing.
	err = run(ctx, []string{"migrate-to", "--db", d.path, target}, noEnvAt, io.Discard, io.Discard)
	var ue usageError
	if err == nil || errors.As(err, &ue) || !strings.Contains(err.Error(), "already holds a desk") {
		t.Fatalf("a move into a desk: %v, want it refused (exit 1)", err)
	}
	if page := must(to.Queue(ctx, ownerV, store.QueueFilter{Search: "zanzibar", Limit: 10})); len(page.Tickets) != 1 {
		t.Errorf("after a refused move the search finds %d tickets, want 1", len(page.Tickets))
	}
}

// sameCounts compares queue counts as the queue reads them: a status
// counted 0 is one not counted. (The kept counts are rebuilt on the target
// by counting, so a count that fell to 0 on SQLite has no row there.)
func sameCounts(a, b store.QueueCounts) bool {
	return reflect.DeepEqual(nonZero(a.Status), nonZero(b.Status)) && reflect.DeepEqual(nonZero(a.Mine), nonZero(b.Mine)) &&
		reflect.DeepEqual(nonZero(a.Unassigned), nonZero(b.Unassigned))
}

func nonZero(m map[store.TicketStatus]int) map[store.TicketStatus]int {
	out := map[store.TicketStatus]int{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

// Command lines migrate-to cannot act on are refused before anything is
// opened: the usage for what was not understood, a plain error otherwise.
func TestMigrateTo_RefusesWhatItCannotMove(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	missing := filepath.Join(dir, "nowhere.db")
	for _, args := range [][]string{
		{"migrate-to"},
		{"migrate-to", "--db", missing},
		{"migrate-to", "mysql://user:secret@host/desk", "--db", missing},
		{"migrate-to", "data/other.db", "--db", missing},
		{"migrate-to", "postgres://user:secret@host", "--db", missing},
		{"migrate-to", "postgres://user:secret@host/desk", "--db", "postgres://user:secret@host/old"},
		{"migrate-to", "postgres://user:secret@host/desk", "--db", missing, "stray"},
		{"migrate-to", "postgres://user:secret@host/desk", "--no-such-flag"},
	} {
		err := run(ctx, args, noEnvAt, io.Discard, io.Discard)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("%v: %v, want a usage error", args, err)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("%v: the message shows the password: %v", args, err)
		}
	}
	// A desk that is not there is not made.
	err := run(ctx, []string{"migrate-to", "postgres://user:secret@host/desk", "--db", missing}, noEnvAt, io.Discard, io.Discard)
	var ue usageError
	if err == nil || errors.As(err, &ue) {
		t.Errorf("a missing desk: %v, want a plain error", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("refused moves left %v behind", entries)
	}

	// A desk a server has open is not moved: what it writes later would
	// stay behind.
	db := filepath.Join(dir, "served.db")
	st, err := openDesk(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = run(ctx, []string{"migrate-to", "postgres://user:secret@127.0.0.1:1/desk", "--db", db}, noEnvAt, io.Discard, io.Discard)
	if !errors.Is(err, store.ErrInUse) || !strings.Contains(err.Error(), "stop the Helpline server") {
		t.Errorf("moving a desk in use: %v, want it refused", err)
	}
}

// A desk on PostgreSQL is backed up with pg_dump, not with helpline backup,
// which says so rather than failing on a file it cannot find.
func TestBackupAndRestore_PointAtPostgreSQLsToolsForADeskOnPostgreSQL(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	pg := "postgres://helpline:secret@db.example.com/helpline"
	onPG := func(k string) string {
		if k == "HELPLINE_DB" {
			return pg
		}
		return ""
	}
	for _, c := range []struct {
		args []string
		env  func(string) string
		tool string
	}{
		{[]string{"backup", "--to", filepath.Join(dir, "b.db")}, onPG, "pg_dump"},
		{[]string{"backup", "--db", pg, "--to", filepath.Join(dir, "b.db")}, noEnvAt, "pg_dump"},
		{[]string{"restore", "--from", filepath.Join(dir, "b.db")}, onPG, "pg_restore"},
		{[]string{"restore", "--from", pg, "--db", filepath.Join(dir, "r.db")}, noEnvAt, "pg_restore"},
	} {
		err := run(ctx, c.args, c.env, io.Discard, io.Discard)
		var ue usageError
		if err == nil || errors.As(err, &ue) || !strings.Contains(err.Error(), c.tool) || strings.Contains(err.Error(), "secret") {
			t.Errorf("%v: %v, want an error pointing at %s", c.args, err, c.tool)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("refused commands left %v behind", entries)
	}
	if !slices.Contains(strings.Fields(usage), "migrate-to") {
		t.Error("the usage does not list migrate-to")
	}
}
