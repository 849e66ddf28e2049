package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// fieldWorld is the ticket world with a Dropdown "Product" shown on the
// contact form.
type fieldWorld struct {
	*ticketWorld
	product int64
}

func newFieldWorld(t *testing.T) *fieldWorld {
	t.Helper()
	w := &fieldWorld{ticketWorld: newTicketWorld(t)}
	id, err := w.app.st.CreateTicketField(context.Background(), w.adam.ID, store.TicketFieldInput{Name: "Product", Code: "product",
		Type: store.FieldDropdown, Options: []string{"Widget", "Gadget"}, OnContactForm: true})
	if err != nil {
		t.Fatal(err)
	}
	w.product = id
	return w
}

func (w *fieldWorld) fields(t *testing.T) []store.TicketField {
	t.Helper()
	fs, err := w.app.st.TicketFields(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func (w *fieldWorld) values(t *testing.T, code string) map[int64]string {
	t.Helper()
	vals, err := w.app.st.TicketFieldValues(context.Background(), w.app.ticketAs(code).ID)
	if err != nil {
		t.Fatal(err)
	}
	return vals
}

func TestTicketFieldForm_RefusesBadInputNextToTheField(t *testing.T) {
	w := newFieldWorld(t)
	admin := w.as("adam@example.com")
	for _, c := range []struct {
		name      string
		form      url.Values
		field     string
		wantError string
	}{
		{"no name", url.Values{"name": {""}, "code": {"size"}, "type": {"text"}}, "name", "Please fill this in."},
		{"a code with a dash", url.Values{"name": {"Size"}, "code": {"my-size"}, "type": {"text"}}, "code", "Use letters, digits and _"},
		{"a code taken in another letter case", url.Values{"name": {"Item"}, "code": {"PRODUCT"}, "type": {"text"}}, "code", "Another field already has this code."},
		{"a Dropdown without options", url.Values{"name": {"Plan"}, "code": {"plan"}, "type": {"dropdown"}, "options": {"\n  \n"}}, "options", "A Dropdown needs at least one option."},
		{"an unknown type", url.Values{"name": {"Plan"}, "code": {"plan"}, "type": {"colour"}}, "type", "Please choose one of the offered options."},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := admin.post(views.PathTicketFields, c.form).wantStatus(http.StatusUnprocessableEntity)
			if got := r.text("#f-" + c.field + "-error"); !strings.HasPrefix(got, c.wantError) {
				t.Fatalf("message next to %s = %q, want %q", c.field, got, c.wantError)
			}
			if n := len(w.fields(t)); n != 1 {
				t.Fatalf("%d fields stored, want only Product", n)
			}
		})
	}
}

