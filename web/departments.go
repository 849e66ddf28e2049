package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"helpline/store"
	"helpline/views"
)

// maxMemberChoices bounds the agents listed in a department's members form.
const maxMemberChoices = 1000

func (s *Server) departmentsList(c echo.Context) error {
	ctx := c.Request().Context()
	deps, err := s.st.Departments(ctx)
	if err != nil {
		return err
	}
	counts, err := s.st.DepartmentMemberCounts(ctx)
	if err != nil {
		return err
	}
	var p views.DepartmentsProps
	for _, d := range deps {
		p.Rows = append(p.Rows, views.DepartmentRow{Department: d, Members: counts[d.ID]})
	}
	return s.renderConfig(c, http.StatusOK, views.DepartmentsPage(p), nil)
}

// readDepartmentForm parses the department form; the description may span lines.
func readDepartmentForm(c echo.Context) (views.DepartmentValues, *form) {
	f := newForm(c)
	v := views.DepartmentValues{Name: f.text("name", true, maxName)}
	v.Description = strings.TrimSpace(strings.ReplaceAll(c.FormValue("description"), "\r\n", "\n"))
	switch {
	case utf8.RuneCountInString(v.Description) > maxDescription:
		f.fail("description", "ErrTooLong", map[string]any{"Max": maxDescription})
	case !plainText(v.Description, true):
		f.fail("description", "ErrInvalidChoice", nil)
	}
	return v, f
}

func departmentNameTaken(f *form, err error) bool {
	var ce store.ErrConflict
	if errors.As(err, &ce) && ce.Field == "name" {
		f.fail("name", "ErrDepartmentTaken", nil)
		return true
	}
	return false
}

func (s *Server) departmentNew(c echo.Context) error {
	p := views.DepartmentFormProps{Errors: views.FieldErrors{}}
	return s.renderConfig(c, http.StatusOK, views.DepartmentNewPage(p), nil)
}

func (s *Server) departmentCreate(c echo.Context) error {
	v, f := readDepartmentForm(c)
	invalid := func() error {
		p := views.DepartmentFormProps{Values: v, Errors: f.errs}
		return s.renderConfig(c, http.StatusUnprocessableEntity, views.DepartmentNewPage(p), nil)
	}
	if !f.ok() {
		return invalid()
	}
	id, err := s.st.CreateDepartment(c.Request().Context(), currentAgent(c).ID, store.DepartmentInput{Name: v.Name, Description: v.Description})
	if departmentNameTaken(f, err) {
		return invalid()
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "DepartmentCreated", map[string]any{"Name": v.Name}))
	return s.redirect(c, views.WithID(views.PathDepartment, id))
}

// membersProps lists every live agent with their membership of department id.
func (s *Server) membersProps(c echo.Context, id int64) (views.MembersProps, error) {
	ctx := c.Request().Context()
	members, err := s.st.DepartmentMembers(ctx, id)
	if err != nil {
		return views.MembersProps{}, err
	}
	byAgent := map[int64]store.Member{}
	for _, m := range members {
		byAgent[m.AgentID] = m
	}
	page, err := s.st.ListAgents(ctx, store.AgentFilter{Limit: maxMemberChoices})
	if err != nil {
		return views.MembersProps{}, err
	}
	p := views.MembersProps{DepartmentID: id, Errors: views.FieldErrors{}}
	for _, a := range page.Agents {
		m, ok := byAgent[a.ID]
		p.Rows = append(p.Rows, views.MemberRow{AgentID: a.ID, Name: a.Name, Email: a.Email, Member: ok, Channels: m.Channels,
			Locked: !store.CanChangeMembership(currentAgent(c), a.Agent)})
	}
	return p, nil
}

func (s *Server) departmentEditPage(c echo.Context, status int, d store.Department, v views.DepartmentValues, errs views.FieldErrors) error {
	m, err := s.membersProps(c, d.ID)
	if err != nil {
		return err
	}
	if errs == nil {
		errs = views.FieldErrors{}
	}
	p := views.DepartmentFormProps{ID: d.ID, Values: v, Errors: errs}
	return s.renderConfig(c, status, views.DepartmentEditPage(p, m), nil)
}

