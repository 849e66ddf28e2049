package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

const agentsPerPage = 50

// agentRowProps decides what the current user may do to one row; the store
// enforces the same rules again when they act.
func agentRowProps(actor store.Agent, row store.AgentRow, roles []store.RoleInfo) views.AgentRowProps {
	p := views.AgentRowProps{Row: row, CanEdit: store.CanManage(actor, row.Agent)}
	if store.CanChangeAccess(actor, row.Agent) && !row.IsCreator {
		p.Roles = store.Grantable(actor, roles)
		p.CanRemove = true
	}
	return p
}

func (s *Server) agentsList(c echo.Context) error {
	ctx := c.Request().Context()
	actor := currentAgent(c)
	q := strings.TrimSpace(c.QueryParam("q"))
	if r := []rune(strings.ToValidUTF8(q, "")); len(r) > maxName {
		q = string(r[:maxName])
	} else {
		q = string(r)
	}
	after := queryID(c, "after")
	// What a row offers depends on who looks (an Administrator may not
	// touch an Owner), so each viewer keeps their own pages.
	key := agentsKey(ctx, actor.Viewer(), q, after)
	table, err := s.fragments.get(ctx, key, func(ctx context.Context) (piece, error) {
		p, err := s.agentsProps(ctx, actor, q, after)
		return piece{Body: views.AgentsTable(p)}, err
	})
	if err != nil {
		return err
	}
	p := views.AgentsProps{Query: q, CanCreate: true}
	return s.renderConfig(c, http.StatusOK, views.AgentsPage(p, table.Body), table.Body)
}

// agentsProps reads one page of agents; a cursor that no longer exists
// starts from the top.
func (s *Server) agentsProps(ctx context.Context, actor store.Agent, q string, after int64) (views.AgentsProps, error) {
	page, err := s.st.ListAgents(ctx, store.AgentFilter{Search: q, AfterID: after, Limit: agentsPerPage})
	if errors.Is(err, store.ErrNotFound) {
		after = 0
		page, err = s.st.ListAgents(ctx, store.AgentFilter{Search: q, Limit: agentsPerPage})
	}
	if err != nil {
		return views.AgentsProps{}, err
	}
	roles, err := s.st.Roles(ctx)
	if err != nil {
		return views.AgentsProps{}, err
	}
	p := views.AgentsProps{Query: q, After: after, Next: page.Next, CanCreate: true}
	for _, row := range page.Agents {
		p.Rows = append(p.Rows, agentRowProps(actor, row, roles))
	}
	return p, nil
}

// agentFormProps fills what the form offers to actor; target is nil on create.
func (s *Server) agentFormProps(c echo.Context, actor store.Agent, target *store.Agent, v views.AgentValues, errs views.FieldErrors) (views.AgentFormProps, error) {
	ctx := c.Request().Context()
	deps, err := s.st.Departments(ctx)
	if err != nil {
		return views.AgentFormProps{}, err
	}
	roles, err := s.st.Roles(ctx)
	if err != nil {
		return views.AgentFormProps{}, err
	}
	offered := store.Creatable(actor, roles)
	if target != nil {
		offered = store.Grantable(actor, roles)
	}
	for _, r := range roles {
		if r.Role == v.Role {
			v.RoleName = r.Name
		}
	}
	p := views.AgentFormProps{Values: v, Errors: errs, Roles: offered, Departments: deps,
		ShowDepartments: actor.Perms.Has(authz.AgentsDepartments)}
	if target != nil {
		p.ID = target.ID
		p.AccessFixed = !store.CanChangeAccess(actor, *target) || target.IsCreator
	}
	if p.Errors == nil {
		p.Errors = views.FieldErrors{}
	}
	return p, nil
}

