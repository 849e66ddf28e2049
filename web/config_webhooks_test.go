package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"helpline/authz"
	"helpline/jobs"
	"helpline/store"
	"helpline/views"
)

func hookForm(u string, events ...store.WebhookEvent) url.Values {
	f := url.Values{"url": {u}, "active": {"1"}}
	for _, ev := range events {
		f.Add("events", string(ev))
	}
	return f
}

func onlyWebhook(t *testing.T, app *testApp) store.Webhook {
	t.Helper()
	hooks, err := app.st.Webhooks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 1 {
		t.Fatalf("%d webhooks, want 1", len(hooks))
	}
	return hooks[0]
}

func TestWebhooks_AdminAddsEditsAndRemovesAWebhook(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	admin := app.signedIn(tm.admin)

	admin.get(views.PathWebhooks).wantStatus(200).wantContains("No webhooks yet.")
	form := admin.get(views.PathWebhookNew).wantStatus(200).doc()
	if n := form.Find(`input[name="events"]:checked`).Length(); n != len(store.WebhookEvents) {
		t.Fatalf("a new webhook offers %d events checked, want all", n)
	}
	r := admin.post(views.PathWebhooks, hookForm("https://crm.example.com/helpline", store.HookTicketCreated, store.HookStatusChanged))
	hook := onlyWebhook(t, app)
	r.wantRedirect(views.WithID(views.PathWebhook, hook.ID))
	edit := admin.get(views.WithID(views.PathWebhook, hook.ID)).wantStatus(200)
	if got := edit.text(".flash"); got != "The webhook was added. Copy its signing secret into the receiver." {
		t.Fatalf("flash %q", got)
	}
	secret, _ := edit.doc().Find("#f-secret").Attr("value")
	if secret == "" || secret != hook.Secret {
		t.Fatalf("the form shows the secret %q, the store has %q", secret, hook.Secret)
	}
	if !hook.Active || !slices.Equal(hook.Events, []store.WebhookEvent{store.HookTicketCreated, store.HookStatusChanged}) {
		t.Fatalf("stored %+v", hook)
	}
	row := admin.get(views.PathWebhooks).doc().Find("#" + views.WebhookRowID(hook.ID))
	if got := row.Find("td").Eq(1).Text(); got != "Ticket created, Status changed" {
		t.Fatalf("the list names the events %q", got)
	}

	// Edit: a loopback receiver, one event, inactive; the secret stays.
	admin.post(views.WithID(views.PathWebhook, hook.ID), url.Values{"url": {"http://127.0.0.1:9999/in"}, "events": {"message.added"}}).
		wantRedirect(views.PathWebhooks)
	saved := onlyWebhook(t, app)
	if saved.URL != "http://127.0.0.1:9999/in" || saved.Active || !slices.Equal(saved.Events, []store.WebhookEvent{store.HookMessageAdded}) || saved.Secret != hook.Secret {
		t.Fatalf("after edit %+v", saved)
	}
	// A new secret, on request, shown again to be copied.
	admin.post(views.WithID(views.PathWebhook, hook.ID), url.Values{"url": {saved.URL}, "events": {"message.added"}, "new_secret": {"1"}, "active": {"1"}}).
		wantRedirect(views.WithID(views.PathWebhook, hook.ID))
	if again := onlyWebhook(t, app); again.Secret == hook.Secret || !again.Active {
		t.Fatalf("new secret not made: %+v", again)
	}

	// Removed from the list's dialog with htmx: the row goes, the flash says so.
	second, err := app.st.CreateWebhook(context.Background(), tm.admin.ID, store.WebhookInput{URL: "https://b.example.com/", Events: store.WebhookEvents}, "")
	if err != nil {
		t.Fatal(err)
	}
	admin.get(views.PathWebhooks)
	admin.hxPost(views.WithID(views.PathWebhookRemove, second), nil).wantStatus(200).wantContains("The webhook was removed.")
	if _, err := app.st.WebhookByID(context.Background(), second); err == nil {
		t.Fatal("the htmx removal left the webhook")
	}
	admin.get(views.WithID(views.PathWebhookRemove, hook.ID)).wantStatus(200).wantContains("Remove the webhook to http://127.0.0.1:9999/in?")
	admin.post(views.WithID(views.PathWebhookRemove, hook.ID), nil).wantRedirect(views.PathWebhooks)
	if hooks, _ := app.st.Webhooks(context.Background()); len(hooks) != 0 {
		t.Fatalf("not removed: %+v", hooks)
	}
	audit := admin.get(views.PathAudit).wantStatus(200).body
	for _, label := range []string{"Added a webhook", "Changed a webhook", "Removed a webhook"} {
		if !strings.Contains(audit, label) {
			t.Errorf("the audit log does not say %q", label)
		}
	}
}

