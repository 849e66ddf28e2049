package store

import (
	"context"
	"errors"
	"testing"

	"helpline/desk"
)

func answerTitles(as []Answer) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Title)
	}
	return out
}

func TestAnswers_WhoManagesWhich(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	shared, err := s.CreateAnswer(ctx, w.admin.ID, AnswerInput{Title: "Refund policy", Body: "Hello {{customer.name}}", DepartmentID: w.support, Shared: true}, "")
	if err != nil {
		t.Fatal(err)
	}
	annOwn, err := s.CreateAnswer(ctx, w.ann.ID, AnswerInput{Title: "Ann's greeting", Body: "Hi, {{agent.name}} here"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAnswer(ctx, w.ann.ID, AnswerInput{Title: "Sneaky", Body: "x", Shared: true}, ""); !IsRule(err, RuleNotPermitted) {
		t.Fatalf("an Agent creating a shared answer: %v", err)
	}
	for _, tc := range []struct {
		name   string
		actor  int64
		id     int64
		wantOK bool
	}{
		{"agent edits own personal", w.ann.ID, annOwn, true},
		{"other agent edits a personal one", w.bob.ID, annOwn, false},
		{"administrator edits an agent's personal one", w.admin.ID, annOwn, false},
		{"agent edits a shared one", w.bob.ID, shared, false},
		{"administrator edits a shared one", w.admin.ID, shared, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := s.AnswerByID(ctx, w.owner.Viewer(), tc.id)
			a, _ := s.AgentByID(ctx, tc.actor)
			_, getErr := s.AnswerByID(ctx, a.Viewer(), tc.id)
			in := AnswerInput{Title: "Changed", Body: "Changed", Shared: tc.id == shared}
			err := s.UpdateAnswer(ctx, tc.actor, tc.id, in, "")
			if tc.wantOK {
				if err != nil || getErr != nil {
					t.Fatalf("update: %v, read: %v", err, getErr)
				}
				return
			}
			if !errors.Is(err, ErrNotFound) && !IsRule(err, RuleNotPermitted) {
				t.Fatalf("update: %v, want not found or not permitted", err)
			}
			if !errors.Is(getErr, ErrNotFound) {
				t.Fatalf("read: %v, want not found", getErr)
			}
			if err := s.RemoveAnswer(ctx, tc.actor, tc.id, ""); !errors.Is(err, ErrNotFound) {
				t.Fatalf("remove: %v, want not found", err)
			}
			if after, _ := s.AnswerByID(ctx, w.owner.Viewer(), tc.id); after.Title != before.Title && before.Title != "" {
				t.Fatalf("refused update changed %q to %q", before.Title, after.Title)
			}
		})
	}
	if e := lastAudit(t, s); e.Action != ActionAnswerUpdate || e.TargetID != shared {
		t.Fatalf("last audit %+v", e)
	}
	if err := s.RemoveAnswer(ctx, w.ann.ID, annOwn, ""); err != nil {
		t.Fatal(err)
	}
	if e := lastAudit(t, s); e.Action != ActionAnswerRemove || e.ActorID != w.ann.ID {
		t.Fatalf("audit of the removal %+v", e)
	}
}

func TestAnswers_UsableForATicketsDepartment(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	mk := func(actor int64, title string, dept int64, shared bool) {
		t.Helper()
		if _, err := s.CreateAnswer(ctx, actor, AnswerInput{Title: title, Body: "Body", DepartmentID: dept, Shared: shared}, ""); err != nil {
			t.Fatal(err)
		}
	}
	mk(w.admin.ID, "A shared support", w.support, true)
	mk(w.admin.ID, "B shared everywhere", 0, true)
	mk(w.admin.ID, "C shared sales", w.sales, true)
	mk(w.bob.ID, "D bob's support", w.support, false)
	mk(w.ann.ID, "E ann's everywhere", 0, false)
	for _, tc := range []struct {
		name string
		v    Agent
		dept int64
		want []string
	}{
		{"bob on support", w.bob, w.support, []string{"A shared support", "B shared everywhere", "D bob's support"}},
		{"ann on sales", w.ann, w.sales, []string{"B shared everywhere", "C shared sales", "E ann's everywhere"}},
		{"ann on support", w.ann, w.support, []string{"A shared support", "B shared everywhere", "E ann's everywhere"}},
		{"admin on support", w.admin, w.support, []string{"A shared support", "B shared everywhere"}},
	} {
		got, err := s.AnswersFor(ctx, tc.v.Viewer(), tc.dept)
		if err != nil {
			t.Fatal(err)
		}
		if g := answerTitles(got); len(g) != len(tc.want) || (len(g) > 0 && !equalStrings(g, tc.want)) {
			t.Errorf("%s: %q, want %q", tc.name, g, tc.want)
		}
	}
	list, _ := s.Answers(ctx, w.bob.Viewer())
	if g := answerTitles(list); !equalStrings(g, []string{"D bob's support"}) {
		t.Errorf("bob manages %q", g)
	}
	list, _ = s.Answers(ctx, w.admin.Viewer())
	if g := answerTitles(list); !equalStrings(g, []string{"A shared support", "B shared everywhere", "C shared sales"}) {
		t.Errorf("the administrator manages %q", g)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestAnswers_BadInputIsRefusedAndNothingStored(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	for _, in := range []AnswerInput{
		{Title: "", Body: "x"},
		{Title: "x", Body: "  "},
		{Title: "x", Body: "Dear {{customer.email}}"},
	} {
		if _, err := s.CreateAnswer(ctx, w.admin.ID, in, ""); !errors.Is(err, ErrInvalidAnswer) {
			t.Errorf("create %+v: %v", in, err)
		}
	}
	var ce ErrConflict
	if _, err := s.CreateAnswer(ctx, w.admin.ID, AnswerInput{Title: "x", Body: "y", DepartmentID: 999999}, ""); !errors.As(err, &ce) || ce.Field != "department" {
		t.Errorf("create for a missing department: %v", err)
	}
	if list, _ := s.Answers(ctx, w.admin.Viewer()); len(list) != 0 {
		t.Fatalf("answers after refused input: %+v", list)
	}
}

func TestLanguages_OfferedAndDefault(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	l, err := s.Languages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !equalStrings(l.Offered, []string{"en", "pl", "ro"}) || l.Default != "en" {
		t.Fatalf("a new desk offers %+v", l)
	}
	if err := s.SaveLanguages(ctx, w.admin.ID, desk.Languages{Offered: []string{"pl", "en"}, Default: "pl"}, ""); err != nil {
		t.Fatal(err)
	}
	l, _ = s.Languages(ctx)
	if !equalStrings(l.Offered, []string{"en", "pl"}) || l.Default != "pl" || l.For("ro") != "pl" || l.For("en") != "en" {
		t.Fatalf("after withdrawing Romanian: %+v", l)
	}
	if e := lastAudit(t, s); e.Action != ActionLanguagesUpdate || e.Details != "offered: en,pl,ro → en,pl; default: en → pl" {
		t.Fatalf("audit %+v", e)
	}
	for _, bad := range []desk.Languages{{}, {Offered: []string{"en"}, Default: "pl"}, {Offered: []string{"de"}, Default: "de"}} {
		if err := s.SaveLanguages(ctx, w.admin.ID, bad, ""); !errors.Is(err, ErrInvalidLanguages) {
			t.Errorf("save %+v: %v", bad, err)
		}
	}
	if err := s.SaveLanguages(ctx, w.ann.ID, desk.Languages{Offered: []string{"en"}, Default: "en"}, ""); !IsRule(err, RuleNotPermitted) {
		t.Errorf("an Agent's save: %v", err)
	}
	if l2, _ := s.Languages(ctx); !equalStrings(l2.Offered, l.Offered) || l2.Default != l.Default {
		t.Fatalf("refused saves changed the languages: %+v", l2)
	}
}
