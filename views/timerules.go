package views

import (
	"context"
	"strconv"
	"time"

	"helpline/automation"
	"helpline/store"
)

// Paths of Configuration → Time rules.
const (
	PathTimeRules      = "/config/time-rules"
	PathTimeRuleNew    = "/config/time-rules/new"
	PathTimeRule       = "/config/time-rules/:id"
	PathTimeRuleRemove = "/config/time-rules/:id/remove"
	PathTimeRuleMove   = "/config/time-rules/:id/move"
	PathTimeRuleToggle = "/config/time-rules/:id/toggle"
)

// TimeRuleRowID is a time rule's row in the list.
func TimeRuleRowID(id int64) string { return "time-rule-" + strconv.FormatInt(id, 10) }

// TimeRuleListProps is the list of time rules in order.
type TimeRuleListProps struct {
	Rows []store.TimeRule
}

// TimeRuleWhen is a time rule's Apply when as typed: the kind and the
// duration, a whole number of a unit (TimeUnits). Its errors are keyed
// "apply_when" and "after".
type TimeRuleWhen struct {
	Kind  automation.TimeKind
	Count string
	Unit  string
}

// TimeUnits are the units a time rule's duration is typed in.
var TimeUnits = []string{"minutes", "hours", "days"}

// TimeUnitSize is the length of one of TimeUnits.
var TimeUnitSize = map[string]time.Duration{"minutes": time.Minute, "hours": time.Hour, "days": 24 * time.Hour}

// WhenOf shows a stored duration in the largest unit that divides it.
func WhenOf(kind automation.TimeKind, after time.Duration) TimeRuleWhen {
	for _, u := range []string{"days", "hours", "minutes"} {
		if after > 0 && after%TimeUnitSize[u] == 0 {
			return TimeRuleWhen{Kind: kind, Count: strconv.FormatInt(int64(after/TimeUnitSize[u]), 10), Unit: u}
		}
	}
	return TimeRuleWhen{Kind: kind, Unit: "hours"}
}

// TimeKindLabel names an Apply when choice of time rules.
func TimeKindLabel(ctx context.Context, k automation.TimeKind) string {
	return label(ctx, timeKindLabels[k], string(k))
}

var timeKindLabels = map[automation.TimeKind]string{
	"older_than":           "TimeRuleWhen_older_than",
	"status_unchanged":     "TimeRuleWhen_status_unchanged",
	"due_in_less_than":     "TimeRuleWhen_due_in_less_than",
	"overdue_by_more_than": "TimeRuleWhen_overdue_by_more_than",
}

var timeUnitLabels = map[string]string{"minutes": "TimeRuleUnit_minutes", "hours": "TimeRuleUnit_hours", "days": "TimeRuleUnit_days"}

// TimeRuleSummary is a time rule's Apply when in the list: "Ticket older
// than 2 hours".
func TimeRuleSummary(ctx context.Context, r store.TimeRule) string {
	w := WhenOf(r.ApplyWhen, r.After)
	n, _ := strconv.Atoi(w.Count)
	return TimeKindLabel(ctx, r.ApplyWhen) + " " + Tn(ctx, timeCountLabels[w.Unit], n, nil)
}

var timeCountLabels = map[string]string{"minutes": "TimeRuleCountMinutes", "hours": "TimeRuleCountHours", "days": "TimeRuleCountDays"}

// The rule editor serves both kinds of rules; with Time set it is the time
// rule editor.
func (p RuleFormProps) title(ctx context.Context) string {
	switch {
	case p.Time == nil:
		return ruleFormTitle(ctx, p.ID)
	case p.ID == 0:
		return T(ctx, "TimeRuleNewTitle")
	}
	return T(ctx, "TimeRuleEditTitle")
}

func (p RuleFormProps) action() string {
	switch {
	case p.Time == nil:
		return ruleFormAction(p.ID)
	case p.ID == 0:
		return PathTimeRules
	}
	return WithID(PathTimeRule, p.ID)
}

func (p RuleFormProps) back() string {
	if p.Time == nil {
		return PathRules
	}
	return PathTimeRules
}

func (p RuleFormProps) backLabel(ctx context.Context) string {
	if p.Time == nil {
		return T(ctx, "RuleBack")
	}
	return T(ctx, "TimeRuleBack")
}
