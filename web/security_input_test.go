package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// rawPost sends body as it is, with the client's cookies.
func (c *client) rawPost(path, contentType string, body io.Reader) *response {
	c.app.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.app.ts.URL+path, body)
	if err != nil {
		c.app.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	res, err := c.http.Do(req)
	if err != nil {
		c.app.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return &response{status: res.StatusCode, header: res.Header, body: string(b), t: c.app.t}
}

// chunked hides a reader's length so the body is sent chunked.
type chunked struct{ io.Reader }

func TestPost_TenMegabyteBodyIs413AndChangesNothing(t *testing.T) {
	app := newTestApp(t)
	owner := app.owner()
	c := app.client()
	c.signIn("owner@example.com", testPassword)
	body := "_csrf=" + c.csrf + "&language=en&name=" + strings.Repeat("a", 10<<20)
	for name, r := range map[string]io.Reader{
		"with length": strings.NewReader(body),
		"chunked":     chunked{strings.NewReader(body)},
	} {
		res := c.rawPost(views.PathProfile, "application/x-www-form-urlencoded", r)
		if res.status != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: status %d, want 413", name, res.status)
		}
	}
	a, _ := app.st.AgentByID(context.Background(), owner.ID)
	if a.Name != owner.Name {
		t.Fatalf("name changed to %.20q", a.Name)
	}
}

func TestPost_MalformedFormIs400AndChangesNothing(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	c := app.signedIn(tm.creator)
	dep, err := app.st.CreateDepartment(context.Background(), tm.creator.ID, store.DepartmentInput{Name: "Support"})
	if err != nil {
		t.Fatal(err)
	}
	if err := app.st.SetDepartmentMembers(context.Background(), tm.creator.ID, dep, map[int64]store.Channels{tm.agent.ID: {Tickets: true}}); err != nil {
		t.Fatal(err)
	}
	members := views.WithID(views.PathDepartmentMembers, dep)
	for name, tc := range map[string]struct{ contentType, body string }{
		"bad escape":       {"application/x-www-form-urlencoded", "_csrf=" + c.csrf + "&member=%zz"},
		"broken multipart": {"multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + c.csrf},
	} {
		r := c.rawPost(members, tc.contentType, strings.NewReader(tc.body))
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", name, r.status)
		}
		if strings.Contains(r.body, "invalid URL escape") || strings.Contains(r.body, "multipart") {
			t.Errorf("%s: the Go error reached the page", name)
		}
	}
	m, err := app.st.DepartmentMembers(context.Background(), dep)
	if err != nil || len(m) != 1 {
		t.Fatalf("members changed: %v %v", m, err)
	}
}

func TestForms_RefuseControlAndBidiCharactersAndBrokenUTF8(t *testing.T) {
	app := newTestApp(t)
	tm := app.team()
	c := app.signedIn(tm.creator)
	ctx := context.Background()
	bad := map[string]string{
		"NUL":             "Eve\x00Admin",
		"right-to-left":   "Eve \u202egpj.exe",
		"isolate":         "Eve \u2066x\u2069",
		"C1 control":      "Ev\u0085e",
		"escape":          "Eve\x1b[31m",
		"broken UTF-8":    "Eve\xff\xfe",
		"tab in one line": "Eve\tAdmin",
	}
	for name, v := range bad {
		c.post(views.PathProfile, url.Values{"name": {v}, "language": {"en"}}).wantStatus(http.StatusUnprocessableEntity)
		c.post(views.PathAgents, agentForm(v, "eve@example.com", authz.RoleAgent)).wantStatus(http.StatusUnprocessableEntity)
		if name != "tab in one line" {
			c.post(views.PathDepartments, url.Values{"name": {"Support"}, "description": {"Line one\n" + v}}).wantStatus(http.StatusUnprocessableEntity)
		}
		if a, _ := app.st.AgentByID(ctx, tm.creator.ID); a.Name != tm.creator.Name {
			t.Fatalf("%s: profile name stored as %q", name, a.Name)
		}
	}
	if a, err := app.st.AgentByEmail(ctx, "eve@example.com"); err == nil {
		t.Fatalf("agent stored as %q", a.Name)
	}
	if deps, _ := app.st.Departments(ctx); len(deps) != 1 { // the first one, from sign-up
		t.Fatalf("department stored: %q", deps[len(deps)-1].Description)
	}
	// Ordinary text in any script, and line breaks in a description, pass.
	c.post(views.PathProfile, url.Values{"name": {"Zoë Łukasz-Ștefan 王"}, "language": {"en"}}).wantRedirect(views.PathProfile)
	c.post(views.PathDepartments, url.Values{"name": {"Wsparcie"}, "description": {"Linia 1\r\n\tLinia 2"}}).wantStatus(http.StatusSeeOther)
}

func TestAgentsSearch_LongQueryIsCutOnACharacter(t *testing.T) {
	app := newTestApp(t)
	app.owner()
	c := app.client()
	c.signIn("owner@example.com", testPassword)
	r := c.get(views.PathAgents + "?q=" + url.QueryEscape(strings.Repeat("ł", 150))).wantStatus(http.StatusOK)
	v, _ := r.doc().Find(`input[name="q"]`).Attr("value")
	if !utf8.ValidString(v) || utf8.RuneCountInString(v) != 100 {
		t.Fatalf("search box holds %d runes, valid UTF-8 %v", utf8.RuneCountInString(v), utf8.ValidString(v))
	}
}
