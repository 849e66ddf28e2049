package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"helpline/automation"
	"helpline/store"
	"helpline/views"
)

// Configuration → Rules: the list in execution order and the editor. The
// editor's Add condition, Add condition group and Add action buttons post
// the form, which comes back with one more row and everything typed kept;
// with htmx the form alone is swapped.

func init() {
	auditActionLabels[store.ActionRuleCreate] = "AuditRuleCreate"
	auditActionLabels[store.ActionRuleUpdate] = "AuditRuleUpdate"
	auditActionLabels[store.ActionRuleRemove] = "AuditRuleRemove"
	auditActionLabels[store.ActionRuleMove] = "AuditRuleMove"
}

func (s *Server) rulesList(c echo.Context) error {
	rows, err := s.st.Rules(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderConfig(c, http.StatusOK, views.RulesPage(views.RuleListProps{Rows: rows}), nil)
}

// readRuleForm reads the editor as typed. add is the Add button pressed,
// if any: then blank rows stay, for the user to fill in.
func readRuleForm(c echo.Context) (store.RuleInput, string, *form) {
	f := newForm(c)
	in := store.RuleInput{
		Active:  f.checked("active"),
		Name:    f.text("name", false, 200),
		Note:    f.text("note", false, 2000),
		Trigger: automation.Trigger(c.FormValue("trigger")),
	}
	params, _ := c.FormParams()
	at := func(key string, i int) string {
		if i < len(params[key]) {
			return strings.TrimSpace(params[key][i])
		}
		return ""
	}
	add := c.FormValue("add")
	var groups []automation.Group
	for i := range params["cond_group"] {
		g, err := strconv.Atoi(at("cond_group", i))
		if err != nil || g < 0 || g > 50 {
			continue
		}
		for len(groups) <= g {
			groups = append(groups, automation.Group{})
		}
		subject, fieldID := views.ParseSubjectChoice(at("cond_subject", i))
		cond := automation.Condition{Subject: subject, FieldID: fieldID, Op: automation.Op(at("cond_op", i)), Value: at("cond_value", i)}
		// Without script the comparison list is the same for every subject:
		// one that does not fit the subject becomes the subject's first.
		if ops, ok := automation.Ops[cond.Subject]; ok && !slices.Contains(ops, cond.Op) {
			cond.Op = ops[0]
		}
		if cond.Subject == "" && cond.Value == "" && add == "" {
			continue
		}
		groups[g].Conditions = append(groups[g].Conditions, cond)
	}
	for _, g := range groups {
		if len(g.Conditions) > 0 || add != "" {
			in.Definition.Groups = append(in.Definition.Groups, g)
		}
	}
	for i := range params["action_kind"] {
		a := automation.Action{Kind: automation.ActionKind(at("action_kind", i)), Value: at("action_value", i)}
		if a.Kind == "" && a.Value == "" && add == "" {
			continue
		}
		in.Definition.Actions = append(in.Definition.Actions, a)
	}
	switch {
	case add == "group":
		in.Definition.Groups = append(in.Definition.Groups, automation.Group{Conditions: []automation.Condition{{}}})
	case strings.HasPrefix(add, "condition:"):
		if g, err := strconv.Atoi(strings.TrimPrefix(add, "condition:")); err == nil && g >= 0 && g < len(in.Definition.Groups) {
			in.Definition.Groups[g].Conditions = append(in.Definition.Groups[g].Conditions, automation.Condition{})
		}
	case add == "action":
		in.Definition.Actions = append(in.Definition.Actions, automation.Action{})
	}
	return in, add, f
}

func (s *Server) ruleFormPage(c echo.Context, status int, p views.RuleFormProps) error {
	if p.Errors == nil {
		p.Errors = views.FieldErrors{}
	}
	choices, err := s.ruleChoices(c)
	if err != nil {
		return err
	}
	p.Choices = choices
	return s.renderConfig(c, status, views.RuleFormPage(p), nil)
}

func (s *Server) ruleNew(c echo.Context) error {
	return s.ruleFormPage(c, http.StatusOK, views.RuleFormProps{Values: store.RuleInput{Active: true, Trigger: automation.TicketCreated,
		Definition: automation.Definition{Groups: []automation.Group{{Conditions: []automation.Condition{{}}}}, Actions: []automation.Action{{}}}}})
}

// saveRule stores the typed rule, or shows the form again: 200 after an Add
// button, 422 with the problems next to their rows.
func (s *Server) saveRule(c echo.Context, id int64) error {
	in, add, f := readRuleForm(c)
	props := views.RuleFormProps{ID: id, Values: in, Errors: f.errs}
	if add != "" {
		props.Errors = views.FieldErrors{}
		return s.ruleFormPage(c, http.StatusOK, props)
	}
	if f.ok() {
		var err error
		ctx, actor := c.Request().Context(), currentAgent(c).ID
		if id == 0 {
			id, err = s.st.CreateRule(ctx, actor, in, c.RealIP())
		} else {
			err = s.st.UpdateRule(ctx, actor, id, in, c.RealIP())
		}
		var probs store.RuleProblems
		switch {
		case errors.As(err, &probs):
			for _, p := range probs {
				msg := "ErrInvalidChoice"
				if p.Why == automation.Required {
					msg = "ErrRequired"
				}
				f.fail(p.Where, msg, nil)
			}
		case errors.Is(err, store.ErrNotFound):
			return echo.ErrNotFound
		case err != nil:
			return err
		default:
			flash(c, views.FlashSuccess, tf(c, "RuleSaved", nil))
			return s.redirect(c, views.PathRules)
		}
	}
	return s.ruleFormPage(c, http.StatusUnprocessableEntity, props)
}

func (s *Server) ruleCreate(c echo.Context) error { return s.saveRule(c, 0) }

func (s *Server) ruleFromPath(c echo.Context) (store.RuleDef, error) {
	id, err := pathID(c)
	if err != nil {
		return store.RuleDef{}, err
	}
	r, err := s.st.RuleByID(c.Request().Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return r, echo.ErrNotFound
	}
	return r, err
}

func ruleInput(r store.RuleDef) store.RuleInput {
	return store.RuleInput{Active: r.Active, Name: r.Name, Note: r.Note, Trigger: r.Trigger, Definition: r.Definition}
}

func (s *Server) ruleEdit(c echo.Context) error {
	r, err := s.ruleFromPath(c)
	if err != nil {
		return err
	}
	failures, err := s.st.RuleFailures(c.Request().Context(), r.ID, 50)
	if err != nil {
		return err
	}
	return s.ruleFormPage(c, http.StatusOK, views.RuleFormProps{ID: r.ID, Values: ruleInput(r), Failures: failures})
}

func (s *Server) ruleUpdate(c echo.Context) error {
	r, err := s.ruleFromPath(c)
	if err != nil {
		return err
	}
	return s.saveRule(c, r.ID)
}

func (s *Server) ruleToggle(c echo.Context) error {
	r, err := s.ruleFromPath(c)
	if err != nil {
		return err
	}
	in := ruleInput(r)
	in.Active = !in.Active
	if err := s.st.UpdateRule(c.Request().Context(), currentAgent(c).ID, r.ID, in, c.RealIP()); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "RuleSaved", nil))
	return s.redirect(c, views.PathRules)
}

