package web

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"helpline/desk"
	"helpline/store"
	"helpline/views"
)

// everyTypeWorld is the field world with one field of every other type
// besides Product (a Dropdown), the Text one required.
type everyTypeWorld struct {
	*fieldWorld
	codes []string // field codes in order, Product first
}

func newEveryTypeWorld(t *testing.T) *everyTypeWorld {
	t.Helper()
	w := &everyTypeWorld{fieldWorld: newFieldWorld(t), codes: []string{"product"}}
	for _, in := range []store.TicketFieldInput{
		{Name: "Serial", Code: "serial", Type: store.FieldText, Required: true},
		{Name: "Steps", Code: "steps", Type: store.FieldLongText},
		{Name: "Quantity", Code: "quantity", Type: store.FieldNumber},
		{Name: "Bought on", Code: "bought_on", Type: store.FieldDate},
		{Name: "Urgent", Code: "urgent", Type: store.FieldCheckbox},
	} {
		if _, err := w.app.st.CreateTicketField(context.Background(), w.adam.ID, in); err != nil {
			t.Fatal(err)
		}
		w.codes = append(w.codes, in.Code)
	}
	return w
}

// goodFieldForm is a valid value of every field, as the ticket page posts it.
func goodFieldForm() url.Values {
	return url.Values{"field.product": {"Gadget"}, "field.serial": {"SN-1"}, "field.steps": {"Plug in.\r\nWait."},
		"field.quantity": {"3,5"}, "field.bought_on": {"2026-02-28"}, "field.urgent": {"1"}}
}

// TestTicketPage_EachFieldTypeRefusesABadValueNextToIt posts the ticket
// page's fields with one bad value of each type: 422, the message next to
// that field, the other values kept in the form, nothing stored and nothing
// in the history. Then every value at once is saved, each as its type
// writes it.
func TestTicketPage_EachFieldTypeRefusesABadValueNextToIt(t *testing.T) {
	w := newEveryTypeWorld(t)
	ann := w.as("ann@example.com")
	path := views.TicketActionPath(views.PathTicketFieldValues, w.salesCode)

	page := ann.get(views.TicketPath(w.salesCode)).wantStatus(200).doc()
	for sel, what := range map[string]string{
		`#ticket-fields select[name="field.product"]`:                      "a select for the Dropdown",
		`#ticket-fields input[type="text"][name="field.serial"]`:           "a text input for the Text",
		`#ticket-fields textarea[name="field.steps"]`:                      "a text area for the Long text",
		`#ticket-fields input[name="field.quantity"][inputmode="decimal"]`: "a decimal input for the Number",
		`#ticket-fields input[type="date"][name="field.bought_on"]`:        "a date input for the Date",
		`#ticket-fields input[type="checkbox"][name="field.urgent"]`:       "a checkbox for the Checkbox",
	} {
		if page.Find(sel).Length() != 1 {
			t.Errorf("the ticket page lacks %s (%s)", what, sel)
		}
	}

	threadBefore := ann.get(views.TicketPath(w.salesCode)).text("#thread")
	for _, c := range []struct {
		name, code, value, msg string
	}{
		{"a Dropdown value it does not offer", "product", "Spanner", "Please choose one of the offered options."},
		{"a required Text left empty", "serial", "  ", "Please fill this in."},
		{"a Text over its length", "serial", strings.Repeat("x", desk.MaxFieldText+1), fmt.Sprintf("This is too long (at most %d characters).", desk.MaxFieldText)},
		{"a Long text over its length", "steps", strings.Repeat("y", desk.MaxFieldLongText+1), fmt.Sprintf("This is too long (at most %d characters).", desk.MaxFieldLongText)},
		{"a Number with letters", "quantity", "12abc", "Please enter a number, such as 12 or 3.5."},
		{"a Date that does not exist", "bought_on", "2026-02-30", "Please enter a date as YYYY-MM-DD."},
		{"a Date in another format", "bought_on", "28.02.2026", "Please enter a date as YYYY-MM-DD."},
		{"a Checkbox value it does not know", "urgent", "maybe", "Please choose one of the offered options."},
	} {
		t.Run(c.name, func(t *testing.T) {
			form := goodFieldForm()
			form.Set("field."+c.code, c.value)
			r := ann.post(path, form).wantStatus(http.StatusUnprocessableEntity)
			if got := r.text("#f-field\\." + c.code + "-error"); got != c.msg {
				t.Fatalf("message next to %s: %q, want %q", c.code, got, c.msg)
			}
			doc := r.doc()
			if got, _ := doc.Find(`#f-field\.` + c.code).Attr("aria-invalid"); got != "true" {
				t.Errorf("the %s input is not marked invalid", c.code)
			}
			for _, other := range w.codes {
				if other != c.code && r.text("#f-field\\."+other+"-error") != "" {
					t.Errorf("a message next to %s, which was good", other)
				}
			}
			if got, _ := doc.Find(`#f-field\.serial`).Attr("value"); c.code != "serial" && got != "SN-1" {
				t.Errorf("the form lost the good Serial: %q", got)
			}
			if vals := w.values(t, w.salesCode); len(vals) != 0 {
				t.Fatalf("a refused save stored %v", vals)
			}
		})
	}
	if got := ann.get(views.TicketPath(w.salesCode)).text("#thread"); got != threadBefore {
		t.Fatal("refused saves wrote to the history")
	}

	ann.post(path, goodFieldForm()).wantRedirect(views.TicketPath(w.salesCode))
	want := map[string]string{"product": "Gadget", "serial": "SN-1", "steps": "Plug in.\nWait.", "quantity": "3.5", "bought_on": "2026-02-28", "urgent": desk.CheckboxOn}
	got := map[string]string{}
	for _, f := range w.fields(t) {
		if v, ok := w.values(t, w.salesCode)[f.ID]; ok {
			got[f.Code] = v
		}
	}
	if !maps.Equal(got, want) {
		t.Fatalf("stored %v, want %v", got, want)
	}
	thread := ann.get(views.TicketPath(w.salesCode)).text("#thread")
	for _, line := range []string{"Ann Sales set Product to Gadget", "Ann Sales set Quantity to 3.5", "Ann Sales ticked Urgent"} {
		if !strings.Contains(thread, line) {
			t.Errorf("the history lacks %q", line)
		}
	}
}

