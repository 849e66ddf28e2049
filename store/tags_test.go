package store

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// tagCounts reads every tag's kept count and counts ticket_tags beside it.
func tagCounts(t *testing.T, s *Store) (kept, counted map[string]int) {
	t.Helper()
	kept, counted = map[string]int{}, map[string]int{}
	rows, err := s.w.Query(`SELECT name, ticket_count FROM tags`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		var c int
		if err := rows.Scan(&n, &c); err != nil {
			t.Fatal(err)
		}
		kept[n] = c
	}
	rows.Close()
	rows, err = s.w.Query(`SELECT tag, count(*) FROM ticket_tags GROUP BY tag`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		var c int
		if err := rows.Scan(&n, &c); err != nil {
			t.Fatal(err)
		}
		counted[n] = c
	}
	return kept, counted
}

func wantKeptCounts(t *testing.T, s *Store, want map[string]int) {
	t.Helper()
	kept, counted := tagCounts(t, s)
	for name, n := range counted {
		if kept[name] != n {
			t.Errorf("tag %q: kept count %d, %d tickets carry it", name, kept[name], n)
		}
	}
	for name, n := range want {
		if kept[name] != n {
			t.Errorf("tag %q: kept count %d, want %d (all kept: %v)", name, kept[name], n, kept)
		}
	}
}

