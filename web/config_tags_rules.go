package web

import (
	"github.com/labstack/echo/v4"

	"helpline/store"
	"helpline/views"
)

// A tag rules use is removed only once the question naming those rules
// was answered: the confirmation sends rules_ok.

// tagRulesOf are the rules that use the tag, and whether the question
// naming them was answered.
func (s *Server) tagRulesOf(c echo.Context, tg store.Tag) ([]string, bool) {
	byTag, err := s.st.RulesByTag(c.Request().Context())
	if err != nil {
		return nil, false
	}
	return byTag[tg.Name], c.FormValue("rules_ok") == "1"
}

// tagRemoveQuestion asks before removing a tag, naming the rules that use it.
func (s *Server) tagRemoveQuestion(c echo.Context, status int, tg store.Tag) error {
	rules, _ := s.tagRulesOf(c, tg)
	p := views.ConfirmProps{
		Title:  tf(c, "RemoveTagTitle", map[string]any{"Name": tg.Name}),
		Body:   views.TagRemoveBody(c.Request().Context(), tg.Tickets, rules),
		Action: views.WithID(views.PathTagRemove, tg.ID),
		Back:   views.PathTags,
	}
	if len(rules) > 0 {
		p.Fields = map[string]string{"rules_ok": "1"}
	}
	return s.renderConfig(c, status, views.ConfirmPage(p), nil)
}
