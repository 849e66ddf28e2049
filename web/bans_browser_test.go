package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"helpline/store"
	"helpline/views"
)

// An Administrator bans the sender of a contact-form ticket for one day
// from the ticket page; the sender's next message is accepted as usual but
// is Spam and not in the queue; the ban history shows the ban.
func TestBrowser_BanContactFormSenderForADay(t *testing.T) {
	w := newTicketWorld(t)
	base := w.app.ts.URL
	customer := newBrowser(t)
	send := func(subject string) {
		t.Helper()
		run(t, customer, "the customer sends "+subject,
			chromedp.Navigate(base+views.PathContact),
			chromedp.WaitVisible(chromedp.CSS(`#contact-form #f-name`)),
			chromedp.SendKeys(chromedp.CSS(`#f-name`), "Sam Sender"),
			chromedp.SendKeys(chromedp.CSS(`#f-email`), "sam@example.com"),
			chromedp.SetValue(chromedp.CSS(`#f-department`), idString(w.sales)),
			chromedp.SendKeys(chromedp.CSS(`#f-subject`), subject),
			chromedp.SendKeys(chromedp.CSS(`#f-message`), "Watches, very cheap."),
			chromedp.Click(chromedp.CSS(`#contact-form button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`.flash-success`)),
		)
	}
	send("Cheap watches")

	admin := newBrowser(t)
	browserSignIn(t, admin, base, "adam@example.com", testPassword)
	run(t, admin, "open the ticket and ban its sender for a day",
		chromedp.Navigate(base+views.PathTickets),
		chromedp.WaitVisible(chromedp.CSS(`.queue-row`)),
		chromedp.Click(chromedp.Search(`//a[text()="Cheap watches"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#ban-sender`)),
		chromedp.Click(chromedp.CSS(`#ban-sender`)),
		chromedp.WaitVisible(chromedp.CSS(`#ban-form #f-valid_until`)),
		chromedp.SendKeys(chromedp.CSS(`#f-valid_until`), "1d"),
		chromedp.SendKeys(chromedp.CSS(`#f-reason`), "Sells watches"),
		chromedp.Click(chromedp.CSS(`#ban-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash-success`)),
	)
	flash := read(t, admin, "the confirmation", chromedp.Text(chromedp.CSS(`.flash-success`)))
	if !strings.Contains(flash, "127.0.0.1/32 is banned and ticket") || !strings.Contains(flash, "is marked as spam") {
		t.Fatalf("the confirmation reads %q", flash)
	}
	history := read(t, admin, "the ban history", chromedp.Text(chromedp.CSS(`table.bans tbody`)))
	for _, want := range []string{"127.0.0.1/32", "In force", "Adam Admin", "Sells watches", "-"} {
		if !strings.Contains(history, want) {
			t.Fatalf("the ban history %q lacks %q", history, want)
		}
	}

	send("Even cheaper watches")
	run(t, admin, "the queue has neither message",
		chromedp.Navigate(base+views.PathTickets),
		chromedp.WaitVisible(chromedp.CSS(`.queue-row`)),
	)
	if q := read(t, admin, "the queue", chromedp.Text(chromedp.CSS(`main`))); strings.Contains(q, "watches") {
		t.Fatalf("the queue shows a banned sender's message:\n%s", q)
	}
	run(t, admin, "the Spam view has both",
		chromedp.Navigate(base+views.PathTickets+"?status=spam"),
		chromedp.WaitVisible(chromedp.Search(`//a[text()="Even cheaper watches"]`)),
		chromedp.WaitVisible(chromedp.Search(`//a[text()="Cheap watches"]`)),
	)
	bans, err := w.app.st.BanHistory(t.Context(), 0, 10)
	if err != nil || len(bans) != 1 || bans[0].TicketCode == "" || !bans[0].Holds(bans[0].CreatedAt.Add(23*60*60*1e9)) || bans[0].Holds(bans[0].CreatedAt.Add(25*60*60*1e9)) {
		t.Fatalf("stored bans %+v %v, want one of about a day", bans, err)
	}
	if tk := w.app.ticketAs(bans[0].TicketCode); tk.Status != store.TicketSpam {
		t.Fatalf("the banned sender's first ticket is %s", tk.Status)
	}
}
