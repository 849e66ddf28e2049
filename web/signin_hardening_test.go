package web

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"helpline/store"
)

// clientFrom is a browser whose connections come from addr, one of the
// loopback addresses (127.0.0.0/8), so the server sees another address.
func (a *testApp) clientFrom(addr string) *client {
	c := a.client()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(addr)}}
	c.http.Transport = &http.Transport{DialContext: d.DialContext}
	return c
}

func TestSignIn_GuessesFromElsewhereDoNotLockOutTheOwner(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	owner := app.clientFrom("127.0.0.1")
	owner.signIn("owner@example.com", testPassword)
	owner.post("/signout", url.Values{}).wantRedirect("/signin")
	owner.get("/signin")

	guesser := app.clientFrom("127.0.0.2")
	for i := 0; i < 5; i++ {
		guesser.post("/signin", url.Values{"email": {"owner@example.com"}, "password": {"wrong password"}}).
			wantStatus(http.StatusUnprocessableEntity)
	}
	// The guesser is stopped, even with the right password.
	guesser.post("/signin", url.Values{"email": {"owner@example.com"}, "password": {testPassword}}).
		wantStatus(http.StatusTooManyRequests)
	// So is anyone else at an address the owner never signed in from.
	app.clientFrom("127.0.0.3").post("/signin", url.Values{"email": {"owner@example.com"}, "password": {testPassword}}).
		wantStatus(http.StatusTooManyRequests)
	// The owner, at the address they signed in from before, is not.
	owner.post("/signin", url.Values{"email": {"owner@example.com"}, "password": {testPassword}}).wantRedirect("/")
}

func TestSignIn_OwnFailuresAtAKnownAddressStillCount(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.clientFrom("127.0.0.4")
	c.signIn("owner@example.com", testPassword)
	c.post("/signout", url.Values{}).wantRedirect("/signin")
	c.get("/signin")
	for i := 0; i < 5; i++ {
		c.post("/signin", url.Values{"email": {"owner@example.com"}, "password": {"wrong password"}}).
			wantStatus(http.StatusUnprocessableEntity)
	}
	c.post("/signin", url.Values{"email": {"owner@example.com"}, "password": {testPassword}}).
		wantStatus(http.StatusTooManyRequests)
}

func TestSignIn_DisabledAgentWithRightPasswordLooksLikeWrongPassword(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	if err := app.st.SetAgentStatus(context.Background(), tm.creator.ID, tm.agent.ID, store.StatusDisabled, ""); err != nil {
		t.Fatal(err)
	}
	right := app.client().post("/signin", url.Values{"email": {tm.agent.Email}, "password": {testPassword}})
	wrong := app.client().post("/signin", url.Values{"email": {tm.agent.Email}, "password": {"not the password"}})
	if right.status != wrong.status || right.status != http.StatusUnprocessableEntity {
		t.Fatalf("right password of a disabled agent: %d, wrong password: %d", right.status, wrong.status)
	}
	if a, b := right.text(".form-error"), wrong.text(".form-error"); a == "" || a != b {
		t.Fatalf("messages differ: %q vs %q", a, b)
	}
}

func TestSignIn_UnknownEmailsDoNotGrowTheAuditLog(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	ctx := context.Background()
	count := func() int {
		log, err := app.st.AuditLog(ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		return len(log)
	}
	before := count()
	for i := 0; i < 4; i++ {
		c := app.clientFrom("127.0.1." + strconv.Itoa(i+1))
		for j := 0; j < 5; j++ {
			c.post("/signin", url.Values{"email": {"nobody" + strconv.Itoa(j) + "@example.com"}, "password": {"wrong password"}}).
				wantStatus(http.StatusUnprocessableEntity)
		}
	}
	if n := count(); n != before {
		t.Fatalf("20 sign-ins for unknown emails added %d audit entries", n-before)
	}
}

func TestLimiter_SlidesOverItsWindow(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	l := newLimiter(2, time.Minute)
	l.now = func() time.Time { return now }
	if !l.take("a") || !l.take("a") || l.take("a") {
		t.Fatal("want two takes within the window, not three")
	}
	now = now.Add(59 * time.Second)
	if l.take("a") {
		t.Fatal("a take before the window passed")
	}
	now = now.Add(2 * time.Second)
	if !l.take("a") {
		t.Fatal("no take after the window passed")
	}
	// Across several generations an event within the window still counts.
	for i := 0; i < 5; i++ {
		now = now.Add(50 * time.Second)
		if !l.take("b") {
			t.Fatalf("step %d: b refused", i)
		}
		now = now.Add(5 * time.Second)
		if l.take("b") && l.take("b") {
			t.Fatalf("step %d: three takes of b within a minute", i)
		}
		now = now.Add(time.Minute)
	}
}

// TestLimiter_ManyKeysCostNothingPerCall: a table filled with keys that are
// all recent (an attacker with many addresses) must not make each call scan
// it, and keys nobody uses go after two windows.
func TestLimiter_ManyKeysCostNothingPerCall(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	l := newLimiter(20, time.Minute)
	l.now = func() time.Time { return now }
	for i := 0; i < 200_000; i++ {
		l.take("k" + strconv.Itoa(i))
	}
	start := time.Now()
	for i := 0; i < 2000; i++ {
		l.take("new" + strconv.Itoa(i))
	}
	if d := time.Since(start); d > 200*time.Millisecond {
		t.Fatalf("2000 takes beside 200,000 keys took %v", d)
	}
	now = now.Add(61 * time.Second)
	l.take("x")
	now = now.Add(61 * time.Second)
	l.take("y")
	if n := l.size(); n > 2 {
		t.Fatalf("%d keys kept two windows later, want at most 2", n)
	}
}

func TestAddrKey_IPv6CountsByPrefix(t *testing.T) {
	if addrKey("2001:db8::1") != addrKey("2001:db8::ffff:1") {
		t.Fatal("two addresses of one /64 count apart")
	}
	if addrKey("2001:db8:0:1::1") == addrKey("2001:db8::1") {
		t.Fatal("two /64s count together")
	}
	if addrKey("::ffff:192.0.2.1") != "192.0.2.1" || addrKey("192.0.2.1") != "192.0.2.1" {
		t.Fatal("IPv4 keys differ")
	}
}
