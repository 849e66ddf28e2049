package store

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"helpline/authz"
)

func mustNetwork(t testing.TB, s string) netip.Prefix {
	t.Helper()
	p, ok := ParseNetwork(s)
	if !ok {
		t.Fatalf("ParseNetwork(%q) refused", s)
	}
	return p
}

func TestParseNetwork_AddressesAndRangesInCanonicalForm(t *testing.T) {
	good := map[string]string{
		"192.0.2.7":           "192.0.2.7/32",
		"192.0.2.77/24":       "192.0.2.0/24",
		"2001:db8::1":         "2001:db8::1/128",
		"2001:DB8:0:0::/32":   "2001:db8::/32",
		"::ffff:192.0.2.7":    "192.0.2.7/32",
		"::ffff:10.0.0.0/104": "10.0.0.0/8",
	}
	for in, want := range good {
		if p, ok := ParseNetwork(in); !ok || p.String() != want {
			t.Errorf("ParseNetwork(%q) = %v %v, want %s", in, p, ok, want)
		}
	}
	for _, bad := range []string{"", "192.0.2", "192.0.2.256", "192.0.2.0/33", "2001:db8::/129", "fe80::1%eth0", "example.com", "1.2.3.4/-1", "::ffff:1.2.3.4/90"} {
		if p, ok := ParseNetwork(bad); ok {
			t.Errorf("ParseNetwork(%q) accepted as %v", bad, p)
		}
	}
}

func TestBanList_MatchesIPv4IPv6AndRanges(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	later, earlier := now.Add(time.Hour), now.Add(-time.Second)
	l := NewBanList([]Ban{
		{Network: mustNetwork(t, "192.0.2.7"), ValidUntil: later},
		{Network: mustNetwork(t, "198.51.100.0/24"), ValidUntil: later},
		{Network: mustNetwork(t, "2001:db8:abcd::/48"), ValidUntil: later},
		{Network: mustNetwork(t, "2001:db8:ffff::1"), ValidUntil: later},
		{Network: mustNetwork(t, "203.0.113.0/24"), ValidUntil: earlier}, // ended
		{Network: mustNetwork(t, "10.0.0.0/8"), ValidUntil: later},
		{Network: mustNetwork(t, "10.1.2.0/24"), ValidUntil: later}, // overlaps, as a race could leave it
	})
	cases := map[string]bool{
		"192.0.2.7":                 true,
		"192.0.2.6":                 false,
		"192.0.2.8":                 false,
		"::ffff:192.0.2.7":          true, // IPv4 seen through an IPv6 socket
		"198.51.100.0":              true,
		"198.51.100.255":            true,
		"198.51.101.0":              false,
		"198.51.99.255":             false,
		"2001:db8:abcd::1":          true,
		"2001:db8:abcd:ffff:ffff::": true,
		"2001:db8:abce::":           false,
		"2001:db8:ffff::1":          true,
		"2001:db8:ffff::2":          false,
		"203.0.113.5":               false, // the ban ended
		"10.200.0.1":                true,
		"10.1.2.3":                  true,
		"11.0.0.0":                  false,
		"0.0.0.0":                   false,
		"::":                        false,
		"c000:207::":                false, // 192.0.2.7's bytes as IPv6
	}
	for addr, want := range cases {
		if got := l.Holds(netip.MustParseAddr(addr), now); got != want {
			t.Errorf("Holds(%s) = %v, want %v", addr, got, want)
		}
	}
	if l.Holds(netip.MustParseAddr("192.0.2.7"), later) {
		t.Error("a ban holds at its Valid until")
	}
}

// tenThousandBans is a /24 every 256 of them across IPv4 and a /64 each
// across IPv6, alternating.
func tenThousandBans(until time.Time) []Ban {
	bans := make([]Ban, 0, 10000)
	for i := range 10000 {
		var p netip.Prefix
		if i%2 == 0 {
			p = netip.MustParsePrefix(fmt.Sprintf("%d.%d.%d.0/24", 11+i/65536, (i/256)%256, i%256))
		} else {
			p = netip.MustParsePrefix(fmt.Sprintf("2001:db8:%x:%x::/64", i/65536, i%65536))
		}
		bans = append(bans, Ban{Network: p, ValidUntil: until})
	}
	return bans
}