// TestContactForm_RequiredFieldIsAskedAndRefusedEmpty: a required field on
// the contact form left empty is 422 next to it, and no ticket is made.
func TestContactForm_RequiredFieldIsAskedAndRefusedEmpty(t *testing.T) {
	w := newFieldWorld(t)
	if _, err := w.app.st.CreateTicketField(context.Background(), w.adam.ID, store.TicketFieldInput{Name: "Serial", Code: "serial",
		Type: store.FieldText, Required: true, OnContactForm: true}); err != nil {
		t.Fatal(err)
	}
	c := w.app.client()
	if c.get(views.PathContact).wantStatus(200).doc().Find(`input[name="field.serial"]`).Length() != 1 {
		t.Fatal("the contact form does not ask Serial")
	}
	form := url.Values{"name": {"Carla"}, "email": {"carla@example.com"}, "department": {idString(w.support)},
		"subject": {"Broken"}, "message": {"It broke."}, "field.product": {"Widget"}, "field.serial": {""}}
	r := c.post(views.PathContact, form).wantStatus(http.StatusUnprocessableEntity)
	if got := r.text("#f-field\\.serial-error"); got != "Please fill this in." {
		t.Fatalf("message next to Serial: %q", got)
	}
	if page, _ := w.app.st.Queue(context.Background(), w.adam.Viewer(), store.QueueFilter{}); len(page.Tickets) != 2 {
		t.Fatalf("a refused contact form made a ticket: %d tickets", len(page.Tickets))
	}
	form.Set("field.serial", "SN-9")
	c.post(views.PathContact, form).wantRedirect(views.PathContactSent)
}

// TestTicketFieldForm_EditRefusesATakenCodeAndKeepsTheField: the edit form
// answers 422 next to the field too, and the field stays as it was.
func TestTicketFieldForm_EditRefusesATakenCodeAndKeepsTheField(t *testing.T) {
	w := newEveryTypeWorld(t)
	admin := w.as("adam@example.com")
	before := w.fields(t)
	for _, c := range []struct {
		name  string
		form  url.Values
		field string
		msg   string
	}{
		{"a code taken in another letter case", url.Values{"name": {"Product"}, "code": {"SERIAL"}, "options": {"Widget"}}, "code", "Another field already has this code."},
		{"no name", url.Values{"name": {" "}, "code": {"product"}, "options": {"Widget"}}, "name", "Please fill this in."},
		{"a Dropdown left without options", url.Values{"name": {"Product"}, "code": {"product"}, "options": {""}}, "options", "A Dropdown needs at least one option."},
	} {
		r := admin.post(views.WithID(views.PathTicketField, w.product), c.form).wantStatus(http.StatusUnprocessableEntity)
		if got := r.text("#f-" + c.field + "-error"); got != c.msg {
			t.Errorf("%s: message next to %s is %q, want %q", c.name, c.field, got, c.msg)
		}
	}
	after := w.fields(t)
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("refused edits changed the fields:\n%+v\n%+v", before, after)
	}
}