func (s *Server) ruleMove(c echo.Context) error {
	r, err := s.ruleFromPath(c)
	if err != nil {
		return err
	}
	if err := s.st.MoveRule(c.Request().Context(), currentAgent(c).ID, r.ID, c.FormValue("dir") == "up", c.RealIP()); err != nil {
		return err
	}
	return s.redirect(c, views.PathRules)
}

func (s *Server) ruleRemoveConfirm(c echo.Context) error {
	r, err := s.ruleFromPath(c)
	if err != nil {
		return err
	}
	return s.renderConfig(c, http.StatusOK, views.ConfirmPage(views.ConfirmProps{
		Title:  tf(c, "RuleRemoveTitle", map[string]any{"Name": r.Name}),
		Body:   tf(c, "RuleRemoveBody", nil),
		Action: views.WithID(views.PathRuleRemove, r.ID),
		Back:   views.PathRules,
	}), nil)
}

func (s *Server) ruleRemove(c echo.Context) error {
	r, err := s.ruleFromPath(c)
	if err != nil {
		return err
	}
	if err := s.st.RemoveRule(c.Request().Context(), currentAgent(c).ID, r.ID, c.RealIP()); err != nil {
		return err
	}
	return s.removed(c, tf(c, "RuleRemoved", nil), views.PathRules)
}