func (s *Server) departmentFromPath(c echo.Context) (store.Department, error) {
	id, err := pathID(c)
	if err != nil {
		return store.Department{}, err
	}
	return s.st.DepartmentByID(c.Request().Context(), id)
}

func (s *Server) departmentEdit(c echo.Context) error {
	d, err := s.departmentFromPath(c)
	if err != nil {
		return err
	}
	return s.departmentEditPage(c, http.StatusOK, d, views.DepartmentValues{Name: d.Name, Description: d.Description}, nil)
}

func (s *Server) departmentUpdate(c echo.Context) error {
	d, err := s.departmentFromPath(c)
	if err != nil {
		return err
	}
	v, f := readDepartmentForm(c)
	if !f.ok() {
		return s.departmentEditPage(c, http.StatusUnprocessableEntity, d, v, f.errs)
	}
	err = s.st.UpdateDepartment(c.Request().Context(), currentAgent(c).ID, d.ID, store.DepartmentInput{Name: v.Name, Description: v.Description})
	if departmentNameTaken(f, err) {
		return s.departmentEditPage(c, http.StatusUnprocessableEntity, d, v, f.errs)
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "DepartmentSaved", map[string]any{"Name": v.Name}))
	return s.redirect(c, views.PathDepartments)
}

// departmentMembersSave replaces the department's members with the ticked
// agents and the channels ticked for each.
func (s *Server) departmentMembersSave(c echo.Context) error {
	ctx := c.Request().Context()
	d, err := s.departmentFromPath(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	current, err := s.membersProps(c, d.ID)
	if err != nil {
		return err
	}
	live := map[int64]bool{}
	for _, r := range current.Rows {
		live[r.AgentID] = true
	}
	bad := false
	ids := func(name string) map[int64]bool {
		out := map[int64]bool{}
		for _, raw := range form[name] {
			id, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || !live[id] {
				bad = true
				continue
			}
			out[id] = true
		}
		return out
	}
	member, tickets, chats, calls := ids("member"), ids("tickets"), ids("chats"), ids("calls")
	if bad {
		current.Errors[""] = t(c, "ErrUnknownAgent")
		if isHTMX(c) {
			return s.render(c, http.StatusUnprocessableEntity, nil, views.MembersForm(current))
		}
		p := views.DepartmentFormProps{ID: d.ID, Values: views.DepartmentValues{Name: d.Name, Description: d.Description}, Errors: views.FieldErrors{}}
		return s.renderConfig(c, http.StatusUnprocessableEntity, views.DepartmentEditPage(p, current), nil)
	}
	members := map[int64]store.Channels{}
	for id := range member {
		members[id] = store.Channels{Tickets: tickets[id], Chats: chats[id], Calls: calls[id]}
	}
	// A locked row's boxes are not sent: those agents keep what they have.
	for _, r := range current.Rows {
		if r.Locked {
			delete(members, r.AgentID)
			if r.Member {
				members[r.AgentID] = r.Channels
			}
		}
	}
	if err := s.st.SetDepartmentMembers(ctx, currentAgent(c).ID, d.ID, members); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "MembersSaved"))
	if !isHTMX(c) {
		return s.redirect(c, views.WithID(views.PathDepartment, d.ID))
	}
	m, err := s.membersProps(c, d.ID)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, nil, views.MembersForm(m))
}

func (s *Server) departmentRemoveConfirm(c echo.Context) error {
	d, err := s.departmentFromPath(c)
	if err != nil {
		return err
	}
	return s.renderConfig(c, http.StatusOK, views.ConfirmPage(views.ConfirmProps{
		Title:  tf(c, "RemoveDepartmentTitle", map[string]any{"Name": d.Name}),
		Body:   t(c, "RemoveDepartmentBody"),
		Action: views.WithID(views.PathDepartmentRemove, d.ID),
		Back:   views.PathDepartments,
	}), nil)
}

func (s *Server) departmentRemove(c echo.Context) error {
	d, err := s.departmentFromPath(c)
	if err != nil {
		return err
	}
	if err := s.st.RemoveDepartment(c.Request().Context(), currentAgent(c).ID, d.ID); err != nil {
		return err
	}
	return s.removed(c, tf(c, "DepartmentRemoved", map[string]any{"Name": d.Name}), views.PathDepartments)
}