func TestBanList_TenThousandRangesCostMicroseconds(t *testing.T) {
	now := time.Now()
	l := NewBanList(tenThousandBans(now.Add(time.Hour)))
	probes := []netip.Addr{netip.MustParseAddr("11.19.14.9"), netip.MustParseAddr("11.19.15.9"),
		netip.MustParseAddr("2001:db8:0:270f::1"), netip.MustParseAddr("2001:db8:0:270e::1"), netip.MustParseAddr("8.8.8.8")}
	want := []bool{true, false, true, false, false}
	for i, a := range probes {
		if got := l.Holds(a, now); got != want[i] {
			t.Errorf("Holds(%s) = %v, want %v", a, got, want[i])
		}
	}
	const n = 20000
	start := time.Now()
	for i := range n {
		l.Holds(probes[i%len(probes)], now)
	}
	if per := time.Since(start) / n; per > 20*time.Microsecond {
		t.Fatalf("one check against 10,000 bans took %v", per)
	}
}

func BenchmarkBanList_Holds10000(b *testing.B) {
	now := time.Now()
	l := NewBanList(tenThousandBans(now.Add(time.Hour)))
	a, miss := netip.MustParseAddr("11.19.14.9"), netip.MustParseAddr("8.8.8.8")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			l.Holds(a, now)
		} else {
			l.Holds(miss, now)
		}
	}
}

func TestAddBan_RefusesPastOverlapsAndUnknownTicketAndIsAudited(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	now := time.Now()
	s.SetClock(func() time.Time { return now })
	day := now.Add(24 * time.Hour)

	if _, err := s.AddBan(ctx, o.ID, BanInput{Network: mustNetwork(t, "192.0.2.7"), ValidUntil: now}); !IsRule(err, RuleBanInPast) {
		t.Fatalf("ban ending now: %v", err)
	}
	id, err := s.AddBan(ctx, o.ID, BanInput{Network: mustNetwork(t, "192.0.2.0/24"), ValidUntil: day, Reason: "abuse"})
	if err != nil {
		t.Fatal(err)
	}
	if e := lastAudit(t, s); e.Action != ActionBanAdd || e.ActorID != o.ID || e.TargetID != id {
		t.Fatalf("audit %+v", e)
	}
	var ov ErrBanOverlap
	for _, n := range []string{"192.0.2.7", "192.0.0.0/16", "::ffff:192.0.2.9"} {
		if _, err := s.AddBan(ctx, o.ID, BanInput{Network: mustNetwork(t, n), ValidUntil: day}); !errors.As(err, &ov) || ov.With.String() != "192.0.2.0/24" {
			t.Errorf("overlapping %s: %v", n, err)
		}
	}
	if _, err := s.AddBan(ctx, o.ID, BanInput{Network: mustNetwork(t, "192.0.3.1"), ValidUntil: day, TicketCode: "HLP-000-000"}); !IsRule(err, RuleBanNoTicket) {
		t.Fatalf("unknown ticket: %v", err)
	}
	agent := addAgent(t, s, o.ID, "Ann Agent", authz.RoleAgent)
	if _, err := s.AddBan(ctx, agent.ID, BanInput{Network: mustNetwork(t, "192.0.4.1"), ValidUntil: day}); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("agent bans: %v", err)
	}
	if banned, _ := s.IsBanned(ctx, "192.0.2.200"); !banned {
		t.Fatal("an address of the banned range is not banned")
	}
	if banned, _ := s.IsBanned(ctx, "192.0.4.1"); banned {
		t.Fatal("a refused ban holds")
	}

	// Time passes: the ban ends by itself, stays in the history, and a ban
	// of the same range may be made again.
	now = day.Add(time.Millisecond)
	if banned, _ := s.IsBanned(ctx, "192.0.2.200"); banned {
		t.Fatal("an ended ban still holds")
	}
	if err := s.Unban(ctx, o.ID, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unban an ended ban: %v", err)
	}
	again, err := s.AddBan(ctx, o.ID, BanInput{Network: mustNetwork(t, "192.0.2.7"), ValidUntil: now.Add(time.Hour)})
	if err != nil {
		t.Fatalf("ban again after the first ended: %v", err)
	}
	if banned, _ := s.IsBanned(ctx, "192.0.2.7"); !banned {
		t.Fatal("the new ban does not hold")
	}
	if err := s.Unban(ctx, o.ID, again); err != nil {
		t.Fatal(err)
	}
	if banned, _ := s.IsBanned(ctx, "192.0.2.7"); banned {
		t.Fatal("a lifted ban still holds")
	}
	hist, err := s.BanHistory(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 || hist[0].ID != again || hist[0].UnbannedAt.IsZero() || hist[0].UnbannedByName != o.Name ||
		hist[1].Reason != "abuse" || hist[1].BannedByName != o.Name || hist[1].Holds(now) {
		t.Fatalf("history %+v", hist)
	}
}

