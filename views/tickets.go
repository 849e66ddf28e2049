package views

import (
	"context"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"helpline/desk"
	"helpline/store"
)

// Paths of the tickets area. Handlers register the patterns; markup builds
// links with the helpers below.
const (
	PathTickets         = "/tickets"
	PathTicketNew       = "/tickets/new"
	PathTicketBulk      = "/tickets/bulk"
	PathTicketDensity   = "/tickets/density"
	PathTicket          = "/tickets/:code"
	PathTicketMessages  = "/tickets/:code/messages"
	PathTicketDelete    = "/tickets/:code/delete"
	PathTicketAssign    = "/tickets/:code/assign"
	PathTicketTransfer  = "/tickets/:code/transfer"
	PathTicketStatus    = "/tickets/:code/status"
	PathTicketPostpone  = "/tickets/:code/postpone"
	PathTicketTags      = "/tickets/:code/tags"
	PathTicketTagRemove = "/tickets/:code/tags/remove"
	PathContact         = "/contact"
	PathContactSent     = "/contact/sent"
)

// TicketPath is the page of one ticket; TicketActionPath one of its actions
// (pattern is one of the PathTicket* constants).
func TicketPath(code string) string { return TicketActionPath(PathTicket, code) }

func TicketActionPath(pattern, code string) string {
	return strings.Replace(pattern, ":code", url.PathEscape(code), 1)
}

// QueueFilterValues are the queue's filters as they appear in the URL.
type QueueFilterValues struct {
	Status     string // a status, StatusAllOpen, or "" (all but spam and deleted)
	Department int64
	Assignee   string
	Channel    string
	Tag        string
	Fields     []FieldFilterValue // Dropdown and Checkbox fields, by code
	Q          string
	Drill      []DrillParam // the tickets behind a report's figure (views/queue_drill.go)
	Sort       string       // a store.QueueSort
	Overdue    bool         // only tickets past their SLA due time
	// From is where the page starts in the list (1 for the first), carried
	// by the pager's links only to say "51–100 of 1,204": the cursor decides
	// the page. 0 when not known.
	From int
}

// Query encodes the filters (without paging) as a query string.
func (f QueueFilterValues) Query() url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("status", f.Status)
	if f.Department != 0 {
		q.Set("department", strconv.FormatInt(f.Department, 10))
	}
	set("assignee", f.Assignee)
	set("channel", f.Channel)
	set("tag", f.Tag)
	for _, ff := range f.Fields {
		set(FieldInputName(ff.Code), ff.Value)
	}
	set("q", f.Q)
	for _, d := range f.Drill {
		set(d.Name, d.Value)
	}
	set("sort", f.Sort)
	if f.Overdue {
		q.Set("overdue", "1")
	}
	return q
}

// QueueURL is the queue with these filters and optional paging parameters.
func (f QueueFilterValues) QueueURL(extra ...string) string {
	q := f.Query()
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	if len(q) == 0 {
		return PathTickets
	}
	return PathTickets + "?" + q.Encode()
}

// WithStatus is the same view showing one status.
func (f QueueFilterValues) WithStatus(st string) string {
	f.Status = st
	return f.QueueURL()
}

// CursorParam writes a queue cursor for the URL; ParseCursor reads it.
func CursorParam(c store.Cursor) string {
	return strconv.FormatInt(c.Key, 10) + "." + strconv.FormatInt(c.ID, 10)
}

