package web

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"helpline/desk"
	"helpline/store"
	"helpline/views"
)

// Configuration → Ticket fields: the fields tickets carry besides the
// intake's own.

// The audit log names this screen's actions and those of saved views.
func init() {
	for action, id := range map[store.AuditAction]string{
		store.ActionTicketFieldCreate: "AuditTicketFieldCreate",
		store.ActionTicketFieldUpdate: "AuditTicketFieldUpdate",
		store.ActionTicketFieldMove:   "AuditTicketFieldMove",
		store.ActionTicketFieldRemove: "AuditTicketFieldRemove",
		store.ActionSavedViewCreate:   "AuditSavedViewCreate",
		store.ActionSavedViewRename:   "AuditSavedViewRename",
		store.ActionSavedViewMove:     "AuditSavedViewMove",
		store.ActionSavedViewRemove:   "AuditSavedViewRemove",
	} {
		auditActionLabels[action] = id
	}
}

func (s *Server) ticketFieldsList(c echo.Context) error {
	fields, err := s.st.TicketFields(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderConfig(c, http.StatusOK, views.TicketFieldsPage(views.TicketFieldsProps{Fields: fields}), nil)
}

// readTicketFieldForm parses the field form; creating reads the type too.
func readTicketFieldForm(c echo.Context, creating bool) (views.TicketFieldValues, store.TicketFieldInput, *form) {
	f := newForm(c)
	v := views.TicketFieldValues{
		Name:          f.text("name", true, maxName),
		Code:          strings.TrimSpace(c.FormValue("code")),
		Options:       strings.TrimSpace(strings.ReplaceAll(c.FormValue("options"), "\r\n", "\n")),
		Required:      c.FormValue("required") != "",
		OnContactForm: c.FormValue("on_contact_form") != "",
	}
	switch {
	case v.Code == "":
		f.fail("code", "ErrRequired", nil)
	case !desk.ValidFieldCode(v.Code):
		f.fail("code", "ErrFieldCode", nil)
	}
	if creating {
		types := make([]string, len(desk.FieldTypes))
		for i, t := range desk.FieldTypes {
			types[i] = string(t)
		}
		v.Type = f.choice("type", true, types...)
	}
	in := store.TicketFieldInput{Name: v.Name, Code: v.Code, Type: store.FieldType(v.Type), Required: v.Required, OnContactForm: v.OnContactForm}
	return v, in, f
}

// checkOptions reads a Dropdown's options into in, or says what is wrong.
func checkOptions(f *form, v views.TicketFieldValues, in *store.TicketFieldInput) {
	if in.Type != store.FieldDropdown {
		return
	}
	in.Options = desk.FieldOptions(v.Options)
	switch {
	case len(in.Options) == 0:
		f.fail("options", "ErrFieldOptionsRequired", nil)
	case len(in.Options) > desk.MaxFieldOptions:
		f.fail("options", "ErrFieldOptionsTooMany", map[string]any{"Max": desk.MaxFieldOptions})
	}
	for _, o := range in.Options {
		switch {
		case utf8.RuneCountInString(o) > desk.MaxFieldOption:
			f.fail("options", "ErrTooLong", map[string]any{"Max": desk.MaxFieldOption})
		case !plainText(o, false):
			f.fail("options", "ErrInvalidChoice", nil)
		}
	}
}

func fieldCodeTaken(f *form, err error) bool {
	var ce store.ErrConflict
	if errors.As(err, &ce) && ce.Field == "code" {
		f.fail("code", "ErrFieldCodeTaken", nil)
		return true
	}
	return false
}

func (s *Server) ticketFieldNew(c echo.Context) error {
	p := views.TicketFieldFormProps{Values: views.TicketFieldValues{Type: string(store.FieldText)}, Errors: views.FieldErrors{}}
	return s.renderConfig(c, http.StatusOK, views.TicketFieldFormPage(p), nil)
}

func (s *Server) ticketFieldCreate(c echo.Context) error {
	v, in, f := readTicketFieldForm(c, true)
	checkOptions(f, v, &in)
	invalid := func() error {
		return s.renderConfig(c, http.StatusUnprocessableEntity, views.TicketFieldFormPage(views.TicketFieldFormProps{Values: v, Errors: f.errs}), nil)
	}
	if !f.ok() {
		return invalid()
	}
	_, err := s.st.CreateTicketField(c.Request().Context(), currentAgent(c).ID, in)
	if fieldCodeTaken(f, err) {
		return invalid()
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "TicketFieldCreated", map[string]any{"Name": v.Name}))
	return s.redirect(c, views.PathTicketFields)
}

