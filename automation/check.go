package automation

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Problem is why a rule cannot be stored, and where: "name", "trigger",
// "actions", "groups.G.conditions.C" or "actions.A".
type Problem struct {
	Where string
	Why   string // required, invalid
}

const (
	Required = "required"
	Invalid  = "invalid"
)

// Priorities, Statuses and Channels are the values those conditions and
// actions accept.
var (
	Priorities = []string{"low", "normal", "high", "urgent"}
	Statuses   = []string{"new", "open", "answered", "postponed", "resolved", "spam", "deleted"}
	// SettableStatuses are those Change status may set, as an agent may.
	SettableStatuses = []string{"open", "resolved", "spam", "deleted"}
	Channels         = []string{"email", "contact_form", "chat", "call", "api"}
	// YesNo are the values of Created within business hours.
	YesNo = []string{"yes", "no"}
)

// Check lists what is wrong with a rule; nothing when it may be stored.
// Whether ids name existing departments, agents, fields and answers is
// the store's to check.
func Check(name string, trigger Trigger, d Definition) []Problem {
	var out []Problem
	if strings.TrimSpace(name) == "" {
		out = append(out, Problem{"name", Required})
	}
	if !slices.Contains(Triggers, trigger) {
		out = append(out, Problem{"trigger", Required})
	}
	for gi, g := range d.Groups {
		for ci, c := range g.Conditions {
			if why := c.check(); why != "" {
				out = append(out, Problem{fmt.Sprintf("groups.%d.conditions.%d", gi, ci), why})
			}
		}
	}
	if len(d.Actions) == 0 {
		out = append(out, Problem{"actions", Required})
	}
	for ai, a := range d.Actions {
		if why := a.check(); why != "" {
			out = append(out, Problem{fmt.Sprintf("actions.%d", ai), why})
		}
	}
	return out
}

func (c Condition) check() string {
	ops, ok := Ops[c.Subject]
	if !ok || !slices.Contains(ops, c.Op) {
		return Invalid
	}
	v := strings.TrimSpace(c.Value)
	switch c.Subject {
	case OnStatus:
		return oneOf(v, Statuses)
	case OnPriority:
		return oneOf(v, Priorities)
	case OnChannel:
		return oneOf(v, Channels)
	case OnDepartment:
		return positiveID(v)
	case OnAssignee:
		if v == "0" {
			return ""
		}
		return positiveID(v)
	case OnCreatedInHours:
		return oneOf(v, YesNo)
	case OnField:
		if c.FieldID <= 0 {
			return Required
		}
		return ""
	case OnTag, OnSubject, OnMessage, OnRequesterEmail:
		if v == "" {
			return Required
		}
	}
	return ""
}

func (a Action) check() string {
	v := strings.TrimSpace(a.Value)
	switch a.Kind {
	case AddTag, RemoveTag, AddNote:
		if NormalTag(v) == "" {
			return Required
		}
	case ChangePriority:
		return oneOf(v, Priorities)
	case ChangeStatus:
		return oneOf(v, SettableStatuses)
	case Transfer, Assign, SendAnswer, ChangeSLALevel:
		return positiveID(v)
	case SendHTTP:
		if v == "" {
			return Required
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
			return Invalid
		}
	case StopOthers:
	default:
		return Invalid
	}
	return ""
}

func oneOf(v string, allowed []string) string {
	switch {
	case v == "":
		return Required
	case !slices.Contains(allowed, v):
		return Invalid
	}
	return ""
}

func positiveID(v string) string {
	if v == "" {
		return Required
	}
	if n, err := strconv.ParseInt(v, 10, 64); err != nil || n <= 0 {
		return Invalid
	}
	return ""
}
