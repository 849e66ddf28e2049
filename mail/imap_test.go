package mail

import (
	"context"
	"strings"
	"testing"

	"helpline/mail/mailtest"
	"helpline/store"
	"helpline/store/storetest"
)

type intakeDesk struct {
	st      *store.Store
	imap    *mailtest.IMAP
	owner   store.Agent
	sales   int64
	support int64
	box     store.Mailbox
	// fileLimit is the largest attached file kept (0: 10 MB).
	fileLimit int64
}

func newIntakeDesk(t *testing.T) *intakeDesk {
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
	d := &intakeDesk{st: st, imap: mailtest.StartIMAP(t, "support@acme.example", "imap-pass")}
	if d.owner, err = st.SignUp(ctx, store.SignUpInput{Company: "Acme", Name: "Olivia Owner", Email: "owner@example.com", PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	if d.sales, err = st.CreateDepartment(ctx, d.owner.ID, store.DepartmentInput{Name: "Sales"}); err != nil {
		t.Fatal(err)
	}
	if d.support, err = st.CreateDepartment(ctx, d.owner.ID, store.DepartmentInput{Name: "Support"}); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveMailSettings(ctx, d.owner.ID, store.MailSettings{Host: "127.0.0.1", Port: 1, Security: store.SecurityNone,
		FromName: "Acme", FromAddress: "help@acme.example"}, ""); err != nil {
		t.Fatal(err)
	}
	id, err := st.AddMailbox(ctx, d.owner.ID, store.Mailbox{DepartmentID: d.support, Host: d.imap.Host, Port: d.imap.Port,
		Security: store.SecurityNone, Username: "support@acme.example", Password: "imap-pass"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if d.box, err = st.Mailbox(ctx, id); err != nil {
		t.Fatal(err)
	}
	return d
}

func (d *intakeDesk) check(t *testing.T) CheckResult {
	t.Helper()
	boxes, _ := d.st.Mailboxes(context.Background())
	res, err := CheckAndRecord(context.Background(), d.st, d.box, OwnAddresses(context.Background(), d.st, boxes), d.fileLimit)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (d *intakeDesk) ticket(t *testing.T, code string) (store.Ticket, []store.Message) {
	t.Helper()
	tk, err := d.st.TicketByCode(context.Background(), d.owner.Viewer(), code)
	if err != nil {
		t.Fatal(err)
	}
	th, err := d.st.Thread(context.Background(), tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	return tk, th
}

// newestCode is the code of the newest ticket of the desk.
func (d *intakeDesk) newestCode(t *testing.T) string {
	t.Helper()
	page, err := d.st.Queue(context.Background(), d.owner.Viewer(), store.QueueFilter{Sort: store.SortCreated})
	if err != nil || len(page.Tickets) == 0 {
		t.Fatalf("queue: %v", err)
	}
	return page.Tickets[0].Code
}

const firstEmail = `From: Dora Explorer <Dora@Explore.example>
To: support@acme.example
Subject: Parcel lost
Message-ID: <first-1@explore.example>
Content-Language: pl-PL
Content-Type: text/plain; charset=utf-8

My parcel never came.
`

func TestMailbox_EmailStartsATicketOnceAndIsDeletedAfterItCommits(t *testing.T) {
	d := newIntakeDesk(t)
	d.imap.Deliver(t, firstEmail)
	if res := d.check(t); res.New != 1 {
		t.Fatalf("check %+v", res)
	}
	if n := d.imap.Count(t); n != 0 {
		t.Fatalf("%d messages left on the server", n)
	}
	code := d.newestCode(t)
	tk, th := d.ticket(t, code)
	if tk.Channel != store.ChannelEmail || tk.DepartmentID != d.support || tk.ContactEmail != "dora@explore.example" ||
		tk.ContactName != "Dora Explorer" || tk.Subject != "Parcel lost" || tk.Status != store.TicketNew {
		t.Fatalf("ticket %+v", tk)
	}
	if th[0].Body != "My parcel never came." {
		t.Fatalf("body %q", th[0].Body)
	}
	// The customer wrote in Polish: their emails will be in Polish.
	token, err := d.st.CustomerLink(context.Background(), code, "")
	if err != nil {
		t.Fatal(err)
	}
	if ct, err := d.st.CustomerTicketByToken(context.Background(), token); err != nil || ct.Lang != "pl" {
		t.Fatalf("the customer's language %q, %v", ct.Lang, err)
	}
	// The same message again (a poll cut short before the delete): nothing new.
	d.imap.Deliver(t, firstEmail)
	if res := d.check(t); res.New != 0 || res.Ignored != 1 {
		t.Fatalf("a second copy: %+v", res)
	}
	boxes, _ := d.st.Mailboxes(context.Background())
	if !boxes[0].LastCheckOK || boxes[0].LastCheckAt.IsZero() {
		t.Fatalf("last check not recorded: %+v", boxes[0])
	}
}

func TestMailbox_AnswersJoinTheirTicketByReferencesInReplyToOrCode(t *testing.T) {
	d := newIntakeDesk(t)
	ctx := context.Background()
	d.imap.Deliver(t, firstEmail)
	d.check(t)
	code := d.newestCode(t)
	if err := d.st.Reply(ctx, d.owner.Viewer(), code, "Which parcel?"); err != nil {
		t.Fatal(err)
	}
	due, err := d.st.DueMail(ctx, 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("due %v %v", due, err)
	}
	if got := due[0].References; len(got) != 1 || got[0] != "first-1@explore.example" {
		t.Fatalf("the reply's References %v do not name the customer's email", got)
	}
	for i, email := range []string{
		"From: dora@explore.example\nSubject: Re: Parcel lost\nMessage-ID: <a-1@explore.example>\nIn-Reply-To: <" + due[0].HeaderID + ">\n\nThe blue one.\n",
		"From: dora@explore.example\nSubject: again\nMessage-ID: <a-2@explore.example>\nReferences: <first-1@explore.example>\n\nStill waiting.\n",
		"From: dora@explore.example\nSubject: Re: Parcel lost [" + strings.ToLower(code) + "]\nMessage-ID: <a-3@explore.example>\n\nHello?\n",
	} {
		if err := d.st.SetStatus(ctx, d.owner.Viewer(), code, store.TicketResolved); err != nil {
			t.Fatal(err)
		}
		d.imap.Deliver(t, email)
		if res := d.check(t); res.Added != 1 || res.New != 0 {
			t.Fatalf("answer %d: %+v", i, res)
		}
		if tk, _ := d.ticket(t, code); tk.Status != store.TicketOpen {
			t.Fatalf("answer %d left the ticket %s", i, tk.Status)
		}
	}
	// The code from someone else starts a ticket of their own.
	d.imap.Deliver(t, "From: eve@elsewhere.example\nSubject: Re: ["+code+"]\nMessage-ID: <e-1@elsewhere.example>\n\nLet me in.\n")
	if res := d.check(t); res.New != 1 {
		t.Fatalf("a stranger naming the code: %+v", res)
	}
	if _, th := d.ticket(t, code); strings.Contains(th[len(th)-1].Body, "Let me in") {
		t.Fatal("a stranger's email joined the ticket")
	}
}

func TestMailbox_AutoRepliesBouncesAndOwnMailNeverStartTickets(t *testing.T) {
	d := newIntakeDesk(t)
	for _, email := range []string{
		"From: dora@explore.example\nSubject: Out of office\nAuto-Submitted: auto-replied\nMessage-ID: <o-1@x.example>\n\nAway.\n",
		"From: news@shop.example\nSubject: Sale\nPrecedence: bulk\nMessage-ID: <o-2@x.example>\n\nBuy.\n",
		"From: Mail Delivery System <MAILER-DAEMON@mx.example>\nSubject: Undelivered\nMessage-ID: <o-3@x.example>\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\nFailed.\n--b--\n",
		"From: Acme <help@acme.example>\nSubject: Re: loop\nMessage-ID: <o-4@x.example>\n\nOur own reply.\n",
		"From: support@acme.example\nSubject: loop\nMessage-ID: <o-5@x.example>\n\nThe mailbox itself.\n",
	} {
		d.imap.Deliver(t, email)
	}
	if res := d.check(t); res.New != 0 || res.Added != 0 || res.Ignored != 5 {
		t.Fatalf("check %+v", res)
	}
	if n := d.imap.Count(t); n != 0 {
		t.Fatalf("%d ignored messages stay on the server and would be read again", n)
	}
}

func TestMailbox_HTMLPartBecomesTextWithoutScript(t *testing.T) {
	d := newIntakeDesk(t)
	d.imap.Deliver(t, `From: dora@explore.example
Subject: HTML only
Message-ID: <h-1@explore.example>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<p>Hello <b>there</b></p><script>alert(1)</script><img src=x onerror="alert(2)"><p>Bye &amp; thanks</p>
`)
	d.check(t)
	_, th := d.ticket(t, d.newestCode(t))
	body := th[0].Body
	if strings.Contains(body, "script") || strings.Contains(body, "onerror") || strings.Contains(body, "<") || !strings.Contains(body, "Hello there") || !strings.Contains(body, "Bye & thanks") {
		t.Fatalf("body %q", body)
	}
}

func TestMailbox_WrongPasswordIsRecordedAndNothingIsTaken(t *testing.T) {
	d := newIntakeDesk(t)
	d.imap.Deliver(t, firstEmail)
	d.box.Password = "wrong"
	if _, err := CheckAndRecord(context.Background(), d.st, d.box, nil, 0); err == nil {
		t.Fatal("a wrong password checked fine")
	}
	boxes, _ := d.st.Mailboxes(context.Background())
	if boxes[0].LastCheckOK || !strings.HasPrefix(boxes[0].LastCheckText, string(ProblemAuth)) {
		t.Fatalf("last check %+v", boxes[0])
	}
	if d.imap.Count(t) != 1 {
		t.Fatal("the message left the server")
	}
}

func TestMailbox_AttachmentsAreKeptUnderTheMessage(t *testing.T) {
	d := newIntakeDesk(t)
	d.imap.Deliver(t, `From: dora@explore.example
Subject: Invoice
Message-ID: <att-1@explore.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=XX

--XX
Content-Type: text/plain; charset=utf-8

Invoice attached.
--XX
Content-Type: application/pdf
Content-Disposition: attachment; filename="invoice.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfsj6IK
--XX--
`)
	if res := d.check(t); res.New != 1 {
		t.Fatalf("check %+v", res)
	}
	tk, th := d.ticket(t, d.newestCode(t))
	if err := d.st.WithAttachments(context.Background(), tk.ID, th); err != nil {
		t.Fatal(err)
	}
	if len(th[0].Attachments) != 1 || th[0].Attachments[0].Filename != "invoice.pdf" || th[0].Attachments[0].ContentType != "application/pdf" {
		t.Fatalf("attachments %+v", th[0].Attachments)
	}
	f, err := d.st.TicketAttachment(context.Background(), d.owner.Viewer(), tk.Code, th[0].Attachments[0].ID)
	if err != nil || !strings.HasPrefix(string(f.Data), "%PDF-1.4") {
		t.Fatalf("file %q, %v", f.Data, err)
	}
	if th[0].Body != "Invoice attached." {
		t.Fatalf("body %q", th[0].Body)
	}
}

// A bounce that comes back later (the server took the reply, the
// recipient's server refused it) marks the reply Not delivered with the
// reason, so the agent sees it and can Retry; it starts no ticket.
func TestMailbox_LaterBounceMarksTheReplyNotDelivered(t *testing.T) {
	d := newIntakeDesk(t)
	ctx := context.Background()
	d.imap.Deliver(t, firstEmail)
	d.check(t)
	code := d.newestCode(t)
	if err := d.st.Reply(ctx, d.owner.Viewer(), code, "Which parcel?"); err != nil {
		t.Fatal(err)
	}
	due, err := d.st.DueMail(ctx, 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("due %v %v", due, err)
	}
	if err := d.st.MailSent(ctx, due[0].ID); err != nil {
		t.Fatal(err)
	}
	_, before := d.ticket(t, code)
	d.imap.Deliver(t, `From: Mail Delivery System <MAILER-DAEMON@mx.acme.example>
To: help@acme.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-1@mx.acme.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Your message could not be delivered.
--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.acme.example

Final-Recipient: rfc822; dora@explore.example
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <dora@explore.example>: Recipient address rejected

--B
Content-Type: text/rfc822-headers

From: Acme <help@acme.example>
To: dora@explore.example
Subject: Re: Parcel lost [`+code+`]
Message-ID: <`+due[0].HeaderID+`>

--B--
`)
	if res := d.check(t); res.New != 0 || res.Added != 0 || res.Ignored != 1 {
		t.Fatalf("check %+v", res)
	}
	tk, th := d.ticket(t, code)
	ds, err := d.st.Deliveries(ctx, tk.ID)
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries %+v, %v", ds, err)
	}
	for _, dl := range ds {
		if dl.Status != store.DeliveryFailed || !strings.HasPrefix(dl.Reason, string(ProblemRejected)+"\n") || !strings.Contains(dl.Reason, "Recipient address rejected") {
			t.Fatalf("after the bounce: %+v", dl)
		}
		if err := d.st.RetryMail(ctx, d.owner.Viewer(), code, dl.ID); err != nil {
			t.Fatalf("Retry after a bounce: %v", err)
		}
	}
	if len(th) != len(before) {
		t.Fatalf("the bounce added %d messages to the thread", len(th)-len(before))
	}
}
