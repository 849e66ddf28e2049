package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// ticketCode is the code in the URL as tickets store it: people type codes
// in any letter case, with or without the dashes.
func ticketCode(c echo.Context) string {
	if code, ok := store.NormalizeCode(c.Param("code")); ok {
		return code
	}
	return c.Param("code")
}

// ticketURL is a ticket's page in the view of the queue the request came
// from (its filters ride along in the query).
func ticketURL(c echo.Context, code string) string {
	fv, _ := queueFilter(c)
	return fv.TicketURL(code)
}

// zoneLabel names the zone postponing reads times in, the desk's
// (Configuration → General), with its offset at now: "Europe/Warsaw
// (UTC+02:00)".
func zoneLabel(loc *time.Location, now time.Time) string {
	if loc.String() == "UTC" {
		return "UTC"
	}
	return loc.String() + " (UTC" + now.In(loc).Format("-07:00") + ")"
}

// ticketProps loads everything the ticket page shows.
func (s *Server) ticketProps(ctx context.Context, v authz.Viewer, code string, fv views.QueueFilterValues) (views.TicketProps, error) {
	tk, err := s.st.TicketByCode(ctx, v, code)
	if err != nil {
		return views.TicketProps{}, err
	}
	p := views.TicketProps{Ticket: tk, Queue: fv, CanAct: v.Can(authz.TicketsReply), Zone: zoneLabel(views.Zone(ctx), time.Now()), Errors: views.FieldErrors{}}
	if p.Thread, err = s.st.Thread(ctx, tk.ID); err != nil {
		return p, err
	}
	if p.Fields, err = s.ticketFieldInputs(ctx, tk.ID); err != nil {
		return p, err
	}
	if p.Deliveries, err = s.st.Deliveries(ctx, tk.ID); err != nil {
		return p, err
	}
	if p.SLA, err = s.st.TicketSLA(ctx, tk.ID); err != nil {
		return p, err
	}
	if err := s.st.WithAttachments(ctx, tk.ID, p.Thread); err != nil {
		return p, err
	}
	for _, m := range p.Thread {
		p.Together.Seen = max(p.Together.Seen, m.ID)
	}
	if p.Together.MergedInto, err = s.st.MergedInto(ctx, v, code); err != nil {
		return p, err
	}
	if err := s.requesterTickets(ctx, v, tk, &p.Together.Requester); err != nil {
		return p, err
	}
	// A merged ticket is a pointer: it shows its history and the link.
	p.CanAct = p.CanAct && p.Together.MergedInto == ""
	p.Together.CanEdit, p.Together.CanMerge = v.Can(authz.TicketsEdit), v.Can(authz.TicketsMerge)
	if p.SenderIP, err = s.st.SenderIP(ctx, v, code); err != nil {
		return p, err
	}
	if !p.CanAct {
		return p, nil
	}
	if p.Assignable, err = s.st.AssignableAgents(ctx, tk.DepartmentID); err != nil {
		return p, err
	}
	if p.Together.Mentionable, err = s.st.MentionableAgents(ctx, tk.DepartmentID); err != nil {
		return p, err
	}
	if p.Answers, err = s.answerPicker(ctx, v, tk.DepartmentID, ""); err != nil {
		return p, err
	}
	depts, err := s.st.Departments(ctx)
	if err != nil {
		return p, err
	}
	for _, d := range depts {
		if d.ID != tk.DepartmentID {
			p.Departments = append(p.Departments, d)
		}
	}
	return p, nil
}

// ticketShow serves the ticket page, kept between changes like the queue:
// a viewer's kept page is their own (or shared by those who see every
// department and may act alike), built only after the store let them see
// the ticket. A code in another letter case is sent to its stored form.
func (s *Server) ticketShow(c echo.Context) error {
	ctx := c.Request().Context()
	code, v := ticketCode(c), viewer(c)
	if code != c.Param("code") {
		to := views.TicketPath(code)
		if q := c.Request().URL.RawQuery; q != "" {
			to += "?" + q
		}
		return c.Redirect(http.StatusMovedPermanently, to)
	}
	fv, _ := queueFilter(c)
	// Insert answer lists the viewer's own personal answers: the page is theirs.
	key := ticketKey(ctx, v, code, fv)
	// The page is built for everyone who asks for it meanwhile: on the
	// build's context, never on this request's.
	body, err := s.fragments.get(ctx, key, func(ctx context.Context) (piece, error) {
		p, err := s.ticketProps(ctx, v, code, fv)
		if err != nil {
			return piece{}, err
		}
		// Beyond the ticket, the page lists its requester's other tickets.
		topics := []store.Topic{{Kind: store.TopicTicket, ID: p.Ticket.ID}, {Kind: store.TopicContact, ID: p.Ticket.ContactID}}
		return piece{Body: views.TicketBody(p), Title: p.Ticket.Subject, Topics: topics}, nil
	})
	if err != nil {
		return err
	}
	// Opening the ticket reads its notifications, before the top bar counts them.
	if err := s.st.ReadTicket(ctx, v, code); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.TicketPage(body.Title, body.Body), nil)
}

