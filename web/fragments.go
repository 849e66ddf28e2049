package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"runtime/debug"
	"sync"
	"time"

	"github.com/a-h/templ"
	"golang.org/x/sync/singleflight"

	"helpline/store"
	"helpline/views"
)

// fragments keeps rendered pages (or parts of pages) that many requests ask
// for alike, such as a page of the queue, so a busy desk does not query and
// render the same fifty rows for every request. It is the one cache of
// rendered HTML; the store keeps the small lists every page reads (memo)
// and the sessions.
//
// A kept page is stale once the store's generation moves (a change to
// anything every page may show: names, roles, settings), once a ticket
// topic it read changes (its department's tickets, its ticket, its
// requester's tickets; store/changes.go), or when the minute ends (pages
// say "5 minutes ago"). Everything else it depends on is in its key
// (pageKey). The CSRF token of the session, the one thing that differs
// between people who share a page, is rendered as a random placeholder and
// put in on the way out.
type fragments struct {
	st     changes
	mu     sync.Mutex
	gen    uint64 // the newest generation a kept page was built under
	minute int64
	size   int
	m      map[pageKey]kept
	token  string // placeholder rendered where the CSRF token goes
	// building lets one request build a missing piece while others asking
	// for the same one wait for it, instead of all running the same queries.
	building singleflight.Group
	// Tests set these: beforeBuild runs as a build starts, waiting as each
	// request starts waiting for one.
	beforeBuild, waiting func()
}

// changes is what the store says of its changes (*store.Store).
type changes interface {
	Generation() uint64
	Tick() uint64
	UnchangedSince(tick uint64, topics []store.Topic) bool
}

// piece is a part of a page, the title of the page it belongs to, and the
// ticket topics it was built from.
type piece struct {
	Body   templ.Component
	Title  string
	Topics []store.Topic
}

type kept struct {
	parts     [][]byte // the rendered HTML, split where the CSRF token goes
	size      int
	title     string
	gen, tick uint64 // read before the build's first read
	topics    []store.Topic
}

// maxFragmentBytes bounds what is kept (about 400 queue pages); past it
// everything kept goes and the pages asked for next are kept instead. With
// the garbage collector's headroom the server stays well under 150 MB
// however many different pages are asked for.
const maxFragmentBytes = 16 << 20

// buildTimeout bounds building a piece, which no request's context does.
const buildTimeout = 30 * time.Second

func newFragments(st changes) *fragments {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return &fragments{st: st, m: map[pageKey]kept{}, token: base64.RawURLEncoding.EncodeToString(b)}
}

// get returns the piece for key, building it with build when none is kept
// or the kept one is stale. The generation and the tick are read here,
// before build reads anything, so a change that commits meanwhile is never
// hidden.
func (f *fragments) get(ctx context.Context, key pageKey, build func(ctx context.Context) (piece, error)) (piece, error) {
	gen, tick := f.st.Generation(), f.st.Tick()
	minute := time.Now().Unix() / 60
	f.mu.Lock()
	k, ok := f.m[key]
	ok = ok && k.gen == gen && f.minute == minute
	f.mu.Unlock()
	ok = ok && f.st.UnchangedSince(k.tick, k.topics)
	if !ok {
		built := f.building.DoChan(fmt.Sprintf("%d|%d|%d|%#v", gen, tick, minute, key), func() (v any, err error) {
			// Those who wait share this build, so it runs on none of their
			// contexts: one of them hanging up must not fail it for the
			// others. It keeps the values (language, viewer) and has a
			// deadline of its own.
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), buildTimeout)
			defer cancel()
			// A panic in a shared build would end the process (singleflight
			// cannot hand it to a waiter): it is everyone's error instead.
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("web: building %#v panicked: %v\n%s", key, p, debug.Stack())
				}
			}()
			if f.beforeBuild != nil {
				f.beforeBuild()
			}
			p, err := build(ctx)
			if err != nil {
				return kept{}, err
			}
			env := *views.EnvOf(ctx)
			env.CSRFToken = f.token
			var buf bytes.Buffer
			if err := p.Body.Render(views.WithEnv(ctx, &env), &buf); err != nil {
				return kept{}, err
			}
			// A copy of exactly the page's size: the buffer grew by
			// doubling and would keep up to twice that alive.
			html := bytes.Clone(buf.Bytes())
			k := kept{parts: bytes.Split(html, []byte(f.token)), size: len(html), title: p.Title,
				gen: gen, tick: tick, topics: p.Topics}
			f.put(key, minute, k)
			return k, nil
		})
		if f.waiting != nil {
			f.waiting()
		}
		// Each waits on its own context: whoever hangs up stops waiting,
		// and the build goes on for the others (and is kept).
		select {
		case <-ctx.Done():
			return piece{}, ctx.Err()
		case r := <-built:
			if r.Err != nil {
				return piece{}, r.Err
			}
			k = r.Val.(kept)
		}
	}
	return piece{Body: withToken{parts: k.parts, token: views.CSRF(ctx)}, Title: k.title}, nil
}

func (f *fragments) put(key pageKey, minute int64, k kept) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case k.gen < f.gen || (k.gen == f.gen && minute < f.minute):
		return // built from older reads than what is kept
	case k.gen != f.gen || minute != f.minute:
		// Nothing kept is current any more: start afresh.
		f.gen, f.minute, f.size = k.gen, minute, 0
		clear(f.m)
	}
	if old, ok := f.m[key]; ok {
		if old.tick > k.tick {
			return // the kept one read later
		}
		f.size -= old.size + len(old.title)
	}
	n := k.size + len(k.title)
	if n > maxFragmentBytes {
		return
	}
	if f.size+n > maxFragmentBytes {
		// Full (of pages that may have gone stale one topic at a time):
		// start afresh with the pages asked for now.
		f.size = 0
		clear(f.m)
	}
	f.m[key] = k
	f.size += n
}

// forget drops every kept fragment, so the next request for each builds it
// again from the store. Benchmarks use it to time building pages.
func (f *fragments) forget() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.m)
	f.size = 0
}

// withToken writes a kept fragment with the session's CSRF token between
// its parts.
type withToken struct {
	parts [][]byte
	token string
}

func (w withToken) Render(_ context.Context, out io.Writer) error {
	for i, part := range w.parts {
		if i > 0 {
			if _, err := io.WriteString(out, w.token); err != nil {
				return err
			}
		}
		if _, err := out.Write(part); err != nil {
			return err
		}
	}
	return nil
}

var _ templ.Component = withToken{}
