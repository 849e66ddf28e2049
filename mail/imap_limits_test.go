package mail

import (
	"context"
	"net"
	"strings"
	"testing"

	"helpline/store"
)

// The configured attachment limit (--attachment-limit) applies to email
// too: a larger file is left out and the message is kept with the others.
func TestMailbox_FileOverTheConfiguredLimitIsLeftOutTheMessageKept(t *testing.T) {
	d := newIntakeDesk(t)
	d.fileLimit = 16
	d.imap.Deliver(t, `From: dora@explore.example
Subject: Two files
Message-ID: <lim-1@explore.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=XX

--XX
Content-Type: text/plain; charset=utf-8

Two files.
--XX
Content-Type: text/plain
Content-Disposition: attachment; filename="small.txt"

tiny
--XX
Content-Type: text/plain
Content-Disposition: attachment; filename="big.txt"

this file is larger than sixteen bytes
--XX--
`)
	if res := d.check(t); res.New != 1 {
		t.Fatalf("check %+v", res)
	}
	tk, th := d.ticket(t, d.newestCode(t))
	if err := d.st.WithAttachments(context.Background(), tk.ID, th); err != nil {
		t.Fatal(err)
	}
	if len(th[0].Attachments) != 1 || th[0].Attachments[0].Filename != "small.txt" || th[0].Body != "Two files." {
		t.Fatalf("message %q with files %+v", th[0].Body, th[0].Attachments)
	}
}

// Bad mailbox settings are recorded on the mailbox in plain words (a
// message of the catalogue), and nothing is taken.
func TestMailbox_BadSettingsAreRecordedInPlainWords(t *testing.T) {
	d := newIntakeDesk(t)
	d.imap.Deliver(t, firstEmail)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	idle := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	for _, tc := range []struct {
		name   string
		change func(*store.Mailbox)
		want   Problem
	}{
		{"unknown host", func(mb *store.Mailbox) { mb.Host = "no-such-host.invalid" }, ProblemHost},
		{"nothing listening", func(mb *store.Mailbox) { mb.Port = idle }, ProblemConnect},
		{"TLS to a plain server", func(mb *store.Mailbox) { mb.Security = store.SecurityTLS }, ProblemTLS},
		{"STARTTLS the server lacks", func(mb *store.Mailbox) { mb.Security = store.SecurityStartTLS }, ProblemTLS},
		{"wrong password", func(mb *store.Mailbox) { mb.Password = "wrong" }, ProblemAuth},
		{"no such folder", func(mb *store.Mailbox) { mb.Folder = "Archive" }, ProblemFolder},
	} {
		mb := d.box
		tc.change(&mb)
		if _, err := CheckAndRecord(context.Background(), d.st, mb, nil, 0); err == nil {
			t.Fatalf("%s: checked fine", tc.name)
		}
		boxes, _ := d.st.Mailboxes(context.Background())
		if boxes[0].LastCheckOK || !strings.HasPrefix(boxes[0].LastCheckText, string(tc.want)+"\n") {
			t.Errorf("%s: recorded %q, want %s", tc.name, boxes[0].LastCheckText, tc.want)
		}
	}
	if n := d.imap.Count(t); n != 1 {
		t.Fatalf("%d messages on the server, want the one untaken", n)
	}
}
