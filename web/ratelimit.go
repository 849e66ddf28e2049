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

// allowed reports whether key may try again now.
func (l *limiter) allowed(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(key)) < l.max
}

// add records one event for key.
func (l *limiter) add(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hits[key] = append(l.recent(key), l.now())
	if len(l.hits) > 10000 {
		for k := range l.hits {
			if len(l.recent(k)) == 0 {
				delete(l.hits, k)
			}
		}
	}
}

// take records an event and reports whether it was within the limit.
func (l *limiter) take(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.recent(key)
	if len(r) >= l.max {
		return false
	}
	l.hits[key] = append(r, l.now())
	return true
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
