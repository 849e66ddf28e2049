package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"helpline/authz"
)

func TestCheckWebhookURL_HTTPSOrLoopbackOnly(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want WebhookURLProblem
	}{
		{"https://hooks.example.com/helpline", ""},
		{"https://10.0.0.5:8443/in", ""},
		{"http://127.0.0.1:8080/hook", ""},
		{"http://127.8.9.10/hook", ""},
		{"http://[::1]:9000/", ""},
		{"http://localhost:3000/hook", ""},
		{"http://hooks.example.com/helpline", WebhookURLPlainWeb},
		{"http://10.0.0.5/hook", WebhookURLPlainWeb},
		{"http://localhost.example.com/", WebhookURLPlainWeb},
		{"http://127.0.0.1.nip.io/", WebhookURLPlainWeb},
		{"http://0.0.0.0:80/", WebhookURLPlainWeb},
		{"", WebhookURLMissing},
		{"   ", WebhookURLMissing},
		{"ftp://127.0.0.1/x", WebhookURLInvalid},
		{"hooks.example.com/x", WebhookURLInvalid},
		{"https://", WebhookURLInvalid},
		{"https://user:pass@hooks.example.com/", WebhookURLInvalid},
		{"javascript:alert(1)", WebhookURLInvalid},
	} {
		if got := CheckWebhookURL(tc.url); got != tc.want {
			t.Errorf("CheckWebhookURL(%q) = %q, want %q", tc.url, got, tc.want)
		}
	}
}

func generalDepartment(t *testing.T, s *Store) int64 {
	t.Helper()
	var id int64
	if err := s.r.QueryRow(`SELECT min(id) FROM departments`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestWebhooks_OnlySettingsManagersChangeThemAndBadInputStoresNothing(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	owner := signUpOwner(t, s)
	agent, _, err := s.CreateAgent(ctx, owner.ID, AgentInput{Name: "Ann", Email: "ann@example.com", Role: authz.RoleAgent, Status: StatusActive}, "")
	if err != nil {
		t.Fatal(err)
	}
	good := WebhookInput{URL: "https://hooks.example.com/in", Events: []WebhookEvent{HookTicketCreated}, Active: true}
	if _, err := s.CreateWebhook(ctx, agent.ID, good, ""); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("an agent created a webhook: %v", err)
	}
	for _, bad := range []WebhookInput{
		{URL: "http://hooks.example.com/in", Events: []WebhookEvent{HookTicketCreated}},
		{URL: "https://hooks.example.com/in"},
		{URL: "https://hooks.example.com/in", Events: []WebhookEvent{"ticket.deleted"}},
	} {
		if _, err := s.CreateWebhook(ctx, owner.ID, bad, ""); !errors.Is(err, ErrInvalidWebhook) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	if hooks, _ := s.Webhooks(ctx); len(hooks) != 0 {
		t.Fatalf("refused webhooks were stored: %+v", hooks)
	}
	id, err := s.CreateWebhook(ctx, owner.ID, good, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateWebhook(ctx, agent.ID, id, good, ""); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("an agent changed a webhook: %v", err)
	}
	if err := s.RemoveWebhook(ctx, agent.ID, id, ""); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("an agent removed a webhook: %v", err)
	}
	if err := s.Redeliver(ctx, agent.ID, id, 1, ""); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("an agent redelivered: %v", err)
	}

	// The secret is sealed in the database, shown in clear only from the
	// store, and a new one replaces it only when asked.
	hook, err := s.WebhookByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var raw []byte
	if err := s.r.QueryRow(`SELECT secret FROM webhooks WHERE id = ?`, id).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), hook.Secret) || strings.Contains(string(raw), "whsec_") {
		t.Fatal("the secret is stored in clear")
	}
	if err := s.UpdateWebhook(ctx, owner.ID, id, good, ""); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.WebhookByID(ctx, id); again.Secret != hook.Secret {
		t.Fatal("saving changed the secret")
	}
	good.NewSecret = true
	if err := s.UpdateWebhook(ctx, owner.ID, id, good, ""); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.WebhookByID(ctx, id); again.Secret == hook.Secret || !strings.HasPrefix(again.Secret, "whsec_") {
		t.Fatal("a new secret was not made")
	}
	if err := s.RemoveWebhook(ctx, owner.ID, id, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WebhookByID(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after removal: %v", err)
	}
	log, _ := s.AuditLog(ctx, 0, 4)
	var actions []AuditAction
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	if !slices.Equal(actions, []AuditAction{ActionWebhookRemove, ActionWebhookUpdate, ActionWebhookUpdate, ActionWebhookCreate}) {
		t.Fatalf("audit %v", actions)
	}
}

