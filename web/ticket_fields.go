package web

import (
	"context"
	"errors"
	"slices"

	"github.com/labstack/echo/v4"

	"helpline/desk"
	"helpline/store"
	"helpline/views"
)

// Ticket fields on the ticket page, the contact form and the queue's
// filters.

// fieldInputs pairs each field with its value.
func fieldInputs(fields []store.TicketField, values map[int64]string) []views.FieldInput {
	out := make([]views.FieldInput, len(fields))
	for i, f := range fields {
		out[i] = views.FieldInput{Field: f, Value: values[f.ID]}
	}
	return out
}

// postedFieldValues reads the posted value of each field, by field id.
func postedFieldValues(c echo.Context, fields []store.TicketField) map[int64]string {
	out := map[int64]string{}
	for _, f := range fields {
		out[f.ID] = c.FormValue(views.FieldInputName(f.Code))
	}
	return out
}

// fieldValueErrors puts the store's problems next to the fields' inputs.
func fieldValueErrors(c echo.Context, fields []store.TicketField, fe store.FieldValueErrors, into views.FieldErrors) {
	for _, f := range fields {
		if p, bad := fe[f.ID]; bad {
			into[views.FieldInputName(f.Code)] = tf(c, p.MessageID, p.TemplateData())
		}
	}
}

// ticketFieldInputs loads the ticket's fields and values for its page.
func (s *Server) ticketFieldInputs(ctx context.Context, ticketID int64) ([]views.FieldInput, error) {
	fields, err := s.st.TicketFields(ctx)
	if err != nil || len(fields) == 0 {
		return nil, err
	}
	values, err := s.st.TicketFieldValues(ctx, ticketID)
	if err != nil {
		return nil, err
	}
	return fieldInputs(fields, values), nil
}

// ticketFieldsSave saves the ticket's field values: all or, with a bad
// value, none (422 with the message next to the field).
func (s *Server) ticketFieldsSave(c echo.Context) error {
	ctx := c.Request().Context()
	fields, err := s.st.TicketFields(ctx)
	if err != nil {
		return err
	}
	given := postedFieldValues(c, fields)
	err = s.st.SetTicketFields(ctx, viewer(c), ticketCode(c), given)
	var fe store.FieldValueErrors
	if errors.As(err, &fe) {
		return s.ticketInvalid(c, func(p *views.TicketProps) {
			p.Fields = fieldInputs(fields, given)
			fieldValueErrors(c, fields, fe, p.Errors)
		})
	}
	if err != nil {
		return err
	}
	return s.ticketDone(c, t(c, "TicketFieldsSaved"))
}

// contactFields are the fields the contact form asks.
func (s *Server) contactFields(ctx context.Context) ([]store.TicketField, error) {
	fields, err := s.st.TicketFields(ctx)
	if err != nil {
		return nil, err
	}
	var out []store.TicketField
	for _, f := range fields {
		if f.OnContactForm {
			out = append(out, f)
		}
	}
	return out, nil
}

// contactFieldValues reads and checks the fields a new ticket is asked
// (the contact form's, or every one on the New ticket form): the values to
// store, or the problems added to errs.
func contactFieldValues(c echo.Context, fields []store.TicketField, errs *views.FieldErrors) (given, values map[int64]string) {
	given = postedFieldValues(c, fields)
	values, err := store.CheckFieldValues(fields, given)
	var fe store.FieldValueErrors
	if errors.As(err, &fe) {
		if *errs == nil {
			*errs = views.FieldErrors{}
		}
		fieldValueErrors(c, fields, fe, *errs)
	}
	return given, values
}

// queueFieldFilters resolves the queue's field filters in the URL against
// the Dropdown and Checkbox fields: a filter by a field that is not one,
// or by a value it does not offer, is dropped. It returns the filters the
// queue offers with the value chosen in each.
func (s *Server) queueFieldFilters(ctx context.Context, fv *views.QueueFilterValues, f *store.QueueFilter) ([]views.QueueFieldFilter, error) {
	fields, err := s.st.TicketFields(ctx)
	if err != nil {
		return nil, err
	}
	asked := map[string]string{}
	for _, ff := range fv.Fields {
		asked[ff.Code] = ff.Value
	}
	fv.Fields, f.Fields = nil, nil
	var offered []views.QueueFieldFilter
	for _, fd := range fields {
		if !fd.Type.Filterable() {
			continue
		}
		v := asked[fd.Code]
		ok := v != "" && (fd.Type == store.FieldCheckbox && v == desk.CheckboxOn || fd.Type == store.FieldDropdown && slices.Contains(fd.Options, v))
		if !ok {
			v = ""
		} else {
			fv.Fields = append(fv.Fields, views.FieldFilterValue{Code: fd.Code, Value: v})
			f.Fields = append(f.Fields, store.FieldMatch{FieldID: fd.ID, Value: v})
		}
		offered = append(offered, views.QueueFieldFilter{Field: fd, Value: v})
	}
	return offered, nil
}

// queueFilterWithFields is queueFilter with its field filters checked and
// applied, for the store's queries of the view a request came from.
func (s *Server) queueFilterWithFields(c echo.Context) (views.QueueFilterValues, store.QueueFilter, error) {
	fv, f := queueFilter(c)
	_, err := s.queueFieldFilters(c.Request().Context(), &fv, &f)
	return fv, f, err
}