func TestTicketFields_ListCreateEditMoveRemove(t *testing.T) {
	w := newFieldWorld(t)
	admin := w.as("adam@example.com")
	admin.post(views.PathTicketFields, url.Values{"name": {"Order number"}, "code": {"order_no"}, "type": {"number"}, "required": {"1"}}).
		wantRedirect(views.PathTicketFields)
	list := admin.get(views.PathTicketFields).wantStatus(200)
	if got := list.text("table.ticket-fields tbody"); !strings.Contains(got, "Product") || !strings.Contains(got, "Order number") {
		t.Fatalf("list: %q", got)
	}
	fs := w.fields(t)
	if len(fs) != 2 || fs[1].Type != store.FieldNumber || !fs[1].Required {
		t.Fatalf("fields = %+v", fs)
	}
	order := fs[1].ID
	admin.post(views.WithID(views.PathTicketFieldMove, order), url.Values{"dir": {"up"}}).wantRedirect(views.PathTicketFields)
	if fs := w.fields(t); fs[0].ID != order {
		t.Fatalf("Order number was not moved up: %+v", fs)
	}
	admin.post(views.WithID(views.PathTicketField, w.product), url.Values{"name": {"Product line"}, "code": {"product"},
		"type": {"checkbox"}, "options": {"Widget\nGadget\nSpanner"}, "on_contact_form": {"1"}}).wantRedirect(views.PathTicketFields)
	p, err := w.app.st.TicketFieldByID(context.Background(), w.product)
	if err != nil || p.Name != "Product line" || p.Type != store.FieldDropdown || len(p.Options) != 3 {
		t.Fatalf("after edit %+v, %v (the type must stay)", p, err)
	}
	// A value on a ticket: the confirmation names the tickets, the
	// history keeps the name after the removal.
	ann := w.as("ann@example.com")
	ann.post(views.TicketActionPath(views.PathTicketFieldValues, w.salesCode), url.Values{"field.product": {"Spanner"}, "field.order_no": {"12"}}).
		wantRedirect(views.TicketPath(w.salesCode))
	confirm := admin.get(views.WithID(views.PathTicketFieldRemove, w.product)).wantStatus(200)
	if got := confirm.text(".confirm-card p"); !strings.HasPrefix(got, "1 ticket has a value of this field.") {
		t.Fatalf("confirmation says %q", got)
	}
	admin.post(views.WithID(views.PathTicketFieldRemove, w.product), nil).wantRedirect(views.PathTicketFields)
	if fs := w.fields(t); len(fs) != 1 {
		t.Fatalf("fields after removal: %+v", fs)
	}
	page := ann.get(views.TicketPath(w.salesCode)).wantStatus(200)
	if got := page.text(".thread"); !strings.Contains(got, "Ann Sales set Product line to Spanner") {
		t.Fatalf("history after removal: %q", got)
	}
	log := admin.get(views.PathAudit).wantStatus(200).text("table")
	for _, want := range []string{"Created a ticket field", "Moved a ticket field", "Changed a ticket field", "Removed a ticket field"} {
		if !strings.Contains(log, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
}

func TestTicketFields_OnlyForThoseWhoMayManageThem(t *testing.T) {
	w := newFieldWorld(t)
	ann := w.as("ann@example.com")
	for _, c := range []struct {
		method, path string
		form         url.Values
	}{
		{http.MethodGet, views.PathTicketFields, nil},
		{http.MethodGet, views.PathTicketFieldNew, nil},
		{http.MethodPost, views.PathTicketFields, url.Values{"name": {"X"}, "code": {"x"}, "type": {"text"}}},
		{http.MethodPost, views.WithID(views.PathTicketField, w.product), url.Values{"name": {"X"}, "code": {"x"}}},
		{http.MethodPost, views.WithID(views.PathTicketFieldMove, w.product), url.Values{"dir": {"up"}}},
		{http.MethodPost, views.WithID(views.PathTicketFieldRemove, w.product), nil},
	} {
		var r *response
		if c.method == http.MethodGet {
			r = ann.get(c.path)
		} else {
			r = ann.post(c.path, c.form)
		}
		if r.status != http.StatusForbidden {
			t.Errorf("%s %s: status %d, want 403", c.method, c.path, r.status)
		}
	}
	if fs := w.fields(t); len(fs) != 1 || fs[0].Name != "Product" {
		t.Fatalf("an Agent changed the fields: %+v", fs)
	}
	if ann.get(views.PathProfile).doc().Find(`a[href="`+views.PathTicketFields+`"]`).Length() != 0 {
		t.Fatal("an Agent is offered Ticket fields")
	}
	admin := w.as("adam@example.com")
	if admin.get(views.PathRoles).doc().Find(`.subnav a[href="`+views.PathTicketFields+`"]`).Length() != 1 {
		t.Fatal("an Administrator is not offered Ticket fields")
	}
	role := w.app.customRole(w.app.ownerID(), "Field keeper", authz.TicketFieldsManage)
	keeper := w.app.addAgent(w.app.ownerID(), "Kim Keeper", role)
	w.app.signedIn(keeper).get(views.PathTicketFields).wantStatus(200)
}

func TestTicketPage_FieldValues(t *testing.T) {
	w := newFieldWorld(t)
	ann := w.as("ann@example.com")
	path := views.TicketActionPath(views.PathTicketFieldValues, w.salesCode)
	page := ann.get(views.TicketPath(w.salesCode)).wantStatus(200)
	if page.doc().Find(`select[name="field.product"] option`).Length() != 3 {
		t.Fatal("the ticket page does not offer Product's options")
	}
	for _, c := range []struct {
		name       string
		as         string
		form       url.Values
		wantStatus int
		wantValue  string
	}{
		{"an option it does not have", "ann@example.com", url.Values{"field.product": {"Spanner"}}, http.StatusUnprocessableEntity, ""},
		{"an option in another letter case", "ann@example.com", url.Values{"field.product": {"widget"}}, http.StatusUnprocessableEntity, ""},
		{"an Agent of another department", "bob@example.com", url.Values{"field.product": {"Widget"}}, http.StatusNotFound, ""},
		{"an option", "ann@example.com", url.Values{"field.product": {"Widget"}}, http.StatusSeeOther, "Widget"},
		{"none", "ann@example.com", url.Values{"field.product": {""}}, http.StatusSeeOther, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := w.as(c.as).post(path, c.form)
			if r.status != c.wantStatus {
				t.Fatalf("status %d, want %d\n%.1000s", r.status, c.wantStatus, r.body)
			}
			if c.wantStatus == http.StatusUnprocessableEntity && r.text("#f-field\\.product-error") != "Please choose one of the offered options." {
				t.Fatalf("no message next to Product: %q", r.text(".field-error"))
			}
			if got := w.values(t, w.salesCode)[w.product]; got != c.wantValue {
				t.Fatalf("stored %q, want %q", got, c.wantValue)
			}
		})
	}
	thread := ann.get(views.TicketPath(w.salesCode)).text(".thread")
	for _, want := range []string{"Ann Sales set Product to Widget", "Ann Sales cleared Product (was Widget)"} {
		if !strings.Contains(thread, want) {
			t.Errorf("history lacks %q: %q", want, thread)
		}
	}
}

func TestContactForm_AsksItsFields(t *testing.T) {
	w := newFieldWorld(t)
	if _, err := w.app.st.CreateTicketField(context.Background(), w.adam.ID, store.TicketFieldInput{Name: "Internal note", Code: "internal",
		Type: store.FieldText}); err != nil {
		t.Fatal(err)
	}
	c := w.app.client()
	form := c.get(views.PathContact).wantStatus(200).doc()
	if form.Find(`select[name="field.product"]`).Length() != 1 || form.Find(`[name="field.internal"]`).Length() != 0 {
		t.Fatal("the contact form must ask Product and only the fields shown on it")
	}
	send := func(product string) *response {
		return c.post(views.PathContact, url.Values{"name": {"Carla"}, "email": {"carla@example.com"}, "department": {idString(w.support)},
			"subject": {"Broken again"}, "message": {"It broke."}, "field.product": {product}})
	}
	r := send("Spanner").wantStatus(http.StatusUnprocessableEntity)
	if r.text("#f-field\\.product-error") == "" {
		t.Fatal("no message next to Product")
	}
	page, err := w.app.st.Queue(context.Background(), authz.Viewer{ID: w.adam.ID, Perms: w.adam.Perms}, store.QueueFilter{})
	if err != nil || len(page.Tickets) != 2 {
		t.Fatalf("a refused contact form stored a ticket: %d, %v", len(page.Tickets), err)
	}
	send("Gadget").wantRedirect(views.PathContactSent)
	page, _ = w.app.st.Queue(context.Background(), authz.Viewer{ID: w.adam.ID, Perms: w.adam.Perms}, store.QueueFilter{Fields: []store.FieldMatch{{FieldID: w.product, Value: "Gadget"}}})
	if len(page.Tickets) != 1 || page.Tickets[0].Subject != "Broken again" {
		t.Fatalf("tickets with Gadget: %+v", page.Tickets)
	}
}

func TestQueue_FiltersByDropdownField(t *testing.T) {
	w := newFieldWorld(t)
	ann := w.as("ann@example.com")
	other := w.app.ticket(w.sales, "Gadget question")
	ann.post(views.TicketActionPath(views.PathTicketFieldValues, w.salesCode), url.Values{"field.product": {"Widget"}}).wantStatus(http.StatusSeeOther)
	ann.post(views.TicketActionPath(views.PathTicketFieldValues, other), url.Values{"field.product": {"Gadget"}}).wantStatus(http.StatusSeeOther)
	all := ann.get(views.PathTickets).wantStatus(200).doc()
	if all.Find(`select[name="field.product"]`).Length() != 1 {
		t.Fatal("the queue does not offer Product as a filter")
	}
	d := ann.get(views.PathTickets + "?field.product=Widget").wantStatus(200).doc()
	if d.Find("#ticket-"+w.salesCode).Length() != 1 || d.Find("#ticket-"+other).Length() != 0 {
		t.Fatalf("the Widget filter shows the wrong tickets: %q", d.Find("#tickets").Text())
	}
	if d.Find(`select[name="field.product"] option[selected]`).Text() != "Widget" {
		t.Fatal("the filter does not show its value")
	}
	// A value the field does not offer filters nothing.
	d = ann.get(views.PathTickets + "?field.product=Spanner").wantStatus(200).doc()
	if d.Find("#ticket-"+w.salesCode).Length() != 1 || d.Find("#ticket-"+other).Length() != 1 {
		t.Fatal("an unknown value changed the queue")
	}
}

func TestQueue_FiltersByTickedCheckbox(t *testing.T) {
	w := newFieldWorld(t)
	if _, err := w.app.st.CreateTicketField(context.Background(), w.adam.ID, store.TicketFieldInput{Name: "Urgent", Code: "urgent",
		Type: store.FieldCheckbox}); err != nil {
		t.Fatal(err)
	}
	ann := w.as("ann@example.com")
	calm := w.app.ticket(w.sales, "No hurry")
	ann.post(views.TicketActionPath(views.PathTicketFieldValues, w.salesCode), url.Values{"field.urgent": {"1"}}).wantStatus(http.StatusSeeOther)
	d := ann.get(views.PathTickets + "?field.urgent=1").wantStatus(200).doc()
	if d.Find("#ticket-"+w.salesCode).Length() != 1 || d.Find("#ticket-"+calm).Length() != 0 {
		t.Fatalf("the Urgent filter shows %q", d.Find("#tickets").Text())
	}
	if d.Find(`select[name="field.urgent"] option[selected]`).Text() != "Yes" {
		t.Fatal("the filter does not show it is set")
	}
	if got := ann.get(views.TicketPath(w.salesCode)).text("#thread"); !strings.Contains(got, "Ann Sales ticked Urgent") {
		t.Fatalf("history: %q", got)
	}
}

func TestEditor_SendAndNextKeepsTheViewsFieldFilter(t *testing.T) {
	w := newFieldWorld(t)
	gadget := w.app.ticket(w.sales, "Gadget question")
	widget := w.app.ticket(w.sales, "Widget question")
	ann := w.as("ann@example.com")
	for code, product := range map[string]string{w.salesCode: "Widget", gadget: "Gadget", widget: "Widget"} {
		ann.post(views.TicketActionPath(views.PathTicketFieldValues, code), url.Values{"field.product": {product}}).wantStatus(http.StatusSeeOther)
	}
	view := views.QueueFilterValues{Status: string(store.TicketNew), Fields: []views.FieldFilterValue{{Code: "product", Value: "Widget"}}}
	r := ann.post(view.TicketActionURL(views.PathTicketMessages, w.salesCode), url.Values{"kind": {views.EditorNote}, "body": {"Text"}, "then": {"next"}})
	if to := location(t, r, http.StatusSeeOther); to != view.TicketURL(widget) {
		t.Fatalf("Send and next goes to %q, want the next Widget %q, past the Gadget", to, view.TicketURL(widget))
	}
}

func TestNewTicket_AsksEveryField(t *testing.T) {
	w := newFieldWorld(t)
	if _, err := w.app.st.CreateTicketField(context.Background(), w.adam.ID, store.TicketFieldInput{Name: "Order number", Code: "order_no",
		Type: store.FieldNumber, Required: true}); err != nil {
		t.Fatal(err)
	}
	ann := w.as("ann@example.com")
	d := ann.get(views.PathTicketNew).wantStatus(200).doc()
	if d.Find(`select[name="field.product"]`).Length() != 1 || d.Find(`input[name="field.order_no"]`).Length() != 1 {
		t.Fatal("the New ticket form does not ask every field")
	}
	form := url.Values{"channel": {"call"}, "department": {idString(w.sales)}, "priority": {"1"}, "name": {"Carla"}, "email": {"carla@example.com"},
		"subject": {"Called about an order"}, "message": {"Where is it?"}, "field.product": {"Widget"}, "field.order_no": {"twelve"}}
	r := ann.post(views.PathTicketNew, form).wantStatus(http.StatusUnprocessableEntity)
	if r.text("#f-field\\.order_no-error") != "Please enter a number, such as 12 or 3.5." {
		t.Fatalf("message next to Order number: %q", r.text(".field-error"))
	}
	if page, _ := w.app.st.Queue(context.Background(), w.adam.Viewer(), store.QueueFilter{}); len(page.Tickets) != 2 {
		t.Fatalf("a refused ticket was stored: %d tickets", len(page.Tickets))
	}
	form.Set("field.order_no", "12")
	r = ann.post(views.PathTicketNew, form).wantStatus(http.StatusSeeOther)
	code := strings.TrimPrefix(r.header.Get("Location"), "/tickets/")
	if vals := w.values(t, code); len(vals) != 2 || vals[w.product] != "Widget" {
		t.Fatalf("values of the logged ticket: %v", vals)
	}
}
