package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
)

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// session is a signed-in browser: its cookie header and CSRF token.
type session struct {
	cookie string
	csrf   string
}

func newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// fetchCSRF GETs path and returns the page's CSRF token.
func fetchCSRF(c *http.Client, base, path string) (string, error) {
	res, err := c.Get(base + path)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	m := csrfField.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("no CSRF token on %s (status %d)", path, res.StatusCode)
	}
	return string(m[1]), nil
}

// signIn posts the sign-in form and returns the session cookie.
func signIn(base, email, password string) (session, error) {
	c := newClient()
	tok, err := fetchCSRF(c, base, "/signin")
	if err != nil {
		return session{}, err
	}
	res, err := c.PostForm(base+"/signin", url.Values{"_csrf": {tok}, "email": {email}, "password": {password}})
	if err != nil {
		return session{}, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return session{}, fmt.Errorf("sign-in answered %d", res.StatusCode)
	}
	u, _ := url.Parse(base)
	var parts []string
	for _, ck := range c.Jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return session{cookie: strings.Join(parts, "; ")}, nil
}

var tokenOnPage = regexp.MustCompile(`<code class="api-token-secret">(hlp_[A-Za-z0-9_-]+)</code>`)

// createAPIToken makes an API token for the signed-in s through Profile →
// API tokens, as a person would, and returns its secret.
func createAPIToken(base string, s session) (string, error) {
	req, _ := http.NewRequest(http.MethodGet, base+"/profile/tokens", nil)
	req.Header.Set("Cookie", s.cookie)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfField.FindSubmatch(page)
	if m == nil {
		return "", fmt.Errorf("no CSRF token on /profile/tokens (status %d)", res.StatusCode)
	}
	form := url.Values{"_csrf": {string(m[1])}, "name": {"helpline-bench"}, "expiry": {"30"}}
	req, _ = http.NewRequest(http.MethodPost, base+"/profile/tokens", strings.NewReader(form.Encode()))
	req.Header.Set("Cookie", s.cookie)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	page, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if t := tokenOnPage.FindSubmatch(page); t != nil {
		return string(t[1]), nil
	}
	return "", fmt.Errorf("creating a token answered %d without one", res.StatusCode)
}
