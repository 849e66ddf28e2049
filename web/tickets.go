package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

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
	return queueFilterFrom(c.QueryParams())
}

// queueFilterFrom reads the queue's filters from a URL query. Field
// filters are read as given; queueFieldFilters checks them against the
// fields.
func queueFilterFrom(q url.Values) (views.QueueFilterValues, store.QueueFilter) {
	var v views.QueueFilterValues
	var f store.QueueFilter
	switch st := store.TicketStatus(q.Get("status")); {
	case st.Valid():
		v.Status, f.Status = string(st), st
	case string(st) == views.StatusAllOpen:
		v.Status, f.Open = views.StatusAllOpen, true
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
	v.Fields = views.FieldParams(q)
	v.Drill, f.Drill = views.ParseDrill(q)
	v.Drill, f.SLA = views.ParseSLADrill(q, v.Drill)
	if text := strings.TrimSpace(q.Get("q")); text != "" && len(text) <= maxSearch {
		v.Q, f.Search = text, text
	}
	if o := store.QueueSort(q.Get("sort")); o.Valid() {
		v.Sort, f.Sort = string(o), o
	}
	if q.Get("overdue") == "1" {
		v.Overdue, f.Overdue = true, true
	}
	if cur, ok := views.ParseCursor(q.Get("after")); ok {
		f.After = cur
	} else if cur, ok := views.ParseCursor(q.Get("before")); ok {
		f.Before = cur
	}
	if !f.After.IsZero() || !f.Before.IsZero() {
		// Only where the page starts, to say so; a wrong one is harmless.
		if n, err := strconv.Atoi(q.Get("from")); err == nil && n > 0 && n < 1<<30 {
			v.From = n
		}
	}
	f.Limit = views.QueuePageSize
	return v, f
}

func (s *Server) queueShow(c echo.Context) error {
	ctx := c.Request().Context()
	v := viewer(c)
	fv, f := queueFilter(c)
	fieldFilters, err := s.queueFieldFilters(ctx, &fv, &f)
	if err != nil {
		return err
	}
	density, err := s.st.QueueDensity(ctx, v.ID)
	if err != nil {
		return err
	}
	// htmx swaps the results; restoring history wants the whole page.
	whole := !isHTMX(c) || c.Request().Header.Get("HX-History-Restore-Request") == "true"
	unread, err := s.st.Unread(ctx, v)
	if err != nil {
		return err
	}
	key := queueKey(ctx, v, fv, f, density, whole, unread)
	start, err := s.queueStart(c)
	if err != nil {
		return err
	}
	build := func(ctx context.Context) (piece, error) {
		p := views.QueueProps{Filter: fv, Start: start, Density: density, FieldFilters: fieldFilters}
		topics, err := s.st.ScopeTopics(ctx, v)
		if err != nil {
			return piece{}, err
		}
		if p.Saved, err = s.savedViewsProps(ctx, v, fv); err != nil {
			return piece{}, err
		}
		if p.Page, err = s.st.Queue(ctx, v, f); err != nil {
			return piece{}, err
		}
		if err := s.markUnread(ctx, v, p.Page.Tickets); err != nil {
			return piece{}, err
		}
		// The views' counts and the queue's total come from the kept
		// counts, never from counting tickets.
		if p.Counts, err = s.st.QueueCounts(ctx, v, f.DepartmentID); err != nil {
			return piece{}, err
		}
		p.Total, p.TotalKnown = p.Counts.Matching(f)
		if p.Agents, err = s.st.AssignableInScope(ctx, v); err != nil {
			return piece{}, err
		}
		if !whole {
			return piece{Body: views.QueueResults(p), Topics: topics}, nil
		}
		if p.Departments, err = s.st.VisibleDepartments(ctx, v); err != nil {
			return piece{}, err
		}
		return piece{Body: views.QueueBody(p), Topics: topics}, nil
	}
	var body piece
	if start != nil {
		// Until the first ticket the empty queue shows next steps that
		// depend on the viewer's permissions; with no rows it is cheap to
		// build, so it is built for each view and never kept.
		body, err = build(ctx)
	} else {
		body, err = s.fragments.get(ctx, key, build)
	}
	if err != nil {
		return err
	}
	if !whole {
		return s.render(c, http.StatusOK, nil, body.Body)
	}
	p := views.QueueProps{Filter: fv, CanCreate: v.Can(authz.TicketsCreate), Density: density}
	return s.render(c, http.StatusOK, views.QueuePage(p, body.Body), nil)
}

// queueDensity keeps the agent's choice of Compact or Comfortable rows and
// goes back to the queue as it was.
func (s *Server) queueDensity(c echo.Context) error {
	d := store.Density(c.FormValue("density"))
	if !d.Valid() {
		return echo.ErrBadRequest
	}
	if err := s.st.SetQueueDensity(c.Request().Context(), currentAgent(c).ID, d); err != nil {
		return err
	}
	return s.redirect(c, queueBack(c.FormValue("back")))
}

// queueBack is where a queue form returns: a queue URL of this site, else
// the queue.
func queueBack(back string) string {
	if !strings.HasPrefix(back, views.PathTickets) || strings.HasPrefix(back, "//") || strings.ContainsAny(back, "\\\r\n") {
		return views.PathTickets
	}
	return back
}

// queueBulk applies one action to the selected tickets; the store leaves
// alone any the user may not see.
func (s *Server) queueBulk(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := c.FormParams()
	if err != nil {
		return echo.ErrBadRequest
	}
	back := queueBack(form.Get("back"))
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

// multiline returns a text area's value: line breaks kept (as \n), trimmed.
func (f *form) multiline(field string, required bool, max int) string {
	v := strings.TrimSpace(strings.ReplaceAll(f.c.FormValue(field), "\r\n", "\n"))
	switch {
	case !utf8.ValidString(v):
		f.fail(field, "ErrInvalidText", nil)
	case required && v == "":
		f.fail(field, "ErrRequired", nil)
	case len([]rune(v)) > max:
		f.fail(field, "ErrTooLong", map[string]any{"Max": max})
	case strings.ContainsRune(v, 0):
		f.fail(field, "ErrInvalidChoice", nil)
	}
	return v
}
