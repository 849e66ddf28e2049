package store

import (
	"context"
	"errors"
	"slices"
	"testing"

	"helpline/authz"
	"helpline/desk"
)

func addField(t *testing.T, s *Store, actor int64, in TicketFieldInput) int64 {
	t.Helper()
	id, err := s.CreateTicketField(context.Background(), actor, in)
	if err != nil {
		t.Fatalf("create field %q: %v", in.Code, err)
	}
	return id
}

var productField = TicketFieldInput{Name: "Product", Code: "product", Type: FieldDropdown, Options: []string{"Widget", "Gadget"}, OnContactForm: true}

func TestCreateTicketField_Rules(t *testing.T) {
	w := newTicketWorld(t)
	ctx := context.Background()
	addField(t, w.s, w.admin.ID, productField)
	for _, c := range []struct {
		name    string
		actor   int64
		in      TicketFieldInput
		wantErr func(error) bool
	}{
		{"code taken in another letter case", w.admin.ID, TicketFieldInput{Name: "Other", Code: "PRODUCT", Type: FieldText},
			func(err error) bool { return errors.Is(err, ErrConflict{Field: "code"}) }},
		{"an Agent may not", w.ann.ID, TicketFieldInput{Name: "Size", Code: "size", Type: FieldText},
			func(err error) bool { return errors.Is(err, RuleError{RuleNotPermitted}) }},
		{"a Dropdown without options", w.admin.ID, TicketFieldInput{Name: "Plan", Code: "plan", Type: FieldDropdown},
			func(err error) bool { return errors.Is(err, RuleError{RuleFieldOptions}) }},
		{"an unknown type", w.admin.ID, TicketFieldInput{Name: "Plan", Code: "plan", Type: "colour"},
			func(err error) bool { return err != nil }},
		{"a code with a dash", w.admin.ID, TicketFieldInput{Name: "Plan", Code: "my-plan", Type: FieldText},
			func(err error) bool { return err != nil }},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := w.s.CreateTicketField(ctx, c.actor, c.in)
			if !c.wantErr(err) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	fields, err := w.s.TicketFields(ctx)
	if err != nil || len(fields) != 1 || fields[0].Code != "product" || !slices.Equal(fields[0].Options, productField.Options) {
		t.Fatalf("fields = %+v, %v; want only Product", fields, err)
	}
	log, err := w.s.AuditLog(ctx, 0, 10)
	if err != nil || log[0].Action != ActionTicketFieldCreate || log[0].ActorID != w.admin.ID {
		t.Fatalf("audit = %+v, %v", log, err)
	}
}

func TestMoveTicketField_SwapsWithNeighbour(t *testing.T) {
	w := newTicketWorld(t)
	ctx := context.Background()
	a := addField(t, w.s, w.admin.ID, TicketFieldInput{Name: "A", Code: "a", Type: FieldText})
	b := addField(t, w.s, w.admin.ID, TicketFieldInput{Name: "B", Code: "b", Type: FieldText})
	c := addField(t, w.s, w.admin.ID, TicketFieldInput{Name: "C", Code: "c", Type: FieldText})
	order := func() []int64 {
		fs, err := w.s.TicketFields(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, f := range fs {
			ids = append(ids, f.ID)
		}
		return ids
	}
	for _, step := range []struct {
		id   int64
		up   bool
		want []int64
	}{{c, true, []int64{a, c, b}}, {a, true, []int64{a, c, b}}, {a, false, []int64{c, a, b}}, {b, false, []int64{c, a, b}}} {
		if err := w.s.MoveTicketField(ctx, w.admin.ID, step.id, step.up); err != nil {
			t.Fatal(err)
		}
		if got := order(); !slices.Equal(got, step.want) {
			t.Fatalf("after moving %d up=%v: %v, want %v", step.id, step.up, got, step.want)
		}
	}
	if err := w.s.MoveTicketField(ctx, w.ann.ID, a, true); !errors.Is(err, RuleError{RuleNotPermitted}) {
		t.Fatalf("an Agent moved a field: %v", err)
	}
}

func TestSetTicketFields_ValidatesEachTypeAndStoresNothingOnBadValues(t *testing.T) {
	w := newTicketWorld(t)
	ctx := context.Background()
	ids := map[FieldType]int64{}
	for _, ty := range desk.FieldTypes {
		in := TicketFieldInput{Name: string(ty), Code: "f_" + string(ty), Type: ty}
		if ty == FieldDropdown {
			in.Options = []string{"Widget", "Gadget"}
		}
		ids[ty] = addField(t, w.s, w.admin.ID, in)
	}
	code := contactTicket(t, w.s, w.sales, "Hello", "world")
	tk, _ := w.s.TicketByCode(ctx, w.annV, code)
	for _, c := range []struct {
		ty     FieldType
		raw    string
		stored string // "" with ok: no value
		ok     bool
	}{
		{FieldText, "  Blue  ", "Blue", true},
		{FieldText, "line\nbreak", "", false},
		{FieldLongText, "one\r\ntwo", "one\ntwo", true},
		{FieldNumber, "3,50", "3.50", true},
		{FieldNumber, "-007", "-7", true},
		{FieldNumber, "12abc", "", false},
		{FieldNumber, "1e5", "", false},
		{FieldDate, "2026-02-28", "2026-02-28", true},
		{FieldDate, "2026-02-30", "", false},
		{FieldDate, "28.02.2026", "", false},
		{FieldDropdown, "Gadget", "Gadget", true},
		{FieldDropdown, "gadget", "", false},
		{FieldDropdown, "Spanner", "", false},
		{FieldCheckbox, "on", desk.CheckboxOn, true},
		{FieldCheckbox, "maybe", "", false},
	} {
		t.Run(string(c.ty)+" "+c.raw, func(t *testing.T) {
			before, _ := w.s.Thread(ctx, tk.ID)
			err := w.s.SetTicketFields(ctx, w.annV, code, map[int64]string{ids[c.ty]: c.raw})
			got, _ := w.s.TicketFieldValues(ctx, tk.ID)
			after, _ := w.s.Thread(ctx, tk.ID)
			if !c.ok {
				var fe FieldValueErrors
				if !errors.As(err, &fe) || fe[ids[c.ty]].MessageID == "" {
					t.Fatalf("err = %v, want a problem with field %d", err, ids[c.ty])
				}
				if len(got) != 0 || len(after) != len(before) {
					t.Fatalf("stored %v and %d events on a bad value", got, len(after)-len(before))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got[ids[c.ty]] != c.stored || len(got) != 1 {
				t.Fatalf("stored %v, want %q", got, c.stored)
			}
			// Back to no values for the next case.
			if err := w.s.SetTicketFields(ctx, w.annV, code, nil); err != nil {
				t.Fatal(err)
			}
		})
	}
	required := addField(t, w.s, w.admin.ID, TicketFieldInput{Name: "Order", Code: "order_no", Type: FieldText, Required: true})
	var fe FieldValueErrors
	if err := w.s.SetTicketFields(ctx, w.annV, code, nil); !errors.As(err, &fe) || fe[required].MessageID != desk.MsgRequired {
		t.Fatalf("a required field left empty: %v", err)
	}
	if err := w.s.SetTicketFields(ctx, w.bobV, code, map[int64]string{required: "7"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an agent of another department set fields: %v", err)
	}
}

func TestTicketFieldHistory_NamesWhoAndKeepsTheNameAfterRemoval(t *testing.T) {
	w := newTicketWorld(t)
	ctx := context.Background()
	product := addField(t, w.s, w.admin.ID, productField)
	urgent := addField(t, w.s, w.admin.ID, TicketFieldInput{Name: "Urgent", Code: "urgent", Type: FieldCheckbox})
	code, err := w.s.CreateTicketWithFields(ctx, nil, NewTicketInput{Subject: "Hi", Body: "There", Channel: ChannelContactForm,
		Priority: PriorityNormal, DepartmentID: w.sales, ContactName: "Carla", ContactEmail: "carla@example.com"}, map[int64]string{product: "Widget"})
	if err != nil {
		t.Fatal(err)
	}
	tk, _ := w.s.TicketByCode(ctx, w.annV, code)
	if vals, _ := w.s.TicketFieldValues(ctx, tk.ID); vals[product] != "Widget" {
		t.Fatalf("the contact form's value was not kept: %v", vals)
	}
	if err := w.s.SetTicketFields(ctx, w.annV, code, map[int64]string{product: "Gadget", urgent: "1"}); err != nil {
		t.Fatal(err)
	}
	if err := w.s.SetTicketFields(ctx, w.annV, code, map[int64]string{urgent: "1"}); err != nil {
		t.Fatal(err)
	}
	if n, _ := w.s.TicketFieldUses(ctx, product); n != 0 {
		t.Fatalf("uses of a cleared field = %d", n)
	}
	if err := w.s.SetTicketFields(ctx, w.annV, code, map[int64]string{product: "Widget", urgent: "1"}); err != nil {
		t.Fatal(err)
	}
	if n, _ := w.s.TicketFieldUses(ctx, product); n != 1 {
		t.Fatalf("uses = %d, want 1", n)
	}
	if err := w.s.RemoveTicketField(ctx, w.ann.ID, product); !errors.Is(err, RuleError{RuleNotPermitted}) {
		t.Fatalf("an Agent removed a field: %v", err)
	}
	if err := w.s.RemoveTicketField(ctx, w.admin.ID, product); err != nil {
		t.Fatal(err)
	}
	if vals, _ := w.s.TicketFieldValues(ctx, tk.ID); len(vals) != 1 || vals[urgent] != desk.CheckboxOn {
		t.Fatalf("values after removal = %v", vals)
	}
	thread, err := w.s.Thread(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range thread {
		switch m.Event {
		case EventFieldSet, EventFieldCleared, EventFieldChecked, EventFieldUnchecked:
			got = append(got, string(m.Event)+" "+m.Details.Name+" "+m.Details.From+">"+m.Details.To+" by "+m.AuthorName)
		}
	}
	want := []string{
		"field_set Product Widget>Gadget by Ann Sales",
		"field_checked Urgent > by Ann Sales",
		"field_cleared Product Gadget> by Ann Sales",
		"field_set Product >Widget by Ann Sales",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("history:\n%q\nwant\n%q", got, want)
	}
}

func TestQueue_FiltersByFieldValueInScope(t *testing.T) {
	w := newTicketWorld(t)
	ctx := context.Background()
	product := addField(t, w.s, w.admin.ID, productField)
	var widgets []string
	for i, dept := range []int64{w.sales, w.sales, w.support, w.sales} {
		code := contactTicket(t, w.s, dept, "Ticket", "body")
		value := map[bool]string{true: "Widget", false: "Gadget"}[i != 1]
		if err := w.s.SetTicketFields(ctx, authz.Viewer{ID: w.admin.ID, Perms: w.admin.Perms}, code, map[int64]string{product: value}); err != nil {
			t.Fatal(err)
		}
		if value == "Widget" && dept == w.sales {
			widgets = append(widgets, code)
		}
	}
	contactTicket(t, w.s, w.sales, "No product", "body")
	for _, rare := range []bool{true, false} {
		for _, sort := range QueueSorts {
			if !rare {
				w.s.rareTagRows = 1
			}
			page, err := w.s.Queue(ctx, w.annV, QueueFilter{Fields: []FieldMatch{{product, "Widget"}}, Sort: sort})
			w.s.rareTagRows = defaultRareTagRows
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tk := range page.Tickets {
				got = append(got, tk.Code)
			}
			slices.Sort(got)
			want := slices.Clone(widgets)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("rare=%v sort=%s: %v, want Ann's widgets %v", rare, sort, got, want)
			}
		}
	}
	counts, err := w.s.QueueCounts(ctx, w.annV, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := counts.Matching(QueueFilter{Fields: []FieldMatch{{product, "Widget"}}}); ok {
		t.Fatal("the kept counts claim to know a field's filter")
	}
}
