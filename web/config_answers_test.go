package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// answersWorld is the ticket world with a shared answer for Support and a
// personal answer of Ann's.
type answersWorld struct {
	*ticketWorld
	shared, annOwn int64
}

func newAnswersWorld(t *testing.T) *answersWorld {
	t.Helper()
	w := &answersWorld{ticketWorld: newTicketWorld(t)}
	ctx := context.Background()
	var err error
	if w.shared, err = w.app.st.CreateAnswer(ctx, w.adam.ID, store.AnswerInput{Title: "Refund steps", Body: "Dear {{customer.name}}, about {{ticket.code}}: {{agent.name}}",
		DepartmentID: w.support, Shared: true}, ""); err != nil {
		t.Fatal(err)
	}
	if w.annOwn, err = w.app.st.CreateAnswer(ctx, w.ann.ID, store.AnswerInput{Title: "Ann's hello", Body: "Hi!"}, ""); err != nil {
		t.Fatal(err)
	}
	return w
}

func answerForm(title, body string, dept int64, kind string) url.Values {
	return url.Values{"title": {title}, "body": {body}, "department": {fmt.Sprint(dept)}, "kind": {kind}}
}

// TestAnswers_WhoMayDoWhat walks the answer routes as each person against
// each answer: their own personal answers are everyone's, the shared ones
// need canned:manage_departments, and another agent's personal answer does
// not exist (404).
func TestAnswers_WhoMayDoWhat(t *testing.T) {
	w := newAnswersWorld(t)
	ann, bob, adam := w.as("ann@example.com"), w.as("bob@example.com"), w.as("adam@example.com")
	edit := func(id int64) string { return views.WithID(views.PathAnswer, id) }
	remove := func(id int64) string { return views.WithID(views.PathAnswerRemove, id) }
	cases := []struct {
		name   string
		c      *client
		method string
		path   string
		form   url.Values
		want   int
	}{
		{"agent lists answers", ann, "GET", views.PathAnswers, nil, 200},
		{"agent opens the new form", ann, "GET", views.PathAnswerNew, nil, 200},
		{"agent creates a personal answer", bob, "POST", views.PathAnswers, answerForm("Bob's", "Hello {{customer.name}}", w.support, "personal"), 303},
		{"agent opens own personal answer", ann, "GET", edit(w.annOwn), nil, 200},
		{"agent saves own personal answer", ann, "POST", edit(w.annOwn), answerForm("Ann's hello 2", "Hi!", 0, "personal"), 303},
		{"another agent opens it", bob, "GET", edit(w.annOwn), nil, 404},
		{"another agent saves it", bob, "POST", edit(w.annOwn), answerForm("Stolen", "x", 0, "personal"), 404},
		{"another agent removes it", bob, "POST", remove(w.annOwn), nil, 404},
		{"an administrator opens it", adam, "GET", edit(w.annOwn), nil, 404},
		{"agent opens a shared answer", bob, "GET", edit(w.shared), nil, 404},
		{"agent saves a shared answer", bob, "POST", edit(w.shared), answerForm("Mine now", "x", 0, "personal"), 404},
		{"agent creates a shared answer", bob, "POST", views.PathAnswers, answerForm("Shared?", "x", 0, "shared"), 422},
		{"administrator saves a shared answer", adam, "POST", edit(w.shared), answerForm("Refund steps", "Dear {{customer.name}}", w.support, "shared"), 303},
		{"administrator's confirm page", adam, "GET", remove(w.shared), nil, 200},
		{"agent removes own personal answer", ann, "POST", remove(w.annOwn), nil, 303},
		{"a missing answer", adam, "GET", edit(999999), nil, 404},
	}
	for _, tc := range cases {
		var r *response
		if tc.method == "GET" {
			r = tc.c.get(tc.path)
		} else {
			r = tc.c.post(tc.path, tc.form)
		}
		if r.status != tc.want {
			t.Errorf("%s: status %d, want %d\n%.400s", tc.name, r.status, tc.want, r.body)
		}
	}
	list, _ := w.app.st.Answers(context.Background(), w.bob.Viewer())
	if len(list) != 1 || list[0].Title != "Bob's" || list[0].Shared() {
		t.Fatalf("Bob manages %+v", list)
	}
	if _, err := w.app.st.AnswerByID(context.Background(), w.ann.Viewer(), w.annOwn); err == nil {
		t.Fatal("Ann's removed answer is still there")
	}
	anon := w.app.client()
	if r := anon.get(views.PathAnswers); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), views.PathSignIn) {
		t.Fatalf("anonymous: %d %s", r.status, r.header.Get("Location"))
	}
}

