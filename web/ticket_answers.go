package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"helpline/authz"
	"helpline/desk"
	"helpline/store"
	"helpline/views"
)

// Insert answer on the ticket page: the predefined answers the agent may
// use on the ticket's department, narrowed by title, and one of them put
// into the reply with its placeholders filled in.

// answerPicker lists the answers v may use on a ticket of department,
// those whose title contains query (in any letter case).
func (s *Server) answerPicker(ctx context.Context, v authz.Viewer, department int64, query string) (views.AnswerPicker, error) {
	all, err := s.st.AnswersFor(ctx, v, department)
	if err != nil {
		return views.AnswerPicker{}, err
	}
	p := views.AnswerPicker{Query: query}
	q := strings.ToLower(strings.TrimSpace(query))
	for _, a := range all {
		if q == "" || strings.Contains(strings.ToLower(a.Title), q) {
			p.Options = append(p.Options, a)
		}
	}
	return p, nil
}

// answerQuery is the search of Insert answer, bounded like a title.
func answerQuery(c echo.Context) string {
	q := strings.TrimSpace(strings.ToValidUTF8(c.FormValue("answer_q"), ""))
	if r := []rune(q); len(r) > maxName {
		q = string(r[:maxName])
	}
	return q
}

// ticketAnswerList answers the search of Insert answer with the narrowed
// list; without htmx there is nothing to swap, so it opens the ticket.
func (s *Server) ticketAnswerList(c echo.Context) error {
	ctx := c.Request().Context()
	tk, err := s.st.TicketByCode(ctx, viewer(c), ticketCode(c))
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return s.redirect(c, ticketURL(c, tk.Code))
	}
	p, err := s.answerPicker(ctx, viewer(c), tk.DepartmentID, answerQuery(c))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, nil, views.AnswerChoice(p))
}

// ticketAnswerInsert adds the chosen answer, filled in, to the text of the
// reply editor and shows the editor again: with htmx its text, without
// the whole page. With no answer chosen it shows the list narrowed by the
// search (what pressing Enter in the search box does without scripts).
func (s *Server) ticketAnswerInsert(c echo.Context) error {
	ctx := c.Request().Context()
	v := viewer(c)
	fv, _ := queueFilter(c)
	p, err := s.ticketProps(ctx, v, ticketCode(c), fv)
	if err != nil {
		return err
	}
	p.Kind = c.FormValue("kind")
	if p.Kind != views.EditorNote {
		p.Kind = views.EditorReply
	}
	p.Body = strings.TrimRight(strings.ReplaceAll(strings.ToValidUTF8(c.FormValue("body"), ""), "\r\n", "\n"), " \n")
	if p.Answers, err = s.answerPicker(ctx, v, p.Ticket.DepartmentID, answerQuery(c)); err != nil {
		return err
	}
	if raw := c.FormValue("answer_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return echo.ErrNotFound
		}
		a, ok := usableAnswer(p.Answers.Options, id)
		if !ok {
			// Not one this agent may use on this ticket: as if it did not exist.
			if p.Answers, err = s.answerPicker(ctx, v, p.Ticket.DepartmentID, ""); err != nil {
				return err
			}
			if a, ok = usableAnswer(p.Answers.Options, id); !ok {
				return echo.ErrNotFound
			}
		}
		text := desk.FillAnswer(a.Body, answerValues(currentAgent(c), p.Ticket))
		if p.Body != "" {
			p.Body += "\n\n"
		}
		p.Body += text
		p.Answers.Inserted = true
	}
	if isHTMX(c) {
		return s.render(c, http.StatusOK, nil, views.ReplyCompose(p))
	}
	return s.render(c, http.StatusOK, views.TicketPage(p.Ticket.Subject, views.TicketBody(p)), nil)
}

func usableAnswer(options []store.Answer, id int64) (store.Answer, bool) {
	for _, a := range options {
		if a.ID == id {
			return a, true
		}
	}
	return store.Answer{}, false
}

// answerValues fills the placeholders: the customer's name, the agent as
// customers know them (their alias when they have one), the ticket's code.
func answerValues(a store.Agent, t store.Ticket) map[string]string {
	name := a.Name
	if a.Alias != "" {
		name = a.Alias
	}
	return map[string]string{
		desk.PlaceholderCustomerName: t.ContactName,
		desk.PlaceholderAgentName:    name,
		desk.PlaceholderTicketCode:   t.Code,
	}
}