func tagNamed(t *testing.T, s *Store, name string) Tag {
	t.Helper()
	tags, err := s.Tags(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range tags {
		if tg.Name == name {
			return tg
		}
	}
	t.Fatalf("no tag %q among %+v", name, tags)
	return Tag{}
}

func TestTags_CountsFollowEveryTicketTaggedAndUntagged(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	a := contactTicket(t, s, w.sales, "One", "Body")
	b := contactTicket(t, s, w.sales, "Two", "Body")
	for _, code := range []string{a, b} {
		if err := s.AddTag(ctx, w.annV, code, "VIP"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddTag(ctx, w.annV, a, "vip"); err != nil { // carried already, in another case
		t.Fatal(err)
	}
	if err := s.AddTag(ctx, w.annV, a, "refund"); err != nil {
		t.Fatal(err)
	}
	wantKeptCounts(t, s, map[string]int{"vip": 2, "refund": 1})
	if err := s.RemoveTag(ctx, w.annV, b, "vip"); err != nil {
		t.Fatal(err)
	}
	wantKeptCounts(t, s, map[string]int{"vip": 1, "refund": 1})
	if got := tagNamed(t, s, "vip").Tickets; got != 1 {
		t.Fatalf("Tags shows vip on %d tickets, want 1", got)
	}
}

func TestTags_NameIsUniqueInAnyLetterCase(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	if _, err := s.CreateTag(ctx, w.admin.ID, TagInput{Name: "Billing", Colour: "#ff0000"}, ""); err != nil {
		t.Fatal(err)
	}
	other, err := s.CreateTag(ctx, w.admin.ID, TagInput{Name: "refund"}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"billing", "BILLING", "  Billing "} {
		var ce ErrConflict
		if _, err := s.CreateTag(ctx, w.admin.ID, TagInput{Name: name}, ""); !errors.As(err, &ce) || ce.Field != "name" {
			t.Errorf("create %q: %v, want a conflict on the name", name, err)
		}
		if err := s.UpdateTag(ctx, w.admin.ID, other, TagInput{Name: name}, ""); !errors.As(err, &ce) || ce.Field != "name" {
			t.Errorf("rename to %q: %v, want a conflict on the name", name, err)
		}
	}
	if tags, _ := s.Tags(ctx); len(tags) != 2 || tags[1].Name != "refund" {
		t.Fatalf("tags after refused names: %+v", tags)
	}
}

func TestTags_RenameMovesEveryTicketAndKeepsTheCount(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	var codes []string
	for range 3 {
		code := contactTicket(t, s, w.support, "Help", "Body")
		if err := s.AddTag(ctx, w.adminV, code, "urgnet"); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, code)
	}
	tg := tagNamed(t, s, "urgnet")
	if err := s.UpdateTag(ctx, w.admin.ID, tg.ID, TagInput{Name: "Urgent", Colour: "#aa0000"}, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	for _, code := range codes {
		tk, err := s.TicketByCode(ctx, w.adminV, code)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(tk.Tags, []string{"urgent"}) {
			t.Errorf("ticket %s carries %v after the rename", code, tk.Tags)
		}
	}
	wantKeptCounts(t, s, map[string]int{"urgent": 3})
	if got, _ := s.TagByID(ctx, tg.ID); got.Name != "urgent" || got.Colour != "#aa0000" || got.Tickets != 3 {
		t.Fatalf("renamed tag: %+v", got)
	}
	if e := lastAudit(t, s); e.Action != ActionTagUpdate || e.Details != "urgnet → urgent (3 tickets); colour:  → #aa0000" {
		t.Fatalf("audit of the rename: %+v", e)
	}
}

func TestTags_MergeMovesEveryTicketOnceAndRemovesTheTag(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	both := contactTicket(t, s, w.sales, "Both", "Body")
	onlyOld := contactTicket(t, s, w.sales, "Old", "Body")
	onlyNew := contactTicket(t, s, w.sales, "New", "Body")
	for _, tc := range [][2]string{{both, "refunds"}, {both, "refund"}, {onlyOld, "refunds"}, {onlyNew, "refund"}} {
		if err := s.AddTag(ctx, w.adminV, tc[0], tc[1]); err != nil {
			t.Fatal(err)
		}
	}
	from, into := tagNamed(t, s, "refunds"), tagNamed(t, s, "refund")
	if err := s.MergeTag(ctx, w.admin.ID, from.ID, into.ID, ""); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{both, onlyOld, onlyNew} {
		tk, _ := s.TicketByCode(ctx, w.adminV, code)
		if !slices.Equal(tk.Tags, []string{"refund"}) {
			t.Errorf("ticket %s carries %v after the merge", code, tk.Tags)
		}
	}
	if _, err := s.TagByID(ctx, from.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("merged tag still there: %v", err)
	}
	wantKeptCounts(t, s, map[string]int{"refund": 3})
	if err := s.MergeTag(ctx, w.admin.ID, into.ID, into.ID, ""); !errors.Is(err, ErrInvalidTag) {
		t.Fatalf("merge into itself: %v", err)
	}
}

func TestTags_RemoveTakesTheTagOffEveryTicket(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	a := contactTicket(t, s, w.sales, "A", "Body")
	b := contactTicket(t, s, w.support, "B", "Body")
	for _, code := range []string{a, b} {
		if err := s.AddTag(ctx, w.adminV, code, "spam-like"); err != nil {
			t.Fatal(err)
		}
		if err := s.AddTag(ctx, w.adminV, code, "keep"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RemoveTagEverywhere(ctx, w.admin.ID, tagNamed(t, s, "spam-like").ID, ""); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{a, b} {
		tk, _ := s.TicketByCode(ctx, w.adminV, code)
		if !slices.Equal(tk.Tags, []string{"keep"}) {
			t.Errorf("ticket %s carries %v after the removal", code, tk.Tags)
		}
	}
	wantKeptCounts(t, s, map[string]int{"keep": 2})
	if e := lastAudit(t, s); e.Action != ActionTagRemove || e.Details != "spam-like (2 tickets)" {
		t.Fatalf("audit of the removal: %+v", e)
	}
}

func TestTags_OnlyThoseWhoManageTagsChangeThem(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	id, err := s.CreateTag(ctx, w.admin.ID, TagInput{Name: "vip"}, "")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := s.CreateTag(ctx, w.admin.ID, TagInput{Name: "other"}, "")
	for name, fn := range map[string]func() error{
		"create": func() error { _, err := s.CreateTag(ctx, w.ann.ID, TagInput{Name: "x"}, ""); return err },
		"rename": func() error { return s.UpdateTag(ctx, w.ann.ID, id, TagInput{Name: "y"}, "") },
		"merge":  func() error { return s.MergeTag(ctx, w.ann.ID, id, other, "") },
		"remove": func() error { return s.RemoveTagEverywhere(ctx, w.ann.ID, id, "") },
	} {
		if err := fn(); !IsRule(err, RuleNotPermitted) {
			t.Errorf("an Agent's %s: %v, want not permitted", name, err)
		}
	}
	if tags, _ := s.Tags(ctx); len(tags) != 2 {
		t.Fatalf("tags after refused changes: %+v", tags)
	}
}

func TestTags_BadNameOrColourIsRefused(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	for _, in := range []TagInput{{Name: "  "}, {Name: "ok", Colour: "red"}, {Name: "ok", Colour: "#FFF"}, {Name: "ok", Colour: "#12345g"}} {
		if _, err := s.CreateTag(ctx, w.admin.ID, in, ""); !errors.Is(err, ErrInvalidTag) {
			t.Errorf("create %+v: %v", in, err)
		}
	}
	if tags, _ := s.Tags(ctx); len(tags) != 0 {
		t.Fatalf("tags after refused input: %+v", tags)
	}
}

// Tickets tagged at the same moment by several agents are all counted.
func TestTags_ConcurrentTaggingKeepsTheCount(t *testing.T) {
	w := newTicketWorld(t)
	s, ctx := w.s, context.Background()
	const n = 8
	codes := make([]string, n)
	for i := range codes {
		codes[i] = contactTicket(t, s, w.support, "Rush", "Body")
	}
	errs := make(chan error, n)
	for _, code := range codes {
		go func() { errs <- s.AddTag(ctx, w.adminV, code, "rush") }()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	wantKeptCounts(t, s, map[string]int{"rush": n})
}
