package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"helpline/authz"
	"helpline/desk"
	"helpline/store"
	"helpline/views"
)

// The tickets of the API. Each operation calls the store function the
// console's matching action calls, with the token's agent as the viewer:
// the same rules and the same department scope decide.

type apiRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type apiTicketContact struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

type apiTicket struct {
	Code           string           `json:"code"`
	Subject        string           `json:"subject"`
	Status         string           `json:"status" doc:"new, open, answered, postponed, resolved, spam or deleted"`
	Priority       int              `json:"priority" doc:"0 low, 1 normal, 2 high, 3 urgent"`
	Channel        string           `json:"channel"`
	Department     apiRef           `json:"department"`
	Assignee       *apiRef          `json:"assignee,omitempty" doc:"absent when nobody is assigned"`
	Contact        apiTicketContact `json:"contact"`
	Tags           []string         `json:"tags"`
	MessageCount   int              `json:"message_count"`
	PostponedUntil *time.Time       `json:"postponed_until,omitempty"`
	CreatedAt      time.Time        `json:"created_at"`
	UpdatedAt      time.Time        `json:"updated_at"`
}

type apiMessage struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind" doc:"customer, reply, note or event"`
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	Event     string    `json:"event,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

type apiFieldValue struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Type  string `json:"type"`
	Value string `json:"value"`
}

type apiTicketFull struct {
	Ticket apiTicket       `json:"ticket"`
	Thread []apiMessage    `json:"thread"`
	Fields []apiFieldValue `json:"fields" doc:"the fields with a value on this ticket"`
}

type apiTicketList struct {
	Tickets []apiTicket `json:"tickets"`
	Next    string      `json:"next,omitempty" doc:"send as ?after= for the next page; absent on the last page"`
}

type apiNewTicket struct {
	DepartmentID int64             `json:"department_id"`
	Priority     *int              `json:"priority,omitempty" doc:"0 low to 3 urgent; 1 when absent"`
	ContactName  string            `json:"contact_name"`
	ContactEmail string            `json:"contact_email"`
	Subject      string            `json:"subject"`
	Body         string            `json:"body"`
	Fields       map[string]string `json:"fields,omitempty" doc:"ticket field values by field code"`
}

type apiMessageInput struct {
	Body string `json:"body"`
}

type apiStatusInput struct {
	Status string `json:"status" doc:"open, answered, resolved, spam, ... as the console offers"`
}

type apiAssignInput struct {
	AgentID int64 `json:"agent_id" doc:"0 to leave the ticket unassigned"`
}

type apiTransferInput struct {
	DepartmentID int64 `json:"department_id"`
}

type apiTagInput struct {
	Tag string `json:"tag"`
}

type apiFieldsInput struct {
	Fields map[string]string `json:"fields" doc:"values by field code; an empty value clears the field"`
}

const codeDesc = "the ticket's code, such as HLP-1234"

func (s *Server) apiTicketOps() []apiOp {
	code := []apiParam{pathParam("code", codeDesc)}
	return []apiOp{
		apiGet("/tickets", authz.TicketsRead, "listTickets", "The queue: the tickets the agent may see, with the queue's filters",
			[]apiParam{queryParam("status", "a status, or all_open"), queryParam("department", "a department id"),
				queryParam("assignee", "me or unassigned"), queryParam("channel", "a channel"), queryParam("tag", "a tag"),
				queryParam("q", "words to search for"), queryParam("sort", "the queue's order"),
				queryParam("after", "the next value of the previous page"), queryParam("limit", "tickets per page, 1 to 200 (50)")},
			s.apiListTickets),
		apiGet("/tickets/:code", authz.TicketsRead, "getTicket", "A ticket with its thread and field values", code, s.apiGetTicket),
		apiWrite(http.MethodPost, "/tickets", authz.TicketsCreate, "createTicket", "Create a ticket (channel API), by the intake rules of every channel",
			http.StatusCreated, nil, s.apiCreateTicket),
		apiWrite(http.MethodPost, "/tickets/:code/replies", authz.TicketsReply, "replyToTicket", "Reply to the customer", http.StatusCreated, code,
			func(ac *apiCall, in apiMessageInput) (apiTicket, error) {
				return s.apiTicketMessage(ac, in, false)
			}),
		apiWrite(http.MethodPost, "/tickets/:code/notes", authz.TicketsReply, "addNote", "Add an internal note", http.StatusCreated, code,
			func(ac *apiCall, in apiMessageInput) (apiTicket, error) {
				return s.apiTicketMessage(ac, in, true)
			}),
		apiWrite(http.MethodPost, "/tickets/:code/status", authz.TicketsReply, "setTicketStatus", "Change the status", http.StatusOK, code, s.apiTicketStatus),
		apiWrite(http.MethodPost, "/tickets/:code/assign", authz.TicketsReply, "assignTicket", "Assign to an agent of its department", http.StatusOK, code, s.apiTicketAssign),
		apiWrite(http.MethodPost, "/tickets/:code/transfer", authz.TicketsReply, "transferTicket", "Move to another department", http.StatusOK, code, s.apiTicketTransfer),
		apiWrite(http.MethodPost, "/tickets/:code/tags", authz.TicketsReply, "addTicketTag", "Add a tag", http.StatusOK, code, s.apiTicketTagAdd),
		apiDelete("/tickets/:code/tags/:tag", authz.TicketsReply, "removeTicketTag", "Remove a tag",
			[]apiParam{pathParam("code", codeDesc), pathParam("tag", "the tag")}, s.apiTicketTagRemove),
		apiWrite(http.MethodPut, "/tickets/:code/fields", authz.TicketsReply, "setTicketFields", "Replace the ticket's field values (a field left out is emptied)", http.StatusOK, code, s.apiTicketFields),
	}
}

func apiTicketOf(t store.Ticket) apiTicket {
	out := apiTicket{Code: t.Code, Subject: t.Subject, Status: string(t.Status), Priority: int(t.Priority), Channel: string(t.Channel),
		Department: apiRef{ID: t.DepartmentID, Name: t.DepartmentName},
		Contact:    apiTicketContact{ID: t.ContactID, Name: t.ContactName, Email: t.ContactEmail},
		Tags:       t.Tags, MessageCount: t.MessageCount, CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC()}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	if t.AssigneeID != 0 {
		out.Assignee = &apiRef{ID: t.AssigneeID, Name: t.AssigneeName}
	}
	if !t.PostponedUntil.IsZero() {
		u := t.PostponedUntil.UTC()
		out.PostponedUntil = &u
	}
	return out
}

func (s *Server) apiListTickets(ac *apiCall) (apiTicketList, error) {
	ctx, q := ac.c.Request().Context(), ac.c.QueryParams()
	fv, f := queueFilterFrom(q)
	if _, err := s.queueFieldFilters(ctx, &fv, &f); err != nil {
		return apiTicketList{}, err
	}
	f.Before = store.Cursor{}
	f.Limit = 50
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 200 {
			return apiTicketList{}, apiInvalid([]apiFieldError{{Field: "limit", Message: "limit is a number from 1 to 200"}})
		}
		f.Limit = n
	}
	if a := q.Get("after"); a != "" {
		if _, ok := views.ParseCursor(a); !ok {
			return apiTicketList{}, apiInvalid([]apiFieldError{{Field: "after", Message: "after is the next value of an earlier page"}})
		}
	}
	page, err := s.st.Queue(ctx, ac.viewer(), f)
	if err != nil {
		return apiTicketList{}, err
	}
	out := apiTicketList{Tickets: make([]apiTicket, 0, len(page.Tickets))}
	for _, t := range page.Tickets {
		out.Tickets = append(out.Tickets, apiTicketOf(t))
	}
	if !page.Next.IsZero() {
		out.Next = views.CursorParam(page.Next)
	}
	return out, nil
}

// apiTicketCode is the ticket of the path, as the console reads it.
func apiTicketCode(ac *apiCall) string { return ticketCode(ac.c) }

func (s *Server) apiGetTicket(ac *apiCall) (apiTicketFull, error) {
	ctx := ac.c.Request().Context()
	t, err := s.st.TicketByCode(ctx, ac.viewer(), apiTicketCode(ac))
	if err != nil {
		return apiTicketFull{}, err
	}
	thread, err := s.st.Thread(ctx, t.ID)
	if err != nil {
		return apiTicketFull{}, err
	}
	out := apiTicketFull{Ticket: apiTicketOf(t), Thread: make([]apiMessage, 0, len(thread)), Fields: []apiFieldValue{}}
	for _, m := range thread {
		out.Thread = append(out.Thread, apiMessage{ID: m.ID, Kind: string(m.Kind), Author: m.AuthorName, Body: m.Body,
			Event: string(m.Event), CreatedAt: m.CreatedAt.UTC()})
	}
	fields, err := s.st.TicketFields(ctx)
	if err != nil {
		return apiTicketFull{}, err
	}
	values, err := s.st.TicketFieldValues(ctx, t.ID)
	if err != nil {
		return apiTicketFull{}, err
	}
	for _, f := range fields {
		if v, ok := values[f.ID]; ok {
			out.Fields = append(out.Fields, apiFieldValue{Code: f.Code, Name: f.Name, Type: string(f.Type), Value: v})
		}
	}
	return out, nil
}

// apiTicketNow reads the ticket as the agent sees it after a change.
func (s *Server) apiTicketNow(ac *apiCall, code string) (apiTicket, error) {
	t, err := s.st.TicketByCode(ac.c.Request().Context(), ac.viewer(), code)
	if err != nil {
		return apiTicket{}, err
	}
	return apiTicketOf(t), nil
}

// apiIntakeNames are the body's names of the intake rules' fields.
var apiIntakeNames = map[desk.Field]string{
	desk.FieldChannel: "channel", desk.FieldPriority: "priority", desk.FieldDepartment: "department_id",
	desk.FieldContactName: "contact_name", desk.FieldContactEmail: "contact_email", desk.FieldSubject: "subject", desk.FieldBody: "body",
}

func (s *Server) apiCreateTicket(ac *apiCall, in apiNewTicket) (apiTicket, error) {
	ctx, v := ac.c.Request().Context(), ac.viewer()
	depts, err := s.st.VisibleDepartments(ctx, v)
	if err != nil {
		return apiTicket{}, err
	}
	priority := desk.PriorityNormal
	if in.Priority != nil {
		priority = desk.ParsePriority(strconv.Itoa(*in.Priority))
	}
	ticket, problems := desk.ValidateTicket(desk.TicketInput{Channel: desk.ChannelAPI, DepartmentID: in.DepartmentID, Priority: priority,
		ContactName: in.ContactName, ContactEmail: in.ContactEmail, Subject: in.Subject, Body: in.Body},
		desk.Intake{Departments: idsOf(depts)})
	errs := apiFieldErrors(ac.c, problems, apiIntakeNames)
	values, fieldErrs, err := s.apiFieldValues(ctx, ac, in.Fields)
	if err != nil {
		return apiTicket{}, err
	}
	errs = append(errs, fieldErrs...)
	if len(errs) > 0 {
		sortFieldErrors(errs)
		return apiTicket{}, apiInvalid(errs)
	}
	code, err := s.st.CreateTicketWithFields(ctx, &v, ticket, values)
	if err != nil {
		return apiTicket{}, err
	}
	return s.apiTicketNow(ac, code)
}

// apiFieldValues checks field values given by code by the fields' rules,
// as the New ticket form does: the values by field id, or field errors
// (an unknown code is one).
func (s *Server) apiFieldValues(ctx context.Context, ac *apiCall, given map[string]string) (map[int64]string, []apiFieldError, error) {
	fields, err := s.st.TicketFields(ctx)
	if err != nil {
		return nil, nil, err
	}
	byID, errs := apiFieldsByID(fields, given)
	values, err := store.CheckFieldValues(fields, byID)
	var fe store.FieldValueErrors
	if errors.As(err, &fe) {
		errs = append(errs, apiFieldValueErrors(ac, fields, fe)...)
	} else if err != nil {
		return nil, nil, err
	}
	return values, errs, nil
}

// apiFieldsByID reads values by field code (in any letter case, as codes
// are unique) into values by field id.
func apiFieldsByID(fields []store.TicketField, given map[string]string) (map[int64]string, []apiFieldError) {
	byID := map[int64]string{}
	var errs []apiFieldError
	for c, v := range given {
		i := slices.IndexFunc(fields, func(f store.TicketField) bool { return strings.EqualFold(f.Code, c) })
		if i < 0 {
			errs = append(errs, apiFieldError{Field: "fields." + c, Message: "no ticket field has this code"})
			continue
		}
		byID[fields[i].ID] = v
	}
	sortFieldErrors(errs)
	return byID, errs
}

func apiFieldValueErrors(ac *apiCall, fields []store.TicketField, fe store.FieldValueErrors) []apiFieldError {
	var errs []apiFieldError
	for _, f := range fields {
		if p, bad := fe[f.ID]; bad {
			errs = append(errs, apiFieldError{Field: "fields." + f.Code, Message: tf(ac.c, p.MessageID, p.TemplateData())})
		}
	}
	return errs
}

func (s *Server) apiTicketMessage(ac *apiCall, in apiMessageInput, note bool) (apiTicket, error) {
	body := strings.TrimSpace(strings.ReplaceAll(in.Body, "\r\n", "\n"))
	switch {
	case body == "":
		return apiTicket{}, apiInvalid([]apiFieldError{{Field: "body", Message: t(ac.c, "ErrRequired")}})
	case utf8.RuneCountInString(body) > maxBody:
		return apiTicket{}, apiInvalid([]apiFieldError{{Field: "body", Message: tf(ac.c, "ErrTooLong", map[string]any{"Max": maxBody})}})
	case !plainText(body, true):
		return apiTicket{}, apiInvalid([]apiFieldError{{Field: "body", Message: t(ac.c, "ErrInvalidChoice")}})
	}
	ctx, code, v := ac.c.Request().Context(), apiTicketCode(ac), ac.viewer()
	var err error
	if note {
		err = s.st.AddNote(ctx, v, code, body)
	} else {
		err = s.st.Reply(ctx, v, code, body)
	}
	if err != nil {
		return apiTicket{}, err
	}
	return s.apiTicketNow(ac, code)
}

func (s *Server) apiTicketStatus(ac *apiCall, in apiStatusInput) (apiTicket, error) {
	st := store.TicketStatus(in.Status)
	if !slices.Contains(store.SettableStatuses, st) {
		return apiTicket{}, apiInvalid([]apiFieldError{{Field: "status", Message: t(ac.c, "ErrInvalidChoice")}})
	}
	code := apiTicketCode(ac)
	if err := s.st.SetStatus(ac.c.Request().Context(), ac.viewer(), code, st); err != nil {
		return apiTicket{}, err
	}
	return s.apiTicketNow(ac, code)
}

func (s *Server) apiTicketAssign(ac *apiCall, in apiAssignInput) (apiTicket, error) {
	if in.AgentID < 0 {
		return apiTicket{}, apiInvalid([]apiFieldError{{Field: "agent_id", Message: t(ac.c, "ErrInvalidChoice")}})
	}
	code := apiTicketCode(ac)
	if err := s.st.Assign(ac.c.Request().Context(), ac.viewer(), code, in.AgentID); err != nil {
		return apiTicket{}, err
	}
	return s.apiTicketNow(ac, code)
}

// apiTicketTransfer moves the ticket; one moved out of the agent's
// departments answers as the agent last saw it, since they can no longer
// read it.
func (s *Server) apiTicketTransfer(ac *apiCall, in apiTransferInput) (apiTicket, error) {
	if in.DepartmentID <= 0 {
		return apiTicket{}, apiInvalid([]apiFieldError{{Field: "department_id", Message: t(ac.c, "ErrRequired")}})
	}
	ctx, code, v := ac.c.Request().Context(), apiTicketCode(ac), ac.viewer()
	before, err := s.st.TicketByCode(ctx, v, code)
	if err != nil {
		return apiTicket{}, err
	}
	if err := s.st.Transfer(ctx, v, code, in.DepartmentID); err != nil {
		return apiTicket{}, err
	}
	after, err := s.apiTicketNow(ac, code)
	if errors.Is(err, store.ErrNotFound) {
		out := apiTicketOf(before)
		dept, derr := s.st.DepartmentByID(ctx, in.DepartmentID)
		if derr != nil {
			return apiTicket{}, derr
		}
		out.Department, out.Assignee = apiRef{ID: dept.ID, Name: dept.Name}, nil
		return out, nil
	}
	return after, err
}

func (s *Server) apiTicketTagAdd(ac *apiCall, in apiTagInput) (apiTicket, error) {
	tag, ok := validTag(in.Tag)
	if !ok {
		return apiTicket{}, apiInvalid([]apiFieldError{{Field: "tag", Message: t(ac.c, "ErrTag")}})
	}
	code := apiTicketCode(ac)
	if err := s.st.AddTag(ac.c.Request().Context(), ac.viewer(), code, tag); err != nil {
		return apiTicket{}, err
	}
	return s.apiTicketNow(ac, code)
}

func (s *Server) apiTicketTagRemove(ac *apiCall) (apiTicket, error) {
	code := apiTicketCode(ac)
	if err := s.st.RemoveTag(ac.c.Request().Context(), ac.viewer(), code, store.NormalizeTag(ac.c.Param("tag"))); err != nil {
		return apiTicket{}, err
	}
	return s.apiTicketNow(ac, code)
}

// apiTicketFields replaces the ticket's field values, as PUT does: a field
// left out is emptied, as the console's form saves every field at once.
func (s *Server) apiTicketFields(ac *apiCall, in apiFieldsInput) (apiTicket, error) {
	ctx := ac.c.Request().Context()
	fields, err := s.st.TicketFields(ctx)
	if err != nil {
		return apiTicket{}, err
	}
	given, errs := apiFieldsByID(fields, in.Fields)
	if len(errs) > 0 {
		return apiTicket{}, apiInvalid(errs)
	}
	code := apiTicketCode(ac)
	err = s.st.SetTicketFields(ctx, ac.viewer(), code, given)
	var fe store.FieldValueErrors
	if errors.As(err, &fe) {
		return apiTicket{}, apiInvalid(apiFieldValueErrors(ac, fields, fe))
	}
	if err != nil {
		return apiTicket{}, err
	}
	return s.apiTicketNow(ac, code)
}
