package desk

import (
	"regexp"
	"slices"
	"strings"
)

// Placeholders a predefined answer may contain; inserting the answer into
// a reply fills them in.
const (
	PlaceholderCustomerName = "customer.name"
	PlaceholderAgentName    = "agent.name"
	PlaceholderTicketCode   = "ticket.code"
)

// AnswerPlaceholders lists the placeholders in the order the form names them.
var AnswerPlaceholders = []string{PlaceholderCustomerName, PlaceholderAgentName, PlaceholderTicketCode}

// placeholderPattern finds {{ name }}; spaces inside the braces are allowed.
var placeholderPattern = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

// UnknownPlaceholders lists, once each and in order, the placeholders of
// body that are not AnswerPlaceholders: an answer with one is refused, as
// it would reach a customer with the braces in it.
func UnknownPlaceholders(body string) []string {
	var out []string
	for _, m := range placeholderPattern.FindAllStringSubmatch(body, -1) {
		if !slices.Contains(AnswerPlaceholders, m[1]) && !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// FillAnswer puts values (keyed by placeholder) in place of the
// placeholders of body; an unknown one stays as written.
func FillAnswer(body string, values map[string]string) string {
	return placeholderPattern.ReplaceAllStringFunc(body, func(m string) string {
		name := strings.TrimSpace(m[2 : len(m)-2])
		if v, ok := values[name]; ok {
			return v
		}
		return m
	})
}
