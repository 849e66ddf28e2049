package web

import (
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

// Configuration → Predefined answers: everyone manages their own personal
// answers; those with canned:manage_departments manage the shared ones.
// Which answers a user may open is the store's scope: another agent's
// personal answer is not found.

func init() {
	auditActionLabels[store.ActionAnswerCreate] = "AuditAnswerCreate"
	auditActionLabels[store.ActionAnswerUpdate] = "AuditAnswerUpdate"
	auditActionLabels[store.ActionAnswerRemove] = "AuditAnswerRemove"
}

func (s *Server) answersList(c echo.Context) error {
	rows, err := s.st.Answers(c.Request().Context(), viewer(c))
	if err != nil {
		return err
	}
	return s.renderConfig(c, http.StatusOK, views.AnswersPage(views.AnswersProps{Rows: rows}), nil)
}

func (s *Server) answerFormPage(c echo.Context, status int, id int64, v views.AnswerValues, errs views.FieldErrors) error {
	deps, err := s.st.Departments(c.Request().Context())
	if err != nil {
		return err
	}
	if errs == nil {
		errs = views.FieldErrors{}
	}
	p := views.AnswerFormProps{ID: id, Values: v, Errors: errs, Departments: deps, CanShare: viewer(c).Can(authz.CannedManageDepartments)}
	return s.renderConfig(c, status, views.AnswerFormPage(p), nil)
}

// readAnswerForm parses and checks the answer form: the body's placeholders
// must be ones the desk fills in, the department one that exists, and
// Shared is only for those who manage shared answers.
func (s *Server) readAnswerForm(c echo.Context) (views.AnswerValues, *form) {
	f := newForm(c)
	v := views.AnswerValues{
		Title: f.text("title", true, maxName),
		Body:  f.multiline("body", true, maxBody),
		Kind:  f.choice("kind", true, views.AnswerKindPersonal, views.AnswerKindShared),
	}
	if unknown := desk.UnknownPlaceholders(v.Body); len(unknown) > 0 {
		names := make([]string, len(unknown))
		for i, u := range unknown {
			names[i] = "{{" + u + "}}"
		}
		f.fail("body", "ErrUnknownPlaceholder", map[string]any{"Names": strings.Join(names, ", ")})
	}
	if v.Kind == views.AnswerKindShared && !viewer(c).Can(authz.CannedManageDepartments) {
		f.fail("kind", "ErrInvalidChoice", nil)
	}
	dep, err := strconv.ParseInt(c.FormValue("department"), 10, 64)
	switch {
	case err != nil || dep < 0:
		f.fail("department", "ErrInvalidChoice", nil)
	case dep > 0:
		if _, err := s.st.DepartmentByID(c.Request().Context(), dep); err != nil {
			f.fail("department", "ErrInvalidChoice", nil)
		}
		v.DepartmentID = dep
	}
	return v, f
}

func answerInput(v views.AnswerValues) store.AnswerInput {
	return store.AnswerInput{Title: v.Title, Body: v.Body, DepartmentID: v.DepartmentID, Shared: v.Kind == views.AnswerKindShared}
}

// answerDepartmentGone reports a department removed between the check and
// the save, as the check would have.
func answerDepartmentGone(f *form, err error) bool {
	var ce store.ErrConflict
	if errors.As(err, &ce) && ce.Field == "department" {
		f.fail("department", "ErrInvalidChoice", nil)
		return true
	}
	return false
}

func (s *Server) answerNew(c echo.Context) error {
	return s.answerFormPage(c, http.StatusOK, 0, views.AnswerValues{Kind: views.AnswerKindPersonal}, nil)
}

func (s *Server) answerCreate(c echo.Context) error {
	v, f := s.readAnswerForm(c)
	if !f.ok() {
		return s.answerFormPage(c, http.StatusUnprocessableEntity, 0, v, f.errs)
	}
	_, err := s.st.CreateAnswer(c.Request().Context(), currentAgent(c).ID, answerInput(v), c.RealIP())
	if answerDepartmentGone(f, err) {
		return s.answerFormPage(c, http.StatusUnprocessableEntity, 0, v, f.errs)
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "AnswerCreated", map[string]any{"Name": v.Title}))
	return s.redirect(c, views.PathAnswers)
}

func (s *Server) answerFromPath(c echo.Context) (store.Answer, error) {
	id, err := pathID(c)
	if err != nil {
		return store.Answer{}, err
	}
	return s.st.AnswerByID(c.Request().Context(), viewer(c), id)
}

func answerKind(a store.Answer) string {
	if a.Shared() {
		return views.AnswerKindShared
	}
	return views.AnswerKindPersonal
}

func (s *Server) answerEdit(c echo.Context) error {
	a, err := s.answerFromPath(c)
	if err != nil {
		return err
	}
	v := views.AnswerValues{Title: a.Title, Body: a.Body, DepartmentID: a.DepartmentID, Kind: answerKind(a)}
	return s.answerFormPage(c, http.StatusOK, a.ID, v, nil)
}

func (s *Server) answerUpdate(c echo.Context) error {
	a, err := s.answerFromPath(c)
	if err != nil {
		return err
	}
	v, f := s.readAnswerForm(c)
	if !f.ok() {
		return s.answerFormPage(c, http.StatusUnprocessableEntity, a.ID, v, f.errs)
	}
	err = s.st.UpdateAnswer(c.Request().Context(), currentAgent(c).ID, a.ID, answerInput(v), c.RealIP())
	if answerDepartmentGone(f, err) {
		return s.answerFormPage(c, http.StatusUnprocessableEntity, a.ID, v, f.errs)
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "AnswerSaved", map[string]any{"Name": v.Title}))
	return s.redirect(c, views.PathAnswers)
}

func (s *Server) answerRemoveConfirm(c echo.Context) error {
	a, err := s.answerFromPath(c)
	if err != nil {
		return err
	}
	return s.renderConfig(c, http.StatusOK, views.ConfirmPage(views.ConfirmProps{
		Title:  tf(c, "RemoveAnswerTitle", map[string]any{"Name": a.Title}),
		Body:   t(c, "RemoveAnswerBody"),
		Action: views.WithID(views.PathAnswerRemove, a.ID),
		Back:   views.PathAnswers,
	}), nil)
}

func (s *Server) answerRemove(c echo.Context) error {
	a, err := s.answerFromPath(c)
	if err != nil {
		return err
	}
	if err := s.st.RemoveAnswer(c.Request().Context(), currentAgent(c).ID, a.ID, c.RealIP()); err != nil {
		return err
	}
	return s.removed(c, tf(c, "AnswerRemoved", map[string]any{"Name": a.Title}), views.PathAnswers)
}
