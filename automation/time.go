package automation

import (
	"slices"
	"time"
)

// TimeKind is a time rule's Apply when: how long a ticket has been in a
// state (SPEC §6.6).
type TimeKind string

const (
	OlderThan         TimeKind = "older_than"           // since it was created
	StatusUnchanged   TimeKind = "status_unchanged"     // since its status last changed
	DueInLessThan     TimeKind = "due_in_less_than"     // before its earliest SLA due time
	OverdueByMoreThan TimeKind = "overdue_by_more_than" // after its earliest SLA due time
)

// TimeKinds are the Apply when choices of time rules, in the editor's order.
var TimeKinds = []TimeKind{OlderThan, StatusUnchanged, DueInLessThan, OverdueByMoreThan}

// MaxTimeRuleAfter bounds a time rule's duration: a year.
const MaxTimeRuleAfter = 365 * 24 * time.Hour

// Moment is when a time rule's Apply when becomes true for a ticket whose
// state began (or, for the due kinds, ends) at base: the ticket's creation,
// its last status change, its SLA due time.
func (k TimeKind) Moment(base time.Time, after time.Duration) time.Time {
	if k == DueInLessThan {
		return base.Add(-after)
	}
	return base.Add(after)
}

// BaseRange is the range of base instants whose moment falls in
// (from, to]: what the run reads from the index for that stretch of time.
func (k TimeKind) BaseRange(from, to time.Time, after time.Duration) (time.Time, time.Time) {
	if k == DueInLessThan {
		return from.Add(after), to.Add(after)
	}
	return from.Add(-after), to.Add(-after)
}

// CheckWhen lists what is wrong with a time rule's Apply when and its
// duration ("apply_when", "after"); its name, conditions and actions are
// checked as a rule's are (Check).
func CheckWhen(kind TimeKind, after time.Duration) []Problem {
	var out []Problem
	if !slices.Contains(TimeKinds, kind) {
		out = append(out, Problem{"apply_when", Required})
	}
	switch {
	case after == 0:
		out = append(out, Problem{"after", Required})
	case after < time.Minute || after > MaxTimeRuleAfter || after%time.Minute != 0:
		out = append(out, Problem{"after", Invalid})
	}
	return out
}
