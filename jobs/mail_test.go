package jobs

import (
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"helpline/mail/mailtest"
	"helpline/store"
	"helpline/store/storetest"
)

// mailDesk is a desk with a department, its owner, outgoing mail pointed at
// a real SMTP server on loopback, and a contact-form ticket.
type mailDesk struct {
	st    *store.Store
	smtp  *mailtest.SMTP
	owner store.Agent
	dept  int64
	code  string
	now   time.Time
}

func newMailDesk(t *testing.T, requester string) *mailDesk {
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
	d := &mailDesk{st: st, smtp: mailtest.StartSMTP(t), now: time.Now()}
	st.SetClock(func() time.Time { return d.now })
	if d.owner, err = st.SignUp(ctx, store.SignUpInput{Company: "Acme", Name: "Olivia Owner", Email: "owner@example.com", PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	if d.dept, err = st.CreateDepartment(ctx, d.owner.ID, store.DepartmentInput{Name: "Sales"}); err != nil {
		t.Fatal(err)
	}
	d.smtp.User, d.smtp.Password = "desk", "s3cret"
	if err := st.SaveMailSettings(ctx, d.owner.ID, store.MailSettings{Host: d.smtp.Host, Port: d.smtp.Port, Security: store.SecurityNone,
		Username: "desk", Password: "s3cret", FromName: "Acme Support", FromAddress: "help@acme.example"}, ""); err != nil {
		t.Fatal(err)
	}
	if d.code, err = st.CreateTicket(ctx, nil, store.NewTicketInput{Subject: "Parcel lost", Body: "Where is it?",
		Channel: store.ChannelContactForm, DepartmentID: d.dept, ContactName: "Carla Customer", ContactEmail: requester}); err != nil {
		t.Fatal(err)
	}
	return d
}

func (d *mailDesk) deliver(t *testing.T) int {
	t.Helper()
	n, err := DeliverOutbox(context.Background(), d.st, "https://help.acme.example", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (d *mailDesk) delivery(t *testing.T) (store.Delivery, bool) {
	t.Helper()
	tk, err := d.st.TicketByCode(context.Background(), d.owner.Viewer(), d.code)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := d.st.Deliveries(context.Background(), tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, dl := range ds {
		return dl, true
	}
	return store.Delivery{}, false
}

// parts reads an email's plain-text and HTML parts.
func parts(t *testing.T, raw []byte) (*netmail.Message, string, string) {
	t.Helper()
	msg, err := netmail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		t.Fatalf("content type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	var text, html string
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		body := string(b)
		if p.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			body = decodeQP(t, b)
		}
		switch {
		case strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain"):
			text = body
		case strings.HasPrefix(p.Header.Get("Content-Type"), "text/html"):
			html = body
		}
	}
	return msg, text, html
}

func TestOutbox_ReplyIsEmailedThreadedWithTheCustomerLinkAndNotesNeverLeave(t *testing.T) {
	d := newMailDesk(t, "carla@example.com")
	ctx := context.Background()
	v := d.owner.Viewer()
	if err := d.st.AddNote(ctx, v, d.code, "internal: courier is slow"); err != nil {
		t.Fatal(err)
	}
	if n := d.deliver(t); n != 0 {
		t.Fatalf("a note sent %d emails", n)
	}
	if err := d.st.Reply(ctx, v, d.code, "We found your parcel."); err != nil {
		t.Fatal(err)
	}
	if dl, ok := d.delivery(t); !ok || dl.Status != store.DeliveryPending {
		t.Fatalf("before the worker runs the reply is %+v, want Sending…", dl)
	}
	if n := d.deliver(t); n != 1 {
		t.Fatalf("sent %d emails, want 1", n)
	}
	if err := d.st.Reply(ctx, v, d.code, "It arrives tomorrow."); err != nil {
		t.Fatal(err)
	}
	d.deliver(t)
	got := d.smtp.WaitFor(2, 5*time.Second)
	if len(got) != 2 || got[0].To[0] != "carla@example.com" {
		t.Fatalf("received %+v", got)
	}
	first, text, html := parts(t, got[0].Data)
	if want := "Re: Parcel lost [" + d.code + "]"; first.Header.Get("Subject") != want {
		t.Fatalf("subject %q, want %q", first.Header.Get("Subject"), want)
	}
	ct, err := d.st.CustomerLink(ctx, d.code, "")
	if err != nil {
		t.Fatal(err)
	}
	link := "https://help.acme.example/c/" + ct
	for name, part := range map[string]string{"text": text, "html": html} {
		if !strings.Contains(part, "We found your parcel.") || !strings.Contains(part, link) {
			t.Fatalf("%s part lacks the reply or the link %s:\n%s", name, link, part)
		}
		if strings.Contains(part, "courier") {
			t.Fatalf("the %s part carries the internal note", name)
		}
	}
	second, _, _ := parts(t, got[1].Data)
	id := first.Header.Get("Message-Id")
	if id == "" || second.Header.Get("In-Reply-To") != id || !strings.Contains(second.Header.Get("References"), id) {
		t.Fatalf("threading: first Message-ID %q, second In-Reply-To %q References %q", id, second.Header.Get("In-Reply-To"), second.Header.Get("References"))
	}
	if _, ok := d.delivery(t); ok {
		t.Fatal("a sent email still shows as not delivered")
	}
}

func TestOutbox_ServerDownThenUpLosesNothing(t *testing.T) {
	d := newMailDesk(t, "carla@example.com")
	ctx := context.Background()
	d.smtp.Stop()
	if err := d.st.Reply(ctx, d.owner.Viewer(), d.code, "Saved while the server is down."); err != nil {
		t.Fatal(err)
	}
	if n := d.deliver(t); n != 0 {
		t.Fatal("sent with the server down")
	}
	dl, ok := d.delivery(t)
	if !ok || dl.Status != store.DeliveryPending || dl.Attempts != 1 {
		t.Fatalf("after a failed try: %+v", dl)
	}
	// Not yet due again: the worker waits.
	d.smtp.Restart()
	if n := d.deliver(t); n != 0 {
		t.Fatal("tried again before the pause was over")
	}
	d.now = d.now.Add(time.Minute)
	if n := d.deliver(t); n != 1 {
		t.Fatalf("after the server came back %d emails went, want 1", n)
	}
	if got := d.smtp.WaitFor(1, 5*time.Second); !strings.Contains(string(got[0].Data), "Saved while the server is down.") {
		t.Fatal("the email sent is not the reply")
	}
}

func TestOutbox_RefusedRecipientIsNotDeliveredWithTheReasonAndRetryTriesAgain(t *testing.T) {
	d := newMailDesk(t, "reject-me@example.com")
	ctx := context.Background()
	if err := d.st.Reply(ctx, d.owner.Viewer(), d.code, "Hello?"); err != nil {
		t.Fatal(err)
	}
	d.deliver(t)
	dl, ok := d.delivery(t)
	if !ok || dl.Status != store.DeliveryFailed || !strings.HasPrefix(dl.Reason, "MailProblemRejected") {
		t.Fatalf("a refused recipient: %+v", dl)
	}
	if err := d.st.RetryMail(ctx, d.owner.Viewer(), d.code, dl.ID); err != nil {
		t.Fatal(err)
	}
	if dl, _ := d.delivery(t); dl.Status != store.DeliveryPending || dl.Attempts != 0 {
		t.Fatalf("after Retry: %+v", dl)
	}
	d.deliver(t)
	if dl, _ := d.delivery(t); dl.Status != store.DeliveryFailed {
		t.Fatalf("after Retry and another refusal: %+v", dl)
	}
}

func TestOutbox_GivesUpAfterTheLastTry(t *testing.T) {
	d := newMailDesk(t, "carla@example.com")
	d.smtp.Stop()
	if err := d.st.Reply(context.Background(), d.owner.Viewer(), d.code, "Anyone?"); err != nil {
		t.Fatal(err)
	}
	for range store.MaxMailAttempts {
		d.deliver(t)
		d.now = d.now.Add(time.Hour)
	}
	dl, _ := d.delivery(t)
	if dl.Status != store.DeliveryFailed || dl.Attempts != store.MaxMailAttempts || !strings.HasPrefix(dl.Reason, "MailProblemConnect") {
		t.Fatalf("after %d tries: %+v", store.MaxMailAttempts, dl)
	}
}

func decodeQP(t *testing.T, b []byte) string {
	t.Helper()
	out, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(string(b))))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestOutbox_ServerHangingUpMidMessageLosesNothingAndSendsOnce(t *testing.T) {
	d := newMailDesk(t, "carla@example.com")
	d.smtp.DropNext(1)
	if err := d.st.Reply(context.Background(), d.owner.Viewer(), d.code, "Cut off the first time."); err != nil {
		t.Fatal(err)
	}
	if n := d.deliver(t); n != 0 {
		t.Fatal("counted as sent though the server hung up")
	}
	if dl, ok := d.delivery(t); !ok || dl.Status != store.DeliveryPending || dl.Attempts != 1 {
		t.Fatalf("after the hang-up: %+v", dl)
	}
	d.now = d.now.Add(time.Minute)
	if n := d.deliver(t); n != 1 {
		t.Fatalf("the retry sent %d emails", n)
	}
	d.now = d.now.Add(time.Hour)
	d.deliver(t)
	if got := d.smtp.Received(); len(got) != 1 || !strings.Contains(string(got[0].Data), "Cut off the first time.") {
		t.Fatalf("the server took %d emails", len(got))
	}
}

// The reply comes from the agent's alias at the desk's address, in the
// customer's language, with the files the agent attached.
func TestOutbox_ReplyShowsTheAliasSpeaksTheCustomersLanguageAndCarriesTheFiles(t *testing.T) {
	d := newMailDesk(t, "carla@example.com")
	ctx := context.Background()
	if err := d.st.UpdateProfile(ctx, d.owner.ID, store.ProfileInput{Name: d.owner.Name, Alias: "Liv", Language: "en"}, ""); err != nil {
		t.Fatal(err)
	}
	// The customer wrote in Polish, through the contact form.
	var err error
	if d.code, err = d.st.CreateTicket(ctx, nil, store.NewTicketInput{Subject: "Przesyłka", Body: "Gdzie jest?",
		Channel: store.ChannelContactForm, DepartmentID: d.dept, ContactName: "Carla Customer", ContactEmail: "carla@example.com", Lang: "pl"}); err != nil {
		t.Fatal(err)
	}
	if err := d.st.ReplyWith(ctx, d.owner.Viewer(), d.code, "Przesyłka jest w drodze.", []store.NewAttachment{{Filename: "label.txt", Data: []byte("tracking 42")}}); err != nil {
		t.Fatal(err)
	}
	d.deliver(t)
	got := d.smtp.WaitFor(1, 5*time.Second)
	msg, err := netmail.ReadMessage(strings.NewReader(string(got[0].Data)))
	if err != nil {
		t.Fatal(err)
	}
	from, err := netmail.ParseAddress(msg.Header.Get("From"))
	if err != nil || from.Name != "Liv (Acme Support)" || from.Address != "help@acme.example" {
		t.Fatalf("From %q, %v", msg.Header.Get("From"), err)
	}
	raw := string(got[0].Data)
	if strings.Contains(raw, "Olivia") {
		t.Fatal("the email names the agent behind the alias")
	}
	_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var text, file string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		if p.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			b = []byte(decodeQP(t, b))
		}
		switch {
		case p.FileName() == "label.txt":
			file = string(b)
			if p.Header.Get("Content-Transfer-Encoding") == "base64" {
				dec, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
				file = string(dec)
			}
		case strings.HasPrefix(p.Header.Get("Content-Type"), "multipart/alternative"):
			_, ap, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
			ar := multipart.NewReader(strings.NewReader(string(b)), ap["boundary"])
			for {
				q, err := ar.NextPart()
				if err != nil {
					break
				}
				qb, _ := io.ReadAll(q)
				if q.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
					qb = []byte(decodeQP(t, qb))
				}
				if strings.HasPrefix(q.Header.Get("Content-Type"), "text/plain") {
					text = string(qb)
				}
			}
		}
	}
	if !strings.Contains(text, "Zgłoszenie "+d.code) || !strings.Contains(text, "Liv") || !strings.Contains(text, "Przesyłka jest w drodze.") {
		t.Fatalf("the text part is not the Polish reply signed Liv:\n%s", text)
	}
	if file != "tracking 42" {
		t.Fatalf("attached file %q", file)
	}
}

