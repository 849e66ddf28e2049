package web

import (
	"net/netip"
	"slices"
	"sync"
	"time"
)

// signInGate decides whether a sign-in attempt may have its password
// checked. Two limits hold at once:
//
//   - per address: 20 attempts in 15 minutes (an IPv6 address counts by its
//     /64, which one machine usually has whole);
//   - per account: 5 failures in 15 minutes, counted in separate buckets.
//     Each address that has signed in to the account before has a bucket of
//     its own; every other address shares one. Someone guessing a password
//     from elsewhere fills only the shared bucket, so the account's owner,
//     at an address they signed in from before, is never locked out by them.
//     An owner at a new address waits out the window like the guesser.
//
// The addresses that signed in are kept in memory, like the counts: after a
// restart both start afresh.
type signInGate struct {
	ip      *limiter
	account *limiter
	// code counts wrong two-factor codes per agent: five in 15 minutes.
	code *limiter

	mu    sync.Mutex
	known map[string][]string // email → address keys that signed in, newest last
}

// knownPerAccount bounds the addresses remembered for one account. Only a
// correct password adds one, so the map is bounded by the agents too.
const knownPerAccount = 10

func newSignInGate() *signInGate {
	return &signInGate{ip: newLimiter(20, 15*time.Minute), account: newLimiter(5, 15*time.Minute), code: newLimiter(5, 15*time.Minute),
		known: map[string][]string{}}
}

// addrKey is the key an address counts under: IPv4 whole, IPv6 by its /64.
func addrKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// accountKey is the bucket an attempt at email from ip counts in.
func (g *signInGate) accountKey(email, ip string) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	if slices.Contains(g.known[email], addrKey(ip)) {
		return email + "\x00" + addrKey(ip)
	}
	return email
}

// admit takes a slot for one attempt, before the slow password check. It
// returns the account bucket used, for succeeded or failed.
func (g *signInGate) admit(email, ip string) (bucket string, ok bool) {
	if !g.ip.take(addrKey(ip)) {
		return "", false
	}
	bucket = g.accountKey(email, ip)
	if !g.account.take(bucket) {
		g.ip.giveBack(addrKey(ip))
		return "", false
	}
	return bucket, true
}

// succeeded gives back the address's slot, clears the bucket and remembers
// the address as one the account's owner uses.
func (g *signInGate) succeeded(email, ip, bucket string) {
	g.ip.giveBack(addrKey(ip))
	g.account.reset(bucket)
	g.mu.Lock()
	defer g.mu.Unlock()
	k := addrKey(ip)
	list := slices.DeleteFunc(g.known[email], func(s string) bool { return s == k })
	list = append(list, k)
	if len(list) > knownPerAccount {
		list = list[len(list)-knownPerAccount:]
	}
	g.known[email] = list
}
