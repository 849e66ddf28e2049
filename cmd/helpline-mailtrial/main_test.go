package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"helpline/jobs"
	"helpline/mail"
	"helpline/store"
	"helpline/store/storetest"
)

// The README's try-out, step by step: the desk sends through the trial
// server and reads its mailbox there; a customer's email becomes a ticket,
// and the reply lands in the customer's mailbox with the ticket's link.
func TestMailTrial_TheReadmeRecipeHoldsAConversation(t *testing.T) {
	ctx := context.Background()
	listen := func() (net.Listener, string, int) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		a := ln.Addr().(*net.TCPAddr)
		return ln, a.IP.String(), a.Port
	}
	smtpLn, host, smtpPort := listen()
	imapLn, _, imapPort := listen()
	trial, err := start(smtpLn, imapLn)
	if err != nil {
		t.Fatal(err)
	}
	defer trial.close()

	st, err := store.Open(storetest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	owner, err := st.SignUp(ctx, store.SignUpInput{Company: "Acme", Name: "Olivia Owner", Email: "owner@example.com", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	dept, err := st.CreateDepartment(ctx, owner.ID, store.DepartmentInput{Name: "Sales"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SaveMailSettings(ctx, owner.ID, store.MailSettings{Host: host, Port: smtpPort, Security: store.SecurityNone,
		FromAddress: deskMailbox}, ""); err != nil {
		t.Fatal(err)
	}
	id, err := st.AddMailbox(ctx, owner.ID, store.Mailbox{DepartmentID: dept, Host: host, Port: imapPort, Security: store.SecurityNone,
		Username: deskMailbox, Password: password}, "")
	if err != nil {
		t.Fatal(err)
	}
	mb, err := st.Mailbox(ctx, id)
	if err != nil {
		t.Fatal(err)
	}

	addr := net.JoinHostPort(host, strconv.Itoa(smtpPort))
	msg := "From: Carla <carla@example.test>\r\nTo: " + deskMailbox + "\r\nSubject: Parcel lost\r\nMessage-ID: <p-1@example.test>\r\n\r\nWhere is my parcel?\r\n"
	if err := smtp.SendMail(addr, nil, "carla@example.test", []string{deskMailbox}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	if res, err := mail.CheckAndRecord(ctx, st, mb, mail.OwnAddresses(ctx, st, []store.Mailbox{mb}), 0); err != nil || res.New != 1 {
		t.Fatalf("check now: %+v, %v", res, err)
	}
	page, err := st.Queue(ctx, owner.Viewer(), store.QueueFilter{})
	if err != nil || len(page.Tickets) != 1 {
		t.Fatalf("queue %+v, %v", page, err)
	}
	code := page.Tickets[0].Code
	if err := st.Reply(ctx, owner.Viewer(), code, "It is on its way."); err != nil {
		t.Fatal(err)
	}
	if n, err := jobs.DeliverOutbox(ctx, st, "http://127.0.0.1:8080", slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil || n != 1 {
		t.Fatalf("sent %d, %v", n, err)
	}

	c, err := imapclient.DialInsecure(net.JoinHostPort(host, strconv.Itoa(imapPort)), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("carla@example.test", password).Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	section := &imap.FetchItemBodySection{}
	msgs, err := c.Fetch(imap.SeqSetNum(1), &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil || len(msgs) != 1 {
		t.Fatalf("Carla's mailbox: %d messages, %v", len(msgs), err)
	}
	got := string(msgs[0].FindBodySection(section))
	if !strings.Contains(got, "It is on its way.") || !strings.Contains(got, "http://127.0.0.1:8080/c/") || !strings.Contains(got, "["+code+"]") {
		t.Fatalf("the reply in Carla's mailbox:\n%s", got)
	}
}