func ParseCursor(s string) (store.Cursor, bool) {
	k, id, ok := strings.Cut(s, ".")
	if !ok {
		return store.Cursor{}, false
	}
	key, err1 := strconv.ParseInt(k, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if err1 != nil || err2 != nil || n <= 0 || key < 0 {
		return store.Cursor{}, false
	}
	return store.Cursor{Key: key, ID: n}, true
}

// QueueProps is the queue page.
type QueueProps struct {
	Filter QueueFilterValues
	Page   store.QueuePage
	Counts store.QueueCounts
	// Total is how many tickets the filters match, when TotalKnown: the
	// kept counts know only some filters (store.QueueCounts.Matching).
	Total       int
	TotalKnown  bool
	Departments []store.Department
	Agents      []store.Assignable
	CanCreate   bool
	Density     store.Density
	// Start is set until the desk's first ticket arrives: the empty queue
	// then says what to do next.
	Start *SetupProps
	// FieldFilters are the Dropdown and Checkbox fields the queue filters by.
	FieldFilters []QueueFieldFilter
	// Saved are the viewer's saved views and the Save view form.
	Saved SavedViewsProps
}

// NextURL and PrevURL page by key; empty when there is no such page.
func (p QueueProps) NextURL() string {
	if p.Page.Next.IsZero() {
		return ""
	}
	if from := p.from(); from > 0 {
		return p.Filter.QueueURL("after", CursorParam(p.Page.Next), "from", strconv.Itoa(from+len(p.Page.Tickets)))
	}
	return p.Filter.QueueURL("after", CursorParam(p.Page.Next))
}

func (p QueueProps) PrevURL() string {
	if p.Page.Prev.IsZero() {
		return ""
	}
	if from := p.from(); from > 1 {
		// A page before this one is a whole page, unless it is the first.
		return p.Filter.QueueURL("before", CursorParam(p.Page.Prev), "from", strconv.Itoa(max(1, from-QueuePageSize)))
	}
	return p.Filter.QueueURL("before", CursorParam(p.Page.Prev))
}

// TicketURL is a ticket's page opened from this view of the queue. The
// view's filters ride along in the URL, so the page leads back to it and
// Send and next knows which ticket follows.
func (f QueueFilterValues) TicketURL(code string) string {
	return f.TicketActionURL(PathTicket, code)
}

// TicketActionURL is one of a ticket's actions (a PathTicket* pattern),
// keeping the view of the queue it was opened from.
func (f QueueFilterValues) TicketActionURL(pattern, code string) string {
	q := f.Query()
	if len(q) == 0 {
		return TicketActionPath(pattern, code)
	}
	return TicketActionPath(pattern, code) + "?" + q.Encode()
}

// Editor tabs: what the reply editor sends.
const (
	EditorReply = "reply"
	EditorNote  = "note"
)

// TicketProps is the ticket page.
type TicketProps struct {
	Ticket      store.Ticket
	Thread      []store.Message
	Assignable  []store.Assignable
	Departments []store.Department // transfer targets
	Queue       QueueFilterValues  // the view of the queue the page was opened from
	CanAct      bool               // may reply and change the ticket, not only read it
	Zone        string             // the time zone postponing reads times in
	Kind        string             // the editor's tab: EditorReply or EditorNote
	Body        string             // the editor's text
	Errors      FieldErrors
	Answers     AnswerPicker // Insert answer: the predefined answers usable here
	Fields      []FieldInput // the ticket's fields and values
	// Deliveries are the replies' emails not sent yet or not delivered,
	// by the reply's message id.
	Deliveries map[int64]store.Delivery
	Together   TicketTogether // Edit ticket, Merge into… and a merged ticket's pointer
	// SenderIP is the address the ticket came from, for those who may ban
	// it ("" for anyone else).
	SenderIP string
	// SLA is the ticket's level and its running or paused clocks.
	SLA store.TicketSLA
}

// ActionURL is one of the ticket's actions, keeping the view of the queue.
func (p TicketProps) ActionURL(pattern string) string {
	return p.Queue.TicketActionURL(pattern, p.Ticket.Code)
}

// TagsProps is the in-place tag editor of a ticket.
type TagsProps struct {
	Code     string
	Tags     []string
	Value    string
	Errors   FieldErrors
	Queue    QueueFilterValues
	ReadOnly bool
}

// TagsAnswerProps is what htmx swaps after a tag change: the tag editor, and
// out of band the history and the "last changed" line.
type TagsAnswerProps struct {
	Tags   TagsProps
	Ticket store.Ticket
	Thread []store.Message
}

// TicketDeleteProps is the page that asks before deleting a ticket, for
// browsers without scripts (with them a dialog asks).
type TicketDeleteProps struct {
	Ticket store.Ticket
	Queue  QueueFilterValues
}

// NewTicketValues are the fields of the New ticket form.
type NewTicketValues struct {
	Channel      string
	Department   int64
	Priority     string
	ContactName  string
	ContactEmail string
	Subject      string
	Message      string
}

// NewTicketProps is the New ticket form.
type NewTicketProps struct {
	Values      NewTicketValues
	Errors      FieldErrors
	Departments []store.Department
	Fields      []FieldInput // every ticket field
}

// ContactValues are the fields of the public contact form.
type ContactValues struct {
	Name       string
	Email      string
	Department int64
	Subject    string
	Message    string
}

// ContactProps is the public contact form.
type ContactProps struct {
	Values      ContactValues
	Errors      FieldErrors
	Departments []store.Department
	Fields      []FieldInput // the fields shown on the contact form
}

// statusLabelIDs name each status in the catalogue.
var statusLabelIDs = map[store.TicketStatus]string{
	store.TicketNew: "StatusNew", store.TicketOpen: "StatusOpen", store.TicketAnswered: "StatusAnswered",
	store.TicketPostponed: "StatusPostponed", store.TicketResolved: "StatusResolved", store.TicketSpam: "StatusSpam",
	store.TicketDeleted: "StatusDeleted",
}

func StatusLabel(ctx context.Context, st store.TicketStatus) string {
	if id, ok := statusLabelIDs[st]; ok {
		return T(ctx, id)
	}
	return string(st)
}

func statusBadge(st store.TicketStatus) string {
	switch st {
	case store.TicketNew:
		return "badge badge-primary"
	case store.TicketOpen:
		return "badge badge-warning"
	case store.TicketAnswered, store.TicketResolved:
		return "badge badge-success"
	case store.TicketSpam, store.TicketDeleted:
		return "badge badge-danger"
	}
	return "badge"
}

var channelLabelIDs = map[store.Channel]string{
	store.ChannelEmail: "ChannelEmail", store.ChannelContactForm: "ChannelContactForm", store.ChannelChat: "ChannelChat",
	store.ChannelCall: "ChannelCall", store.ChannelAPI: "ChannelAPI",
}

func ChannelLabel(ctx context.Context, ch store.Channel) string {
	if id, ok := channelLabelIDs[ch]; ok {
		return T(ctx, id)
	}
	return string(ch)
}

var priorityLabelIDs = map[store.Priority]string{
	store.PriorityLow: "PriorityLow", store.PriorityNormal: "PriorityNormal", store.PriorityHigh: "PriorityHigh", store.PriorityUrgent: "PriorityUrgent",
}

func PriorityLabel(ctx context.Context, p store.Priority) string { return T(ctx, priorityLabelIDs[p]) }

// TimeAgo says how long ago t was, in words with the right plural.
func TimeAgo(ctx context.Context, t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return T(ctx, "JustNow")
	case d < time.Hour:
		return Tn(ctx, "MinutesAgo", int(d/time.Minute), nil)
	case d < 24*time.Hour:
		return Tn(ctx, "HoursAgo", int(d/time.Hour), nil)
	case d < 60*24*time.Hour:
		return Tn(ctx, "DaysAgo", int(d/(24*time.Hour)), nil)
	}
	return Tn(ctx, "MonthsAgo", int(d/(30*24*time.Hour)), nil)
}