func TestWebhooks_BadInputIs422AndStoresNothing(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	admin := app.signedIn(tm.admin)
	if _, err := app.st.CreateWebhook(context.Background(), tm.admin.ID, store.WebhookInput{URL: "https://a.example.com/", Events: store.WebhookEvents, Active: true}, ""); err != nil {
		t.Fatal(err)
	}
	before := onlyWebhook(t, app)
	edit := views.WithID(views.PathWebhook, before.ID)
	cases := []struct {
		name, path string
		form       url.Values
		field, msg string
	}{
		{"plain http to another machine", views.PathWebhooks, hookForm("http://crm.example.com/in", store.HookTicketCreated),
			"url", "Plain http:// is allowed only to this machine (127.0.0.1, ::1 or localhost); use https://."},
		{"plain http to a private address", edit, hookForm("http://10.1.2.3/in", store.HookTicketCreated),
			"url", "Plain http:// is allowed only to this machine (127.0.0.1, ::1 or localhost); use https://."},
		{"no address", views.PathWebhooks, hookForm("  ", store.HookTicketCreated), "url", "Please fill this in."},
		{"not an address", views.PathWebhooks, hookForm("crm.example.com/in", store.HookTicketCreated), "url", "Enter a full address starting with https://."},
		{"another scheme", edit, hookForm("ftp://127.0.0.1/in", store.HookTicketCreated), "url", "Enter a full address starting with https://."},
		{"no event", views.PathWebhooks, hookForm("https://crm.example.com/in"), "events", "Choose at least one event."},
		{"an unknown event", edit, hookForm("https://crm.example.com/in", "ticket.deleted"), "events", "Please choose one of the offered options."},
	}
	for _, tc := range cases {
		r := admin.post(tc.path, tc.form).wantStatus(http.StatusUnprocessableEntity)
		if msg := r.text("#f-" + tc.field + "-error"); msg != tc.msg {
			t.Errorf("%s: message next to %s is %q, want %q", tc.name, tc.field, msg, tc.msg)
		}
	}
	if after := onlyWebhook(t, app); after.URL != before.URL || !slices.Equal(after.Events, before.Events) {
		t.Fatalf("refused input changed the webhook: %+v", after)
	}
}

