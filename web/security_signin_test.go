package web

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// postSignIn sends one sign-in as c would, with extra headers, and returns
// the status. It is safe to call from several goroutines.
func (c *client) postSignIn(email, password string, header map[string]string) int {
	form := url.Values{"email": {email}, "password": {password}, "_csrf": {c.csrf}}
	req, err := http.NewRequest(http.MethodPost, c.app.ts.URL+"/signin", strings.NewReader(form.Encode()))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

func TestSignIn_ConcurrentGuessesCannotOutrunTheAccountLimit(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	c.get("/signin")
	var wg sync.WaitGroup
	var mu sync.Mutex
	checked := 0
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if c.postSignIn("owner@example.com", "wrong password", nil) == http.StatusUnprocessableEntity {
				mu.Lock()
				checked++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if checked > 5 {
		t.Fatalf("%d passwords were checked for one account at once, want at most 5", checked)
	}
}

func TestSignIn_AccountLimitIgnoresCaseAndSpaces(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	c.get("/signin")
	for _, email := range []string{"owner@example.com", "OWNER@example.com", " owner@example.com ", "Owner@Example.COM", "\towner@example.com"} {
		if st := c.postSignIn(email, "wrong password", nil); st != http.StatusUnprocessableEntity {
			t.Fatalf("%q: status %d", email, st)
		}
	}
	if st := c.postSignIn("owner@EXAMPLE.com", testPassword, nil); st != http.StatusTooManyRequests {
		t.Fatalf("sixth attempt in another spelling: status %d, want 429", st)
	}
}

func TestSignIn_IPLimitIgnoresForwardedHeaders(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	c.get("/signin")
	for i := 0; i < 20; i++ {
		fake := map[string]string{"X-Forwarded-For": "203.0.113." + strconvFormat(int64(i)), "X-Real-IP": "198.51.100." + strconvFormat(int64(i))}
		c.postSignIn("user"+strconvFormat(int64(i))+"@example.com", "wrong password", fake)
	}
	fake := map[string]string{"X-Forwarded-For": "192.0.2.99", "X-Real-IP": "192.0.2.99"}
	if st := c.postSignIn("owner@example.com", testPassword, fake); st != http.StatusTooManyRequests {
		t.Fatalf("after 20 failures from one address with changing forwarded headers: status %d, want 429", st)
	}
}

func TestSignIn_SuccessDoesNotUseUpTheAddressLimit(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	for i := 0; i < 25; i++ {
		c := app.client()
		c.get("/signin")
		if st := c.postSignIn("owner@example.com", testPassword, nil); st != http.StatusSeeOther {
			t.Fatalf("sign-in %d: status %d", i+1, st)
		}
	}
}

// TestSignIn_UnknownEmailCostsAsMuchAsWrongPassword: an unknown email must
// run the password hash too, so timing does not tell which emails exist.
func TestSignIn_UnknownEmailCostsAsMuchAsWrongPassword(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	median := func(email string) time.Duration {
		var ds []time.Duration
		for i := 0; i < 4; i++ {
			c := app.client()
			c.get("/signin")
			start := time.Now()
			if st := c.postSignIn(email, "wrong password", nil); st != http.StatusUnprocessableEntity {
				t.Fatalf("%s: status %d", email, st)
			}
			ds = append(ds, time.Since(start))
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds[len(ds)/2]
	}
	known := median("owner@example.com")
	app.srv.signIn.account.reset("owner@example.com")
	unknown := median("nobody@example.com")
	if unknown < known/2 {
		t.Fatalf("unknown email answered in %v, known in %v: the hash is skipped", unknown, known)
	}
}
