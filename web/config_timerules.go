package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"helpline/automation"
	"helpline/store"
	"helpline/views"
)

// Configuration → Time rules: the list in order and the editor, which is
// the rule editor (its condition groups and actions, Add buttons working
// without script) with a time-based Apply when and a duration.

func init() {
	auditActionLabels[store.ActionTimeRuleCreate] = "AuditTimeRuleCreate"
	auditActionLabels[store.ActionTimeRuleUpdate] = "AuditTimeRuleUpdate"
	auditActionLabels[store.ActionTimeRuleRemove] = "AuditTimeRuleRemove"
	auditActionLabels[store.ActionTimeRuleMove] = "AuditTimeRuleMove"
}

func (s *Server) timeRulesList(c echo.Context) error {
	rows, err := s.st.TimeRules(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderConfig(c, http.StatusOK, views.TimeRulesPage(views.TimeRuleListProps{Rows: rows}), nil)
}

// readTimeRuleForm reads the editor as typed: the rule's part as the rule
// editor does, then the Apply when and its duration. A duration that is not
// a whole number of a known unit fails on "after".
func readTimeRuleForm(c echo.Context) (store.TimeRuleInput, views.TimeRuleWhen, string, *form) {
	r, add, f := readRuleForm(c)
	when := views.TimeRuleWhen{
		Kind:  automation.TimeKind(c.FormValue("apply_when")),
		Count: strings.TrimSpace(c.FormValue("after_count")),
		Unit:  c.FormValue("after_unit"),
	}
	in := store.TimeRuleInput{Active: r.Active, Name: r.Name, Note: r.Note, ApplyWhen: when.Kind, Definition: r.Definition}
	if !slices.Contains(views.TimeUnits, when.Unit) {
		when.Unit = "hours"
	}
	if when.Count != "" {
		n, err := strconv.ParseInt(when.Count, 10, 64)
		if err != nil || n <= 0 || n > int64(automation.MaxTimeRuleAfter/time.Minute) {
			f.fail("after", "ErrTimeRuleAfter", nil)
		} else {
			in.After = time.Duration(n) * views.TimeUnitSize[when.Unit]
		}
	}
	return in, when, add, f
}

func (s *Server) timeRuleFormPage(c echo.Context, status int, p views.RuleFormProps) error {
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

func timeRuleProps(id int64, in store.TimeRuleInput, when views.TimeRuleWhen) views.RuleFormProps {
	return views.RuleFormProps{ID: id, Time: &when,
		Values: store.RuleInput{Active: in.Active, Name: in.Name, Note: in.Note, Definition: in.Definition}}
}

func (s *Server) timeRuleNew(c echo.Context) error {
	in := store.TimeRuleInput{Active: true,
		Definition: automation.Definition{Groups: []automation.Group{{Conditions: []automation.Condition{{}}}}, Actions: []automation.Action{{}}}}
	return s.timeRuleFormPage(c, http.StatusOK, timeRuleProps(0, in, views.TimeRuleWhen{Kind: automation.OlderThan, Unit: "hours"}))
}

// saveTimeRule stores the typed time rule, or shows the form again: 200
// after an Add button, 422 with the problems next to their fields.
func (s *Server) saveTimeRule(c echo.Context, id int64) error {
	in, when, add, f := readTimeRuleForm(c)
	props := timeRuleProps(id, in, when)
	if add != "" {
		return s.timeRuleFormPage(c, http.StatusOK, props)
	}
	props.Errors = f.errs
	if f.ok() {
		var err error
		ctx, actor := c.Request().Context(), currentAgent(c).ID
		if id == 0 {
			id, err = s.st.CreateTimeRule(ctx, actor, in, c.RealIP())
		} else {
			err = s.st.UpdateTimeRule(ctx, actor, id, in, c.RealIP())
		}
		var probs store.RuleProblems
		switch {
		case errors.As(err, &probs):
			for _, p := range probs {
				msg := "ErrInvalidChoice"
				switch {
				case p.Where == "after":
					msg = "ErrTimeRuleAfter"
				case p.Why == automation.Required:
					msg = "ErrRequired"
				}
				f.fail(p.Where, msg, nil)
			}
		case errors.Is(err, store.ErrNotFound):
			return echo.ErrNotFound
		case err != nil:
			return err
		default:
			flash(c, views.FlashSuccess, tf(c, "TimeRuleSaved", nil))
			return s.redirect(c, views.PathTimeRules)
		}
	}
	return s.timeRuleFormPage(c, http.StatusUnprocessableEntity, props)
}

func (s *Server) timeRuleCreate(c echo.Context) error { return s.saveTimeRule(c, 0) }

func (s *Server) timeRuleFromPath(c echo.Context) (store.TimeRule, error) {
	id, err := pathID(c)
	if err != nil {
		return store.TimeRule{}, err
	}
	r, err := s.st.TimeRuleByID(c.Request().Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return r, echo.ErrNotFound
	}
	return r, err
}

func timeRuleInput(r store.TimeRule) store.TimeRuleInput {
	return store.TimeRuleInput{Active: r.Active, Name: r.Name, Note: r.Note, ApplyWhen: r.ApplyWhen, After: r.After, Definition: r.Definition}
}

func (s *Server) timeRuleEdit(c echo.Context) error {
	r, err := s.timeRuleFromPath(c)
	if err != nil {
		return err
	}
	failures, err := s.st.TimeRuleFailures(c.Request().Context(), r.ID, 50)
	if err != nil {
		return err
	}
	p := timeRuleProps(r.ID, timeRuleInput(r), views.WhenOf(r.ApplyWhen, r.After))
	p.Failures = failures
	return s.timeRuleFormPage(c, http.StatusOK, p)
}

func (s *Server) timeRuleUpdate(c echo.Context) error {
	r, err := s.timeRuleFromPath(c)
	if err != nil {
		return err
	}
	return s.saveTimeRule(c, r.ID)
}

func (s *Server) timeRuleToggle(c echo.Context) error {
	r, err := s.timeRuleFromPath(c)
	if err != nil {
		return err
	}
	in := timeRuleInput(r)
	in.Active = !in.Active
	if err := s.st.UpdateTimeRule(c.Request().Context(), currentAgent(c).ID, r.ID, in, c.RealIP()); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "TimeRuleSaved", nil))
	return s.redirect(c, views.PathTimeRules)
}

