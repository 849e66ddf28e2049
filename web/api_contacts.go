package web

import (
	"net/http"
	"strconv"
	"time"

	"helpline/authz"
	"helpline/desk"
	"helpline/store"
)

// Contacts of the API: those who wrote to the agent's departments.

type apiContact struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	CreatedAt time.Time `json:"created_at"`
}

type apiContactList struct {
	Contacts []apiContact `json:"contacts"`
	Next     string       `json:"next,omitempty" doc:"send as ?after= for the next page; absent on the last page"`
}

type apiContactFull struct {
	Contact apiContact  `json:"contact"`
	Tickets []apiTicket `json:"tickets" doc:"their tickets the agent may see, newest first (at most 100)"`
}

type apiContactInput struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

func init() {
	auditActionLabels[store.ActionContactAdd] = "AuditContactAdd"
	auditActionLabels[store.ActionContactEdit] = "AuditContactEdit"
}

func (s *Server) apiContactOps() []apiOp {
	id := []apiParam{pathIDParam("id", "the contact's id")}
	return []apiOp{
		apiGet("/contacts", authz.TicketsRead, "listContacts", "Contacts who wrote to the agent's departments, newest first",
			[]apiParam{queryParam("q", "part of a name or email"), queryParam("after", "the next value of the previous page")}, s.apiListContacts),
		apiGet("/contacts/:id", authz.TicketsRead, "getContact", "A contact with their tickets", id, s.apiGetContact),
		apiWrite(http.MethodPost, "/contacts", authz.TicketsCreate, "createContact", "Add a contact", http.StatusCreated, nil, s.apiCreateContact),
		apiWrite(http.MethodPut, "/contacts/:id", authz.TicketsReply, "updateContact", "Change a contact's name and email", http.StatusOK, id, s.apiUpdateContact),
	}
}

func apiContactOf(c store.ScopedContact) apiContact {
	return apiContact{ID: c.ID, Name: c.Name, Email: c.Email, CreatedAt: c.CreatedAt.UTC()}
}

func (s *Server) apiListContacts(ac *apiCall) (apiContactList, error) {
	q := ac.c.QueryParams()
	var after int64
	if a := q.Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n <= 0 {
			return apiContactList{}, apiInvalid([]apiFieldError{{Field: "after", Message: "after is the next value of an earlier page"}})
		}
		after = n
	}
	rows, next, err := s.st.ContactsInScope(ac.c.Request().Context(), ac.viewer(), q.Get("q"), after, 50)
	if err != nil {
		return apiContactList{}, err
	}
	out := apiContactList{Contacts: make([]apiContact, 0, len(rows))}
	for _, r := range rows {
		out.Contacts = append(out.Contacts, apiContactOf(r))
	}
	if next != 0 {
		out.Next = strconv.FormatInt(next, 10)
	}
	return out, nil
}

func (s *Server) apiGetContact(ac *apiCall) (apiContactFull, error) {
	id, err := apiPathID(ac)
	if err != nil {
		return apiContactFull{}, err
	}
	ctx, v := ac.c.Request().Context(), ac.viewer()
	c, err := s.st.ContactInScope(ctx, v, id)
	if err != nil {
		return apiContactFull{}, err
	}
	tickets, err := s.st.ContactTicketsInScope(ctx, v, id, 100)
	if err != nil {
		return apiContactFull{}, err
	}
	out := apiContactFull{Contact: apiContactOf(c), Tickets: make([]apiTicket, 0, len(tickets))}
	for _, t := range tickets {
		out.Tickets = append(out.Tickets, apiTicketOf(t))
	}
	return out, nil
}

// apiContactValid applies the intake rules of a requester's name and
// email, the ones every ticket's contact passed, and returns them trimmed.
func apiContactValid(ac *apiCall, in apiContactInput) (apiContactInput, error) {
	checked, problems := desk.ValidateTicket(desk.TicketInput{Channel: desk.ChannelAPI, Priority: desk.PriorityNormal, DepartmentID: 1,
		ContactName: in.Name, ContactEmail: in.Email, Subject: "-", Body: "-"}, desk.Intake{Departments: []int64{1}})
	errs := desk.FieldErrors{}
	for field, p := range problems {
		if field == desk.FieldContactName || field == desk.FieldContactEmail {
			errs[field] = p
		}
	}
	if len(errs) > 0 {
		return in, apiInvalid(apiFieldErrors(ac.c, errs, map[desk.Field]string{desk.FieldContactName: "name", desk.FieldContactEmail: "email"}))
	}
	return apiContactInput{Name: checked.ContactName, Email: store.NormalizeEmail(checked.ContactEmail)}, nil
}

func (s *Server) apiCreateContact(ac *apiCall, in apiContactInput) (apiContact, error) {
	in, err := apiContactValid(ac, in)
	if err != nil {
		return apiContact{}, err
	}
	id, err := s.st.AddContact(ac.c.Request().Context(), ac.agent.ID, in.Name, in.Email, ac.c.RealIP())
	if err != nil {
		return apiContact{}, err
	}
	return apiContact{ID: id, Name: in.Name, Email: in.Email, CreatedAt: time.Now().UTC()}, nil
}

func (s *Server) apiUpdateContact(ac *apiCall, in apiContactInput) (apiContact, error) {
	id, err := apiPathID(ac)
	if err != nil {
		return apiContact{}, err
	}
	if in, err = apiContactValid(ac, in); err != nil {
		return apiContact{}, err
	}
	ctx, v := ac.c.Request().Context(), ac.viewer()
	if err := s.st.EditContact(ctx, v, id, in.Name, in.Email, ac.c.RealIP()); err != nil {
		return apiContact{}, err
	}
	c, err := s.st.ContactInScope(ctx, v, id)
	if err != nil {
		return apiContact{}, err
	}
	return apiContactOf(c), nil
}
