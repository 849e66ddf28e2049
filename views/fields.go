package views

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"helpline/desk"
	"helpline/store"
)

// Paths of ticket fields and saved views.
const (
	PathTicketFields      = "/config/fields"
	PathTicketFieldNew    = "/config/fields/new"
	PathTicketField       = "/config/fields/:id"
	PathTicketFieldMove   = "/config/fields/:id/move"
	PathTicketFieldRemove = "/config/fields/:id/remove"
	PathTicketFieldValues = "/tickets/:code/fields"
)

// FieldRowID is the row of a field in the fields table.
func FieldRowID(id int64) string { return "field-" + idStr(id) }

// FieldInputName is the name of a ticket field's input on the ticket page
// and the contact form, and of its filter in the queue's URL.
func FieldInputName(code string) string { return "field." + code }

// FieldParams reads the queue's field filters from its URL query: each
// field.CODE parameter, in the order of the codes.
func FieldParams(q url.Values) []FieldFilterValue {
	var out []FieldFilterValue
	for k, vs := range q {
		code, ok := strings.CutPrefix(k, "field.")
		if ok && desk.ValidFieldCode(code) && len(vs) > 0 && vs[0] != "" && len(vs[0]) <= desk.MaxFieldOption {
			out = append(out, FieldFilterValue{Code: code, Value: vs[0]})
		}
	}
	slices.SortFunc(out, func(a, b FieldFilterValue) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// FieldFilterValue is one field filter of the queue as the URL has it.
type FieldFilterValue struct {
	Code  string
	Value string
}

// FieldTypeLabel names a field type in the catalogue.
func FieldTypeLabel(ctx context.Context, t store.FieldType) string {
	return T(ctx, fieldTypeLabelIDs[t])
}

var fieldTypeLabelIDs = map[store.FieldType]string{
	store.FieldText: "FieldTypeText", store.FieldLongText: "FieldTypeLongText", store.FieldNumber: "FieldTypeNumber",
	store.FieldDate: "FieldTypeDate", store.FieldDropdown: "FieldTypeDropdown", store.FieldCheckbox: "FieldTypeCheckbox",
}

// TicketFieldsProps is the Ticket fields table.
type TicketFieldsProps struct {
	Fields []store.TicketField
}

// TicketFieldValues are the fields of the ticket field form.
type TicketFieldValues struct {
	Name          string
	Code          string
	Type          string
	Options       string // one per line
	Required      bool
	OnContactForm bool
}

// TicketFieldFormProps is the create or edit form of a ticket field.
type TicketFieldFormProps struct {
	ID     int64 // 0 creates
	Values TicketFieldValues
	Errors FieldErrors
}

func fieldFormAction(id int64) string {
	if id == 0 {
		return PathTicketFields
	}
	return WithID(PathTicketField, id)
}

// FieldInput is one ticket field asked on the ticket page or the contact
// form, with the value shown.
type FieldInput struct {
	Field store.TicketField
	Value string
}

// Name is the input's name.
func (f FieldInput) Name() string { return FieldInputName(f.Field.Code) }

// TicketFieldsCardProps is the ticket page's card of field values.
type TicketFieldsCardProps struct {
	Code     string
	Queue    QueueFilterValues
	Inputs   []FieldInput
	ReadOnly bool
	Errors   FieldErrors
}

// FieldValueText shows a stored value: a ticked Checkbox as Yes, none as a dash.
func FieldValueText(ctx context.Context, f store.TicketField, v string) string {
	switch {
	case v == "":
		return "—"
	case f.Type == store.FieldCheckbox:
		return T(ctx, "FieldYes")
	}
	return v
}

// fieldHTMLType is the input type of a one-line field.
func fieldHTMLType(t store.FieldType) string {
	if t == store.FieldDate {
		return "date"
	}
	return "text" // a Number too: "3,5" is a number in Polish and Romanian
}

// fieldMax is the most characters an input takes.
func fieldMax(t store.FieldType) string {
	switch t {
	case store.FieldLongText:
		return itoa(desk.MaxFieldLongText)
	case store.FieldNumber:
		return itoa(desk.MaxFieldNumber)
	}
	return itoa(desk.MaxFieldText)
}

// QueueFieldFilter is a Dropdown or Checkbox field offered as a filter of
// the queue, with the value chosen ("" none).
type QueueFieldFilter struct {
	Field store.TicketField
	Value string
}

// fieldValue is the value the queue is filtered by for the field code.
func (f QueueFilterValues) fieldValue(code string) string {
	for _, ff := range f.Fields {
		if ff.Code == code {
			return ff.Value
		}
	}
	return ""
}

func fieldTypes() []store.FieldType { return desk.FieldTypes }

func hasOption(options []string, v string) bool { return slices.Contains(options, v) }

func ticketFieldFormTitle(ctx context.Context, id int64) string {
	if id == 0 {
		return T(ctx, "CreateTicketField")
	}
	return T(ctx, "EditTicketField")
}

var fieldEventIDs = map[store.Event]string{
	store.EventFieldSet: "EventFieldSet", store.EventFieldCleared: "EventFieldCleared",
	store.EventFieldChecked: "EventFieldChecked", store.EventFieldUnchecked: "EventFieldUnchecked",
}

// fieldEventText describes a change of a field's value in the history; the
// field's name is the one it had then.
func fieldEventText(ctx context.Context, e store.Event, data map[string]any) (string, bool) {
	id, ok := fieldEventIDs[e]
	if !ok {
		return "", false
	}
	if e == store.EventFieldSet && data["From"] == "" {
		id = "EventFieldFirstSet"
	}
	return Tf(ctx, id, data), true
}
