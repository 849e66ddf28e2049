package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

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
	f := newForm(c)
	logged := make([]string, len(store.LoggedChannels))
	for i, ch := range store.LoggedChannels {
		logged[i] = string(ch)
	}
	vals := views.NewTicketValues{
		Channel:      f.choice("channel", true, logged...),
		Department:   f.department("department", depts),
		Priority:     f.choice("priority", true, "0", "1", "2", "3"),
		ContactName:  f.text("name", true, maxName),
		ContactEmail: f.email("email"),
		Subject:      f.text("subject", true, maxSubject),
		Message:      f.multiline("message", true, maxBody),
	}
	if !f.ok() {
		p := views.NewTicketProps{Values: vals, Errors: f.errs, Departments: depts}
		return s.render(c, http.StatusUnprocessableEntity, views.NewTicketPage(p), views.NewTicketForm(p))
	}
	prio, _ := strconv.Atoi(vals.Priority)
	code, err := s.st.CreateTicket(ctx, &v, store.NewTicketInput{
		Subject: vals.Subject, Body: vals.Message, Channel: store.Channel(vals.Channel), Priority: store.Priority(prio),
		DepartmentID: vals.Department, ContactName: vals.ContactName, ContactEmail: vals.ContactEmail,
	})
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
	f := newForm(c)
	vals := views.ContactValues{
		Name:       f.text("name", true, maxName),
		Email:      f.email("email"),
		Department: f.department("department", depts),
		Subject:    f.text("subject", true, maxSubject),
		Message:    f.multiline("message", true, maxBody),
	}
	if c.FormValue("website") != "" {
		return s.redirect(c, views.PathContactSent)
	}
	p := views.ContactProps{Values: vals, Errors: f.errs, Departments: depts}
	if !f.ok() {
		return s.render(c, http.StatusUnprocessableEntity, views.ContactPage(p), views.ContactForm(p))
	}
	if !s.contactIP.take(c.RealIP()) {
		p.Errors = views.FieldErrors{"": t(c, "ContactThrottled")}
		return s.render(c, http.StatusTooManyRequests, views.ContactPage(p), views.ContactForm(p))
	}
	code, err := s.st.CreateTicket(ctx, nil, store.NewTicketInput{
		Subject: vals.Subject, Body: vals.Message, Channel: store.ChannelContactForm, Priority: store.PriorityNormal,
		DepartmentID: vals.Department, ContactName: vals.Name, ContactEmail: vals.Email,
	})
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "ContactSent", map[string]any{"Code": code}))
	return s.redirect(c, views.PathContactSent)
}

func (s *Server) contactSent(c echo.Context) error {
	return s.render(c, http.StatusOK, views.ContactSentPage(), nil)
}
