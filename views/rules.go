package views

import (
	"context"
	"fmt"
	"strconv"

	"github.com/a-h/templ"

	"helpline/automation"
	"helpline/store"
)

// Paths of Configuration → Rules.
const (
	PathRules      = "/config/rules"
	PathRuleNew    = "/config/rules/new"
	PathRule       = "/config/rules/:id"
	PathRuleRemove = "/config/rules/:id/remove"
	PathRuleMove   = "/config/rules/:id/move"
	PathRuleToggle = "/config/rules/:id/toggle"
)

// RuleRowID is a rule's row in the list.
func RuleRowID(id int64) string { return "rule-" + strconv.FormatInt(id, 10) }

// RuleListProps is the list of rules in execution order.
type RuleListProps struct {
	Rows []store.RuleDef
}

// RuleFormProps is the rule editor. Values is the rule as typed (or
// stored); Errors are keyed "name", "trigger", "actions", CondKey and
// ActionKey.
type RuleFormProps struct {
	ID       int64
	Values   store.RuleInput
	Errors   FieldErrors
	Failures []store.RuleFailure
	Choices  RuleChoices
	// Time, when set, makes this the time rule editor (timerules.go).
	Time *TimeRuleWhen
}

// ruleRefresh makes a change of subject or action show its value list at
// once: the form posts itself with add=refresh and is swapped. Without
// script the Show the choices button does the same.
func ruleRefresh(action string) templ.Attributes {
	return templ.Attributes{"hx-post": action, "hx-trigger": "change", "hx-target": "#rule-form",
		"hx-select": "#rule-form", "hx-swap": "outerHTML", "hx-vals": `{"add":"refresh"}`}
}

// CondKey and ActionKey name a condition's and an action's place in the
// form and in its errors.
func CondKey(g, c int) string { return fmt.Sprintf("groups.%d.conditions.%d", g, c) }
func ActionKey(a int) string  { return fmt.Sprintf("actions.%d", a) }

func ruleFormTitle(ctx context.Context, id int64) string {
	if id == 0 {
		return T(ctx, "RuleNewTitle")
	}
	return T(ctx, "RuleEditTitle")
}

func ruleFormAction(id int64) string {
	if id == 0 {
		return PathRules
	}
	return WithID(PathRule, id)
}

// TriggerLabel names an Apply when choice.
func TriggerLabel(ctx context.Context, tr automation.Trigger) string {
	return label(ctx, triggerLabels[tr], string(tr))
}

func subjectLabel(ctx context.Context, s automation.Subject) string {
	return label(ctx, subjectLabels[s], string(s))
}
func opLabel(ctx context.Context, o automation.Op) string { return label(ctx, opLabels[o], string(o)) }
func actionLabel(ctx context.Context, k automation.ActionKind) string {
	return label(ctx, actionLabels[k], string(k))
}

func label(ctx context.Context, id, fallback string) string {
	if id == "" {
		return fallback
	}
	return T(ctx, id)
}

var triggerLabels = map[automation.Trigger]string{
	"ticket_created":            "RuleTrigger_ticket_created",
	"ticket_created_from_email": "RuleTrigger_ticket_created_from_email",
	"message_added":             "RuleTrigger_message_added",
	"status_changed":            "RuleTrigger_status_changed",
	"tags_changed":              "RuleTrigger_tags_changed",
	"ticket_transferred":        "RuleTrigger_ticket_transferred",
}

var subjectLabels = map[automation.Subject]string{
	"status":           "RuleSubject_status",
	"priority":         "RuleSubject_priority",
	"department":       "RuleSubject_department",
	"channel":          "RuleSubject_channel",
	"assignee":         "RuleSubject_assignee",
	"tag":              "RuleSubject_tag",
	"subject":          "RuleSubject_subject",
	"message":          "RuleSubject_message",
	"requester_email":  "RuleSubject_requester_email",
	"field":            "RuleSubject_field",
	"created_in_hours": "RuleSubject_created_in_hours",
}

var opLabels = map[automation.Op]string{
	"is":           "RuleOp_is",
	"is_not":       "RuleOp_is_not",
	"contains":     "RuleOp_contains",
	"not_contains": "RuleOp_not_contains",
	"ends_with":    "RuleOp_ends_with",
	"has":          "RuleOp_has",
	"has_not":      "RuleOp_has_not",
}

var actionLabels = map[automation.ActionKind]string{
	"add_tag":          "RuleAction_add_tag",
	"remove_tag":       "RuleAction_remove_tag",
	"change_priority":  "RuleAction_change_priority",
	"change_status":    "RuleAction_change_status",
	"transfer":         "RuleAction_transfer",
	"assign":           "RuleAction_assign",
	"add_note":         "RuleAction_add_note",
	"send_answer":      "RuleAction_send_answer",
	"change_sla_level": "RuleAction_change_sla_level",
	"send_http":        "RuleAction_send_http",
	"stop_others":      "RuleAction_stop_others",
}

// ruleSubjects are the condition subjects the editor offers; ticket fields
// follow them, one choice per field (RuleChoices.Fields).
var ruleSubjects = []automation.Subject{automation.OnStatus, automation.OnPriority, automation.OnDepartment, automation.OnChannel,
	automation.OnAssignee, automation.OnTag, automation.OnSubject, automation.OnMessage, automation.OnRequesterEmail,
	automation.OnCreatedInHours}

var ruleOps = []automation.Op{automation.Is, automation.IsNot, automation.Contains, automation.NotContains, automation.EndsWith, automation.Has, automation.HasNot}

// ruleRow is a line of the rules' or the time rules' list (ruleListRow).
type ruleRow struct {
	id, href, name, when, toggle, move, remove string
	active, first, last                        bool
}
