package jobs

import (
	"context"
	"mime"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// An agent who asked for their notifications by email gets one, in their
// language, naming the ticket and linking to its page in the console, from
// the real SMTP server on loopback; a server hanging up the first time
// loses nothing.
func TestNoticeMail_AssignedAgentReceivesItInTheirLanguageThroughTheOutbox(t *testing.T) {
	d := newMailDesk(t, "carla@example.com")
	ctx := context.Background()
	tk, err := d.st.TicketByCode(ctx, d.owner.Viewer(), d.code)
	if err != nil {
		t.Fatal(err)
	}
	bea, _, err := d.st.CreateAgent(ctx, d.owner.ID, store.AgentInput{Name: "Bea Nowak", Email: "bea@acme.example", Role: authz.RoleAgent,
		DepartmentIDs: []int64{tk.DepartmentID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.st.UpdateProfile(ctx, bea.ID, store.ProfileInput{Name: bea.Name, Language: "pl", NotifyEmail: true}, ""); err != nil {
		t.Fatal(err)
	}
	d.smtp.DropNext(1)
	if err := d.st.Assign(ctx, d.owner.Viewer(), d.code, bea.ID); err != nil {
		t.Fatal(err)
	}
	if n := d.deliver(t); n != 0 {
		t.Fatal("counted as sent though the server hung up")
	}
	d.now = d.now.Add(time.Minute)
	if n := d.deliver(t); n != 1 {
		t.Fatalf("the retry sent %d emails, want 1", n)
	}
	got := d.smtp.WaitFor(1, 5*time.Second)
	if len(got) != 1 || len(got[0].To) != 1 || got[0].To[0] != "bea@acme.example" {
		t.Fatalf("received %+v", got)
	}
	msg, err := netmail.ReadMessage(strings.NewReader(string(got[0].Data)))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "[" + d.code + "] Przypisano do ciebie: Parcel lost"; subject != want {
		t.Fatalf("subject %q, want %q", subject, want)
	}
	if msg.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Fatal("the notification email is not marked automatic")
	}
	body := string(got[0].Data)
	if msg.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
		body = decodeQP(t, []byte(body))
	}
	link := "https://help.acme.example" + views.TicketPath(d.code)
	for _, want := range []string{"Olivia Owner przypisuje do ciebie zgłoszenie " + d.code + " „Parcel lost”", link} {
		if !strings.Contains(body, want) {
			t.Fatalf("the email lacks %q:\n%s", want, body)
		}
	}
	// Nothing went to the customer, and nothing is sent twice.
	d.now = d.now.Add(time.Hour)
	if n := d.deliver(t); n != 0 || len(d.smtp.Received()) != 1 {
		t.Fatalf("a later round sent %d more", n)
	}
}
