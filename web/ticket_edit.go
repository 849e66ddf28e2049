package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"helpline/desk"
	"helpline/store"
	"helpline/views"
)

// Edit ticket and Merge into…, each a page of its own so they work without
// scripts; the ticket page links to them.

func (s *Server) ticketEdit(c echo.Context) error {
	tk, err := s.st.TicketByCode(c.Request().Context(), viewer(c), ticketCode(c))
	if err != nil {
		return err
	}
	if err := s.refuseMerged(c, tk.Code); err != nil {
		return err
	}
	fv, _ := queueFilter(c)
	return s.render(c, http.StatusOK, views.TicketEditPage(views.TicketEditProps{Ticket: tk, Queue: fv, Errors: views.FieldErrors{},
		Values: views.TicketEditValues{Subject: tk.Subject, Priority: strconv.Itoa(int(tk.Priority)), Requester: tk.ContactEmail}}), nil)
}

func (s *Server) ticketUpdate(c echo.Context) error {
	ctx, code, v := c.Request().Context(), ticketCode(c), viewer(c)
	tk, err := s.st.TicketByCode(ctx, v, code)
	if err != nil {
		return err
	}
	f := newForm(c)
	vals := views.TicketEditValues{Priority: c.FormValue("priority")}
	vals.Subject = f.text("subject", true, desk.MaxSubject)
	vals.Requester = f.email("requester")
	pr := desk.ParsePriority(vals.Priority)
	if !pr.Valid() {
		f.fail("priority", "ErrInvalidChoice", nil)
	}
	invalid := func() error {
		fv, _ := queueFilter(c)
		return s.render(c, http.StatusUnprocessableEntity, views.TicketEditPage(views.TicketEditProps{Ticket: tk, Queue: fv, Values: vals, Errors: f.errs}), nil)
	}
	if !f.ok() {
		return invalid()
	}
	err = s.st.EditTicket(ctx, v, code, store.TicketEdit{Subject: vals.Subject, Priority: pr, RequesterEmail: vals.Requester})
	if store.IsRule(err, store.RuleRequesterNotVisible) {
		f.fail("requester", "ErrRequesterUnknown", nil)
		return invalid()
	}
	if err != nil {
		return err
	}
	return s.ticketDone(c, t(c, "TicketEdited"))
}

func (s *Server) ticketMergeForm(c echo.Context) error {
	tk, err := s.st.TicketByCode(c.Request().Context(), viewer(c), ticketCode(c))
	if err != nil {
		return err
	}
	if err := s.refuseMerged(c, tk.Code); err != nil {
		return err
	}
	fv, _ := queueFilter(c)
	return s.render(c, http.StatusOK, views.TicketMergePage(views.TicketMergeProps{Ticket: tk, Queue: fv, Errors: views.FieldErrors{}}), nil)
}

// ticketMerge merges the ticket into the one whose code was typed. A code
// outside the viewer's departments is not found, as everywhere: 404.
func (s *Server) ticketMerge(c echo.Context) error {
	ctx, code, v := c.Request().Context(), ticketCode(c), viewer(c)
	tk, err := s.st.TicketByCode(ctx, v, code)
	if err != nil {
		return err
	}
	f := newForm(c)
	typed := f.text("into", true, 20)
	into, ok := store.NormalizeCode(typed)
	if f.ok() && !ok {
		f.fail("into", "ErrTicketCode", nil)
	}
	if f.ok() && into == tk.Code {
		f.fail("into", "ErrMergeSelf", nil)
	}
	if !f.ok() {
		fv, _ := queueFilter(c)
		return s.render(c, http.StatusUnprocessableEntity, views.TicketMergePage(views.TicketMergeProps{Ticket: tk, Queue: fv, Into: typed, Errors: f.errs}), nil)
	}
	if err := s.st.MergeTicket(ctx, v, code, into); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "TicketMerged", map[string]any{"Code": code, "Into": into}))
	fv, _ := queueFilter(c)
	return s.redirect(c, fv.TicketURL(into))
}

// refuseMerged answers 404 for the edit and merge pages of a merged
// ticket: it is a pointer and takes no more changes.
func (s *Server) refuseMerged(c echo.Context, code string) error {
	into, err := s.st.MergedInto(c.Request().Context(), viewer(c), code)
	if err != nil {
		return err
	}
	if into != "" {
		return store.ErrNotFound
	}
	return nil
}
