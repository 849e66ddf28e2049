package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"

	"helpline/authz"
	"helpline/desk"
	"helpline/store"
	"helpline/views"
)

const (
	maxBody   = desk.MaxBody // a reply or note, like a ticket's first message
	maxTag    = 40
	maxSearch = 200
)

func viewer(c echo.Context) authz.Viewer { return currentAgent(c).Viewer() }

// queueFilter reads the queue's filters from the URL. Unknown values are
// dropped rather than refused: a stale bookmark still shows a queue.
func queueFilter(c echo.Context) (views.QueueFilterValues, store.QueueFilter) {
	q := c.QueryParams()
	var v views.QueueFilterValues
	var f store.QueueFilter
	if st := store.TicketStatus(q.Get("status")); st.Valid() {
		v.Status, f.Status = string(st), st
	}
	if id, err := strconv.ParseInt(q.Get("department"), 10, 64); err == nil && id > 0 {
		v.Department, f.DepartmentID = id, id
	}
	if a := q.Get("assignee"); a == store.AssigneeMe || a == store.AssigneeUnassigned {
		v.Assignee, f.Assignee = a, a
	}
	if ch := store.Channel(q.Get("channel")); ch.Valid() {
		v.Channel, f.Channel = string(ch), ch
	}
	if tag := store.NormalizeTag(q.Get("tag")); tag != "" && len(tag) <= maxTag {
		v.Tag, f.Tag = tag, tag
	}
	if text := strings.TrimSpace(q.Get("q")); text != "" && len(text) <= maxSearch {
		v.Q, f.Search = text, text
	}
	if cur, ok := views.ParseCursor(q.Get("after")); ok {
		f.After = cur
	} else if cur, ok := views.ParseCursor(q.Get("before")); ok {
		f.Before = cur
	}
	return v, f
}

func (s *Server) queueShow(c echo.Context) error {
	ctx := c.Request().Context()
	v := viewer(c)
	fv, f := queueFilter(c)
	// htmx swaps the results; restoring history wants the whole page.
	whole := !isHTMX(c) || c.Request().Header.Get("HX-History-Restore-Request") == "true"
	key := queueKey(c, v, f, whole)
	gen := s.st.Generation()
	body, err := s.fragments.get(ctx, key, gen, func(ctx context.Context) (piece, error) {
		p := views.QueueProps{Filter: fv}
		var err error
		if p.Page, err = s.st.Queue(ctx, v, f); err != nil {
			return piece{}, err
		}
		if p.Counts, err = s.st.StatusCounts(ctx, v, f.DepartmentID); err != nil {
			return piece{}, err
		}
		if p.Agents, err = s.st.AssignableInScope(ctx, v); err != nil {
			return piece{}, err
		}
		if !whole {
			return piece{Body: views.QueueResults(p)}, nil
		}
		if p.Departments, err = s.st.VisibleDepartments(ctx, v); err != nil {
			return piece{}, err
		}
		return piece{Body: views.QueueBody(p)}, nil
	})
	if err != nil {
		return err
	}
	if !whole {
		return s.render(c, http.StatusOK, nil, body.Body)
	}
	p := views.QueueProps{Filter: fv, CanCreate: v.Can(authz.TicketsCreate)}
	return s.render(c, http.StatusOK, views.QueuePage(p, body.Body), nil)
}

// scopeKey names what a viewer sees: everything, or their own departments.
func scopeKey(v authz.Viewer) string {
	if v.Can(authz.TicketsReadAll) {
		return "all"
	}
	return "agent:" + strconv.FormatInt(v.ID, 10)
}