// lastChangedAround is LastChanged's text before and after the time, so the
// page can show the time as a <time> with the full date on hover.
func lastChangedAround(ctx context.Context, t store.Ticket) (before, after string, ok bool) {
	const mark = "\x00"
	if strings.Contains(t.UpdatedByName, mark) {
		return "", "", false
	}
	return strings.Cut(Tf(ctx, "LastChangedBy", map[string]any{"Name": t.UpdatedByName, "Ago": mark}), mark)
}

// LastChanged is the line under a ticket's subject (SPEC §1 rule 8).
func LastChanged(ctx context.Context, t store.Ticket) string {
	return Tf(ctx, "LastChangedBy", map[string]any{"Name": t.UpdatedByName, "Ago": TimeAgo(ctx, t.UpdatedAt)})
}

// EventText describes a system event of the thread, and the rule that
// made it.
func EventText(ctx context.Context, m store.Message) string {
	return withRule(ctx, m, eventText(ctx, m))
}

func eventText(ctx context.Context, m store.Message) string {
	who := m.AuthorName
	if who == "" {
		who = T(ctx, "EventSystem")
	}
	d := m.Details
	data := map[string]any{"Who": who, "Name": d.Name, "From": d.From, "To": d.To}
	switch m.Event {
	case store.EventCreated:
		data["To"] = ChannelLabel(ctx, store.Channel(d.To))
		return Tf(ctx, "EventCreated", data)
	case store.EventStatus:
		data["From"], data["To"] = StatusLabel(ctx, store.TicketStatus(d.From)), StatusLabel(ctx, store.TicketStatus(d.To))
		return Tf(ctx, "EventStatus", data)
	case store.EventPostponed:
		data["Until"] = shortTime(ctx, d.UntilTime())
		return Tf(ctx, "EventPostponed", data)
	case store.EventAssigned:
		if d.Name == "" {
			return Tf(ctx, "EventUnassigned", data)
		}
		return Tf(ctx, "EventAssigned", data)
	case store.EventTransferred:
		if d.Name != "" {
			return Tf(ctx, "EventTransferredCleared", data)
		}
		return Tf(ctx, "EventTransferred", data)
	case store.EventTagAdded:
		return Tf(ctx, "EventTagAdded", data)
	case store.EventTagRemoved:
		return Tf(ctx, "EventTagRemoved", data)
	case store.EventPriority:
		return priorityEventText(ctx, m, data)
	}
	if m.Event == store.EventSLALevel {
		return Tf(ctx, "EventSLALevel", data)
	}
	if text, ok := fieldEventText(ctx, m.Event, data); ok {
		return text
	}
	if text, ok := togetherEventText(ctx, m, data); ok {
		return text
	}
	return string(m.Event)
}