func TestAnswers_ListShowsKindAndDepartmentAndAudits(t *testing.T) {
	w := newAnswersWorld(t)
	adam := w.as("adam@example.com")
	adam.post(views.PathAnswers, answerForm("Greeting", "Hello {{ customer.name }}", 0, "shared")).wantRedirect(views.PathAnswers)
	page := adam.get(views.PathAnswers).wantStatus(200)
	if got := page.text(".flash"); got != "The predefined answer “Greeting” was created." {
		t.Fatalf("flash %q", got)
	}
	row := page.doc().Find("table.answers tbody tr").First()
	var cells []string
	for i := range 3 {
		cells = append(cells, strings.TrimSpace(row.Find("td").Eq(i).Text()))
	}
	if got := strings.Join(cells, "|"); got != "Greeting|All departments|Shared" {
		t.Fatalf("first row %q", got)
	}
	if page.doc().Find("table.answers").Text() == "" || strings.Contains(page.body, "Ann&#39;s hello") || strings.Contains(page.body, "Ann's hello") {
		t.Fatal("the administrator's list shows Ann's personal answer")
	}
	log, _ := w.app.st.AuditLog(context.Background(), 0, 1)
	if log[0].Action != store.ActionAnswerCreate || log[0].ActorID != w.adam.ID {
		t.Fatalf("audit %+v", log[0])
	}
	if got := adam.get(views.PathAudit).text("table.audit tbody tr:first-child td:nth-child(3)"); got != "Created a predefined answer" {
		t.Fatalf("the audit log names it %q", got)
	}
	// The Agent's form offers Personal only.
	form := w.as("ann@example.com").get(views.PathAnswerNew).doc()
	if form.Find(`input[name="kind"][value="shared"]`).Length() != 0 || form.Find(`input[name="kind"][value="personal"]`).Length() != 1 {
		t.Fatal("an Agent is offered Shared")
	}
}

func TestAnswers_BadInputIs422NextToTheFieldAndStoresNothing(t *testing.T) {
	w := newAnswersWorld(t)
	adam := w.as("adam@example.com")
	before, _ := w.app.st.Answers(context.Background(), w.adam.Viewer())
	cases := map[string]struct {
		form  url.Values
		field string
		msg   string
	}{
		"no title":            {answerForm(" ", "x", 0, "shared"), "title", "Please fill this in."},
		"no body":             {answerForm("x", "  ", 0, "shared"), "body", "Please fill this in."},
		"unknown placeholder": {answerForm("x", "Hi {{customer.email}} and {{ nope }}", 0, "shared"), "body", "Unknown placeholder: {{customer.email}}, {{nope}}."},
		"missing department":  {answerForm("x", "y", 999999, "shared"), "department", "Please choose one of the offered options."},
		"bad department":      {answerForm("x", "y", 0, "shared"), "department", ""},
		"no kind":             {answerForm("x", "y", 0, ""), "kind", "Please fill this in."},
		"unknown kind":        {answerForm("x", "y", 0, "team"), "kind", "Please choose one of the offered options."},
	}
	cases["bad department"].form.Set("department", "sales")
	for name, tc := range cases {
		for _, path := range []string{views.PathAnswers, views.WithID(views.PathAnswer, w.shared)} {
			r := adam.post(path, tc.form).wantStatus(http.StatusUnprocessableEntity)
			if msg := r.text("#f-" + tc.field + "-error"); msg == "" || !strings.Contains(msg, tc.msg) {
				t.Errorf("%s on %s: message next to %s is %q", name, path, tc.field, msg)
			}
		}
	}
	after, _ := w.app.st.Answers(context.Background(), w.adam.Viewer())
	if len(after) != len(before) || after[0].Title != before[0].Title || after[0].Body != before[0].Body {
		t.Fatalf("refused saves changed the answers: %+v -> %+v", before, after)
	}
}

// The navigation: everyone has Predefined answers; Tags and Languages only
// those who manage them.
func TestAnswersTagsLanguages_NavigationOnlyForThoseAllowed(t *testing.T) {
	w := newTicketWorld(t)
	for _, tc := range []struct {
		email string
		want  map[string]bool
	}{
		{"ann@example.com", map[string]bool{views.PathAnswers: true, views.PathTags: false, views.PathLanguages: false}},
		{"adam@example.com", map[string]bool{views.PathAnswers: true, views.PathTags: true, views.PathLanguages: true}},
	} {
		c := w.as(tc.email)
		doc := c.get(views.PathAnswers).wantStatus(200).doc()
		for path, want := range tc.want {
			if got := doc.Find(`.subnav a[href="`+path+`"]`).Length() == 1; got != want {
				t.Errorf("%s sees %s in the sub-navigation: %v, want %v", tc.email, path, got, want)
			}
			wantStatus := http.StatusOK
			if !want {
				wantStatus = http.StatusForbidden
			}
			c.get(path).wantStatus(wantStatus)
		}
	}
	// A custom role may be given tags:manage and languages:manage.
	for _, p := range []authz.Perm{authz.TagsManage, authz.LanguagesManage, authz.CannedManageDepartments} {
		if !authz.Offerable().Has(p) {
			t.Errorf("%s is not offered to custom roles", p)
		}
	}
	if !authz.AgentBase().Has(authz.CannedManageOwn) {
		t.Error("the Agent role cannot manage its own answers")
	}
}
