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

	"helpline/views"
)

// fragments keeps rendered parts of pages that many views ask for alike,
// such as a page of the queue, so a busy desk does not query and render
// the same fifty rows for every request.
//
// A fragment is only served while the store's generation is the one it was
// built under (every committed change to what pages show moves it on) and
// within the minute it was built in (pages say "5 minutes ago"). The
// desk's time zone and company name, which every fragment shows, need no
// place in the key for the same reason: changing them is a commit. What
// differs between people who share a fragment, the CSRF token of their
// session, is rendered as a random placeholder and put in on the way out;
// everything else that depends on the viewer belongs in the key.
type fragments struct {
	mu     sync.Mutex
	gen    uint64
	minute int64
	size   int
	m      map[string]kept
	token  string // placeholder rendered where the CSRF token goes
	// building lets one request build a missing piece while others asking
	// for the same one wait for it, instead of all running the same queries.
	building singleflight.Group
	// Tests set these: beforeBuild runs as a build starts, waiting as each
	// request starts waiting for one.
	beforeBuild, waiting func()
}

// piece is a part of a page and the title of the page it belongs to.
type piece struct {
	Body  templ.Component
	Title string
}

type kept struct {
	parts [][]byte // the rendered HTML, split where the CSRF token goes
	size  int
	title string
}

// maxFragmentBytes bounds what is kept (about 400 queue pages); past it new
// fragments are rendered for each request until the generation or the
// minute starts afresh. With the garbage collector's headroom the server
// stays well under 150 MB however many different pages are asked for.
const maxFragmentBytes = 16 << 20

// buildTimeout bounds building a piece, which no request's context does.
const buildTimeout = 30 * time.Second

func newFragments() *fragments {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return &fragments{m: map[string]kept{}, token: base64.RawURLEncoding.EncodeToString(b)}
}

// get returns the piece for key built under gen in this minute, building
// it with build when there is none. gen must be read before build reads
// anything, so a change that commits meanwhile is never hidden.
func (f *fragments) get(ctx context.Context, key string, gen uint64, build func(ctx context.Context) (piece, error)) (piece, error) {
	minute := time.Now().Unix() / 60
	f.mu.Lock()
	k, ok := f.m[key]
	ok = ok && f.gen == gen && f.minute == minute
	f.mu.Unlock()
	if !ok {
		built := f.building.DoChan(fmt.Sprintf("%d|%d|%s", gen, minute, key), func() (v any, err error) {
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
					err = fmt.Errorf("web: building %s panicked: %v\n%s", key, p, debug.Stack())
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
			k := kept{parts: bytes.Split(html, []byte(f.token)), size: len(html), title: p.Title}
			f.put(key, gen, minute, k)
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

func (f *fragments) put(key string, gen uint64, minute int64, k kept) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case gen < f.gen || (gen == f.gen && minute < f.minute):
		return // built from older reads than what is kept
	case gen != f.gen || minute != f.minute:
		f.gen, f.minute, f.size = gen, minute, 0
		clear(f.m)
	}
	n := k.size + len(k.title)
	if f.size+n > maxFragmentBytes {
		return
	}
	if old, ok := f.m[key]; ok {
		f.size -= old.size + len(old.title)
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
