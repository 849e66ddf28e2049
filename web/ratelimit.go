package web

import (
	"sync"
	"time"
)

// limiter counts events per key in a sliding window: at most max within
// window. It lives in memory, which is right for one server process.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	hits   map[string][]time.Time
	now    func() time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, hits: map[string][]time.Time{}, now: time.Now}
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
	l.hits[key] = append(r, l.now())
	l.prune()
	return true
}

// giveBack returns the slot the last take of key used, for an attempt that
// turned out not to count (a successful sign-in).
func (l *limiter) giveBack(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if h := l.hits[key]; len(h) > 0 {
		l.hits[key] = h[:len(h)-1]
	}
}

// prune drops keys with no recent events once the map grows large.
func (l *limiter) prune() {
	if len(l.hits) <= 10000 {
		return
	}
	for k := range l.hits {
		l.recent(k)
	}
}

// reset forgets key (after a successful sign-in).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.hits, key)
}

func (l *limiter) recent(key string) []time.Time {
	cut := l.now().Add(-l.window)
	h := l.hits[key]
	i := 0
	for i < len(h) && h[i].Before(cut) {
		i++
	}
	if i == len(h) {
		delete(l.hits, key)
		return nil
	}
	h = h[i:]
	l.hits[key] = h
	return h
}
