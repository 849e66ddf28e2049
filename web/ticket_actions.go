package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"helpline/desk"
	"helpline/store"
	"helpline/views"
)

// The ticket page's actions. Each reads the ticket first, in the viewer's
// scope, to say afterwards what it did ("Transferred to Billing; the
// assignee Ann was cleared"); the history records the same.

func (s *Server) ticketAssign(c echo.Context) error {
	id, err := strconv.ParseInt(c.FormValue("agent"), 10, 64)
	if err != nil || id < 0 {
		return echo.ErrBadRequest
	}
	ctx, code, v := c.Request().Context(), ticketCode(c), viewer(c)
	before, err := s.st.TicketByCode(ctx, v, code)
	if err != nil {
		return err
	}
	if err := s.st.Assign(ctx, v, code, id); err != nil {
		return err
	}
	after, err := s.st.TicketByCode(ctx, v, code)
	if err != nil {
		return err
	}
	name := map[string]any{"Name": after.AssigneeName}
	switch {
	case before.AssigneeID == id && id == 0:
		return s.ticketDone(c, t(c, "UnassignUnchanged"))
	case before.AssigneeID == id:
		return s.ticketDone(c, tf(c, "AssignUnchanged", name))
	case id == 0:
		return s.ticketDone(c, t(c, "AssignCleared"))
	}
	return s.ticketDone(c, tf(c, "AssignedTo", name))
}

func (s *Server) ticketTransfer(c echo.Context) error {
	id, err := strconv.ParseInt(c.FormValue("department"), 10, 64)
	if err != nil || id <= 0 {
		return echo.ErrBadRequest
	}
	ctx, code, v := c.Request().Context(), ticketCode(c), viewer(c)
	before, err := s.st.TicketByCode(ctx, v, code)
	if err != nil {
		return err
	}
	if err := s.st.Transfer(ctx, v, code, id); err != nil {
		return err
	}
	dept, err := s.st.DepartmentByID(ctx, id)
	if err != nil {
		return err
	}
	data := map[string]any{"To": dept.Name, "Name": before.AssigneeName}
	msg := tf(c, "TransferredTo", data)
	if before.AssigneeID != 0 {
		msg = tf(c, "TransferredCleared", data)
	}
	// The ticket may now be outside the user's departments.
	if _, err := s.st.TicketByCode(ctx, v, code); errors.Is(err, store.ErrNotFound) {
		flash(c, views.FlashSuccess, msg+" "+t(c, "TransferredAway"))
		fv, _ := queueFilter(c)
		return s.redirect(c, fv.QueueURL())
	}
	return s.ticketDone(c, msg)
}

func (s *Server) ticketStatus(c echo.Context) error {
	st := store.TicketStatus(c.FormValue("status"))
	if !slices.Contains(store.SettableStatuses, st) {
		return echo.ErrBadRequest
	}
	code := ticketCode(c)
	// Deleting asks first: an old form that still sends it gets the question.
	if st == store.TicketDeleted {
		fv, _ := queueFilter(c)
		return s.redirect(c, fv.TicketActionURL(views.PathTicketDelete, code))
	}
	ctx, v := c.Request().Context(), viewer(c)
	before, err := s.st.TicketByCode(ctx, v, code)
	if err != nil {
		return err
	}
	if err := s.st.SetStatus(ctx, v, code, st); err != nil {
		return err
	}
	data := map[string]any{"From": views.StatusLabel(ctx, before.Status), "To": views.StatusLabel(ctx, st)}
	if before.Status == st {
		return s.ticketDone(c, tf(c, "StatusUnchanged", data))
	}
	return s.ticketDone(c, tf(c, "StatusChangedTo", data))
}

// datetimeLocal is the format of <input type="datetime-local">; the time is
// read in the server's zone, as are the quick choices.
const datetimeLocal = "2006-01-02T15:04"

func (s *Server) ticketPostpone(c echo.Context) error {
	fail := func(msgID string) error {
		return s.ticketInvalid(c, func(p *views.TicketProps) { p.Errors = views.FieldErrors{"until": t(c, msgID)} })
	}
	zone := views.Zone(c.Request().Context())
	var until time.Time
	if preset := c.FormValue("preset"); preset != "" {
		at, ok := desk.PostponeAt(preset, time.Now().In(zone))
		if !ok {
			return echo.ErrBadRequest
		}
		until = at
	} else {
		raw := strings.TrimSpace(c.FormValue("until"))
		at, err := time.ParseInLocation(datetimeLocal, raw, zone)
		if err != nil {
			at, err = time.ParseInLocation(datetimeLocal+":05", raw, zone)
		}
		if err != nil {
			return fail("ErrDateTime")
		}
		until = at
	}
	err := s.st.Postpone(c.Request().Context(), viewer(c), ticketCode(c), until)
	if store.IsRule(err, store.RulePostponeInPast) {
		return fail("ErrPostponeInPast")
	}
	if err != nil {
		return err
	}
	return s.ticketDone(c, tf(c, "PostponedTo", map[string]any{"Until": until.In(zone).Format("2006-01-02 15:04"), "Zone": zoneLabel(zone, until)}))
}

// tagsAnswer shows the tag editor again (htmx), with the history and the
// last-changed line out of band, or the ticket page.
func (s *Server) tagsAnswer(c echo.Context, status int, p views.TagsProps) error {
	if !isHTMX(c) {
		if status != http.StatusOK {
			return s.ticketInvalid(c, func(tp *views.TicketProps) { tp.Errors = p.Errors })
		}
		return s.redirect(c, ticketURL(c, p.Code))
	}
	ctx := c.Request().Context()
	tk, err := s.st.TicketByCode(ctx, viewer(c), p.Code)
	if err != nil {
		return err
	}
	p.Tags = tk.Tags
	p.Queue, _ = queueFilter(c)
	if status != http.StatusOK {
		return s.render(c, status, nil, views.TicketTags(p))
	}
	thread, err := s.st.Thread(ctx, tk.ID)
	if err != nil {
		return err
	}
	return s.render(c, status, nil, views.TagsAnswer(views.TagsAnswerProps{Tags: p, Ticket: tk, Thread: thread}))
}

func (s *Server) ticketTagAdd(c echo.Context) error {
	ctx, code, v := c.Request().Context(), ticketCode(c), viewer(c)
	tag, ok := validTag(c.FormValue("tag"))
	if !ok {
		return s.tagsAnswer(c, http.StatusUnprocessableEntity, views.TagsProps{Code: code, Value: c.FormValue("tag"),
			Errors: views.FieldErrors{"tag": t(c, "ErrTag")}})
	}
	before, err := s.st.TicketByCode(ctx, v, code)
	if err != nil {
		return err
	}
	if err := s.st.AddTag(ctx, v, code, tag); err != nil {
		return err
	}
	msg := "TagAdded"
	if slices.Contains(before.Tags, tag) {
		msg = "TagAlready"
	}
	flash(c, views.FlashSuccess, tf(c, msg, map[string]any{"Tag": tag}))
	return s.tagsAnswer(c, http.StatusOK, views.TagsProps{Code: code})
}

func (s *Server) ticketTagRemove(c echo.Context) error {
	code := ticketCode(c)
	tag := store.NormalizeTag(c.FormValue("tag"))
	if err := s.st.RemoveTag(c.Request().Context(), viewer(c), code, tag); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "TagRemoved", map[string]any{"Tag": tag}))
	return s.tagsAnswer(c, http.StatusOK, views.TagsProps{Code: code})
}