func TestAddBan_FromATicketMarksItSpamAndSenderIPIsForBanHoldersOnly(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	dep, err := s.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "Support"})
	if err != nil {
		t.Fatal(err)
	}
	code, err := s.CreateTicket(ctx, nil, NewTicketInput{Subject: "Buy pills", Body: "cheap", Channel: ChannelContactForm,
		DepartmentID: dep, ContactName: "Sam Spammer", ContactEmail: "sam@example.com", SenderIP: "203.0.113.9"})
	if err != nil {
		t.Fatal(err)
	}
	owner := authz.Viewer{ID: o.ID, Perms: authz.BuiltinPerms(authz.RoleOwner)}
	agentView := authz.Viewer{ID: o.ID, Perms: authz.BuiltinPerms(authz.RoleAgent).With(authz.TicketsReadAll)}
	if ip, err := s.SenderIP(ctx, owner, code); err != nil || ip != "203.0.113.9" {
		t.Fatalf("sender for an Owner: %q %v", ip, err)
	}
	if ip, _ := s.SenderIP(ctx, agentView, code); ip != "" {
		t.Fatalf("sender shown without bans:manage: %q", ip)
	}
	if _, err := s.AddBan(ctx, o.ID, BanInput{Network: mustNetwork(t, "203.0.113.9"), ValidUntil: time.Now().Add(time.Hour), TicketCode: code}); err != nil {
		t.Fatal(err)
	}
	tk, err := s.TicketByCode(ctx, owner, code)
	if err != nil || tk.Status != TicketSpam {
		t.Fatalf("ticket after the ban: %v %v", tk.Status, err)
	}
	hist, _ := s.BanHistory(ctx, 0, 10)
	if len(hist) != 1 || hist[0].TicketCode != code {
		t.Fatalf("history %+v", hist)
	}
}

func TestCreateTicket_FromABannedAddressIsStoredAsSpamAndCounted(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	dep, _ := s.CreateDepartment(ctx, o.ID, DepartmentInput{Name: "Support"})
	owner := authz.Viewer{ID: o.ID, Perms: authz.BuiltinPerms(authz.RoleOwner)}
	code, err := s.CreateTicket(ctx, nil, NewTicketInput{Subject: "Again", Body: "spam", Channel: ChannelContactForm,
		DepartmentID: dep, ContactName: "Sam", ContactEmail: "sam@example.com", SenderIP: "203.0.113.9", Spam: true})
	if err != nil {
		t.Fatal(err)
	}
	tk, _ := s.TicketByCode(ctx, owner, code)
	if tk.Status != TicketSpam {
		t.Fatalf("status %s", tk.Status)
	}
	counts, err := s.StatusCounts(ctx, owner, 0)
	if err != nil {
		t.Fatal(err)
	}
	if counts[TicketNew] != 0 || counts[TicketSpam] != 1 {
		t.Fatalf("counts %v", counts)
	}
	page, err := s.Queue(ctx, owner, QueueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range page.Tickets {
		if q.Code == code {
			t.Fatal("a ticket from a banned address is in the queue")
		}
	}
}

func TestAuditPage_FiltersByWhoWhatWhenAndPagesByKey(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	o := signUpOwner(t, s)
	base := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	at := base
	s.SetClock(func() time.Time { return at })
	for i := range 10 {
		at = base.Add(time.Duration(i) * time.Hour)
		actor := o.ID
		if i%2 == 1 {
			actor = 0
		}
		if err := s.RecordAudit(ctx, AuditEntry{ActorID: actor, Action: ActionSettingsUpdate, Details: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	details := func(f AuditFilter, before int64, limit int) (out []string, last int64) {
		t.Helper()
		es, err := s.AuditPage(ctx, f, before, limit)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if e.Action == ActionSettingsUpdate {
				out = append(out, e.Details)
			}
			last = e.ID
		}
		return out, last
	}
	if got, _ := details(AuditFilter{Nobody: true}, 0, 100); fmt.Sprint(got) != "[9 7 5 3 1]" {
		t.Errorf("by nobody: %v", got)
	}
	if got, _ := details(AuditFilter{ActorID: o.ID, Action: ActionSettingsUpdate}, 0, 100); fmt.Sprint(got) != "[8 6 4 2 0]" {
		t.Errorf("by the owner: %v", got)
	}
	if got, _ := details(AuditFilter{Action: ActionSettingsUpdate, From: base.Add(3 * time.Hour), Until: base.Add(6 * time.Hour)}, 0, 100); fmt.Sprint(got) != "[5 4 3]" {
		t.Errorf("from 13:00 until 16:00: %v", got)
	}
	page1, last := details(AuditFilter{Action: ActionSettingsUpdate}, 0, 4)
	page2, _ := details(AuditFilter{Action: ActionSettingsUpdate}, last, 4)
	if fmt.Sprint(page1, page2) != "[9 8 7 6] [5 4 3 2]" {
		t.Errorf("pages %v %v", page1, page2)
	}
}