func (s *Server) ticketFieldFromPath(c echo.Context) (store.TicketField, error) {
	id, err := pathID(c)
	if err != nil {
		return store.TicketField{}, err
	}
	return s.st.TicketFieldByID(c.Request().Context(), id)
}

func (s *Server) ticketFieldEdit(c echo.Context) error {
	fd, err := s.ticketFieldFromPath(c)
	if err != nil {
		return err
	}
	v := views.TicketFieldValues{Name: fd.Name, Code: fd.Code, Type: string(fd.Type), Options: strings.Join(fd.Options, "\n"),
		Required: fd.Required, OnContactForm: fd.OnContactForm}
	return s.renderConfig(c, http.StatusOK, views.TicketFieldFormPage(views.TicketFieldFormProps{ID: fd.ID, Values: v, Errors: views.FieldErrors{}}), nil)
}

func (s *Server) ticketFieldUpdate(c echo.Context) error {
	fd, err := s.ticketFieldFromPath(c)
	if err != nil {
		return err
	}
	v, in, f := readTicketFieldForm(c, false)
	v.Type, in.Type = string(fd.Type), fd.Type
	checkOptions(f, v, &in)
	invalid := func() error {
		return s.renderConfig(c, http.StatusUnprocessableEntity, views.TicketFieldFormPage(views.TicketFieldFormProps{ID: fd.ID, Values: v, Errors: f.errs}), nil)
	}
	if !f.ok() {
		return invalid()
	}
	err = s.st.UpdateTicketField(c.Request().Context(), currentAgent(c).ID, fd.ID, in)
	if fieldCodeTaken(f, err) {
		return invalid()
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "TicketFieldSaved", map[string]any{"Name": v.Name}))
	return s.redirect(c, views.PathTicketFields)
}

func (s *Server) ticketFieldMove(c echo.Context) error {
	fd, err := s.ticketFieldFromPath(c)
	if err != nil {
		return err
	}
	dir := c.FormValue("dir")
	if dir != "up" && dir != "down" {
		return echo.ErrBadRequest
	}
	if err := s.st.MoveTicketField(c.Request().Context(), currentAgent(c).ID, fd.ID, dir == "up"); err != nil {
		return err
	}
	return s.redirect(c, views.PathTicketFields)
}

// ticketFieldRemoveConfirm asks before removing, naming how many tickets
// have a value of the field.
func (s *Server) ticketFieldRemoveConfirm(c echo.Context) error {
	fd, err := s.ticketFieldFromPath(c)
	if err != nil {
		return err
	}
	uses, err := s.st.TicketFieldUses(c.Request().Context(), fd.ID)
	if err != nil {
		return err
	}
	body := t(c, "RemoveTicketFieldUnused")
	if uses > 0 {
		body = views.Tn(c.Request().Context(), "RemoveTicketFieldUsed", uses, map[string]any{"N": views.Num(c.Request().Context(), uses)})
	}
	return s.renderConfig(c, http.StatusOK, views.ConfirmPage(views.ConfirmProps{
		Title:  tf(c, "RemoveTicketFieldTitle", map[string]any{"Name": fd.Name}),
		Body:   body,
		Action: views.WithID(views.PathTicketFieldRemove, fd.ID),
		Back:   views.PathTicketFields,
	}), nil)
}

func (s *Server) ticketFieldRemove(c echo.Context) error {
	fd, err := s.ticketFieldFromPath(c)
	if err != nil {
		return err
	}
	if err := s.st.RemoveTicketField(c.Request().Context(), currentAgent(c).ID, fd.ID); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "TicketFieldRemoved", map[string]any{"Name": fd.Name}))
	return s.redirect(c, views.PathTicketFields)
}
