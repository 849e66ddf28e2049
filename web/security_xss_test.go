package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

const xssName = `"><img src=x onerror=alert(1)><script>alert(2)</script>'`

// wantNoInjectedMarkup fails if a page carries markup or script that came
// from data: an inline script, an event handler, an img, a javascript: URL.
func wantNoInjectedMarkup(t *testing.T, where string, r *response) {
	t.Helper()
	doc := r.doc()
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if _, ok := s.Attr("src"); !ok {
			t.Errorf("%s: inline script %q", where, s.Text())
		}
	})
	if doc.Find(`img[src="x"]`).Length() > 0 {
		t.Errorf("%s: an injected img element", where)
	}
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			v := strings.ToLower(strings.TrimSpace(a.Val))
			urlAttr := a.Key == "href" || a.Key == "src" || a.Key == "action" || a.Key == "formaction" || strings.HasPrefix(a.Key, "hx-")
			if strings.HasPrefix(a.Key, "on") || (urlAttr && strings.HasPrefix(v, "javascript:")) {
				t.Errorf("%s: attribute %s=%q", where, a.Key, a.Val)
			}
			if strings.HasPrefix(a.Key, "hx-") && strings.ContainsAny(a.Val, "<>'") {
				t.Errorf("%s: data inside %s=%q", where, a.Key, a.Val)
			}
		}
	})
}

func TestXSS_NamesAndTextFromDataAreEscapedEverywhere(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	ctx := context.Background()
	dep, err := app.st.CreateDepartment(ctx, tm.creator.ID, store.DepartmentInput{Name: xssName, Description: xssName})
	if err != nil {
		t.Fatal(err)
	}
	in := store.AgentInput{Name: xssName, Email: tm.agent.Email, Alias: "javascript:alert(3)", Role: authz.RoleAgent, Status: store.StatusActive, DepartmentIDs: []int64{dep}}
	if err := app.st.UpdateAgent(ctx, tm.creator.ID, tm.agent.ID, in, ""); err != nil {
		t.Fatal(err)
	}
	if err := app.st.UpdateProfile(ctx, tm.owner.ID, store.ProfileInput{Name: xssName, Alias: xssName, Language: "en"}, ""); err != nil {
		t.Fatal(err)
	}
	c := app.signedIn(tm.owner)
	agentID := tm.agent.ID
	pages := []string{
		views.PathAgents, views.PathAgents + "?q=" + url.QueryEscape(xssName),
		views.WithID(views.PathAgentEdit, agentID), views.WithID(views.PathAgentRemove, agentID),
		views.PathDepartments, views.WithID(views.PathDepartment, dep), views.WithID(views.PathDepartmentRemove, dep),
		views.PathAudit, views.PathRoles, views.PathProfile,
		"/nowhere/" + url.PathEscape(xssName),
	}
	for _, p := range pages {
		r := c.get(p)
		if r.status >= 500 {
			t.Fatalf("%s: status %d", p, r.status)
		}
		wantNoInjectedMarkup(t, p, r)
		wantNoInjectedMarkup(t, p+" (htmx)", c.do(http.MethodGet, p, nil, true))
	}
	if !strings.Contains(c.get(views.PathAgents).body, "&lt;script&gt;alert(2)&lt;/script&gt;") {
		t.Fatal("the name is not shown escaped in the agents table")
	}

	// Fragments and flash messages that carry the name.
	wantNoInjectedMarkup(t, "role picker", c.hxPost(views.WithID(views.PathAgentRole, agentID), url.Values{"role": {"admin"}}).wantStatus(http.StatusOK))
	c.post(views.WithID(views.PathAgent, agentID), agentForm(xssName, tm.agent.Email, authz.RoleAdmin)).wantRedirect(views.PathAgents)
	wantNoInjectedMarkup(t, "flash after save", c.get(views.PathAgents).wantContains("&lt;script&gt;"))
	wantNoInjectedMarkup(t, "members fragment", c.hxPost(views.WithID(views.PathDepartmentMembers, dep), url.Values{"member": {strconvFormat(agentID)}}).wantStatus(http.StatusOK))
	wantNoInjectedMarkup(t, "department form 422", c.post(views.PathDepartments, url.Values{"name": {xssName}, "description": {xssName}}).wantStatus(http.StatusUnprocessableEntity))
	wantNoInjectedMarkup(t, "link page", c.post(views.WithID(views.PathAgentPassword, agentID), nil).wantStatus(http.StatusOK))

	// Reflected input: sign-in email and the return path.
	anon := app.client()
	wantNoInjectedMarkup(t, "sign-in", anon.get(views.PathSignIn+"?email="+url.QueryEscape(xssName)+"&next="+url.QueryEscape("/x\"><script>alert(4)</script>")))
	wantNoInjectedMarkup(t, "sign-in 422", anon.post(views.PathSignIn, url.Values{"email": {xssName}, "password": {"x"}}))
}

func TestCSP_ForbidsInlineScriptEvalAndForeignOrigins(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	r := app.client().get(views.PathSignIn)
	csp := r.header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "*", "http:", "https:"} {
		if strings.Contains(csp, bad) {
			t.Errorf("CSP %q allows %q", csp, bad)
		}
	}
}
