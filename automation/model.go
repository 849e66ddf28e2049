// Package automation is the model of the desk's rules (SPEC §6.6): when a
// rule applies, the condition groups that must hold, and the actions it
// takes. It knows nothing of the database: the store reads a ticket into a
// Ticket, asks Matches, and carries the actions out. Time rules use the
// same conditions and actions with a time-based Apply when.
package automation

// Trigger is a rule's Apply when: the change to a ticket it follows.
type Trigger string

const (
	TicketCreated          Trigger = "ticket_created"
	TicketCreatedFromEmail Trigger = "ticket_created_from_email"
	MessageAdded           Trigger = "message_added"
	StatusChanged          Trigger = "status_changed"
	TagsChanged            Trigger = "tags_changed"
	TicketTransferred      Trigger = "ticket_transferred"
)

// Triggers are the Apply when choices, in the order the editor offers them.
var Triggers = []Trigger{TicketCreated, TicketCreatedFromEmail, MessageAdded, StatusChanged, TagsChanged, TicketTransferred}

// Subject is what a condition looks at.
type Subject string

const (
	OnStatus         Subject = "status"          // Value: a status
	OnPriority       Subject = "priority"        // Value: low, normal, high, urgent
	OnDepartment     Subject = "department"      // Value: department id
	OnChannel        Subject = "channel"         // Value: a channel
	OnAssignee       Subject = "assignee"        // Value: agent id, 0 for nobody
	OnTag            Subject = "tag"             // Value: a tag
	OnSubject        Subject = "subject"         // Value: text
	OnMessage        Subject = "message"         // Value: text of the newest customer message, reply or note
	OnRequesterEmail Subject = "requester_email" // Value: an address or its ending (@vip.example)
	OnField          Subject = "field"           // FieldID, Value: the field's value
	// OnCreatedInHours tests whether the ticket was created within the
	// business hours of the desk's default SLA level (Value: yes or no).
	// Without a default level the desk keeps no hours: every moment counts
	// as outside them.
	OnCreatedInHours Subject = "created_in_hours"
)

// Subjects are the condition choices, in the editor's order.
var Subjects = []Subject{OnStatus, OnPriority, OnDepartment, OnChannel, OnAssignee, OnTag, OnSubject, OnMessage, OnRequesterEmail, OnField, OnCreatedInHours}

// Op is how a condition compares.
type Op string

const (
	Is          Op = "is"
	IsNot       Op = "is_not"
	Contains    Op = "contains"
	NotContains Op = "not_contains"
	EndsWith    Op = "ends_with"
	Has         Op = "has"     // tags
	HasNot      Op = "has_not" // tags
)

// Ops are the comparisons each subject allows, the first the default.
var Ops = map[Subject][]Op{
	OnStatus:         {Is, IsNot},
	OnPriority:       {Is, IsNot},
	OnDepartment:     {Is, IsNot},
	OnChannel:        {Is, IsNot},
	OnAssignee:       {Is, IsNot},
	OnTag:            {Has, HasNot},
	OnSubject:        {Contains, NotContains},
	OnMessage:        {Contains, NotContains},
	OnRequesterEmail: {EndsWith, Is},
	OnField:          {Is, IsNot},
	OnCreatedInHours: {Is},
}

// Condition is one test of a ticket.
type Condition struct {
	Subject Subject `json:"subject"`
	Op      Op      `json:"op"`
	Value   string  `json:"value"`
	FieldID int64   `json:"field_id,omitempty"` // OnField only
}

// Group holds when all its conditions hold.
type Group struct {
	Conditions []Condition `json:"conditions"`
}

// ActionKind is what an action does.
type ActionKind string

const (
	AddTag         ActionKind = "add_tag"          // Value: tag
	RemoveTag      ActionKind = "remove_tag"       // Value: tag
	ChangePriority ActionKind = "change_priority"  // Value: low, normal, high, urgent
	ChangeStatus   ActionKind = "change_status"    // Value: open, resolved, spam, deleted
	Transfer       ActionKind = "transfer"         // Value: department id
	Assign         ActionKind = "assign"           // Value: agent id
	AddNote        ActionKind = "add_note"         // Value: the note
	SendAnswer     ActionKind = "send_answer"      // Value: predefined answer id
	ChangeSLALevel ActionKind = "change_sla_level" // Value: SLA level id
	SendHTTP       ActionKind = "send_http"        // Value: URL (POST, the ticket as JSON)
	StopOthers     ActionKind = "stop_others"      // no value
)

// Actions are the action choices, in the editor's order.
var Actions = []ActionKind{AddTag, RemoveTag, ChangePriority, ChangeStatus, Transfer, Assign, AddNote, SendAnswer, ChangeSLALevel, SendHTTP, StopOthers}

// Action is one thing a rule does.
type Action struct {
	Kind  ActionKind `json:"kind"`
	Value string     `json:"value,omitempty"`
}

// Definition is what a rule tests and does: one of Groups holding is enough
// (none at all: every ticket); the actions run in order.
type Definition struct {
	Groups  []Group  `json:"groups"`
	Actions []Action `json:"actions"`
}