// readAgentForm parses and checks the agent form. Role and status are read
// only when the form offers them.
func (s *Server) readAgentForm(c echo.Context, withRole, withStatus bool) (views.AgentValues, *form, error) {
	f := newForm(c)
	v := views.AgentValues{
		Name:        f.text("name", true, maxName),
		Email:       f.email("email"),
		Alias:       f.text("alias", false, maxName),
		Gender:      f.choice("gender", false, store.Genders...),
		Departments: map[int64]bool{},
	}
	if withRole {
		v.Role = f.role("role")
	}
	if withStatus {
		v.Status = store.Status(f.choice("status", true, string(store.StatusActive), string(store.StatusDisabled)))
	}
	deps, err := s.st.Departments(c.Request().Context())
	if err != nil {
		return v, f, err
	}
	known := map[int64]bool{}
	for _, d := range deps {
		known[d.ID] = true
	}
	form, err := c.FormParams()
	if err != nil {
		return v, f, err
	}
	for _, raw := range form["departments"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || !known[id] {
			f.fail("departments", "ErrUnknownDepartment", nil)
			continue
		}
		v.Departments[id] = true
	}
	return v, f, nil
}

func departmentIDs(m map[int64]bool) []int64 {
	var ids []int64
	for id, ok := range m {
		if ok {
			ids = append(ids, id)
		}
	}
	return ids
}

// storeFieldError turns the store's refusals that belong to one field into
// that field's message; it reports whether it did.
func storeFieldError(f *form, err error) bool {
	var ce store.ErrConflict
	switch {
	case errors.As(err, &ce) && ce.Field == "email":
		f.fail("email", "ErrEmailTaken", nil)
	case errors.Is(err, store.ErrUnknownDepartment):
		f.fail("departments", "ErrUnknownDepartment", nil)
	case errors.Is(err, store.ErrUnknownRole):
		f.fail("role", "ErrInvalidChoice", nil)
	default:
		return false
	}
	return true
}

func (s *Server) agentNew(c echo.Context) error {
	p, err := s.agentFormProps(c, currentAgent(c), nil, views.AgentValues{Role: authz.RoleAgent, Status: store.StatusActive}, nil)
	if err != nil {
		return err
	}
	return s.renderConfig(c, http.StatusOK, views.AgentNewPage(p), nil)
}

func (s *Server) agentCreate(c echo.Context) error {
	ctx := c.Request().Context()
	actor := currentAgent(c)
	v, f, err := s.readAgentForm(c, true, true)
	if err != nil {
		return err
	}
	invalid := func() error {
		p, err := s.agentFormProps(c, actor, nil, v, f.errs)
		if err != nil {
			return err
		}
		return s.renderConfig(c, http.StatusUnprocessableEntity, views.AgentNewPage(p), nil)
	}
	if !f.ok() {
		return invalid()
	}
	in := store.AgentInput{Name: v.Name, Email: v.Email, Alias: v.Alias, Gender: v.Gender, Role: v.Role, Status: v.Status}
	if actor.Perms.Has(authz.AgentsDepartments) {
		in.DepartmentIDs = departmentIDs(v.Departments)
	}
	a, token, err := s.st.CreateAgent(ctx, actor.ID, in, c.RealIP())
	if storeFieldError(f, err) {
		return invalid()
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "AgentCreated", map[string]any{"Name": a.Name}))
	return s.showPasswordLink(c, a, token)
}

// showPasswordLink shows a new one-time link once. It is the answer to the
// post itself: the link must never travel in a URL or a cookie.
func (s *Server) showPasswordLink(c echo.Context, a store.Agent, token string) error {
	link := s.absoluteURL(c, views.SetPasswordPath(token))
	if note := s.emailPasswordLink(c, a, link); note != "" {
		flash(c, views.FlashInfo, note)
	}
	return s.renderConfig(c, http.StatusOK, views.PasswordLinkPage(views.PasswordLinkProps{Name: a.Name, Link: link}), nil)
}

