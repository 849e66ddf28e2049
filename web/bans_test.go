package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

func (w *ticketWorld) bans(t *testing.T) []store.Ban {
	t.Helper()
	bans, err := w.app.st.BanHistory(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return bans
}

// contactFrom sends the contact form as a customer whose requests carry
// header (X-Forwarded-For, for the proxy tests) and returns the new
// ticket's code, read from the store.
func (w *ticketWorld) contactFrom(t *testing.T, cust *client, subject string, header http.Header) store.Ticket {
	t.Helper()
	cust.get(views.PathContact)
	form := cust.withCSRF(url.Values{"name": {"Sam Sender"}, "email": {"sam@example.com"}, "department": {idString(w.sales)},
		"subject": {subject}, "message": {"Buy cheap watches."}})
	req, _ := http.NewRequest(http.MethodPost, w.app.ts.URL+views.PathContact, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := cust.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), views.PathContactSent) {
		t.Fatalf("contact form: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	owner := authz.Viewer{Perms: authz.BuiltinPerms(authz.RoleOwner)}
	page, err := w.app.st.Queue(context.Background(), owner, store.QueueFilter{Status: store.TicketSpam, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	all, err := w.app.st.Queue(context.Background(), owner, store.QueueFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range append(page.Tickets, all.Tickets...) {
		if tk.Subject == subject {
			return tk
		}
	}
	t.Fatalf("no ticket %q stored", subject)
	return store.Ticket{}
}

func (w *ticketWorld) inQueue(t *testing.T, code string) bool {
	t.Helper()
	page, err := w.app.st.Queue(context.Background(), authz.Viewer{Perms: authz.BuiltinPerms(authz.RoleOwner)}, store.QueueFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range page.Tickets {
		if tk.Code == code {
			return true
		}
	}
	return false
}

func TestBans_OnlyBanHoldersOpenBanAndSeeTheSender(t *testing.T) {
	w := newTicketWorld(t)
	cust := w.app.client()
	tk := w.contactFrom(t, cust, "Hello", nil)
	adam := w.as("adam@example.com")
	owner := w.app.client()
	owner.signIn("owner@example.com", testPassword)
	ann := w.as("ann@example.com")

	for _, c := range []*client{ann} {
		c.get(views.PathBans).wantStatus(http.StatusForbidden)
		c.post(views.PathBans, url.Values{"address": {"192.0.2.1"}, "valid_until": {"1d"}}).wantStatus(http.StatusForbidden)
		c.post(views.WithID(views.PathBanUnban, 1), nil).wantStatus(http.StatusForbidden)
		page := c.get(views.TicketPath(tk.Code)).wantStatus(http.StatusOK)
		if strings.Contains(page.body, "127.0.0.1") || page.doc().Find("#ban-sender").Length() != 0 {
			t.Fatal("an Agent sees the sender's address")
		}
	}
	w.app.client().get(views.PathBans).wantRedirect(views.PathSignIn)
	if len(w.bans(t)) != 0 {
		t.Fatal("a refused ban was stored")
	}
	for _, c := range []*client{adam, owner} {
		page := c.get(views.TicketPath(tk.Code)).wantStatus(http.StatusOK)
		if got := page.text("#sender-ip"); got != "127.0.0.1" {
			t.Fatalf("sender shown as %q", got)
		}
		c.get(views.PathBans).wantStatus(http.StatusOK).wantContains("Ban history")
	}
}

func TestBans_BadInputIs422NextToTheFieldAndNothingStored(t *testing.T) {
	w := newTicketWorld(t)
	adam := w.as("adam@example.com")
	adam.post(views.PathBans, url.Values{"address": {"192.0.2.0/24"}, "valid_until": {"1d"}}).wantRedirect(views.PathBans)
	cases := []struct {
		name, field string
		form        url.Values
		want        string
	}{
		{"no address", "address", url.Values{"valid_until": {"1d"}}, "Please fill this in."},
		{"not an address", "address", url.Values{"address": {"192.0.2.300"}, "valid_until": {"1d"}}, "Enter an IPv4 or IPv6 address, or a range such as 192.0.2.0/24."},
		{"a host name", "address", url.Values{"address": {"evil.example.com"}, "valid_until": {"1d"}}, "Enter an IPv4 or IPv6 address, or a range such as 192.0.2.0/24."},
		{"prefix too long", "address", url.Values{"address": {"2001:db8::/129"}, "valid_until": {"1d"}}, "Enter an IPv4 or IPv6 address, or a range such as 192.0.2.0/24."},
		{"inside a ban in force", "address", url.Values{"address": {"192.0.2.9"}, "valid_until": {"1d"}}, "This overlaps the ban of 192.0.2.0/24, which is in force. Unban it first or choose another range."},
		{"around a ban in force", "address", url.Values{"address": {"192.0.0.0/16"}, "valid_until": {"1d"}}, "This overlaps the ban of 192.0.2.0/24, which is in force. Unban it first or choose another range."},
		{"no valid until", "valid_until", url.Values{"address": {"198.51.100.1"}}, "Please fill this in."},
		{"a past date", "valid_until", url.Values{"address": {"198.51.100.1"}, "valid_until": {"2020-01-01"}}, "This time has passed already; a ban must hold until a time still to come."},
		{"a zero duration", "valid_until", url.Values{"address": {"198.51.100.1"}, "valid_until": {"0d"}}, "This time has passed already; a ban must hold until a time still to come."},
		{"not a date", "valid_until", url.Values{"address": {"198.51.100.1"}, "valid_until": {"tomorrow-ish"}}, "Enter a date (2026-12-31), a date and time (2026-12-31 18:00) or a duration such as 1d."},
		{"no such ticket", "ticket", url.Values{"address": {"198.51.100.1"}, "valid_until": {"1d"}, "ticket": {"ZZZ-999-999"}}, "No ticket has this number."},
		{"not a ticket number", "ticket", url.Values{"address": {"198.51.100.1"}, "valid_until": {"1d"}, "ticket": {"<script>"}}, "No ticket has this number."},
	}
	for _, tc := range cases {
		r := adam.post(views.PathBans, tc.form)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", tc.name, r.status)
			continue
		}
		if got := r.text("#f-" + tc.field + "-error"); got != tc.want {
			t.Errorf("%s: message next to %s is %q, want %q", tc.name, tc.field, got, tc.want)
		}
	}
	if n := len(w.bans(t)); n != 1 {
		t.Fatalf("refused bans stored: %d bans", n)
	}
}

func TestBans_ContactFormFromABannedAddressIsSpamAndNeverInTheQueue(t *testing.T) {
	w := newTicketWorld(t)
	cust := w.app.client()
	first := w.contactFrom(t, cust, "First message", nil)
	if first.Status != store.TicketNew || !w.inQueue(t, first.Code) {
		t.Fatalf("before any ban: %s", first.Status)
	}
	adam := w.as("adam@example.com")
	// Ban sender's IP on the ticket page: the form comes filled.
	link, ok := adam.get(views.TicketPath(first.Code)).doc().Find("#ban-sender").Attr("href")
	if !ok {
		t.Fatal("no Ban sender's IP on the ticket page")
	}
	form := adam.get(link).wantStatus(http.StatusOK).doc()
	addr, _ := form.Find("#f-address").Attr("value")
	code, _ := form.Find("#f-ticket").Attr("value")
	if addr != "127.0.0.1" || code != first.Code {
		t.Fatalf("ban form filled with %q and %q", addr, code)
	}
	adam.post(views.PathBans, url.Values{"address": {addr}, "ticket": {code}, "valid_until": {"1d"}, "reason": {"Watches"}}).
		wantRedirect(views.PathBans)
	if st := w.app.ticketAs(first.Code).Status; st != store.TicketSpam {
		t.Fatalf("the ticket the ban came from is %s", st)
	}
	news := func() int {
		counts, _ := w.app.st.StatusCounts(context.Background(), authz.Viewer{Perms: authz.BuiltinPerms(authz.RoleOwner)}, 0)
		return counts[store.TicketNew]
	}
	before := news()

	// The banned sender sees the same confirmation as anyone, link and all.
	_, link2 := customerLinkFromContactForm(t, w, cust, "Second message, by the browser")
	cust.get(link2).wantStatus(http.StatusNotFound)
	next := w.contactFrom(t, cust, "Second message", nil)
	if next.Status != store.TicketSpam || w.inQueue(t, next.Code) || news() != before {
		t.Fatalf("message from a banned address: %s, in queue %v", next.Status, w.inQueue(t, next.Code))
	}
	if w.inQueue(t, first.Code) {
		t.Fatalf("message from a banned address: %s, in queue %v", next.Status, w.inQueue(t, next.Code))
	}
	hist := adam.get(views.PathBans).wantStatus(http.StatusOK)
	row := hist.text("#" + views.BanRowID(w.bans(t)[0].ID))
	for _, want := range []string{"127.0.0.1/32", "In force", "Adam Admin", "Watches", first.Code} {
		if !strings.Contains(row, want) {
			t.Errorf("history row %q lacks %q", row, want)
		}
	}

	// Unban: the next message reaches the queue again; the history keeps
	// the ban.
	adam.post(views.WithID(views.PathBanUnban, w.bans(t)[0].ID), nil).wantRedirect(views.PathBans)
	third := w.contactFrom(t, cust, "Third message", nil)
	if third.Status != store.TicketNew || !w.inQueue(t, third.Code) {
		t.Fatalf("after Unban: %s", third.Status)
	}
	if !strings.Contains(adam.get(views.PathBans).text("#"+views.BanRowID(w.bans(t)[0].ID)), "Unbanned by Adam Admin") {
		t.Fatal("the history does not say who unbanned")
	}
	adam.post(views.WithID(views.PathBanUnban, w.bans(t)[0].ID), nil).wantStatus(http.StatusNotFound)
}

func TestBans_CustomerPageReplyFromABannedAddressIsKeptApartAsSpam(t *testing.T) {
	w := newTicketWorld(t)
	cust := w.app.client()
	code, path := customerLinkFromContactForm(t, w, cust, "Parcel lost")
	adam := w.as("adam@example.com")
	adam.post(views.TicketActionPath(views.PathTicketStatus, code), url.Values{"status": {"resolved"}}).wantRedirect(views.TicketPath(code))
	thread := len(w.app.thread(code))
	adam.post(views.PathBans, url.Values{"address": {"127.0.0.0/8"}, "valid_until": {"2h"}}).wantRedirect(views.PathBans)

	cust.post(path, url.Values{"body": {"Spam spam spam"}}).wantRedirect(path)
	if tk := w.app.ticketAs(code); tk.Status != store.TicketResolved || len(w.app.thread(code)) != thread {
		t.Fatalf("the ticket took the reply from a banned address: %s", tk.Status)
	}
	spam, err := w.app.st.Queue(context.Background(), authz.Viewer{Perms: authz.BuiltinPerms(authz.RoleOwner)}, store.QueueFilter{Status: store.TicketSpam, Limit: 10})
	if err != nil || len(spam.Tickets) != 1 || spam.Tickets[0].Subject != "Re: Parcel lost" {
		t.Fatalf("spam kept: %+v %v", spam.Tickets, err)
	}
}

func TestClientIP_XForwardedForOnlyFromTrustedProxies(t *testing.T) {
	w := newTicketWorld(t)
	cust := w.app.client()
	spoof := http.Header{"X-Forwarded-For": {"198.51.100.7"}}
	adam := w.as("adam@example.com")
	adam.post(views.PathBans, url.Values{"address": {"198.51.100.0/24"}, "valid_until": {"1d"}}).wantRedirect(views.PathBans)

	// No trusted proxy: the header is the client's word, and ignored.
	tk := w.contactFrom(t, cust, "Spoofed", spoof)
	if ip, _ := w.app.st.SenderIP(context.Background(), authz.Viewer{Perms: authz.BuiltinPerms(authz.RoleOwner)}, tk.Code); ip != "127.0.0.1" || tk.Status != store.TicketNew {
		t.Fatalf("untrusted X-Forwarded-For: sender %q, status %s", ip, tk.Status)
	}
	// A proxy elsewhere is trusted, not this connection: still ignored.
	proxies, err := ParseTrustedProxies("10.0.0.0/8, 192.0.2.10")
	if err != nil {
		t.Fatal(err)
	}
	w.app.srv.e.IPExtractor = clientIP(proxies)
	if tk := w.contactFrom(t, cust, "Spoofed again", spoof); tk.Status != store.TicketNew {
		t.Fatal("X-Forwarded-For believed from a connection that is not a trusted proxy")
	}
	// The connection is the trusted proxy: the client is the header's last
	// untrusted address, and it is banned.
	proxies, _ = ParseTrustedProxies("127.0.0.1")
	w.app.srv.e.IPExtractor = clientIP(proxies)
	tk = w.contactFrom(t, cust, "Through the proxy", http.Header{"X-Forwarded-For": {"203.0.113.1, 198.51.100.7"}})
	if ip, _ := w.app.st.SenderIP(context.Background(), authz.Viewer{Perms: authz.BuiltinPerms(authz.RoleOwner)}, tk.Code); ip != "198.51.100.7" || tk.Status != store.TicketSpam {
		t.Fatalf("through a trusted proxy: sender %q, status %s", ip, tk.Status)
	}
	if _, err := ParseTrustedProxies("10.0.0.0/33"); err == nil {
		t.Fatal("a bad range was taken")
	}
}

func TestParseValidUntil_DurationsDatesAndTimes(t *testing.T) {
	zone, _ := time.LoadLocation("Europe/Warsaw")
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in    string
		want  time.Time
		msgID string
	}{
		{"1d", now.Add(24 * time.Hour), ""},
		{"12 h", now.Add(12 * time.Hour), ""},
		{"30m", now.Add(30 * time.Minute), ""},
		{"2W", now.Add(14 * 24 * time.Hour), ""},
		{"2026-12-31", time.Date(2027, 1, 1, 0, 0, 0, 0, zone), ""},
		{"2026-12-03 18:30", time.Date(2026, 12, 3, 18, 30, 0, 0, zone), ""},
		{"2026-12-03T18:30", time.Date(2026, 12, 3, 18, 30, 0, 0, zone), ""},
		{"2026-12-02", time.Time{}, "ErrBanInPast"},
		{"2026-12-03 13:00", time.Time{}, "ErrBanInPast"}, // 12:00 UTC is 13:00 in Warsaw
		{"0h", time.Time{}, "ErrBanInPast"},
		{"999999w", time.Time{}, "ErrBanUntil"},
		{"1y", time.Time{}, "ErrBanUntil"},
		{"-1d", time.Time{}, "ErrBanUntil"},
		{"", time.Time{}, "ErrRequired"},
	}
	for _, tc := range cases {
		got, msgID := parseValidUntil(tc.in, now, zone)
		if msgID != tc.msgID || !got.Equal(tc.want) {
			t.Errorf("parseValidUntil(%q) = %v %q, want %v %q", tc.in, got, msgID, tc.want, tc.msgID)
		}
	}
}

func TestBans_HistoryKeepsEndedBansAndPagesByKey(t *testing.T) {
	w := newTicketWorld(t)
	ctx := context.Background()
	past := time.Now().Add(-72 * time.Hour)
	w.app.st.SetClock(func() time.Time { return past })
	for i := range 55 {
		n, _ := store.ParseNetwork(fmt.Sprintf("198.51.100.%d", i))
		if _, err := w.app.st.AddBan(ctx, w.adam.ID, store.BanInput{Network: n, ValidUntil: past.Add(time.Hour), Reason: fmt.Sprintf("old %02d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	w.app.st.SetClock(time.Now)
	adam := w.as("adam@example.com")
	adam.post(views.PathBans, url.Values{"address": {"198.51.100.0/24"}, "valid_until": {"1w"}, "reason": {"new"}}).wantRedirect(views.PathBans)

	first := adam.get(views.PathBans).wantStatus(http.StatusOK)
	rows := first.doc().Find("table.bans tbody tr")
	if rows.Length() != 50 || !strings.Contains(rows.First().Text(), "In force") || !strings.Contains(rows.Eq(1).Text(), "Ended") {
		t.Fatalf("first page: %d rows, first %q", rows.Length(), rows.First().Text())
	}
	if rows.Eq(1).Find("button").Length() != 0 {
		t.Fatal("an ended ban offers Unban")
	}
	next, ok := first.doc().Find(`.pager a[rel="next"]`).Attr("href")
	if !ok {
		t.Fatal("no page of older bans")
	}
	second := adam.get(next).wantStatus(http.StatusOK).doc().Find("table.bans tbody tr")
	if second.Length() != 6 || !strings.Contains(second.Last().Text(), "old 00") {
		t.Fatalf("second page: %d rows, last %q", second.Length(), second.Last().Text())
	}
}