// queueKey names a page of the queue as a viewer sees it: everyone who sees
// every department shares pages; an Agent's depend on their departments and
// so are their own, as are the pages of "assigned to me".
func queueKey(c echo.Context, v authz.Viewer, f store.QueueFilter, whole bool) string {
	scope := scopeKey(v)
	if f.Assignee == store.AssigneeMe {
		scope = "agent:" + strconv.FormatInt(v.ID, 10)
	}
	part := "results"
	if whole {
		part = "body"
	}
	return fmt.Sprintf("queue-%s|%s|%s|%q|%d|%q|%q|%q|%q|%d.%d|%d.%d", part, views.Lang(c.Request().Context()), scope,
		f.Status, f.DepartmentID, f.Assignee, f.Channel, f.Tag, f.Search, f.After.Key, f.After.ID, f.Before.Key, f.Before.ID)
}

// queueBulk applies one action to the selected tickets; the store leaves
// alone any the user may not see.
func (s *Server) queueBulk(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := c.FormParams()
	if err != nil {
		return echo.ErrBadRequest
	}
	back := form.Get("back")
	if !strings.HasPrefix(back, views.PathTickets) || strings.HasPrefix(back, "//") || strings.ContainsAny(back, "\\\r\n") {
		back = views.PathTickets
	}
	codes := form["code"]
	if len(codes) > 500 {
		codes = codes[:500]
	}
	var a store.BulkAction
	switch form.Get("action") {
	case "assign":
		id, err := strconv.ParseInt(form.Get("assign_to"), 10, 64)
		if err != nil || id <= 0 {
			flash(c, views.FlashError, t(c, "BulkChooseAgent"))
			return s.redirect(c, back)
		}
		a.AssignTo = id
	case "status":
		st := store.TicketStatus(form.Get("status"))
		if !slices.Contains(store.SettableStatuses, st) {
			flash(c, views.FlashError, t(c, "BulkChooseStatus"))
			return s.redirect(c, back)
		}
		a.Status = st
	case "tag":
		tag, ok := validTag(form.Get("tag"))
		if !ok {
			flash(c, views.FlashError, t(c, "ErrTag"))
			return s.redirect(c, back)
		}
		a.Tag = tag
	default:
		return echo.ErrBadRequest
	}
	if len(codes) == 0 {
		flash(c, views.FlashError, t(c, "BulkNothingSelected"))
		return s.redirect(c, back)
	}
	res, err := s.st.Bulk(ctx, viewer(c), codes, a)
	if err != nil {
		return err
	}
	if res.Changed > 0 || len(res.NotTaken) == 0 {
		flash(c, views.FlashSuccess, views.Tn(ctx, "BulkChanged", res.Changed, nil))
	}
	if len(res.NotTaken) > 0 {
		name, err := s.agentName(ctx, a.AssignTo)
		if err != nil {
			return err
		}
		flash(c, views.FlashError, bulkNotTaken(c, name, res.NotTaken))
	}
	return s.redirect(c, back)
}

// bulkNotTaken says which selected tickets an assignee could not take and
// why: "2 tickets were not changed: Ana is not in Billing (XKB-…, …)."
func bulkNotTaken(c echo.Context, name string, refused []store.BulkRefusal) string {
	ctx := c.Request().Context()
	var depts []string
	byDept := map[string][]string{}
	for _, r := range refused {
		if byDept[r.Department] == nil {
			depts = append(depts, r.Department)
		}
		byDept[r.Department] = append(byDept[r.Department], r.Code)
	}
	why := make([]string, len(depts))
	for i, d := range depts {
		why[i] = tf(c, "BulkNotInDepartment", map[string]any{"Name": name, "Department": d, "Codes": strings.Join(byDept[d], ", ")})
	}
	return views.Tn(ctx, "BulkNotChanged", len(refused), map[string]any{"Reasons": strings.Join(why, "; ")})
}

// agentName is the name of an agent the viewer chose from a list.
func (s *Server) agentName(ctx context.Context, id int64) (string, error) {
	ag, err := s.st.AgentByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return ag.Name, err
}

