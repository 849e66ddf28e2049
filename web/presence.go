package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"helpline/store"
	"helpline/views"
)

// Collision detection: an open ticket page polls who else has it open,
// and a reply sent after another agent's asks first.

// ticketPresence records that the viewer has the ticket open and answers
// with the others on it. Without htmx it goes back to the ticket.
func (s *Server) ticketPresence(c echo.Context) error {
	others, err := s.st.TouchPresence(c.Request().Context(), viewer(c), ticketCode(c), c.FormValue("replying") == "1")
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return s.redirect(c, views.TicketPath(ticketCode(c)))
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, nil, views.PresenceList(others))
}

// ticketLeave clears the viewer's presence as the page closes.
func (s *Server) ticketLeave(c echo.Context) error {
	if err := s.st.LeaveTicket(c.Request().Context(), viewer(c), ticketCode(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// replyCollision checks, before a reply goes out, whether another agent
// replied since the page was loaded (its "seen" message). When so, and
// the agent did not choose Send anyway, it shows the page again with the
// question and her reply, keeping what was written (409), and reports
// true. A form without "seen" (an old page) is not asked about.
func (s *Server) replyCollision(c echo.Context, kind, body string) (bool, error) {
	if kind != views.EditorReply || c.FormValue("anyway") == "1" {
		return false, nil
	}
	seen, err := strconv.ParseInt(c.FormValue("seen"), 10, 64)
	if err != nil || seen <= 0 {
		return false, nil
	}
	r, err := s.st.ReplySince(c.Request().Context(), viewer(c), ticketCode(c), seen)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	fv, _ := queueFilter(c)
	p, err := s.ticketProps(c.Request().Context(), viewer(c), ticketCode(c), fv)
	if err != nil {
		return false, err
	}
	p.Kind, p.Body, p.Together.Collision = kind, body, &r
	return true, s.render(c, http.StatusConflict, views.TicketPage(p.Ticket.Subject, views.TicketBody(p)), nil)
}