// A reply comes from the mailbox of the ticket's department when it has
// one (SPEC §6.2): the customer's answer goes to the mailbox that files it
// in that department. Without one, from the desk's From address.
func TestOutbox_ReplyComesFromTheDepartmentsMailbox(t *testing.T) {
	d := newMailDesk(t, "carla@example.com")
	ctx := context.Background()
	if err := d.st.Reply(ctx, d.owner.Viewer(), d.code, "From the desk."); err != nil {
		t.Fatal(err)
	}
	d.deliver(t)
	tk, err := d.st.TicketByCode(ctx, d.owner.Viewer(), d.code)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.st.AddMailbox(ctx, d.owner.ID, store.Mailbox{DepartmentID: tk.DepartmentID, Host: "127.0.0.1", Port: 1, Security: store.SecurityNone,
		Username: "sales@acme.example", Password: "x"}, ""); err != nil {
		t.Fatal(err)
	}
	if err := d.st.Reply(ctx, d.owner.Viewer(), d.code, "From Sales."); err != nil {
		t.Fatal(err)
	}
	d.deliver(t)
	got := d.smtp.WaitFor(2, 5*time.Second)
	for i, want := range []string{"help@acme.example", "sales@acme.example"} {
		msg, err := netmail.ReadMessage(strings.NewReader(string(got[i].Data)))
		if err != nil {
			t.Fatal(err)
		}
		from, err := netmail.ParseAddress(msg.Header.Get("From"))
		if err != nil || from.Address != want || got[i].From != want {
			t.Fatalf("email %d from %q (envelope %q), want %s", i, msg.Header.Get("From"), got[i].From, want)
		}
	}
}