// ticketInvalid shows the ticket page again with a field's message (422).
func (s *Server) ticketInvalid(c echo.Context, fill func(*views.TicketProps)) error {
	fv, _ := queueFilter(c)
	p, err := s.ticketProps(c.Request().Context(), viewer(c), ticketCode(c), fv)
	if err != nil {
		return err
	}
	fill(&p)
	return s.render(c, http.StatusUnprocessableEntity, views.TicketPage(p.Ticket.Subject, views.TicketBody(p)), nil)
}

// ticketDone answers a finished action: back to the ticket, saying what
// the action did.
func (s *Server) ticketDone(c echo.Context, msg string) error {
	flash(c, views.FlashSuccess, msg)
	return s.redirect(c, ticketURL(c, ticketCode(c)))
}

// ticketMessage sends the editor: a reply to the customer or an internal
// note. With "then=next" it opens the ticket that follows in the view of
// the queue the page was opened from.
func (s *Server) ticketMessage(c echo.Context) error {
	ctx := c.Request().Context()
	code, v := ticketCode(c), viewer(c)
	f := newForm(c)
	kind := f.choice("kind", false, views.EditorReply, views.EditorNote)
	if kind == "" {
		kind = views.EditorReply
	}
	body := f.multiline("body", true, maxBody)
	var files []store.NewAttachment
	if kind == views.EditorReply {
		files = s.files(c, f, "files")
	}
	if !f.ok() {
		return s.ticketInvalid(c, func(p *views.TicketProps) { p.Kind, p.Body, p.Errors = kind, body, f.errs })
	}
	if asked, err := s.replyCollision(c, kind, body); asked || err != nil {
		return err
	}
	before, err := s.st.TicketByCode(ctx, v, code)
	if err != nil {
		return err
	}
	// Where the ticket stands before the message moves it: the next
	// ticket is the one after that place.
	next := c.FormValue("then") == "next"
	_, qf, err := s.queueFilterWithFields(c)
	if err != nil {
		return err
	}
	var place store.QueuePlace
	if next {
		if place, err = s.st.PlaceInQueue(ctx, v, qf, before); err != nil {
			return err
		}
	}
	var msg string
	if kind == views.EditorNote {
		err = s.st.AddNote(ctx, v, code, body)
		msg = t(c, "NoteAddedInternal")
	} else {
		err = s.st.ReplyWith(ctx, v, code, body, files)
		msg = tf(c, "ReplySentTo", map[string]any{"Name": before.ContactName, "Status": views.StatusLabel(ctx, store.TicketAnswered)})
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, msg)
	if next {
		return s.openNext(c, place)
	}
	return s.redirect(c, ticketURL(c, code))
}

// openNext goes on to the ticket after place in the view of the queue the
// request came from, or back to that view when none follows.
func (s *Server) openNext(c echo.Context, place store.QueuePlace) error {
	fv, f, err := s.queueFilterWithFields(c)
	if err != nil {
		return err
	}
	next, err := s.st.NextInQueue(c.Request().Context(), viewer(c), f, place)
	if errors.Is(err, store.ErrNotFound) {
		flash(c, views.FlashInfo, t(c, "QueueDone"))
		return s.redirect(c, fv.QueueURL())
	}
	if err != nil {
		return err
	}
	return s.redirect(c, fv.TicketURL(next))
}

// ticketDeleteConfirm asks before deleting, for browsers without scripts;
// with them the page's dialog asks.
func (s *Server) ticketDeleteConfirm(c echo.Context) error {
	tk, err := s.st.TicketByCode(c.Request().Context(), viewer(c), ticketCode(c))
	if err != nil {
		return err
	}
	fv, _ := queueFilter(c)
	return s.render(c, http.StatusOK, views.TicketDeletePage(views.TicketDeleteProps{Ticket: tk, Queue: fv}), nil)
}

func (s *Server) ticketDelete(c echo.Context) error {
	code := ticketCode(c)
	if err := s.st.SetStatus(c.Request().Context(), viewer(c), code, store.TicketDeleted); err != nil {
		return err
	}
	return s.ticketDone(c, tf(c, "TicketDeletedDone", map[string]any{"Code": code}))
}

// openTypedCode sends a search for a ticket's code straight to the ticket
// when the viewer may see it; any other search is the queue's.
func (s *Server) openTypedCode(queue echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		code, ok := store.NormalizeCode(c.QueryParam("q"))
		if !ok {
			return queue(c)
		}
		_, err := s.st.TicketByCode(c.Request().Context(), viewer(c), code)
		switch {
		case err == nil:
			return s.redirect(c, views.TicketPath(code))
		case errors.Is(err, store.ErrNotFound):
			return queue(c)
		}
		return err
	}
}
