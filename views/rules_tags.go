package views

import (
	"context"
	"strings"
)

// TagUsedByRules is the line under a tag naming the rules that use it.
func TagUsedByRules(ctx context.Context, names []string) string {
	return Tf(ctx, "TagUsedByRules", map[string]any{"Rules": strings.Join(names, ", ")})
}

// TagRemoveBody is the question before removing a tag, warning when rules
// use it.
func TagRemoveBody(ctx context.Context, tickets int, rules []string) string {
	body := Tn(ctx, "RemoveTagBody", tickets, nil)
	if len(rules) > 0 {
		body += " " + Tf(ctx, "TagRemoveUsedByRules", map[string]any{"Rules": strings.Join(rules, ", ")})
	}
	return body
}

// tagRemoveURL is the removal of a tag; for a tag rules use, the dialog
// that named them answers the question (rules_ok).
func tagRemoveURL(id int64, rules []string) string {
	if len(rules) > 0 {
		return WithID(PathTagRemove, id) + "?rules_ok=1"
	}
	return WithID(PathTagRemove, id)
}
