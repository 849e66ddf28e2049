package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"helpline/views"
)

// The customer's ticket page: a private link, no sign-in. A wrong or reset
// token is a plain 404, like any page that does not exist.

// customerLinkParam carries the new ticket's token from the contact form to
// its confirmation page.
const customerLinkParam = "ticket"

func (s *Server) customerTicketShow(c echo.Context) error {
	noReferrer(c)
	token := c.Param("token")
	ct, err := s.st.CustomerTicketByToken(c.Request().Context(), token)
	if err != nil {
		return err
	}
	p := views.CustomerTicketProps{Ticket: ct, Token: token, Errors: views.FieldErrors{}}
	return s.render(c, http.StatusOK, views.CustomerTicketPage(p), nil)
}

// customerTicketReply adds the customer's answer; the ticket opens again.
func (s *Server) customerTicketReply(c echo.Context) error {
	noReferrer(c)
	ctx := c.Request().Context()
	token := c.Param("token")
	ct, err := s.st.CustomerTicketByToken(ctx, token)
	if err != nil {
		return err
	}
	f := newForm(c)
	body := f.multiline("body", true, maxBody)
	files := s.files(c, f, "files")
	if !f.ok() {
		p := views.CustomerTicketProps{Ticket: ct, Token: token, Body: body, Errors: f.errs}
		return s.render(c, http.StatusUnprocessableEntity, views.CustomerTicketPage(p), nil)
	}
	if s.bannedSender(c) {
		// Accepted as any reply, but kept apart as a Spam ticket: the
		// ticket neither opens again nor comes back to the queue.
		if err := s.st.CustomerReplyAsSpam(ctx, token, body, senderIP(c)); err != nil {
			return err
		}
		flash(c, views.FlashSuccess, t(c, "CustomerReplySent"))
		return s.redirect(c, views.CustomerTicketPath(token))
	}
	if _, err := s.st.CustomerReplyByToken(ctx, token, body, views.Lang(ctx), files); err != nil {
		return err
	}
	if err := s.st.NoteSender(ctx, ct.Code, senderIP(c)); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "CustomerReplySent"))
	return s.redirect(c, views.CustomerTicketPath(token))
}

// ticketCustomerLinkReset replaces the customer's link of a ticket.
func (s *Server) ticketCustomerLinkReset(c echo.Context) error {
	if err := s.st.ResetCustomerLink(c.Request().Context(), viewer(c), ticketCode(c)); err != nil {
		return err
	}
	return s.ticketDone(c, t(c, "CustomerLinkWasReset"))
}

// contactSentLink is the confirmation page with the new ticket's private
// link, when the form handed its token on and it still opens the ticket.
func (s *Server) contactSentLink(c echo.Context) (bool, error) {
	token := c.QueryParam(customerLinkParam)
	if token == "" {
		return false, nil
	}
	noReferrer(c)
	if issued, err := s.st.CustomerLinkIssued(c.Request().Context(), token); err != nil || !issued {
		return false, err
	}
	link := s.absoluteURL(c, views.CustomerTicketPath(token))
	return true, s.render(c, http.StatusOK, views.ContactSentLinkPage(link), nil)
}

// contactSentPath is where the contact form goes after storing a ticket:
// the confirmation page, carrying the ticket's private link.
func (s *Server) contactSentPath(c echo.Context, code string) (string, error) {
	ctx := c.Request().Context()
	token, err := s.st.CustomerLink(ctx, code, views.Lang(ctx))
	if err != nil {
		return "", err
	}
	return views.PathContactSent + "?" + customerLinkParam + "=" + token, nil
}