func TestWebhooks_OnlySettingsManagersGetIn(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	ctx := context.Background()
	hookID, err := app.st.CreateWebhook(ctx, tm.creator.ID, store.WebhookInput{URL: "https://a.example.com/", Events: store.WebhookEvents, Active: true}, "")
	if err != nil {
		t.Fatal(err)
	}
	// One delivery to redeliver.
	dep, err := app.st.CreateDepartment(ctx, tm.creator.ID, store.DepartmentInput{Name: "Support"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.st.CreateTicket(ctx, nil, store.NewTicketInput{Subject: "Hi", Body: "Hello", Channel: store.ChannelContactForm,
		DepartmentID: dep, ContactName: "Carla", ContactEmail: "carla@example.com"}); err != nil {
		t.Fatal(err)
	}
	ds, err := app.st.WebhookDeliveries(ctx, hookID)
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries %v %v", ds, err)
	}
	settings := app.addAgent(tm.creator.ID, "Sam Settings", app.customRole(tm.creator.ID, "Settings keeper", append(authz.AgentBase().Perms(), authz.SettingsManage)...))
	channels := app.addAgent(tm.creator.ID, "Cara Channels", app.customRole(tm.creator.ID, "Channels keeper", append(authz.AgentBase().Perms(), authz.ChannelsManage)...))

	type step struct {
		method, path string
		form         url.Values
		ok           int
	}
	steps := func() []step {
		return []step{
			{"GET", views.PathWebhooks, nil, 200},
			{"GET", views.PathWebhookNew, nil, 200},
			{"POST", views.PathWebhooks, hookForm("https://b.example.com/", store.HookTicketCreated), 303},
			{"GET", views.WithID(views.PathWebhook, hookID), nil, 200},
			{"POST", views.WithID(views.PathWebhook, hookID), hookForm("https://a.example.com/", store.WebhookEvents...), 303},
			{"GET", views.WithID(views.PathWebhookDeliveries, hookID), nil, 200},
			{"POST", views.RedeliverPath(hookID, ds[0].ID), nil, 303},
			{"GET", views.WithID(views.PathWebhookRemove, hookID), nil, 200},
		}
	}
	for _, who := range []struct {
		name   string
		client *client
		allow  bool
	}{
		{"anonymous", app.client(), false},
		{"agent", app.signedIn(tm.agent), false},
		{"channels keeper", app.signedIn(channels), false},
		{"admin", app.signedIn(tm.admin), true},
		{"owner", app.signedIn(tm.creator), true},
		{"settings keeper", app.signedIn(settings), true},
	} {
		for _, s := range steps() {
			want := s.ok
			switch {
			case who.name == "anonymous":
				want = http.StatusSeeOther
			case !who.allow:
				want = http.StatusForbidden
			}
			var r *response
			if s.method == "GET" {
				r = who.client.get(s.path)
			} else {
				r = who.client.post(s.path, s.form)
			}
			if r.status != want {
				t.Errorf("%s %s %s: status %d, want %d", who.name, s.method, s.path, r.status, want)
			}
			if who.name == "anonymous" && !strings.HasPrefix(r.header.Get("Location"), views.PathSignIn) {
				t.Errorf("anonymous %s %s: sent to %q", s.method, s.path, r.header.Get("Location"))
			}
		}
	}
	// Those refused changed nothing: the webhooks are the first and the
	// three the allowed created, and only the allowed redelivered.
	if hooks, _ := app.st.Webhooks(ctx); len(hooks) != 4 {
		t.Fatalf("%d webhooks after the walk, want 4", len(hooks))
	}
	if ds, _ := app.st.WebhookDeliveries(ctx, hookID); len(ds) != 4 {
		t.Fatalf("%d deliveries after the walk, want 4", len(ds))
	}
	// A delivery of another webhook, or none, is not found.
	admin := app.signedIn(tm.admin)
	other, _ := app.st.CreateWebhook(ctx, tm.creator.ID, store.WebhookInput{URL: "https://c.example.com/", Events: store.WebhookEvents}, "")
	admin.post(views.RedeliverPath(other, ds[0].ID), nil).wantStatus(http.StatusNotFound)
	admin.post(views.RedeliverPath(hookID, 999999), nil).wantStatus(http.StatusNotFound)
	admin.get(views.WithID(views.PathWebhook, 999999)).wantStatus(http.StatusNotFound)
	admin.post(views.WithID(views.PathWebhookRemove, 999999), nil).wantStatus(http.StatusNotFound)
}

func TestWebhooks_DeliveryListShowsWhatTheReceiverAnswered(t *testing.T) {
	answers := []int{500, 200}
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status := answers[0]
		answers = answers[1:]
		w.WriteHeader(status)
		fmt.Fprintf(w, "receiver says %d <b>%s</b>", status, strings.Repeat("z", 5000))
	}))
	t.Cleanup(rcv.Close)
	app := newTestApp(t)
	tm := app.team()
	ctx := context.Background()
	hookID, err := app.st.CreateWebhook(ctx, tm.admin.ID, store.WebhookInput{URL: rcv.URL, Events: store.WebhookEvents, Active: true}, "")
	if err != nil {
		t.Fatal(err)
	}
	dep, _ := app.st.CreateDepartment(ctx, tm.creator.ID, store.DepartmentInput{Name: "Support"})
	code, err := app.st.CreateTicket(ctx, nil, store.NewTicketInput{Subject: "Hi", Body: "Hello", Channel: store.ChannelContactForm,
		DepartmentID: dep, ContactName: "Carla", ContactEmail: "carla@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := jobs.DeliverWebhooks(ctx, app.st, jobs.WebhookClient(), quiet); err != nil {
		t.Fatal(err)
	}
	admin := app.signedIn(tm.admin)
	if got := strings.TrimSpace(admin.get(views.PathWebhooks).doc().Find("#" + views.WebhookRowID(hookID) + " .badge-warning").Text()); got != "1 waiting" {
		t.Fatalf("the list counts %q", got)
	}
	page := admin.get(views.WithID(views.PathWebhookDeliveries, hookID)).wantStatus(200).doc()
	rows := page.Find(".deliveries-table tbody tr")
	if rows.Length() != 1 {
		t.Fatalf("%d rows", rows.Length())
	}
	cells := rows.First().Find("td")
	if got := []string{strings.TrimSpace(cells.Eq(0).Text()), strings.TrimSpace(cells.Eq(1).Text()), strings.TrimSpace(cells.Eq(2).Text()),
		strings.TrimSpace(cells.Eq(3).Text()), strings.TrimSpace(cells.Eq(5).Text())}; !slices.Equal(got, []string{"Ticket created", code, "Waiting", "500", "1"}) {
		t.Fatalf("row %q", got)
	}
	if resp := cells.Eq(6).Text(); !strings.HasPrefix(resp, "receiver says 500 <b>") || len(resp) > store.WebhookResponseLimit+10 {
		t.Fatalf("the response shows %.80q… (%d bytes)", resp, len(resp))
	}
	if cells.Eq(4).Find("time").Length() != 1 {
		t.Fatal("no time")
	}
	// Redeliver: a new delivery of the same event, sent on the next round
	// once the first one's pause is over.
	id, _ := rows.First().Attr("id")
	var deliveryID int64
	fmt.Sscanf(id, "delivery-%d", &deliveryID)
	admin.post(views.RedeliverPath(hookID, deliveryID), nil).wantRedirect(views.WithID(views.PathWebhookDeliveries, hookID))
	ds, _ := app.st.WebhookDeliveries(ctx, hookID)
	if len(ds) != 2 || ds[0].EventID != ds[1].EventID || ds[0].Status != store.DeliveryPending {
		t.Fatalf("after Redeliver %+v", ds)
	}
}