func messageClass(k store.MessageKind) string { return "msg msg-" + string(k) }

func messageLabelID(k store.MessageKind) string {
	switch k {
	case store.KindCustomer:
		return "MessageCustomer"
	case store.KindReply:
		return "MessageReply"
	}
	return "MessageNote"
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

func itoa(n int) string { return strconv.Itoa(n) }

// postponePresetLabelIDs name the quick postpone choices.
var postponePresetLabelIDs = map[string]string{
	desk.PostponeInHour: "PostponeInHour", desk.PostponeTomorrow: "PostponeTomorrow", desk.PostponeNextMonday: "PostponeNextMonday",
}

// queuePairs are the view of the queue as name and value pairs, in order.
func queuePairs(f QueueFilterValues) [][2]string {
	q := f.Query()
	var out [][2]string
	for _, k := range slices.Sorted(maps.Keys(q)) {
		for _, v := range q[k] {
			out = append(out, [2]string{k, v})
		}
	}
	return out
}

// editorDescribedBy points the editor's text at its hint, and at its
// message when it has one.
func editorDescribedBy(errs FieldErrors) string {
	if errs["body"] != "" {
		return errorID("body") + " editor-hint"
	}
	return "editor-hint"
}

// assigneeName shows a ticket's assignee or that there is none.
func assigneeName(ctx context.Context, t store.Ticket) string {
	if t.AssigneeID == 0 {
		return T(ctx, "Unassigned")
	}
	return t.AssigneeName
}