// managedAgent loads the live agent of the :id path that the current user
// may manage at all.
func (s *Server) managedAgent(c echo.Context) (store.Agent, error) {
	id, err := pathID(c)
	if err != nil {
		return store.Agent{}, err
	}
	a, err := s.st.AgentByID(c.Request().Context(), id)
	if err != nil {
		return store.Agent{}, err
	}
	if a.Removed {
		return store.Agent{}, store.ErrNotFound
	}
	if !store.CanManage(currentAgent(c), a) {
		return store.Agent{}, store.RuleError{Rule: store.RuleOwnerOnly}
	}
	return a, nil
}

func (s *Server) agentEditProps(c echo.Context, actor, target store.Agent, v views.AgentValues, errs views.FieldErrors) (views.AgentEditProps, error) {
	fp, err := s.agentFormProps(c, actor, &target, v, errs)
	if err != nil {
		return views.AgentEditProps{}, err
	}
	access := store.CanChangeAccess(actor, target)
	tf, err := s.st.TwoFactor(c.Request().Context(), target.ID)
	if err != nil {
		return views.AgentEditProps{}, err
	}
	return views.AgentEditProps{
		CanResetTwoFactor: access && actor.Perms.Has(authz.AgentsPassword) && tf.Enabled && actor.ID != target.ID,
		Form:              fp,
		Agent:             target,
		CanStatus:         access && !target.IsCreator,
		CanReset:          access && actor.Perms.Has(authz.AgentsPassword),
		CanMakeCreator:    actor.IsCreator && target.Role == authz.RoleOwner && target.Status == store.StatusActive && !target.IsCreator,
	}, nil
}

func (s *Server) agentEdit(c echo.Context) error {
	target, err := s.managedAgent(c)
	if err != nil {
		return err
	}
	ids, err := s.st.AgentDepartmentIDs(c.Request().Context(), target.ID)
	if err != nil {
		return err
	}
	v := views.AgentValues{Name: target.Name, Email: target.Email, Alias: target.Alias, Gender: target.Gender,
		Role: target.Role, RoleName: target.RoleName, Status: target.Status, Departments: map[int64]bool{}}
	for _, id := range ids {
		v.Departments[id] = true
	}
	p, err := s.agentEditProps(c, currentAgent(c), target, v, nil)
	if err != nil {
		return err
	}
	return s.renderConfig(c, http.StatusOK, views.AgentEditPage(p), nil)
}

func (s *Server) agentUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	actor := currentAgent(c)
	target, err := s.managedAgent(c)
	if err != nil {
		return err
	}
	// The form offers the status to whoever may change the agent's access,
	// and the role only to those who may also change roles.
	withStatus := store.CanChangeAccess(actor, target) && !target.IsCreator
	withRole := withStatus && actor.Perms.Has(authz.AgentsRole)
	v, f, err := s.readAgentForm(c, withRole, withStatus)
	if err != nil {
		return err
	}
	if !withRole {
		v.Role, v.RoleName = target.Role, target.RoleName
	}
	if !withStatus {
		v.Status = target.Status
	}
	invalid := func() error {
		p, err := s.agentEditProps(c, actor, target, v, f.errs)
		if err != nil {
			return err
		}
		return s.renderConfig(c, http.StatusUnprocessableEntity, views.AgentEditPage(p), nil)
	}
	if !f.ok() {
		return invalid()
	}
	in := store.AgentInput{Name: v.Name, Email: v.Email, Alias: v.Alias, Gender: v.Gender, Role: v.Role, Status: v.Status}
	if actor.Perms.Has(authz.AgentsDepartments) {
		in.DepartmentIDs = departmentIDs(v.Departments)
		if in.DepartmentIDs == nil {
			in.DepartmentIDs = []int64{}
		}
	}
	err = s.st.UpdateAgent(ctx, actor.ID, target.ID, in, c.RealIP())
	if storeFieldError(f, err) {
		return invalid()
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "AgentSaved", map[string]any{"Name": v.Name}))
	return s.redirect(c, views.PathAgents)
}

