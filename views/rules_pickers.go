package views

import (
	"context"
	"strconv"
	"strings"

	"helpline/automation"
	"helpline/desk"
	"helpline/store"
)

// The rule editor offers departments, agents, predefined answers, SLA
// levels and the other fixed values as lists of names, not typed ids; a
// ticket field is chosen with the condition's subject ("field:ID").

// RuleChoices are the names the editor offers.
type RuleChoices struct {
	Departments []store.Department
	Agents      []store.Assignable
	Answers     []store.Answer // shared ones: a rule answers for the desk
	Levels      []store.SLALevel
	Fields      []store.TicketField
}

// RuleOption is one entry of a value list.
type RuleOption struct {
	Value, Label string
}

// fieldSubjectPrefix starts a subject choice naming a ticket field.
const fieldSubjectPrefix = "field:"

// SubjectChoice is the subject select's value for a condition.
func SubjectChoice(c automation.Condition) string {
	if c.Subject == automation.OnField {
		return fieldSubjectPrefix + strconv.FormatInt(c.FieldID, 10)
	}
	return string(c.Subject)
}

// ParseSubjectChoice reads the subject select: a subject, or a ticket
// field as "field:ID".
func ParseSubjectChoice(v string) (automation.Subject, int64) {
	if rest, ok := strings.CutPrefix(v, fieldSubjectPrefix); ok {
		id, _ := strconv.ParseInt(rest, 10, 64)
		return automation.OnField, id
	}
	return automation.Subject(v), 0
}

// conditionOptions is the value list of a condition; nil: typed text.
func conditionOptions(ctx context.Context, ch RuleChoices, c automation.Condition) []RuleOption {
	switch c.Subject {
	case automation.OnStatus:
		return listed(automation.Statuses, func(v string) string { return StatusLabel(ctx, store.TicketStatus(v)) })
	case automation.OnPriority:
		return listed(automation.Priorities, func(v string) string { return priorityName(ctx, v) })
	case automation.OnChannel:
		return listed(automation.Channels, func(v string) string { return ChannelLabel(ctx, store.Channel(v)) })
	case automation.OnDepartment:
		return departmentOptions(ch)
	case automation.OnAssignee:
		return append([]RuleOption{{"0", T(ctx, "RulePickNobody")}}, agentOptions(ch)...)
	case automation.OnCreatedInHours:
		return []RuleOption{{"yes", T(ctx, "RulePickYes")}, {"no", T(ctx, "RulePickNo")}}
	case automation.OnField:
		for _, f := range ch.Fields {
			if f.ID != c.FieldID {
				continue
			}
			switch f.Type {
			case desk.FieldDropdown:
				return listed(f.Options, func(v string) string { return v })
			case desk.FieldCheckbox:
				return []RuleOption{{desk.CheckboxOn, T(ctx, "RulePickTicked")}, {"", T(ctx, "RulePickNotTicked")}}
			}
		}
	}
	return nil
}

// actionOptions is the value list of an action; nil: typed text.
func actionOptions(ctx context.Context, ch RuleChoices, a automation.Action) []RuleOption {
	switch a.Kind {
	case automation.ChangePriority:
		return listed(automation.Priorities, func(v string) string { return priorityName(ctx, v) })
	case automation.ChangeStatus:
		return listed(automation.SettableStatuses, func(v string) string { return StatusLabel(ctx, store.TicketStatus(v)) })
	case automation.Transfer:
		return departmentOptions(ch)
	case automation.Assign:
		return agentOptions(ch)
	case automation.SendAnswer:
		var out []RuleOption
		for _, an := range ch.Answers {
			out = append(out, RuleOption{idStr(an.ID), an.Title})
		}
		return out
	case automation.ChangeSLALevel:
		var out []RuleOption
		for _, l := range ch.Levels {
			out = append(out, RuleOption{idStr(l.ID), l.Name})
		}
		return out
	}
	return nil
}

// actionTakesValue is false for actions with nothing to fill in.
func actionTakesValue(a automation.Action) bool { return a.Kind != automation.StopOthers }

// optionsWithBlank puts "Choose…" first unless the list itself offers an
// empty value (an unticked checkbox).
func optionsWithBlank(ctx context.Context, opts []RuleOption) []RuleOption {
	for _, o := range opts {
		if o.Value == "" {
			return opts
		}
	}
	return append([]RuleOption{{"", T(ctx, "RuleChoose")}}, opts...)
}

func listed(values []string, label func(string) string) []RuleOption {
	out := make([]RuleOption, 0, len(values))
	for _, v := range values {
		out = append(out, RuleOption{v, label(v)})
	}
	return out
}

func departmentOptions(ch RuleChoices) []RuleOption {
	var out []RuleOption
	for _, d := range ch.Departments {
		out = append(out, RuleOption{idStr(d.ID), d.Name})
	}
	return out
}

func agentOptions(ch RuleChoices) []RuleOption {
	var out []RuleOption
	for _, a := range ch.Agents {
		out = append(out, RuleOption{idStr(a.ID), a.Name})
	}
	return out
}

func priorityName(ctx context.Context, name string) string {
	for p, n := range priorityNames {
		if n == name {
			return PriorityLabel(ctx, p)
		}
	}
	return name
}

// ruleFieldLabel names a ticket field among the condition subjects.
func ruleFieldLabel(ctx context.Context, f store.TicketField) string {
	return Tf(ctx, "RuleSubjectField", map[string]any{"Name": f.Name})
}
