package web

import (
	"sync"
	"time"
)

// limiter counts events per key in a sliding window: at most max within
// window. It lives in memory, which is right for one server process.
//
// Keys live in two generations: cur holds the keys touched since since,
// prev the ones touched in the window before. Once a window has passed, prev
// is dropped whole and cur becomes prev, so keys nobody uses any more go
// without a scan over the table; every call does work bounded by max, however
// many keys an attacker has made (the table itself holds at most the keys of
// two windows).
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	cur    map[string][]time.Time
	prev   map[string][]time.Time
	since  time.Time
	now    func() time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, cur: map[string][]time.Time{}, prev: map[string][]time.Time{}, now: time.Now}
}

// take records an event and reports whether it was within the limit. The
// check and the count are one step, so concurrent requests cannot all pass
// the check before any of them is counted.
func (l *limiter) take(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.recent(key)
	if len(r) >= l.max {
		return false
	}
	l.cur[key] = append(r, l.now())
	return true
}

// allows reports whether key has room for one more event, without taking it.
func (l *limiter) allows(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(key)) < l.max
}

// giveBack returns the slot the last take of key used, for an attempt that
// turned out not to count (a successful sign-in).
func (l *limiter) giveBack(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if h := l.recent(key); len(h) > 0 {
		l.cur[key] = h[:len(h)-1]
	}
}

// reset forgets key (after a successful sign-in).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.cur, key)
	delete(l.prev, key)
}

// size is the number of keys held, for tests of the bound.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.cur) + len(l.prev)
}

// rotate starts a new generation once a window has passed since the last
// one began. Every event in prev is then older than since, which is at least
// a window ago by the next rotation, so dropping prev loses no recent event.
func (l *limiter) rotate(now time.Time) {
	if now.Sub(l.since) < l.window {
		return
	}
	l.prev, l.cur, l.since = l.cur, map[string][]time.Time{}, now
}

// recent returns key's events within the window, moved into cur.
func (l *limiter) recent(key string) []time.Time {
	now := l.now()
	l.rotate(now)
	h, ok := l.cur[key]
	if !ok {
		if h, ok = l.prev[key]; ok {
			delete(l.prev, key)
		}
	}
	cut := now.Add(-l.window)
	i := 0
	for i < len(h) && h[i].Before(cut) {
		i++
	}
	h = h[i:]
	if len(h) == 0 {
		delete(l.cur, key)
		return nil
	}
	l.cur[key] = h
	return h
}
