package views

import (
	"context"

	"helpline/store"
)

// The ticket's history names the rule behind what a rule did (SPEC §6.6:
// "by rule NAME").

// byRule is "by rule NAME" for an entry a rule made, else "".
func byRule(ctx context.Context, m store.Message) string {
	if m.RuleName == "" {
		return ""
	}
	return Tf(ctx, "RuleHistoryBy", map[string]any{"Name": m.RuleName})
}

// withRule adds "by rule NAME" to an event's text.
func withRule(ctx context.Context, m store.Message, text string) string {
	if by := byRule(ctx, m); by != "" {
		return text + " — " + by
	}
	return text
}

// MessageAuthor is who wrote a message: a person, or the rule.
func MessageAuthor(ctx context.Context, m store.Message) string {
	if by := byRule(ctx, m); by != "" && m.AuthorName == "" {
		return T(ctx, "EventSystem") + " — " + by
	}
	return m.AuthorName
}

// priorityEventText describes a change of priority (made by rules).
func priorityEventText(ctx context.Context, m store.Message, data map[string]any) string {
	label := func(name string) string {
		for p, n := range priorityNames {
			if n == name {
				return PriorityLabel(ctx, p)
			}
		}
		return name
	}
	data["From"], data["To"] = label(m.Details.From), label(m.Details.To)
	return Tf(ctx, "EventPriority", data)
}

var priorityNames = map[store.Priority]string{store.PriorityLow: "low", store.PriorityNormal: "normal", store.PriorityHigh: "high", store.PriorityUrgent: "urgent"}