// agentRoleUpdate is the role picker: htmx swaps the row, a plain post
// returns to the table.
func (s *Server) agentRoleUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	actor := currentAgent(c)
	id, err := pathID(c)
	if err != nil {
		return err
	}
	f := newForm(c)
	role := f.role("role")
	if !f.ok() {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, f.errs["role"])
	}
	// Granting Owner gives the account itself away: it is confirmed first,
	// by the picker's script or, without it, on a page of its own.
	if role == authz.RoleOwner && actor.Perms.Has(authz.OwnersManage) && c.FormValue("confirm") != "1" {
		return s.confirmOwnerGrant(c, id)
	}
	err = s.st.ChangeRole(ctx, actor.ID, id, role, c.RealIP())
	if errors.Is(err, store.ErrUnknownRole) {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, t(c, "ErrInvalidChoice"))
	}
	if err != nil {
		return err
	}
	row, err := s.st.AgentRowByID(ctx, id)
	if err != nil {
		return err
	}
	roles, err := s.st.Roles(ctx)
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "RoleChanged", map[string]any{"Name": row.Name, "Role": views.RoleLabel(ctx, row.Role, row.RoleName)}))
	if !isHTMX(c) {
		return s.redirect(c, views.PathAgents)
	}
	return s.render(c, http.StatusOK, nil, views.AgentRow(agentRowProps(actor, row, roles)))
}

// confirmOwnerGrant asks before the picker makes someone an Owner.
func (s *Server) confirmOwnerGrant(c echo.Context, id int64) error {
	if isHTMX(c) {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, t(c, "ConfirmOwnerGrantNeeded"))
	}
	target, err := s.st.AgentByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if target.Removed {
		return store.ErrNotFound
	}
	data := map[string]any{"Name": target.Name}
	return s.renderConfig(c, http.StatusOK, views.ConfirmPage(views.ConfirmProps{
		Title:  tf(c, "ConfirmOwnerGrantTitle", data),
		Body:   tf(c, "ConfirmOwnerGrantBody", data),
		Action: views.WithID(views.PathAgentRole, id),
		Back:   views.PathAgents,
		Fields: map[string]string{"role": string(authz.RoleOwner), "confirm": "1"},
		Button: t(c, "MakeOwner"),
	}), nil)
}

func (s *Server) agentRemoveConfirm(c echo.Context) error {
	target, err := s.managedAgent(c)
	if err != nil {
		return err
	}
	if !store.CanChangeAccess(currentAgent(c), target) {
		return store.RuleError{Rule: store.RuleSelfChange}
	}
	data := map[string]any{"Name": target.Name}
	return s.renderConfig(c, http.StatusOK, views.ConfirmPage(views.ConfirmProps{
		Title:  tf(c, "RemoveAgentTitle", data),
		Body:   tf(c, "RemoveAgentBody", data),
		Action: views.WithID(views.PathAgentRemove, target.ID),
		Back:   views.PathAgents,
	}), nil)
}

func (s *Server) agentRemove(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c)
	if err != nil {
		return err
	}
	target, err := s.st.AgentByID(ctx, id)
	if err != nil {
		return err
	}
	if err := s.st.RemoveAgent(ctx, currentAgent(c).ID, id, c.RealIP()); err != nil {
		return err
	}
	return s.removed(c, tf(c, "AgentRemoved", map[string]any{"Name": target.Name}), views.PathAgents)
}

func (s *Server) agentStatusUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c)
	if err != nil {
		return err
	}
	f := newForm(c)
	status := store.Status(f.choice("status", true, string(store.StatusActive), string(store.StatusDisabled)))
	if !f.ok() {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, f.errs["status"])
	}
	if err := s.st.SetAgentStatus(ctx, currentAgent(c).ID, id, status, c.RealIP()); err != nil {
		return err
	}
	a, err := s.st.AgentByID(ctx, id)
	if err != nil {
		return err
	}
	msg := "AgentEnabled"
	if status == store.StatusDisabled {
		msg = "AgentDisabled"
	}
	flash(c, views.FlashSuccess, tf(c, msg, map[string]any{"Name": a.Name}))
	return s.redirect(c, views.WithID(views.PathAgentEdit, id))
}