// ticketProps loads everything the ticket page shows.
func (s *Server) ticketProps(ctx context.Context, v authz.Viewer, code string) (views.TicketProps, error) {
	tk, err := s.st.TicketByCode(ctx, v, code)
	if err != nil {
		return views.TicketProps{}, err
	}
	p := views.TicketProps{Ticket: tk, Errors: views.FieldErrors{}}
	if p.Thread, err = s.st.Thread(ctx, tk.ID); err != nil {
		return p, err
	}
	if p.Assignable, err = s.st.AssignableAgents(ctx, tk.DepartmentID); err != nil {
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
// department), built only after the store let them see the ticket.
func (s *Server) ticketShow(c echo.Context) error {
	ctx := c.Request().Context()
	code, v := c.Param("code"), viewer(c)
	gen := s.st.Generation()
	// The page is built for everyone who asks for it meanwhile: on the
	// build's context, never on this request's.
	body, err := s.fragments.get(ctx, "ticket|"+views.Lang(ctx)+"|"+scopeKey(v)+"|"+code, gen, func(ctx context.Context) (piece, error) {
		p, err := s.ticketProps(ctx, v, code)
		if err != nil {
			return piece{}, err
		}
		return piece{Body: views.TicketBody(p), Title: p.Ticket.Subject}, nil
	})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.TicketPage(body.Title, body.Body), nil)
}

// ticketInvalid shows the ticket page again with a field's message (422).
func (s *Server) ticketInvalid(c echo.Context, fill func(*views.TicketProps)) error {
	p, err := s.ticketProps(c.Request().Context(), viewer(c), c.Param("code"))
	if err != nil {
		return err
	}
	fill(&p)
	return s.render(c, http.StatusUnprocessableEntity, views.TicketPage(p.Ticket.Subject, views.TicketBody(p)), nil)
}

// ticketDone answers a finished action: back to the ticket with a message.
func (s *Server) ticketDone(c echo.Context, msgID string) error {
	flash(c, views.FlashSuccess, t(c, msgID))
	return s.redirect(c, views.TicketPath(c.Param("code")))
}

func (s *Server) ticketReply(c echo.Context) error {
	f := newForm(c)
	body := f.multiline("body", true, maxBody)
	if !f.ok() {
		return s.ticketInvalid(c, func(p *views.TicketProps) { p.Reply, p.Errors = body, f.errs })
	}
	if err := s.st.Reply(c.Request().Context(), viewer(c), c.Param("code"), body); err != nil {
		return err
	}
	return s.ticketDone(c, "ReplySent")
}

func (s *Server) ticketNote(c echo.Context) error {
	f := newForm(c)
	body := f.multiline("note", true, maxBody)
	if !f.ok() {
		return s.ticketInvalid(c, func(p *views.TicketProps) { p.Note, p.Errors = body, f.errs })
	}
	if err := s.st.AddNote(c.Request().Context(), viewer(c), c.Param("code"), body); err != nil {
		return err
	}
	return s.ticketDone(c, "NoteAdded")
}

func (s *Server) ticketAssign(c echo.Context) error {
	id, err := strconv.ParseInt(c.FormValue("agent"), 10, 64)
	if err != nil || id < 0 {
		return echo.ErrBadRequest
	}
	if err := s.st.Assign(c.Request().Context(), viewer(c), c.Param("code"), id); err != nil {
		return err
	}
	return s.ticketDone(c, "TicketAssigned")
}

func (s *Server) ticketTransfer(c echo.Context) error {
	id, err := strconv.ParseInt(c.FormValue("department"), 10, 64)
	if err != nil || id <= 0 {
		return echo.ErrBadRequest
	}
	ctx := c.Request().Context()
	if err := s.st.Transfer(ctx, viewer(c), c.Param("code"), id); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "TicketTransferred"))
	// The ticket may now be outside the user's departments.
	if _, err := s.st.TicketByCode(ctx, viewer(c), c.Param("code")); errors.Is(err, store.ErrNotFound) {
		return s.redirect(c, views.PathTickets)
	}
	return s.redirect(c, views.TicketPath(c.Param("code")))
}

