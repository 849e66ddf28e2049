package store

import (
	"context"
	"errors"
	"slices"
	"testing"

	"helpline/authz"
)

func TestSavedViews_ScopeNamesAndWhoMayChange(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	annMine, err := s.CreateSavedView(ctx, w.annV, SavedViewInput{Name: "My widgets", Query: "field.product=Widget"})
	if err != nil {
		t.Fatal(err)
	}
	shared, err := s.CreateSavedView(ctx, w.adminV, SavedViewInput{Name: "Urgent", Query: "status=open", Shared: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		do      func() error
		wantErr error // nil: allowed
	}{
		{"an Agent may not share a view", func() error {
			_, err := s.CreateSavedView(ctx, w.annV, SavedViewInput{Name: "Team", Query: "", Shared: true})
			return err
		}, RuleError{RuleNotPermitted}},
		{"a personal name again in another letter case", func() error {
			_, err := s.CreateSavedView(ctx, w.annV, SavedViewInput{Name: "MY WIDGETS", Query: ""})
			return err
		}, ErrConflict{Field: "name"}},
		{"a name again in other letters' case", func() error {
			if _, err := s.CreateSavedView(ctx, w.bobV, SavedViewInput{Name: "Żółw", Query: ""}); err != nil {
				return err
			}
			_, err := s.CreateSavedView(ctx, w.bobV, SavedViewInput{Name: "żÓŁW", Query: ""})
			return err
		}, ErrConflict{Field: "name"}},
		{"a shared name again in another letter case", func() error {
			_, err := s.CreateSavedView(ctx, w.adminV, SavedViewInput{Name: "urgent", Query: "", Shared: true})
			return err
		}, ErrConflict{Field: "name"}},
		{"the same name in another agent's scope", func() error {
			_, err := s.CreateSavedView(ctx, w.bobV, SavedViewInput{Name: "My widgets", Query: ""})
			return err
		}, nil},
		{"a personal name like a shared one", func() error {
			_, err := s.CreateSavedView(ctx, w.annV, SavedViewInput{Name: "Urgent", Query: ""})
			return err
		}, nil},
		{"another agent's personal view is not there", func() error { return s.RenameSavedView(ctx, w.bobV, annMine, "Mine now") }, ErrNotFound},
		{"nor can it be removed", func() error { return s.RemoveSavedView(ctx, w.bobV, annMine) }, ErrNotFound},
		{"an Agent may not rename a shared view", func() error { return s.RenameSavedView(ctx, w.annV, shared, "Hot") }, RuleError{RuleNotPermitted}},
		{"an Agent may not remove a shared view", func() error { return s.RemoveSavedView(ctx, w.annV, shared) }, RuleError{RuleNotPermitted}},
		{"renaming onto a taken name", func() error { return s.RenameSavedView(ctx, w.annV, annMine, "urgent") }, ErrConflict{Field: "name"}},
		{"the owner renames their own", func() error { return s.RenameSavedView(ctx, w.annV, annMine, "Widgets") }, nil},
		{"an Administrator renames a shared view", func() error { return s.RenameSavedView(ctx, w.adminV, shared, "Hot") }, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.do()
			if c.wantErr == nil && err != nil || c.wantErr != nil && !errors.Is(err, c.wantErr) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
		})
	}
	names := func(v authz.Viewer) []string {
		views, err := s.SavedViews(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, sv := range views {
			out = append(out, sv.Name)
		}
		return out
	}
	if got := names(w.annV); !slices.Equal(got, []string{"Hot", "Widgets", "Urgent"}) {
		t.Fatalf("Ann sees %q", got)
	}
	if got := names(w.bobV); !slices.Equal(got, []string{"Hot", "Żółw", "My widgets"}) {
		t.Fatalf("Bob sees %q", got)
	}
	if err := s.MoveSavedView(ctx, w.annV, annMine, false); err != nil {
		t.Fatal(err)
	}
	if got := names(w.annV); !slices.Equal(got, []string{"Hot", "Urgent", "Widgets"}) {
		t.Fatalf("after moving down Ann sees %q", got)
	}
	if err := s.RemoveSavedView(ctx, w.annV, annMine); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveSavedView(ctx, w.adminV, shared); err != nil {
		t.Fatal(err)
	}
	if got := names(w.annV); !slices.Equal(got, []string{"Urgent"}) {
		t.Fatalf("after removals Ann sees %q", got)
	}
	log, err := s.AuditLog(ctx, 0, 1)
	if err != nil || log[0].Action != ActionSavedViewRemove || log[0].ActorID != w.admin.ID {
		t.Fatalf("audit = %+v, %v", log, err)
	}
}

func TestCountView_KeptCountsOrABoundedCountThatSaysSo(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	product := addField(t, s, w.admin.ID, productField)
	for i := range 5 {
		code := contactTicket(t, s, w.sales, "Ticket", "body")
		if i < 3 {
			if err := s.SetTicketFields(ctx, w.annV, code, map[int64]string{product: "Widget"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	widget := contactTicket(t, s, w.support, "Support's", "body")
	if err := s.SetTicketFields(ctx, w.bobV, widget, map[int64]string{product: "Widget"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		v    authz.Viewer
		f    QueueFilter
		want ViewCount
	}{
		{"statuses from the kept counts", w.annV, QueueFilter{Status: TicketNew}, ViewCount{N: 5}},
		{"every department for an Administrator", w.adminV, QueueFilter{Open: true}, ViewCount{N: 6}},
		{"a field's value in the Agent's departments", w.annV, QueueFilter{Fields: []FieldMatch{{product, "Widget"}}}, ViewCount{N: 3}},
		{"a field's value in every department", w.adminV, QueueFilter{Fields: []FieldMatch{{product, "Widget"}}}, ViewCount{N: 4}},
		{"a field's value and a status", w.adminV, QueueFilter{Status: TicketResolved, Fields: []FieldMatch{{product, "Widget"}}}, ViewCount{N: 0}},
		{"a channel", w.annV, QueueFilter{Channel: ChannelContactForm}, ViewCount{N: 5}},
		{"words are not counted", w.annV, QueueFilter{Search: "ticket"}, ViewCount{Unknown: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.CountView(ctx, c.v, c.f)
			if err != nil || got != c.want {
				t.Fatalf("count = %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
	// With a bound below the candidates the count says it is a lower bound.
	q, args := viewCountSQL(w.adminV, QueueFilter{Fields: []FieldMatch{{product, "Widget"}}}, 2)
	var seen, n int
	if err := s.rd.QueryRowContext(ctx, q, args...).Scan(&seen, &n); err != nil || seen != 2 || n != 2 {
		t.Fatalf("bounded count read %d, matched %d, %v; want 2 and 2", seen, n, err)
	}
}
