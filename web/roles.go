package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// maxRoleName bounds a custom role's name.
const maxRoleName = 60

// groupLabels are the headings of the matrix and of the custom role form.
var groupLabels = map[authz.Group]string{
	authz.GroupProfile: "PermGroupProfile",
	authz.GroupTickets: "PermGroupTickets",
	authz.GroupTeam:    "PermGroupTeam",
	authz.GroupSystem:  "PermGroupSystem",
	authz.GroupAccount: "PermGroupAccount",
}

// rolesMatrix builds the Roles page from the authz table every route and
// store decision asks, with one column per role.
func rolesMatrix(roles []store.RoleInfo, canManage bool) views.RolesProps {
	p := views.RolesProps{CanManage: canManage}
	for _, r := range roles {
		p.Columns = append(p.Columns, views.RoleColumn{Role: r.Role, Name: r.Name, Holders: r.Holders})
	}
	for _, in := range authz.Catalogue() {
		row := views.RolePermRow{Name: in.Name, DescID: in.DescID}
		for _, r := range roles {
			row.Granted = append(row.Granted, r.Perms.Has(in.Perm))
		}
		label := groupLabels[in.Group]
		if n := len(p.Groups); n == 0 || p.Groups[n-1].LabelID != label {
			p.Groups = append(p.Groups, views.RoleGroup{LabelID: label})
		}
		g := &p.Groups[len(p.Groups)-1]
		g.Rows = append(g.Rows, row)
	}
	return p
}

func (s *Server) rolesShow(c echo.Context) error {
	roles, err := s.st.Roles(c.Request().Context())
	if err != nil {
		return err
	}
	p := rolesMatrix(roles, currentAgent(c).Perms.Has(authz.RolesManage))
	return s.renderConfig(c, http.StatusOK, views.RolesPage(p), nil)
}

// roleFormProps lays out the offered permissions as the matrix groups them;
// the Agent's are shown ticked and fixed.
func roleFormProps(id int64, name string, perms authz.Set, errs views.FieldErrors) views.RoleFormProps {
	p := views.RoleFormProps{ID: id, Name: name, Checked: map[string]bool{}, Errors: errs}
	if p.Errors == nil {
		p.Errors = views.FieldErrors{}
	}
	offered, base := authz.Offerable(), authz.AgentBase()
	for _, in := range authz.Catalogue() {
		if !offered.Has(in.Perm) {
			continue
		}
		label := groupLabels[in.Group]
		if n := len(p.Groups); n == 0 || p.Groups[n-1].LabelID != label {
			p.Groups = append(p.Groups, views.RoleChoiceGroup{LabelID: label})
		}
		g := &p.Groups[len(p.Groups)-1]
		g.Choices = append(g.Choices, views.RoleChoice{Name: in.Name, DescID: in.DescID, Fixed: base.Has(in.Perm)})
		p.Checked[in.Name] = perms.Has(in.Perm)
	}
	return p
}

// readRoleForm reads the name and the ticked permissions; a permission that
// is not offered is an invalid choice, never silently granted.
func readRoleForm(c echo.Context) (string, authz.Set, *form, error) {
	f := newForm(c)
	name := f.text("name", true, maxRoleName)
	params, err := c.FormParams()
	if err != nil {
		return name, 0, f, err
	}
	perms := authz.AgentBase()
	for _, raw := range params["perms"] {
		p, ok := authz.ParsePerm(raw)
		if !ok || !authz.Offerable().Has(p) {
			f.fail("perms", "ErrInvalidChoice", nil)
			continue
		}
		perms = perms.With(p)
	}
	return name, perms, f, nil
}

func (s *Server) roleNew(c echo.Context) error {
	return s.renderConfig(c, http.StatusOK, views.RoleFormPage(roleFormProps(0, "", authz.AgentBase(), nil)), nil)
}

func (s *Server) roleCreate(c echo.Context) error {
	name, perms, f, err := readRoleForm(c)
	if err != nil {
		return err
	}
	if f.ok() {
		_, err = s.st.CreateCustomRole(c.Request().Context(), currentAgent(c).ID, store.CustomRoleInput{Name: name, Perms: perms}, c.RealIP())
		if !roleFieldError(f, err) {
			if err != nil {
				return err
			}
			flash(c, views.FlashSuccess, tf(c, "RoleCreated", map[string]any{"Name": name}))
			return s.redirect(c, views.PathRoles)
		}
	}
	p := roleFormProps(0, name, perms, f.errs)
	return s.renderConfig(c, http.StatusUnprocessableEntity, views.RoleFormPage(p), nil)
}

// customRole loads the custom role of the :id path.
func (s *Server) customRole(c echo.Context) (store.RoleInfo, error) {
	id, err := pathID(c)
	if err != nil {
		return store.RoleInfo{}, err
	}
	return s.st.CustomRole(c.Request().Context(), id)
}

func (s *Server) roleEdit(c echo.Context) error {
	r, err := s.customRole(c)
	if err != nil {
		return err
	}
	p := roleFormProps(r.Role.CustomID(), r.Name, r.Perms, nil)
	p.Holders = r.Holders
	return s.renderConfig(c, http.StatusOK, views.RoleFormPage(p), nil)
}

func (s *Server) roleUpdate(c echo.Context) error {
	r, err := s.customRole(c)
	if err != nil {
		return err
	}
	id := r.Role.CustomID()
	name, perms, f, err := readRoleForm(c)
	if err != nil {
		return err
	}
	if f.ok() {
		err = s.st.UpdateCustomRole(c.Request().Context(), currentAgent(c).ID, id, store.CustomRoleInput{Name: name, Perms: perms}, c.RealIP())
		if !roleFieldError(f, err) {
			if err != nil {
				return err
			}
			msg := "RoleSaved"
			if authz.CustomPerms(perms) != r.Perms && r.Holders > 0 {
				msg = "RoleSavedSignedOut"
			}
			flash(c, views.FlashSuccess, tf(c, msg, map[string]any{"Name": name}))
			return s.redirect(c, views.PathRoles)
		}
	}
	p := roleFormProps(id, name, perms, f.errs)
	p.Holders = r.Holders
	return s.renderConfig(c, http.StatusUnprocessableEntity, views.RoleFormPage(p), nil)
}

// roleFieldError puts a taken name next to the name field.
func roleFieldError(f *form, err error) bool {
	var ce store.ErrConflict
	if errors.As(err, &ce) && ce.Field == "name" {
		f.fail("name", "ErrRoleNameTaken", nil)
		return true
	}
	return false
}

func (s *Server) roleRemoveConfirm(c echo.Context) error {
	r, err := s.customRole(c)
	if err != nil {
		return err
	}
	if r.Holders > 0 {
		return store.RuleError{Rule: store.RuleRoleInUse}
	}
	data := map[string]any{"Name": r.Name}
	return s.renderConfig(c, http.StatusOK, views.ConfirmPage(views.ConfirmProps{
		Title:  tf(c, "RemoveRoleTitle", data),
		Body:   t(c, "RemoveRoleHint"),
		Action: views.WithID(views.PathRoleRemove, r.Role.CustomID()),
		Back:   views.WithID(views.PathRole, r.Role.CustomID()),
	}), nil)
}

func (s *Server) roleRemove(c echo.Context) error {
	r, err := s.customRole(c)
	if err != nil {
		return err
	}
	if err := s.st.RemoveCustomRole(c.Request().Context(), currentAgent(c).ID, r.Role.CustomID(), c.RealIP()); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "RoleRemoved", map[string]any{"Name": r.Name}))
	return s.redirect(c, views.PathRoles)
}