func (s *Server) ticketStatus(c echo.Context) error {
	st := store.TicketStatus(c.FormValue("status"))
	if !slices.Contains(store.SettableStatuses, st) {
		return echo.ErrBadRequest
	}
	if err := s.st.SetStatus(c.Request().Context(), viewer(c), c.Param("code"), st); err != nil {
		return err
	}
	return s.ticketDone(c, "StatusChanged")
}

// datetimeLocal is the format of <input type="datetime-local">; the time is
// read in the server's zone.
const datetimeLocal = "2006-01-02T15:04"

func (s *Server) ticketPostpone(c echo.Context) error {
	raw := strings.TrimSpace(c.FormValue("until"))
	until, err := time.ParseInLocation(datetimeLocal, raw, time.Local)
	if err != nil {
		until, err = time.ParseInLocation(datetimeLocal+":05", raw, time.Local)
	}
	fail := func(msgID string) error {
		return s.ticketInvalid(c, func(p *views.TicketProps) { p.Errors = views.FieldErrors{"until": t(c, msgID)} })
	}
	if err != nil {
		return fail("ErrDateTime")
	}
	err = s.st.Postpone(c.Request().Context(), viewer(c), c.Param("code"), until)
	if store.IsRule(err, store.RulePostponeInPast) {
		return fail("ErrPostponeInPast")
	}
	if err != nil {
		return err
	}
	return s.ticketDone(c, "TicketPostponed")
}

// validTag accepts letters, digits, spaces and - _ . up to maxTag.
func validTag(raw string) (string, bool) {
	tag := store.NormalizeTag(raw)
	if tag == "" || len([]rune(tag)) > maxTag {
		return "", false
	}
	for _, r := range tag {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !strings.ContainsRune(" -_.", r) {
			return "", false
		}
	}
	return tag, true
}

// tagsAnswer shows the tag editor again (htmx) or the ticket page.
func (s *Server) tagsAnswer(c echo.Context, status int, p views.TagsProps) error {
	if !isHTMX(c) {
		if status != http.StatusOK {
			return s.ticketInvalid(c, func(tp *views.TicketProps) { tp.Errors = p.Errors })
		}
		return s.redirect(c, views.TicketPath(p.Code))
	}
	tk, err := s.st.TicketByCode(c.Request().Context(), viewer(c), p.Code)
	if err != nil {
		return err
	}
	p.Tags = tk.Tags
	return s.render(c, status, nil, views.TicketTags(p))
}

func (s *Server) ticketTagAdd(c echo.Context) error {
	code := c.Param("code")
	tag, ok := validTag(c.FormValue("tag"))
	if !ok {
		return s.tagsAnswer(c, http.StatusUnprocessableEntity, views.TagsProps{Code: code, Value: c.FormValue("tag"),
			Errors: views.FieldErrors{"tag": t(c, "ErrTag")}})
	}
	if err := s.st.AddTag(c.Request().Context(), viewer(c), code, tag); err != nil {
		return err
	}
	return s.tagsAnswer(c, http.StatusOK, views.TagsProps{Code: code})
}

func (s *Server) ticketTagRemove(c echo.Context) error {
	code := c.Param("code")
	if err := s.st.RemoveTag(c.Request().Context(), viewer(c), code, c.FormValue("tag")); err != nil {
		return err
	}
	return s.tagsAnswer(c, http.StatusOK, views.TagsProps{Code: code})
}

// multiline returns a text area's value: line breaks kept (as \n), trimmed.
func (f *form) multiline(field string, required bool, max int) string {
	v := strings.TrimSpace(strings.ReplaceAll(f.c.FormValue(field), "\r\n", "\n"))
	switch {
	case required && v == "":
		f.fail(field, "ErrRequired", nil)
	case len([]rune(v)) > max:
		f.fail(field, "ErrTooLong", map[string]any{"Max": max})
	case strings.ContainsRune(v, 0):
		f.fail(field, "ErrInvalidChoice", nil)
	}
	return v
}
