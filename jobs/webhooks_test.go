package jobs

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"helpline/authz"
	"helpline/store"
	"helpline/store/storetest"
)

// receiver is a real HTTP server on loopback that records what it is sent
// and answers with the status the test sets for each request in turn.
type receiver struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []receivedHook
	// answers are the statuses of the next requests; 200 once used up.
	answers []int
}

type receivedHook struct {
	header http.Header
	body   []byte
	event  store.HookPayload
}

func startReceiver(t *testing.T, answers ...int) *receiver {
	t.Helper()
	r := &receiver{answers: answers}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

// startReceiverAt serves on a given address (a receiver back after an
// outage, on the port it had).
func startReceiverAt(t *testing.T, addr string) *receiver {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	r := &receiver{}
	r.srv = httptest.NewUnstartedServer(http.HandlerFunc(r.serve))
	r.srv.Listener.Close()
	r.srv.Listener = l
	r.srv.Start()
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	var p store.HookPayload
	_ = json.Unmarshal(body, &p)
	r.mu.Lock()
	r.got = append(r.got, receivedHook{header: req.Header.Clone(), body: body, event: p})
	status := http.StatusOK
	if len(r.answers) > 0 {
		status, r.answers = r.answers[0], r.answers[1:]
	}
	r.mu.Unlock()
	w.WriteHeader(status)
	io.WriteString(w, "answer "+strconv.Itoa(status)+" "+strings.Repeat("x", 3000))
}

func (r *receiver) received() []receivedHook {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

// events lists what the receiver got as "event code".
func (r *receiver) events() []string {
	var out []string
	for _, h := range r.received() {
		out = append(out, string(h.event.Event)+" "+h.event.Ticket.Code)
	}
	return out
}

// hookDesk is a desk with an owner, two departments, an agent and a
// webhook for every event pointing at url.
type hookDesk struct {
	st           *store.Store
	owner        store.Agent
	sales, field int64
	hookID       int64
	now          time.Time
}

func newHookDesk(t *testing.T, url string) *hookDesk {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(storetest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	d := &hookDesk{st: st, now: time.Now()}
	st.SetClock(func() time.Time { return d.now })
	if d.owner, err = st.SignUp(ctx, store.SignUpInput{Company: "Acme", Name: "Olivia Owner", Email: "owner@example.com", PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	if d.sales, err = st.CreateDepartment(ctx, d.owner.ID, store.DepartmentInput{Name: "Sales"}); err != nil {
		t.Fatal(err)
	}
	if d.field, err = st.CreateDepartment(ctx, d.owner.ID, store.DepartmentInput{Name: "Field"}); err != nil {
		t.Fatal(err)
	}
	if d.hookID, err = st.CreateWebhook(ctx, d.owner.ID, store.WebhookInput{URL: url, Events: store.WebhookEvents, Active: true}, ""); err != nil {
		t.Fatal(err)
	}
	return d
}

func (d *hookDesk) ticket(t *testing.T, subject string) string {
	t.Helper()
	code, err := d.st.CreateTicket(context.Background(), nil, store.NewTicketInput{Subject: subject, Body: "Hello",
		Channel: store.ChannelContactForm, Priority: store.PriorityHigh, DepartmentID: d.sales, ContactName: "Carla Customer", ContactEmail: "carla@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func (d *hookDesk) deliver(t *testing.T) int {
	t.Helper()
	n, err := DeliverWebhooks(context.Background(), d.st, WebhookClient(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// later moves the desk's clock past every pause before the next try.
func (d *hookDesk) later() { d.now = d.now.Add(2 * time.Hour) }

func (d *hookDesk) deliveries(t *testing.T) []store.WebhookDelivery {
	t.Helper()
	ds, err := d.st.WebhookDeliveries(context.Background(), d.hookID)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestWebhooks_DeliveryIsSignedWithTheSecret(t *testing.T) {
	rcv := startReceiver(t)
	d := newHookDesk(t, rcv.srv.URL+"/hooks")
	code := d.ticket(t, "Parcel lost")
	if n := d.deliver(t); n != 1 {
		t.Fatalf("delivered %d, want 1", n)
	}
	got := rcv.received()
	if len(got) != 1 {
		t.Fatalf("the receiver got %d requests", len(got))
	}
	h := got[0]
	hook, err := d.st.WebhookByID(context.Background(), d.hookID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hook.Secret, "whsec_") || len(hook.Secret) < 40 {
		t.Fatalf("secret %q", hook.Secret)
	}
	// Checked as docs/WEBHOOKS.md tells a receiver to, not with SignWebhook.
	var ts, sig string
	for _, part := range strings.Split(h.header.Get("Helpline-Signature"), ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	mac := hmac.New(sha256.New, []byte(hook.Secret))
	mac.Write([]byte(ts + "." + string(h.body)))
	want := hex.EncodeToString(mac.Sum(nil))
	if sig == "" || !hmac.Equal([]byte(sig), []byte(want)) {
		t.Fatalf("signature %q does not verify (header %q)", sig, h.header.Get("Helpline-Signature"))
	}
	sec, _ := strconv.ParseInt(ts, 10, 64)
	if age := time.Since(time.Unix(sec, 0)); age < 0 || age > time.Minute {
		t.Fatalf("signed at %s", ts)
	}
	// Another secret does not verify it.
	other := hmac.New(sha256.New, []byte("whsec_other"))
	other.Write([]byte(ts + "." + string(h.body)))
	if hex.EncodeToString(other.Sum(nil)) == sig {
		t.Fatal("any secret verifies")
	}
	if h.header.Get("Content-Type") != "application/json" || h.header.Get("Helpline-Event") != "ticket.created" {
		t.Fatalf("headers %v", h.header)
	}
	p := h.event
	if p.Event != store.HookTicketCreated || p.Ticket.Code != code || p.Ticket.Subject != "Parcel lost" || p.Ticket.Department.Name != "Sales" ||
		p.Ticket.Contact.Email != "carla@example.com" || p.Ticket.Priority != "high" || p.Message == nil || p.Message.Body != "Hello" || p.Message.Author.Type != "contact" ||
		p.ID == "" || h.header.Get("Helpline-Event-Id") != p.ID {
		t.Fatalf("payload %s", h.body)
	}
	ds := d.deliveries(t)
	if len(ds) != 1 || ds[0].Status != store.DeliverySent || ds[0].StatusCode != 200 || ds[0].Attempts != 1 ||
		!strings.HasPrefix(ds[0].Response, "answer 200") || len(ds[0].Response) > store.WebhookResponseLimit+len("…") {
		t.Fatalf("delivery %+v", ds)
	}
}

func TestWebhooks_RetriedAfter500sWithBackOff(t *testing.T) {
	rcv := startReceiver(t, 500, 503)
	d := newHookDesk(t, rcv.srv.URL)
	d.ticket(t, "Parcel lost")
	d.deliver(t)
	ds := d.deliveries(t)
	if len(ds) != 1 || ds[0].Status != store.DeliveryPending || ds[0].StatusCode != 500 || ds[0].Attempts != 1 || !strings.HasPrefix(ds[0].Response, "answer 500") {
		t.Fatalf("after a 500: %+v", ds)
	}
	// Not again before the pause is over.
	d.now = d.now.Add(10 * time.Second)
	d.deliver(t)
	if n := len(rcv.received()); n != 1 {
		t.Fatalf("tried again within the pause: %d requests", n)
	}
	d.now = d.now.Add(25 * time.Second)
	d.deliver(t)
	if ds := d.deliveries(t); ds[0].StatusCode != 503 || ds[0].Attempts != 2 || ds[0].Status != store.DeliveryPending {
		t.Fatalf("after a 503: %+v", ds[0])
	}
	// The second pause is longer than the first.
	d.now = d.now.Add(35 * time.Second)
	d.deliver(t)
	if n := len(rcv.received()); n != 2 {
		t.Fatalf("the pause did not grow: %d requests", n)
	}
	d.now = d.now.Add(30 * time.Second)
	d.deliver(t)
	ds = d.deliveries(t)
	if ds[0].Status != store.DeliverySent || ds[0].StatusCode != 200 || ds[0].Attempts != 3 {
		t.Fatalf("after the receiver recovered: %+v", ds[0])
	}
	got := rcv.received()
	if len(got) != 3 || got[0].event.ID != got[2].event.ID || string(got[0].body) != string(got[2].body) {
		t.Fatalf("each try should carry the same event: %d requests", len(got))
	}
}

func TestWebhooks_GivenUpAfterTheLastTryThenRedelivered(t *testing.T) {
	answers := make([]int, store.MaxWebhookAttempts)
	for i := range answers {
		answers[i] = 500
	}
	rcv := startReceiver(t, answers...)
	d := newHookDesk(t, rcv.srv.URL)
	d.ticket(t, "Parcel lost")
	for range store.MaxWebhookAttempts + 2 {
		d.deliver(t)
		d.later()
	}
	ds := d.deliveries(t)
	if len(ds) != 1 || ds[0].Status != store.DeliveryFailed || ds[0].Attempts != store.MaxWebhookAttempts {
		t.Fatalf("after every try failed: %+v", ds)
	}
	if err := d.st.Redeliver(context.Background(), d.owner.ID, d.hookID, ds[0].ID, ""); err != nil {
		t.Fatal(err)
	}
	d.deliver(t)
	ds = d.deliveries(t)
	if len(ds) != 2 || ds[0].Status != store.DeliverySent || ds[0].StatusCode != 200 || ds[0].EventID != ds[1].EventID {
		t.Fatalf("after Redeliver: %+v", ds)
	}
}

func TestWebhooks_OneTicketsDeliveriesGoInOrder(t *testing.T) {
	rcv := startReceiver(t, 500)
	d := newHookDesk(t, rcv.srv.URL)
	ctx := context.Background()
	a := d.ticket(t, "First")
	if err := d.st.Reply(ctx, d.owner.Viewer(), a, "On its way"); err != nil {
		t.Fatal(err)
	}
	// The ticket's first event failed: the next ones wait for it, while
	// another ticket's go.
	d.deliver(t)
	b := d.ticket(t, "Second")
	d.deliver(t)
	if got := rcv.events(); !slices.Equal(got, []string{"ticket.created " + a, "ticket.created " + b}) {
		t.Fatalf("while the first was retried the receiver got %v", got)
	}
	d.later()
	d.deliver(t)
	want := []string{"ticket.created " + a, "ticket.created " + b,
		"ticket.created " + a, "message.added " + a, "ticket.status_changed " + a}
	if got := rcv.events(); !slices.Equal(got, want) {
		t.Fatalf("received %v, want %v", got, want)
	}
	last := rcv.received()[4].event
	if last.Change == nil || last.Change.From != "new" || last.Change.To != "answered" || last.Ticket.Status != store.TicketAnswered {
		t.Fatalf("status change %+v", last)
	}
}

func TestWebhooks_NothingLostWhileTheReceiverIsDown(t *testing.T) {
	rcv := startReceiver(t)
	addr := rcv.srv.Listener.Addr().String()
	d := newHookDesk(t, rcv.srv.URL)
	rcv.srv.Close() // the receiver goes away

	ctx := context.Background()
	agent, _, err := d.st.CreateAgent(ctx, d.owner.ID, store.AgentInput{Name: "Ann", Email: "ann@example.com", Role: authz.RoleAgent, Status: store.StatusActive}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.st.SetMember(ctx, d.owner.ID, d.sales, agent.ID, store.Channels{Tickets: true}); err != nil {
		t.Fatal(err)
	}
	code := d.ticket(t, "Parcel lost")
	v := d.owner.Viewer()
	steps := []func() error{
		func() error { return d.st.AddNote(ctx, v, code, "Check the depot") },
		func() error { return d.st.Assign(ctx, v, code, agent.ID) },
		func() error { return d.st.Reply(ctx, v, code, "We are looking") },
		func() error { return d.st.CustomerReply(ctx, code, "Thanks") },
		func() error { return d.st.Transfer(ctx, v, code, d.field) },
		func() error { return d.st.SetStatus(ctx, v, code, store.TicketResolved) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		d.deliver(t) // fails: nobody listens
	}
	tk, err := d.st.TicketByCode(ctx, v, code)
	if err != nil || tk.Status != store.TicketResolved || tk.DepartmentID != d.field {
		t.Fatalf("the changes did not all land: %+v %v", tk, err)
	}
	if ds := d.deliveries(t); ds[len(ds)-1].Status != store.DeliveryPending || ds[len(ds)-1].StatusCode != 0 || ds[len(ds)-1].Error == "" {
		t.Fatalf("the first delivery during the outage: %+v", ds[len(ds)-1])
	}

	back := startReceiverAt(t, addr)
	for range 3 {
		d.later()
		d.deliver(t)
	}
	want := []string{"ticket.created", "message.added", "ticket.assigned", "message.added", "ticket.status_changed",
		"message.added", "ticket.status_changed", "ticket.transferred", "ticket.status_changed"}
	var got []string
	seen := map[string]bool{}
	for _, h := range back.received() {
		got = append(got, string(h.event.Event))
		if seen[h.event.ID] {
			t.Errorf("event %s delivered twice", h.event.ID)
		}
		seen[h.event.ID] = true
	}
	if !slices.Equal(got, want) {
		t.Fatalf("after the outage the receiver got %v, want %v", got, want)
	}
	for _, ds := range d.deliveries(t) {
		if ds.Status != store.DeliverySent {
			t.Fatalf("delivery left %+v", ds)
		}
	}
	notes := back.received()[1].event.Message
	if notes == nil || notes.Kind != store.KindNote || notes.Author.Name != "Olivia Owner" {
		t.Fatalf("the note's event %+v", notes)
	}
	if tr := back.received()[7].event.Change; tr == nil || tr.From != "Sales" || tr.To != "Field" {
		t.Fatalf("the transfer's event %+v", tr)
	}
}

func TestWebhooks_AReceiverThatHangsIsCutOff(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the timeout")
	}
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	d := newHookDesk(t, srv.URL)
	start := time.Now()
	d.ticket(t, "Parcel lost")
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("creating a ticket took %s with a hanging receiver", took)
	}
	client := WebhookClient()
	client.Timeout = 300 * time.Millisecond
	if _, err := DeliverWebhooks(context.Background(), d.st, client, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	if ds := d.deliveries(t); ds[0].Status != store.DeliveryPending || ds[0].Attempts != 1 || ds[0].Error == "" {
		t.Fatalf("after a hanging receiver: %+v", ds[0])
	}
}

func TestWebhooks_AReceiverThatIsAwayHoldsUpNoOther(t *testing.T) {
	gone := startReceiver(t)
	gone.srv.Close()
	up := startReceiver(t)
	d := newHookDesk(t, gone.srv.URL)
	other, err := d.st.CreateWebhook(context.Background(), d.owner.ID, store.WebhookInput{URL: up.srv.URL, Events: store.WebhookEvents, Active: true}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"One", "Two", "Three"} {
		d.ticket(t, s)
	}
	d.deliver(t)
	if n := len(up.received()); n != 3 {
		t.Fatalf("the receiver that is up got %d deliveries, want 3", n)
	}
	tried := 0
	for _, ds := range d.deliveries(t) {
		tried += ds.Attempts
	}
	if tried != 1 {
		t.Fatalf("the receiver that is away was tried %d times in one run, want once", tried)
	}
	if ds, _ := d.st.WebhookDeliveries(context.Background(), other); len(ds) != 3 || ds[0].Status != store.DeliverySent {
		t.Fatalf("the other webhook's deliveries %+v", ds)
	}
}

func TestWebhooks_DeliveriesAreListedForAMonthThenPurged(t *testing.T) {
	rcv := startReceiver(t, 200)
	d := newHookDesk(t, rcv.srv.URL)
	d.ticket(t, "Sent")
	d.deliver(t)
	d.now = d.now.Add(store.WebhookKeep - time.Hour)
	if n, err := d.st.PurgeWebhookDeliveries(context.Background()); err != nil || n != 0 {
		t.Fatalf("purged %d (%v) within the month", n, err)
	}
	rcv.srv.Close()
	d.ticket(t, "Waiting") // its delivery waits: the receiver is away
	d.deliver(t)
	d.now = d.now.Add(2 * time.Hour)
	if n, err := d.st.PurgeWebhookDeliveries(context.Background()); err != nil || n != 1 {
		t.Fatalf("purged %d (%v) after the month, want the sent one", n, err)
	}
	ds := d.deliveries(t)
	if len(ds) != 1 || ds[0].Status != store.DeliveryPending {
		t.Fatalf("left %+v, want the waiting one", ds)
	}
}
