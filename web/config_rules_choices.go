package web

import (
	"github.com/labstack/echo/v4"

	"helpline/views"
)

// ruleChoices are the names the rule editor offers: every department, the
// active agents who work tickets, the shared predefined answers (a rule
// answers for the desk, never with someone's personal answer), the SLA
// levels and the ticket fields.
func (s *Server) ruleChoices(c echo.Context) (views.RuleChoices, error) {
	ctx, v := c.Request().Context(), viewer(c)
	var ch views.RuleChoices
	var err error
	if ch.Departments, err = s.st.Departments(ctx); err != nil {
		return ch, err
	}
	if ch.Agents, err = s.st.AssignableInScope(ctx, v); err != nil {
		return ch, err
	}
	answers, err := s.st.Answers(ctx, v)
	if err != nil {
		return ch, err
	}
	for _, a := range answers {
		if a.Shared() {
			ch.Answers = append(ch.Answers, a)
		}
	}
	if ch.Levels, err = s.st.SLALevels(ctx); err != nil {
		return ch, err
	}
	ch.Fields, err = s.st.TicketFields(ctx)
	return ch, err
}