func (s *Server) timeRuleMove(c echo.Context) error {
	r, err := s.timeRuleFromPath(c)
	if err != nil {
		return err
	}
	if err := s.st.MoveTimeRule(c.Request().Context(), currentAgent(c).ID, r.ID, c.FormValue("dir") == "up", c.RealIP()); err != nil {
		return err
	}
	return s.redirect(c, views.PathTimeRules)
}

func (s *Server) timeRuleRemoveConfirm(c echo.Context) error {
	r, err := s.timeRuleFromPath(c)
	if err != nil {
		return err
	}
	return s.renderConfig(c, http.StatusOK, views.ConfirmPage(views.ConfirmProps{
		Title:  tf(c, "TimeRuleRemoveTitle", map[string]any{"Name": r.Name}),
		Body:   tf(c, "TimeRuleRemoveBody", nil),
		Action: views.WithID(views.PathTimeRuleRemove, r.ID),
		Back:   views.PathTimeRules,
	}), nil)
}

func (s *Server) timeRuleRemove(c echo.Context) error {
	r, err := s.timeRuleFromPath(c)
	if err != nil {
		return err
	}
	if err := s.st.RemoveTimeRule(c.Request().Context(), currentAgent(c).ID, r.ID, c.RealIP()); err != nil {
		return err
	}
	return s.removed(c, tf(c, "TimeRuleRemoved", nil), views.PathTimeRules)
}
