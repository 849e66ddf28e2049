package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"helpline/authz"
	"helpline/desk"
	"helpline/store"
	"helpline/views"
)

// The Contacts page: the requesters of the tickets an agent may see, each
// with their card and tickets; Edit contact.

const (
	contactsPageSize   = 50
	contactTicketsSize = 50
	// requesterRecent is how many of the requester's other tickets the
	// ticket page shows.
	requesterRecent = 5
	maxContactNotes = 2000
	maxPhone        = 40
	maxCompany      = 100
	maxOtherEmails  = 10
)

func (s *Server) contactsList(c echo.Context) error {
	search := strings.TrimSpace(c.QueryParam("q"))
	if len([]rune(search)) > 100 {
		search = ""
	}
	after, _ := strconv.ParseInt(c.QueryParam("after"), 10, 64)
	page, err := s.st.Contacts(c.Request().Context(), viewer(c), search, max(after, 0), contactsPageSize)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.ContactsPage(views.ContactsProps{Page: page, Search: search}), nil)
}

// contactID is the contact in the URL; a malformed one is not found.
func contactID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, store.ErrNotFound
	}
	return id, nil
}

func (s *Server) contactShow(c echo.Context) error {
	ctx, v := c.Request().Context(), viewer(c)
	id, err := contactID(c)
	if err != nil {
		return err
	}
	card, err := s.st.ContactByID(ctx, v, id)
	if err != nil {
		return err
	}
	tickets, err := s.st.ContactTickets(ctx, v, id, 0, contactTicketsSize)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.ContactCardPage(views.ContactCardProps{Contact: card, Tickets: tickets,
		CanEdit: v.Can(authz.ContactsEdit), CanRemove: v.Can(authz.ContactsRemove), Errors: views.FieldErrors{}}), nil)
}

func (s *Server) contactEdit(c echo.Context) error {
	id, err := contactID(c)
	if err != nil {
		return err
	}
	card, err := s.st.ContactByID(c.Request().Context(), viewer(c), id)
	if err != nil {
		return err
	}
	vals := store.ContactInput{Name: card.Name, Phone: card.Phone, Company: card.Company, Notes: card.Notes}
	return s.render(c, http.StatusOK, views.ContactEditPage(views.ContactFormProps{Contact: card, Values: vals,
		OtherEmails: strings.Join(card.OtherEmails, "\n"), Errors: views.FieldErrors{}}), nil)
}

func (s *Server) contactUpdate(c echo.Context) error {
	ctx, v := c.Request().Context(), viewer(c)
	id, err := contactID(c)
	if err != nil {
		return err
	}
	card, err := s.st.ContactByID(ctx, v, id)
	if err != nil {
		return err
	}
	f := newForm(c)
	in := store.ContactInput{
		Name:    f.text("name", true, desk.MaxName),
		Phone:   f.text("phone", false, maxPhone),
		Company: f.text("company", false, maxCompany),
		Notes:   f.multiline("notes", false, maxContactNotes),
	}
	typed := c.FormValue("emails")
	in.OtherEmails = otherEmailsField(f, typed)
	invalid := func() error {
		return s.render(c, http.StatusUnprocessableEntity, views.ContactEditPage(views.ContactFormProps{Contact: card, Values: in,
			OtherEmails: typed, Errors: f.errs}), nil)
	}
	if !f.ok() {
		return invalid()
	}
	err = s.st.UpdateContact(ctx, v, id, in)
	if errors.As(err, new(store.ErrConflict)) {
		f.fail("emails", "ErrEmailOfAnotherContact", nil)
		return invalid()
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "ContactSaved"))
	return s.redirect(c, views.ContactPath(id))
}

// otherEmailsField reads Other emails: addresses one per line (or
// separated by commas or spaces), each a plain email.
func otherEmailsField(f *form, typed string) []string {
	var out []string
	for _, e := range strings.FieldsFunc(typed, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == ' ' || r == ';' }) {
		if len(out) == maxOtherEmails || len(e) > maxEmail || !desk.ValidEmail(e) {
			f.fail("emails", "ErrOtherEmails", map[string]any{"Max": maxOtherEmails})
			return nil
		}
		out = append(out, e)
	}
	return out
}

// contactMerge merges this contact into the one with the typed email.
func (s *Server) contactMerge(c echo.Context) error {
	ctx, v := c.Request().Context(), viewer(c)
	id, err := contactID(c)
	if err != nil {
		return err
	}
	card, err := s.st.ContactByID(ctx, v, id)
	if err != nil {
		return err
	}
	f := newForm(c)
	email := f.email("into")
	var into int64
	if f.ok() {
		into, err = s.st.VisibleContactByEmail(ctx, v, email)
		switch {
		case errors.Is(err, store.ErrNotFound):
			f.fail("into", "ErrRequesterUnknown", nil)
		case err != nil:
			return err
		case into == id:
			f.fail("into", "ErrMergeContactSelf", nil)
		}
	}
	if !f.ok() {
		tickets, err := s.st.ContactTickets(ctx, v, id, 0, contactTicketsSize)
		if err != nil {
			return err
		}
		return s.render(c, http.StatusUnprocessableEntity, views.ContactCardPage(views.ContactCardProps{Contact: card, Tickets: tickets,
			CanEdit: true, CanRemove: v.Can(authz.ContactsRemove), Into: email, Errors: f.errs}), nil)
	}
	if err := s.st.MergeContacts(ctx, v, id, into); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "ContactMerged", map[string]any{"Name": card.Name}))
	return s.redirect(c, views.ContactPath(into))
}

func (s *Server) contactRemoveConfirm(c echo.Context) error {
	id, err := contactID(c)
	if err != nil {
		return err
	}
	card, err := s.st.ContactByID(c.Request().Context(), viewer(c), id)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.ContactRemovePage(card), nil)
}

// contactRemove anonymises the contact; their tickets stay.
func (s *Server) contactRemove(c echo.Context) error {
	id, err := contactID(c)
	if err != nil {
		return err
	}
	if err := s.st.AnonymiseContact(c.Request().Context(), viewer(c), id); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "ContactAnonymised"))
	return s.redirect(c, views.ContactPath(id))
}

// requesterTickets fills the ticket page's card of the requester's other
// recent tickets, those the viewer may see.
func (s *Server) requesterTickets(ctx context.Context, v authz.Viewer, tk store.Ticket, into *views.RequesterTicketsProps) error {
	tickets, err := s.st.ContactTickets(ctx, v, tk.ContactID, tk.ID, requesterRecent)
	if err != nil {
		return err
	}
	*into = views.RequesterTicketsProps{ContactID: tk.ContactID, Tickets: tickets, CanOpen: v.Can(authz.ContactsRead)}
	return nil
}
