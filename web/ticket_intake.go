package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"helpline/desk"
	"helpline/store"
	"helpline/views"
)

// Tickets arrive here: logged by an agent, or sent by a customer through the
// public contact form.

func (s *Server) ticketNew(c echo.Context) error {
	depts, err := s.st.VisibleDepartments(c.Request().Context(), viewer(c))
	if err != nil {
		return err
	}
	p := views.NewTicketProps{Values: views.NewTicketValues{Channel: string(store.ChannelCall)}, Errors: views.FieldErrors{}, Departments: depts}
	fields, err := s.st.TicketFields(c.Request().Context())
	if err != nil {
		return err
	}
	p.Fields = fieldInputs(fields, nil)
	if len(depts) == 1 {
		p.Values.Department = depts[0].ID
	}
	return s.render(c, http.StatusOK, views.NewTicketPage(p), views.NewTicketForm(p))
}

func (s *Server) ticketCreate(c echo.Context) error {
	ctx := c.Request().Context()
	v := viewer(c)
	depts, err := s.st.VisibleDepartments(ctx, v)
	if err != nil {
		return err
	}
	in, problems := desk.ValidateTicket(desk.TicketInput{
		Channel:      desk.Channel(c.FormValue("channel")),
		DepartmentID: desk.ParseDepartmentID(c.FormValue("department")),
		Priority:     desk.ParsePriority(c.FormValue("priority")),
		ContactName:  c.FormValue("name"),
		ContactEmail: c.FormValue("email"),
		Subject:      c.FormValue("subject"),
		Body:         c.FormValue("message"),
	}, desk.Intake{ByAgent: true, Departments: idsOf(depts)})
	fields, err := s.st.TicketFields(ctx)
	if err != nil {
		return err
	}
	var errs views.FieldErrors
	if problems != nil {
		errs = intakeErrors(c, problems)
	}
	given, values := contactFieldValues(c, fields, &errs)
	if len(errs) > 0 {
		vals := views.NewTicketValues{Channel: string(in.Channel), Department: in.DepartmentID, ContactName: in.ContactName,
			ContactEmail: in.ContactEmail, Subject: in.Subject, Message: in.Body}
		if _, bad := problems[desk.FieldPriority]; !bad {
			vals.Priority = strconv.Itoa(int(in.Priority))
		}
		p := views.NewTicketProps{Values: vals, Errors: errs, Departments: depts, Fields: fieldInputs(fields, given)}
		return s.render(c, http.StatusUnprocessableEntity, views.NewTicketPage(p), views.NewTicketForm(p))
	}
	code, err := s.st.CreateTicketWithFields(ctx, &v, in, values)
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "TicketCreated", map[string]any{"Code": code}))
	return s.redirect(c, views.TicketPath(code))
}

func (s *Server) contactNew(c echo.Context) error {
	depts, err := s.st.Departments(c.Request().Context())
	if err != nil {
		return err
	}
	p := views.ContactProps{Errors: views.FieldErrors{}, Departments: depts}
	fields, err := s.contactFields(c.Request().Context())
	if err != nil {
		return err
	}
	p.Fields = fieldInputs(fields, nil)
	if len(depts) == 1 {
		p.Values.Department = depts[0].ID
	}
	return s.render(c, http.StatusOK, views.ContactPage(p), views.ContactForm(p))
}

// contactCreate takes a customer's message. A filled honeypot field is
// answered like a success and stores nothing; each address may send only so
// many tickets in a while.
func (s *Server) contactCreate(c echo.Context) error {
	ctx := c.Request().Context()
	depts, err := s.st.Departments(ctx)
	if err != nil {
		return err
	}
	if c.FormValue("website") != "" {
		return s.redirect(c, views.PathContactSent)
	}
	in, problems := desk.ValidateTicket(desk.TicketInput{
		Channel:      desk.ChannelContactForm,
		Priority:     desk.PriorityNormal,
		DepartmentID: desk.ParseDepartmentID(c.FormValue("department")),
		ContactName:  c.FormValue("name"),
		ContactEmail: c.FormValue("email"),
		Subject:      c.FormValue("subject"),
		Body:         c.FormValue("message"),
	}, desk.Intake{Departments: idsOf(depts)})
	p := views.ContactProps{Departments: depts, Values: views.ContactValues{Name: in.ContactName, Email: in.ContactEmail,
		Department: in.DepartmentID, Subject: in.Subject, Message: in.Body}}
	fields, err := s.contactFields(ctx)
	if err != nil {
		return err
	}
	if problems != nil {
		p.Errors = intakeErrors(c, problems)
	}
	given, values := contactFieldValues(c, fields, &p.Errors)
	p.Fields = fieldInputs(fields, given)
	if len(p.Errors) > 0 {
		return s.render(c, http.StatusUnprocessableEntity, views.ContactPage(p), views.ContactForm(p))
	}
	ff := newForm(c)
	files := s.files(c, ff, "files")
	if !ff.ok() {
		p.Errors = ff.errs
		return s.render(c, http.StatusUnprocessableEntity, views.ContactPage(p), views.ContactForm(p))
	}
	if !s.contactIP.take(c.RealIP()) {
		p.Errors = views.FieldErrors{"": t(c, "ContactThrottled")}
		return s.render(c, http.StatusTooManyRequests, views.ContactPage(p), views.ContactForm(p))
	}
	// From a banned address: accepted as any other, kept as Spam.
	in.SenderIP, in.Spam, in.Lang = senderIP(c), s.bannedSender(c), views.Lang(ctx)
	code, err := s.st.CreateTicketWithFields(ctx, nil, in, values)
	if err != nil {
		return err
	}
	if err := s.st.AttachToFirstMessage(ctx, code, files); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "ContactSent", map[string]any{"Code": code}))
	to, err := s.contactSentPath(c, code)
	if err != nil {
		return err
	}
	return s.redirect(c, to)
}

func (s *Server) contactSent(c echo.Context) error {
	if shown, err := s.contactSentLink(c); shown || err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.ContactSentPage(), nil)
}

// intakeFields names the form field that shows each of desk's ticket fields;
// the contact form and the New ticket form name them alike.
var intakeFields = map[desk.Field]string{
	desk.FieldChannel: "channel", desk.FieldDepartment: "department", desk.FieldPriority: "priority",
	desk.FieldContactName: "name", desk.FieldContactEmail: "email", desk.FieldSubject: "subject", desk.FieldBody: "message",
}

// intakeErrors puts desk's problems next to the form's fields, in the
// request's language.
func intakeErrors(c echo.Context, problems desk.FieldErrors) views.FieldErrors {
	errs := views.FieldErrors{}
	for field, p := range problems {
		errs[intakeFields[field]] = tf(c, p.MessageID, p.TemplateData())
	}
	return errs
}

// idsOf lists the departments' IDs, the ones a ticket may go to.
func idsOf(depts []store.Department) []int64 {
	ids := make([]int64, len(depts))
	for i, d := range depts {
		ids[i] = d.ID
	}
	return ids
}