func (s *Server) agentPasswordReset(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c)
	if err != nil {
		return err
	}
	token, err := s.st.ResetPassword(ctx, currentAgent(c).ID, id, c.RealIP())
	if err != nil {
		return err
	}
	a, err := s.st.AgentByID(ctx, id)
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "PasswordResetDone", map[string]any{"Name": a.Name}))
	return s.showPasswordLink(c, a, token)
}

func (s *Server) agentMakeCreator(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.st.MakeAccountCreator(ctx, currentAgent(c).ID, id, c.RealIP()); err != nil {
		return err
	}
	a, err := s.st.AgentByID(ctx, id)
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "AccountCreatorMoved", map[string]any{"Name": a.Name}))
	return s.redirect(c, views.WithID(views.PathAgentEdit, id))
}

// noReferrer keeps a page whose URL is a secret from sending that URL on,
// even to this server's own assets.
func noReferrer(c echo.Context) {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
}

// setPasswordShow is the public page a one-time link opens.
func (s *Server) setPasswordShow(c echo.Context) error {
	noReferrer(c)
	token := c.Param("token")
	a, err := s.st.PasswordLinkAgent(c.Request().Context(), token)
	if errors.Is(err, store.ErrLinkInvalid) {
		return s.render(c, http.StatusNotFound, views.LinkInvalidPage(), nil)
	}
	if err != nil {
		return err
	}
	p := views.SetPasswordProps{Name: a.Name, Action: views.SetPasswordPath(token), Errors: views.FieldErrors{}}
	return s.render(c, http.StatusOK, views.SetPasswordPage(p), nil)
}

// setPasswordSave spends the link, sets the password and signs the agent in.
func (s *Server) setPasswordSave(c echo.Context) error {
	noReferrer(c)
	ctx := c.Request().Context()
	token := c.Param("token")
	a, err := s.st.PasswordLinkAgent(ctx, token)
	if errors.Is(err, store.ErrLinkInvalid) {
		return s.render(c, http.StatusNotFound, views.LinkInvalidPage(), nil)
	}
	if err != nil {
		return err
	}
	f := newForm(c)
	pw := f.password("password", true)
	if err := s.checkNewPassword(f, "password", pw); err != nil {
		return err
	}
	checkNotSamePassword(f, "password", pw, a.PasswordHash)
	if !f.ok() {
		p := views.SetPasswordProps{Name: a.Name, Action: views.SetPasswordPath(token), Errors: f.errs}
		return s.render(c, http.StatusUnprocessableEntity, views.SetPasswordPage(p), nil)
	}
	hash, err := store.HashPassword(pw)
	if err != nil {
		return err
	}
	a, err = s.st.SetPasswordWithLink(ctx, token, hash, c.RealIP())
	if errors.Is(err, store.ErrLinkInvalid) {
		return s.render(c, http.StatusNotFound, views.LinkInvalidPage(), nil)
	}
	if err != nil {
		return err
	}
	// Whoever was signed in on this browser before is signed out.
	if st := state(c); st.user != nil {
		if err := s.st.DeleteSession(ctx, st.session.TokenHash); err != nil {
			return err
		}
	}
	if a.Status != store.StatusActive {
		state(c).cookie.signOut()
		flash(c, views.FlashInfo, t(c, "PasswordSetDisabled"))
		return s.redirect(c, views.PathSignIn)
	}
	// A link proves the email, not the second factor: an agent with an
	// authenticator (or one the desk requires) still gives a code.
	if needs, err := s.needsSecondFactor(c, a); err != nil || needs {
		if err != nil {
			return err
		}
		flash(c, views.FlashSuccess, t(c, "PasswordSetWelcome"))
		return s.passwordAccepted(c, a, false, views.PathHome)
	}
	if err := s.startSession(c, a, false); err != nil {
		return err
	}
	if err := s.st.RecordSignIn(ctx, a.ID, c.RealIP()); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "PasswordSetWelcome"))
	return s.redirect(c, views.PathHome)
}
