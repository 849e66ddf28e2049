package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpline/store"
	"helpline/views"
)

func answerOptions(doc *goquery.Document) []string {
	var out []string
	doc.Find(`#answer-id option`).Each(func(i int, s *goquery.Selection) {
		if i > 0 {
			out = append(out, s.Text())
		}
	})
	return out
}

func TestInsertAnswer_ListsOnlyAnswersUsableOnTheTicket(t *testing.T) {
	w := newAnswersWorld(t)
	ctx := context.Background()
	if _, err := w.app.st.CreateAnswer(ctx, w.adam.ID, store.AnswerInput{Title: "Everywhere", Body: "Thanks!", Shared: true}, ""); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, email, code string
		want              []string
	}{
		{"Support agent on a Support ticket", "bob@example.com", w.supportCode, []string{"Everywhere", "Refund steps"}},
		{"Sales agent on a Sales ticket", "ann@example.com", w.salesCode, []string{"Ann's hello", "Everywhere"}},
		{"Administrator on the Sales ticket", "adam@example.com", w.salesCode, []string{"Everywhere"}},
	} {
		doc := w.as(tc.email).get(views.TicketPath(tc.code)).wantStatus(200).doc()
		if got := answerOptions(doc); !slices.Equal(got, tc.want) {
			t.Errorf("%s: Insert answer offers %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestInsertAnswer_FillsThePlaceholdersWithAndWithoutHtmx(t *testing.T) {
	w := newAnswersWorld(t)
	bob := w.as("bob@example.com")
	insert := views.TicketActionPath(views.PathTicketAnswer, w.supportCode)
	want := fmt.Sprintf("Dear Carla Customer, about %s: Bob Support", w.supportCode)

	// Without JavaScript: the page again, with the text in the editor and
	// what was typed before it kept.
	page := bob.post(insert, url.Values{"kind": {"reply"}, "body": {"Hello."}, "answer_id": {fmt.Sprint(w.shared)}}).wantStatus(200).doc()
	if got := page.Find("#f-body").Text(); got != "Hello.\n\n"+want {
		t.Fatalf("the editor holds %q", got)
	}
	// With htmx: the editor's text alone, focused.
	frag := bob.hxPost(insert, url.Values{"kind": {"reply"}, "answer_id": {fmt.Sprint(w.shared)}}).wantStatus(200)
	doc := frag.doc()
	if doc.Find("#reply-compose").Length() != 1 || doc.Find("#thread").Length() != 0 || doc.Find("#f-body").Text() != want {
		t.Fatalf("the htmx answer is not the editor with the answer:\n%.600s", frag.body)
	}
	if _, ok := doc.Find("#f-body").Attr("autofocus"); !ok {
		t.Fatal("the editor does not take the focus after inserting")
	}
	// The search narrows the list by title, in any letter case.
	list := views.TicketActionPath(views.PathTicketAnswers, w.supportCode)
	if got := answerOptions(bob.do(http.MethodGet, list+"?answer_q=REFUND", nil, true).wantStatus(200).doc()); !slices.Equal(got, []string{"Refund steps"}) {
		t.Fatalf("searching REFUND lists %q", got)
	}
	if got := answerOptions(bob.do(http.MethodGet, list+"?answer_q=zzz", nil, true).wantStatus(200).doc()); len(got) != 0 {
		t.Fatalf("searching zzz lists %q", got)
	}
	// Without JavaScript, Insert with nothing chosen shows the narrowed list.
	if got := answerOptions(bob.post(insert, url.Values{"answer_q": {"zzz"}, "body": {"Kept"}}).wantStatus(200).doc()); len(got) != 0 {
		t.Fatalf("Insert with a search lists %q", got)
	}
	// The reply is sent with the answer's text.
	bob.post(views.TicketActionPath(views.PathTicketMessages, w.supportCode), url.Values{"kind": {"reply"}, "body": {want}}).wantStatus(http.StatusSeeOther)
	if !strings.Contains(bob.get(views.TicketPath(w.supportCode)).doc().Find("#thread").Text(), want) {
		t.Fatal("the sent reply is not in the thread")
	}
}

func TestInsertAnswer_OthersAnswersAndTicketsAreNotFound(t *testing.T) {
	w := newAnswersWorld(t)
	ann, bob := w.as("ann@example.com"), w.as("bob@example.com")
	for _, tc := range []struct {
		name string
		c    *client
		code string
		id   int64
	}{
		{"another agent's personal answer", bob, w.supportCode, w.annOwn},
		{"a shared answer of another department", ann, w.salesCode, w.shared},
		{"a ticket out of scope", ann, w.supportCode, w.annOwn},
		{"a missing answer", bob, w.supportCode, 999999},
	} {
		r := tc.c.post(views.TicketActionPath(views.PathTicketAnswer, tc.code), url.Values{"body": {""}, "answer_id": {fmt.Sprint(tc.id)}})
		if r.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", tc.name, r.status)
		}
		if strings.Contains(r.body, "Dear Carla") || strings.Contains(r.body, "Hi!") {
			t.Errorf("%s: the answer's text leaked", tc.name)
		}
	}
	if r := ann.do(http.MethodGet, views.TicketActionPath(views.PathTicketAnswers, w.supportCode)+"?answer_q=r", nil, true); r.status != http.StatusNotFound {
		t.Errorf("searching on a ticket out of scope: %d", r.status)
	}
}
