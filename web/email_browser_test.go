package web

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"helpline/jobs"
	"helpline/mail/mailtest"
	"helpline/store"
	"helpline/views"
)

// TestBrowser_EmailConversation is the whole conversation the issue names:
// a customer sends the contact form and opens the link of its confirmation
// page; an agent replies; the test SMTP server receives the email with the
// same link; the customer answers on the page with a file; the ticket is
// Open again and the agent downloads the file. Then an email sent to the
// test IMAP mailbox becomes a ticket in the mailbox's department, and an
// HTML email's script and handlers never run in the agent's browser.
func TestBrowser_EmailConversation(t *testing.T) {
	ctx := newBrowser(t)
	w := newTicketWorld(t)
	base := w.app.ts.URL
	bg := context.Background()
	smtp := mailtest.StartSMTP(t)
	if err := w.app.st.SaveMailSettings(bg, w.adam.ID, store.MailSettings{Host: smtp.Host, Port: smtp.Port, Security: store.SecurityNone,
		FromName: "Acme Support", FromAddress: "help@acme.example"}, ""); err != nil {
		t.Fatal(err)
	}

	run(t, ctx, "the customer sends the contact form",
		chromedp.Navigate(base+views.PathContact),
		chromedp.WaitVisible(css("#f-name")),
		chromedp.SendKeys(css("#f-name"), "Carla Customer"),
		chromedp.SendKeys(css("#f-email"), "carla@example.com"),
		chromedp.SetValue(css("#f-department"), strconv.FormatInt(w.sales, 10)),
		chromedp.SendKeys(css("#f-subject"), "Parcel lost"),
		chromedp.SendKeys(css("#f-message"), "My parcel never came."),
		chromedp.Click(css(`#contact-form button[type="submit"]`)),
		chromedp.WaitVisible(css("#customer-link")),
	)
	link := text(t, ctx, "#customer-link")
	if !strings.HasPrefix(link, base+"/c/") {
		t.Fatalf("the confirmation page links to %q", link)
	}
	run(t, ctx, "the customer opens the link", chromedp.Navigate(link), chromedp.WaitVisible(css("#customer-thread")))
	code := strings.TrimPrefix(text(t, ctx, ".customer-ticket .muted"), "Ticket ")

	browserSignIn(t, ctx, base, "ann@example.com", testPassword)
	run(t, ctx, "the agent replies",
		chromedp.Navigate(base+views.TicketPath(code)),
		waitTicket(code),
		chromedp.SendKeys(css("#f-body"), "It is on its way."),
		chromedp.Click(css("[data-send]")),
		chromedp.WaitVisible(css(".msg-reply")),
	)
	if _, err := jobs.DeliverOutbox(bg, w.app.st, base, w.app.srv.log); err != nil {
		t.Fatal(err)
	}
	got := smtp.WaitFor(1, 0)
	if got[0].To[0] != "carla@example.com" || !strings.Contains(string(got[0].Data), link) {
		t.Fatalf("the email lacks the customer's link %s:\n%s", link, got[0].Data)
	}

	file := filepath.Join(t.TempDir(), "receipt.txt")
	if err := os.WriteFile(file, []byte("receipt 42"), 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "the customer answers with a file",
		chromedp.Navigate(link),
		chromedp.WaitVisible(css("#f-body")),
		chromedp.SendKeys(css("#f-body"), "Here is my receipt."),
		chromedp.SetUploadFiles(css("#f-files"), []string{file}),
		chromedp.Click(css(`.customer-ticket button[type="submit"]`)),
		chromedp.WaitVisible(css(".attachments a")),
	)
	if tk := w.app.ticketAs(code); tk.Status != store.TicketOpen {
		t.Fatalf("after the customer's answer the ticket is %s", tk.Status)
	}
	run(t, ctx, "the agent sees the file", chromedp.Navigate(base+views.TicketPath(code)), chromedp.WaitVisible(css(".attachments a")))
	if got := text(t, ctx, "#ticket-status"); got != "Open" {
		t.Fatalf("the ticket page says %q", got)
	}
	download := read(t, ctx, "download the file", chromedp.Evaluate[string](
		`fetch(document.querySelector(".attachments a").href).then(r => r.headers.get("Content-Disposition") + "|" + r.status).then(h => h)`,
		chromedp.EvalAwaitPromise))
	body := read(t, ctx, "read the file", chromedp.Evaluate[string](
		`fetch(document.querySelector(".attachments a").href).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if !strings.HasPrefix(download, "attachment") || !strings.HasSuffix(download, "|200") || body != "receipt 42" {
		t.Fatalf("download %q, %q", download, body)
	}

	// Email in: Adam checks the Support mailbox now.
	imap := mailtest.StartIMAP(t, "support@acme.example", "imap-pass")
	if _, err := w.app.st.AddMailbox(bg, w.adam.ID, store.Mailbox{DepartmentID: w.support, Host: imap.Host, Port: imap.Port,
		Security: store.SecurityNone, Username: imap.User, Password: imap.Password}, ""); err != nil {
		t.Fatal(err)
	}
	imap.Deliver(t, "From: Dora <dora@explore.example>\nSubject: Kettle leaks\nMessage-ID: <k-1@explore.example>\n\nIt leaks.\n")
	imap.Deliver(t, "From: Mallory <mallory@evil.example>\nSubject: Look\nMessage-ID: <x-1@evil.example>\nMIME-Version: 1.0\nContent-Type: text/html\n\n"+
		`<p>Hi</p><script>document.title="pwned"</script><img src=x onerror="document.title='pwned'">`+"\n")
	run(t, ctx, "the agent signs out",
		chromedp.Click(css(".usermenu summary")),
		chromedp.Click(chromedp.Search(`//button[text()="Sign out"]`)),
		chromedp.WaitVisible(css("#f-email")),
	)
	browserSignIn(t, ctx, base, "adam@example.com", testPassword)
	run(t, ctx, "check the mailbox now",
		chromedp.Navigate(base+views.PathEmail),
		chromedp.WaitVisible(css("#mailboxes")),
		chromedp.Click(css(`#mailboxes form[action$="/check"] button`)),
		chromedp.WaitVisible(css(".mailbox-result time")),
	)
	if got := text(t, ctx, "#flash"); !strings.Contains(got, "new tickets: 2") {
		t.Fatalf("after Check now: %q", got)
	}
	run(t, ctx, "Support's queue has the email's ticket",
		chromedp.Navigate(base+views.PathTickets+"?department="+strconv.FormatInt(w.support, 10)),
		chromedp.WaitVisible(chromedp.Search(`//a[text()="Kettle leaks"]`)),
		chromedp.Click(chromedp.Search(`//a[text()="Look"]`)),
		chromedp.WaitVisible(css(".msg-customer .msg-body")),
	)
	if title := read(t, ctx, "title", chromedp.Title()); strings.Contains(title, "pwned") {
		t.Fatal("the HTML email's script ran")
	}
	if n := read(t, ctx, "images in the message", chromedp.Evaluate[int](`document.querySelectorAll(".msg-body img, .msg-body script").length`)); n != 0 {
		t.Fatalf("the message renders %d elements of the email's HTML", n)
	}
	// What the email said is there as text; no element anywhere carries an
	// event handler, and nothing it held changed the page.
	if body := text(t, ctx, ".msg-customer .msg-body"); !strings.Contains(body, "Hi") {
		t.Fatalf("the message shows %q", body)
	}
	handlers := read(t, ctx, "event handlers", chromedp.Evaluate[int](
		`[...document.querySelectorAll("*")].filter(e => [...e.attributes].some(a => a.name.startsWith("on"))).length`))
	if handlers != 0 || read(t, ctx, "title", chromedp.Title()) == "pwned" {
		t.Fatalf("%d elements carry event handlers after showing the HTML email", handlers)
	}
}
