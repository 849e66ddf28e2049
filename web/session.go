package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"helpline/store"
	"helpline/views"
)

// This is the only file that touches gorilla/sessions. The cookie is signed
// and encrypted; it carries only the random session token (the session itself
// lives in the sessions table), a CSRF nonce and flash messages.

const (
	cookieName  = "helpline"
	keyToken    = "t"
	keyNonce    = "n"
	keyRemember = "r"
	keyPending  = "p"
)

// cookieSerializer writes the cookie's few values as JSON. The default,
// encoding/gob, describes its types in every cookie and took a sixth of a
// page view's time to decode.
type cookieSerializer struct{}

type cookieValues struct {
	Token    string   `json:"t,omitempty"`
	Nonce    string   `json:"n,omitempty"`
	Remember bool     `json:"r,omitempty"`
	Pending  string   `json:"p,omitempty"`
	Flashes  []string `json:"f,omitempty"`
}

const keyFlashes = "_flash" // where gorilla/sessions keeps flashes

func (cookieSerializer) Serialize(src any) ([]byte, error) {
	m, ok := src.(map[any]any)
	if !ok {
		return nil, fmt.Errorf("web: cookie values of type %T", src)
	}
	var v cookieValues
	for k, val := range m {
		var ok bool
		switch k {
		case keyToken:
			v.Token, ok = val.(string)
		case keyNonce:
			v.Nonce, ok = val.(string)
		case keyRemember:
			v.Remember, ok = val.(bool)
		case keyPending:
			v.Pending, ok = val.(string)
		case keyFlashes:
			list, isList := val.([]any)
			ok = isList
			for _, f := range list {
				str, isStr := f.(string)
				ok = ok && isStr
				v.Flashes = append(v.Flashes, str)
			}
		}
		if !ok {
			return nil, fmt.Errorf("web: cookie value %v of type %T", k, val)
		}
	}
	return json.Marshal(v)
}

func (cookieSerializer) Deserialize(src []byte, dst any) error {
	m, ok := dst.(*map[any]any)
	if !ok {
		return fmt.Errorf("web: cookie values into %T", dst)
	}
	var v cookieValues
	if err := json.Unmarshal(src, &v); err != nil {
		return err
	}
	out := map[any]any{}
	if v.Token != "" {
		out[keyToken] = v.Token
	}
	if v.Nonce != "" {
		out[keyNonce] = v.Nonce
	}
	if v.Remember {
		out[keyRemember] = true
	}
	if v.Pending != "" {
		out[keyPending] = v.Pending
	}
	if len(v.Flashes) > 0 {
		list := make([]any, len(v.Flashes))
		for i, f := range v.Flashes {
			list[i] = f
		}
		out[keyFlashes] = list
	}
	*m = out
	return nil
}

type sessionManager struct {
	cookies *sessions.CookieStore
	csrfKey []byte
	secure  bool
}

func newSessionManager(sessionSecret, csrfSecret []byte, secure bool) *sessionManager {
	hashKey := derive(sessionSecret, "cookie-signing")
	blockKey := derive(sessionSecret, "cookie-encryption")[:32]
	cs := sessions.NewCookieStore(hashKey, blockKey)
	for _, c := range cs.Codecs {
		if sc, ok := c.(*securecookie.SecureCookie); ok {
			sc.SetSerializer(cookieSerializer{})
		}
	}
	cs.Options = &sessions.Options{Path: "/", HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode}
	cs.MaxAge(0)
	return &sessionManager{cookies: cs, csrfKey: derive(csrfSecret, "csrf"), secure: secure}
}

func derive(secret []byte, purpose string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(purpose))
	k := m.Sum(nil)
	// A 64-byte signing key: two derived halves.
	m.Reset()
	m.Write([]byte(purpose + "/2"))
	return append(k, m.Sum(nil)...)
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// cookieSession is the decoded cookie of one request.
type cookieSession struct {
	m       *sessionManager
	s       *sessions.Session
	changed bool
}

func (m *sessionManager) load(r *http.Request) *cookieSession {
	s, err := m.cookies.Get(r, cookieName)
	if err != nil {
		// A cookie we cannot read (old keys, tampering) starts afresh.
		s, _ = m.cookies.New(r, cookieName)
		s.IsNew = true
	}
	cs := &cookieSession{m: m, s: s}
	if cs.nonce() == "" {
		cs.s.Values[keyNonce] = randomToken()
		cs.changed = true
	}
	return cs
}

func (cs *cookieSession) token() string {
	t, _ := cs.s.Values[keyToken].(string)
	return t
}

func (cs *cookieSession) nonce() string {
	n, _ := cs.s.Values[keyNonce].(string)
	return n
}

// csrfToken is the token pages embed: an HMAC of the cookie's nonce, so it
// cannot be made without the server's CSRF secret.
func (cs *cookieSession) csrfToken() string {
	m := hmac.New(sha256.New, cs.m.csrfKey)
	m.Write([]byte(cs.nonce()))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (cs *cookieSession) validCSRF(token string) bool {
	if token == "" || cs.nonce() == "" {
		return false
	}
	return hmac.Equal([]byte(token), []byte(cs.csrfToken()))
}

// signIn starts a new cookie session: new token and new CSRF nonce, so
// nothing from before sign-in carries over.
func (cs *cookieSession) signIn(token string, remember bool) {
	flashes := cs.s.Values["_flash"]
	cs.s.Values = map[any]any{keyToken: token, keyNonce: randomToken(), keyRemember: remember}
	if flashes != nil {
		cs.s.Values["_flash"] = flashes
	}
	cs.changed = true
}

// signOut forgets the token and rotates the nonce.
func (cs *cookieSession) signOut() {
	delete(cs.s.Values, keyToken)
	delete(cs.s.Values, keyRemember)
	cs.s.Values[keyNonce] = randomToken()
	cs.changed = true
}

// maxFlashes is how many messages wait in the cookie for the next page; a
// client that posts again and again without looking (a script) keeps only
// the newest, so the cookie cannot grow to its size limit.
const maxFlashes = 3

func (cs *cookieSession) addFlash(kind views.FlashKind, text string) {
	cs.s.AddFlash(string(kind) + "\x00" + text)
	if list, ok := cs.s.Values[keyFlashes].([]any); ok && len(list) > maxFlashes {
		cs.s.Values[keyFlashes] = append([]any(nil), list[len(list)-maxFlashes:]...)
	}
	cs.changed = true
}

func (cs *cookieSession) takeFlashes() []views.Flash {
	raw := cs.s.Flashes()
	if len(raw) == 0 {
		return nil
	}
	cs.changed = true
	out := make([]views.Flash, 0, len(raw))
	for _, r := range raw {
		str, _ := r.(string)
		kind, text, _ := strings.Cut(str, "\x00")
		out = append(out, views.Flash{Kind: views.FlashKind(kind), Text: text})
	}
	return out
}

// save writes the cookie when something in it changed. "Remember me"
// sessions keep the cookie for 14 days; others end with the browser.
func (cs *cookieSession) save(c echo.Context) error {
	if !cs.changed {
		return nil
	}
	cs.changed = false
	opts := *cs.m.cookies.Options
	if remember, _ := cs.s.Values[keyRemember].(bool); remember {
		opts.MaxAge = int(store.RememberFor.Seconds())
	}
	cs.s.Options = &opts
	if err := cs.s.Save(c.Request(), c.Response()); err != nil {
		return errors.Join(errors.New("web: save session cookie"), err)
	}
	return nil
}
