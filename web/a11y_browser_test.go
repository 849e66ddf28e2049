package web

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"helpline/views"
)

// axeSource is axe-core, vendored for tests only (testdata/VENDOR.md). It
// is put into each page through the DevTools protocol, which the page's
// Content-Security-Policy does not govern, so the policy stays as served.
//
//go:embed testdata/axe.min.js
var axeSource string

// axeViolation is one rule axe found broken, with the elements that break it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  string `json:"target"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n      %s\n        %s", n.Target, strings.ReplaceAll(n.Summary, "\n", "\n        "))
	}
	return b.String()
}

// axeSerious runs axe on the page shown and returns the serious and
// critical violations; minor and moderate ones are advice, not failures.
const axeSerious = `axe.run(document, {resultTypes: ["violations"]}).then(function (r) {
	return r.violations.filter(function (v) { return v.impact === "serious" || v.impact === "critical"; }).map(function (v) {
		return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(function (n) {
			return {target: n.target.flat().join(" "), summary: n.failureSummary || ""};
		})};
	});
})`

// checkAxe opens path and checks it with axe.
func checkAxe(t *testing.T, ctx context.Context, base, path string) {
	t.Helper()
	run(t, ctx, "open "+path, chromedp.Navigate(base+path))
	axeHere(t, ctx, path)
}

// axeHere loads axe into the page as it is now and reports its serious and
// critical violations as test errors, naming the page what.
func axeHere(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	run(t, ctx, "load axe into "+what, chromedp.Evaluate[chromedp.Void](axeSource))
	found := read(t, ctx, "axe on "+what, chromedp.Evaluate[[]axeViolation](axeSerious, chromedp.EvalAwaitPromise))
	for _, v := range found {
		t.Errorf("%s: %s", what, v)
	}
}

// colourScheme makes the browser prefer a light or dark scheme, as a
// system setting would; app.css follows prefers-color-scheme.
func colourScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}

// TestBrowser_AxeFindsNothingSeriousOnAnyPageInLightOrDark runs axe-core on
// the public pages signed out and on every GET page of the route table
// signed in as an Owner, once in the light scheme and once in the dark.
func TestBrowser_AxeFindsNothingSeriousOnAnyPageInLightOrDark(t *testing.T) {
	for _, scheme := range []string{"light", "dark"} {
		t.Run(scheme, func(t *testing.T) {
			ctx := newBrowser(t)
			desk := newEveryPageDesk(t)
			base := desk.app.ts.URL
			run(t, ctx, scheme+" scheme", colourScheme(scheme))
			if got := read(t, ctx, "scheme applied", chromedp.Evaluate[bool](`matchMedia("(prefers-color-scheme: `+scheme+`)").matches`)); !got {
				t.Fatalf("the browser does not prefer the %s scheme", scheme)
			}
			for _, path := range []string{views.PathSignIn, views.PathForgot, views.PathContact} {
				checkAxe(t, ctx, base, path)
			}
			run(t, ctx, "contact form with nothing filled in",
				chromedp.Click(chromedp.CSS(`#contact-form button[type="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`#contact-form #f-name-error`)),
			)
			axeHere(t, ctx, "the contact form's messages")
			run(t, ctx, "sign-in with a wrong password",
				chromedp.Navigate(base+views.PathSignIn),
				chromedp.SendKeys(chromedp.CSS(`#f-email`), desk.creator.Email),
				chromedp.SendKeys(chromedp.CSS(`#f-password`), "wrong password"),
				chromedp.Click(chromedp.CSS(`form button[type="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`.form-error`)),
			)
			axeHere(t, ctx, "the sign-in form's message")
			browserSignIn(t, ctx, base, desk.creator.Email, testPassword)
			checked := 0
			for _, path := range desk.pages() {
				checkAxe(t, ctx, base, path)
				checked++
			}
			if checked < 15 {
				t.Fatalf("only %d pages checked", checked)
			}
			run(t, ctx, "agent form with nothing filled in, and the user menu open",
				chromedp.Navigate(base+views.PathAgentNew),
				chromedp.Click(chromedp.CSS(`#agent-form button[type="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`#f-name-error`)),
				chromedp.Click(chromedp.CSS(`.usermenu summary`)),
				chromedp.WaitVisible(chromedp.CSS(`.usermenu-panel`)),
			)
			axeHere(t, ctx, "the agent form's messages and the user menu")
		})
	}
}

func TestVendoredAxe_MatchesRecordedVersionAndChecksum(t *testing.T) {
	notes, err := os.ReadFile("testdata/VENDOR.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("`axe.min.js` \\| [^|]+\\| (\\d+\\.\\d+\\.\\d+) \\| [^|]+\\| `([0-9a-f]{64})`").FindStringSubmatch(string(notes))
	if m == nil {
		t.Fatal("testdata/VENDOR.md does not record an axe-core version and sha256")
	}
	sum := sha256.Sum256([]byte(axeSource))
	if got := hex.EncodeToString(sum[:]); got != m[2] {
		t.Fatalf("axe.min.js sha256 %s, VENDOR.md says %s", got, m[2])
	}
	if !strings.HasPrefix(axeSource, "/*! axe v"+m[1]+"\n") {
		t.Fatalf("axe.min.js is not version %s", m[1])
	}
}