// queuedEvents lists the events waiting for a webhook, oldest first, as
// "event code".
func queuedEvents(t *testing.T, s *Store, hookID int64) []string {
	t.Helper()
	ds, err := s.WebhookDeliveries(context.Background(), hookID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range slices.Backward(ds) {
		var code string
		if err := s.r.QueryRow(`SELECT code FROM tickets WHERE id = ?`, d.TicketID).Scan(&code); err != nil {
			t.Fatal(err)
		}
		out = append(out, string(d.Event)+" "+code)
	}
	return out
}

func TestWebhooks_EveryChannelWritesItsEventsWithTheChange(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	owner := signUpOwner(t, s)
	dept := generalDepartment(t, s)
	all, err := s.CreateWebhook(ctx, owner.ID, WebhookInput{URL: "https://a.example.com/", Events: WebhookEvents, Active: true}, "")
	if err != nil {
		t.Fatal(err)
	}
	statusOnly, err := s.CreateWebhook(ctx, owner.ID, WebhookInput{URL: "https://b.example.com/", Events: []WebhookEvent{HookStatusChanged}, Active: true}, "")
	if err != nil {
		t.Fatal(err)
	}
	inactive, err := s.CreateWebhook(ctx, owner.ID, WebhookInput{URL: "https://c.example.com/", Events: WebhookEvents, Active: false}, "")
	if err != nil {
		t.Fatal(err)
	}

	form, err := s.CreateTicket(ctx, nil, NewTicketInput{Subject: "Form", Body: "Hi", Channel: ChannelContactForm, DepartmentID: dept,
		ContactName: "Carla", ContactEmail: "carla@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	v := owner.Viewer()
	logged, err := s.CreateTicket(ctx, &v, NewTicketInput{Subject: "Call", Body: "Rang", Channel: ChannelCall, DepartmentID: dept,
		ContactName: "Dan", ContactEmail: "dan@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	byMail, err := s.IntakeEmail(ctx, IncomingEmail{MessageID: "m1@example.com", FromName: "Eve", FromEmail: "eve@example.com",
		Subject: "Mail", Body: "Hello", DepartmentID: dept})
	if err != nil || !byMail.New {
		t.Fatalf("email intake: %+v %v", byMail, err)
	}
	answer, err := s.IntakeEmail(ctx, IncomingEmail{MessageID: "m2@example.com", InReplyTo: []string{"m1@example.com"}, FromName: "Eve",
		FromEmail: "eve@example.com", Subject: "Re: Mail", Body: "More", DepartmentID: dept})
	if err != nil || answer.New || answer.Code != byMail.Code {
		t.Fatalf("email answer: %+v %v", answer, err)
	}
	token, err := s.CustomerLink(ctx, form, "en")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CustomerReplyByToken(ctx, token, "From my page", "en", nil); err != nil {
		t.Fatal(err)
	}
	if err := s.AddTag(ctx, v, logged, "vip"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(ctx, v, logged, TicketSpam); err != nil {
		t.Fatal(err)
	}
	// A refused change writes no event.
	if err := s.Transfer(ctx, v, logged, dept); !IsRule(err, RuleSameDepartment) {
		t.Fatalf("transfer to its own department: %v", err)
	}

	want := []string{
		"ticket.created " + form, "ticket.created " + logged, "ticket.created " + byMail.Code,
		"message.added " + byMail.Code, "message.added " + form, "ticket.status_changed " + logged,
	}
	if got := queuedEvents(t, s, all); !slices.Equal(got, want) {
		t.Fatalf("events\n got %v\nwant %v", got, want)
	}
	if got := queuedEvents(t, s, statusOnly); !slices.Equal(got, []string{"ticket.status_changed " + logged}) {
		t.Fatalf("the status-only webhook got %v", got)
	}
	if got := queuedEvents(t, s, inactive); len(got) != 0 {
		t.Fatalf("an inactive webhook got %v", got)
	}
}
