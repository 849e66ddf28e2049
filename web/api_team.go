package web

import (
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// Agents and departments of the API, through the store functions and the
// form rules the Agents page uses.

type apiAgent struct {
	ID           int64      `json:"id"`
	Name         string     `json:"name"`
	Email        string     `json:"email"`
	Alias        string     `json:"alias,omitempty"`
	Role         string     `json:"role" doc:"agent, admin, owner or custom:ID"`
	RoleName     string     `json:"role_name,omitempty" doc:"the custom role's name"`
	Status       string     `json:"status" doc:"active or disabled"`
	Departments  []apiRef   `json:"departments"`
	LastSignInAt *time.Time `json:"last_sign_in_at,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
}

type apiAgentList struct {
	Agents []apiAgent `json:"agents"`
	Next   string     `json:"next,omitempty" doc:"send as ?after= for the next page; absent on the last page"`
}

type apiNewAgent struct {
	Name          string  `json:"name"`
	Email         string  `json:"email"`
	Alias         string  `json:"alias,omitempty"`
	Role          string  `json:"role"`
	DepartmentIDs []int64 `json:"department_ids,omitempty" doc:"needs agents:assign_departments"`
}

type apiCreatedAgent struct {
	Agent           apiAgent `json:"agent"`
	SetPasswordLink string   `json:"set_password_link" doc:"one-time link for the agent to choose a password; hand it over privately"`
}

type apiRoleInput struct {
	Role string `json:"role" doc:"agent, admin, owner or custom:ID"`
}

type apiDepartment struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

type apiDepartmentList struct {
	Departments []apiDepartment `json:"departments"`
}

func (s *Server) apiTeamOps() []apiOp {
	id := []apiParam{pathIDParam("id", "the agent's id")}
	return []apiOp{
		apiGet("/agents", authz.AgentsManage, "listAgents", "Agents by name",
			[]apiParam{queryParam("q", "part of a name or email"), queryParam("after", "the next value of the previous page")}, s.apiListAgents),
		apiGet("/agents/:id", authz.AgentsManage, "getAgent", "An agent", id, s.apiGetAgent),
		apiWrite(http.MethodPost, "/agents", authz.AgentsManage, "createAgent", "Add an agent; answers their one-time set-password link",
			http.StatusCreated, nil, s.apiCreateAgent),
		apiWrite(http.MethodPost, "/agents/:id/role", authz.AgentsRole, "changeAgentRole", "Change an agent's role, by the owner rules",
			http.StatusOK, id, s.apiChangeRole),
		apiWrite(http.MethodPost, "/agents/:id/disable", authz.AgentsManage, "disableAgent", "Disable an agent: they and their tokens can no longer sign in",
			http.StatusOK, id, func(ac *apiCall, _ struct{}) (apiAgent, error) { return s.apiDisableAgent(ac) }),
		apiGet("/departments", authz.TicketsRead, "listDepartments", "The departments whose tickets the agent sees", nil, s.apiListDepartments),
		apiGet("/departments/:id", authz.TicketsRead, "getDepartment", "A department whose tickets the agent sees",
			[]apiParam{pathIDParam("id", "the department's id")}, s.apiGetDepartment),
	}
}

func apiAgentOf(r store.AgentRow) apiAgent {
	out := apiAgent{ID: r.ID, Name: r.Name, Email: r.Email, Alias: r.Alias, Role: string(r.Role), RoleName: r.RoleName,
		Status: string(r.Status), Departments: []apiRef{}, CreatedAt: r.CreatedAt.UTC()}
	for _, d := range r.Departments {
		out.Departments = append(out.Departments, apiRef{ID: d.ID, Name: d.Name})
	}
	if !r.LastSignInAt.IsZero() {
		t := r.LastSignInAt.UTC()
		out.LastSignInAt = &t
	}
	return out
}

func (s *Server) apiListAgents(ac *apiCall) (apiAgentList, error) {
	q := ac.c.QueryParams()
	f := store.AgentFilter{Search: q.Get("q"), Limit: 50}
	if a := q.Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n <= 0 {
			return apiAgentList{}, apiInvalid([]apiFieldError{{Field: "after", Message: "after is the next value of an earlier page"}})
		}
		f.AfterID = n
	}
	page, err := s.st.ListAgents(ac.c.Request().Context(), f)
	if err != nil {
		return apiAgentList{}, err
	}
	out := apiAgentList{Agents: make([]apiAgent, 0, len(page.Agents))}
	for _, r := range page.Agents {
		out.Agents = append(out.Agents, apiAgentOf(r))
	}
	if page.Next != 0 {
		out.Next = strconv.FormatInt(page.Next, 10)
	}
	return out, nil
}

func apiPathID(ac *apiCall) (int64, error) {
	id, err := strconv.ParseInt(ac.c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, store.ErrNotFound
	}
	return id, nil
}

func (s *Server) apiAgentByID(ac *apiCall, id int64) (apiAgent, error) {
	r, err := s.st.AgentRowByID(ac.c.Request().Context(), id)
	if err != nil {
		return apiAgent{}, err
	}
	return apiAgentOf(r), nil
}

func (s *Server) apiGetAgent(ac *apiCall) (apiAgent, error) {
	id, err := apiPathID(ac)
	if err != nil {
		return apiAgent{}, err
	}
	return s.apiAgentByID(ac, id)
}

// apiCreateAgent checks the body with the Agents page's own form rules
// (readAgentForm reads it as that form's fields), so a field the console
// refuses is refused here too, and creates the agent as the console does.
func (s *Server) apiCreateAgent(ac *apiCall, in apiNewAgent) (apiCreatedAgent, error) {
	form := url.Values{"name": {in.Name}, "email": {in.Email}, "alias": {in.Alias}, "role": {in.Role}, "status": {string(store.StatusActive)}}
	for _, d := range in.DepartmentIDs {
		form.Add("departments", strconv.FormatInt(d, 10))
	}
	ac.c.Request().Form, ac.c.Request().PostForm = form, form
	v, f, err := s.readAgentForm(ac.c, true, true)
	if err != nil {
		return apiCreatedAgent{}, err
	}
	storeIn := store.AgentInput{Name: v.Name, Email: v.Email, Alias: v.Alias, Role: v.Role, Status: v.Status}
	if in.DepartmentIDs != nil {
		storeIn.DepartmentIDs = departmentIDs(v.Departments)
	}
	var a store.Agent
	var token string
	if f.ok() {
		a, token, err = s.st.CreateAgent(ac.c.Request().Context(), ac.agent.ID, storeIn, ac.c.RealIP())
		if storeFieldError(f, err) {
			err = nil
		}
		if err != nil {
			return apiCreatedAgent{}, err
		}
	}
	if !f.ok() {
		return apiCreatedAgent{}, apiInvalid(apiFormErrors(f, map[string]string{"departments": "department_ids"}))
	}
	out, err := s.apiAgentByID(ac, a.ID)
	if err != nil {
		return apiCreatedAgent{}, err
	}
	return apiCreatedAgent{Agent: out, SetPasswordLink: s.absoluteURL(ac.c, views.SetPasswordPath(token))}, nil
}

// apiFormErrors lists a console form's field messages, renamed as the API
// body names them.
func apiFormErrors(f *form, rename map[string]string) []apiFieldError {
	var out []apiFieldError
	for field, msg := range f.errs {
		if n, ok := rename[field]; ok {
			field = n
		}
		out = append(out, apiFieldError{Field: field, Message: msg})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// apiChangeRole changes a role by the owner rules of the store, which
// answer 403 or 409 as on the Agents page.
func (s *Server) apiChangeRole(ac *apiCall, in apiRoleInput) (apiAgent, error) {
	id, err := apiPathID(ac)
	if err != nil {
		return apiAgent{}, err
	}
	role := authz.Role(in.Role)
	if !role.Valid() {
		return apiAgent{}, apiInvalid([]apiFieldError{{Field: "role", Message: t(ac.c, "ErrInvalidChoice")}})
	}
	err = s.st.ChangeRole(ac.c.Request().Context(), ac.agent.ID, id, role, ac.c.RealIP())
	if errors.Is(err, store.ErrUnknownRole) {
		return apiAgent{}, apiInvalid([]apiFieldError{{Field: "role", Message: t(ac.c, "ErrInvalidChoice")}})
	}
	if err != nil {
		return apiAgent{}, err
	}
	return s.apiAgentByID(ac, id)
}

func (s *Server) apiDisableAgent(ac *apiCall) (apiAgent, error) {
	id, err := apiPathID(ac)
	if err != nil {
		return apiAgent{}, err
	}
	if err := s.st.SetAgentStatus(ac.c.Request().Context(), ac.agent.ID, id, store.StatusDisabled, ac.c.RealIP()); err != nil {
		return apiAgent{}, err
	}
	return s.apiAgentByID(ac, id)
}

func (s *Server) apiListDepartments(ac *apiCall) (apiDepartmentList, error) {
	depts, err := s.st.VisibleDepartments(ac.c.Request().Context(), ac.viewer())
	if err != nil {
		return apiDepartmentList{}, err
	}
	out := apiDepartmentList{Departments: make([]apiDepartment, 0, len(depts))}
	for _, d := range depts {
		out.Departments = append(out.Departments, apiDepartment{ID: d.ID, Name: d.Name, Description: d.Description})
	}
	return out, nil
}

// apiGetDepartment answers a department outside the agent's as missing.
func (s *Server) apiGetDepartment(ac *apiCall) (apiDepartment, error) {
	id, err := apiPathID(ac)
	if err != nil {
		return apiDepartment{}, err
	}
	list, err := s.apiListDepartments(ac)
	if err != nil {
		return apiDepartment{}, err
	}
	for _, d := range list.Departments {
		if d.ID == id {
			return d, nil
		}
	}
	return apiDepartment{}, store.ErrNotFound
}
