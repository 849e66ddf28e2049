package store

import (
	"context"
	"database/sql"
	"slices"
	"sync"

	"helpline/automation"
)

// Rules run after the change that triggers them commits (SPEC §6.6), on the
// instance that made it: exactly once. Every change to a ticket writes its
// history through addMessage (and new tickets through the intake), so the
// triggers are noted there, against the transaction; writeOnce takes them
// when it ends and, if it committed, runs the rules (rules_run.go).

// ruleTrigger is one change a transaction made that rules may follow.
type ruleTrigger struct {
	ticketID int64
	trigger  automation.Trigger
}

// pendingTriggers holds each open write transaction's triggers, by *sql.Tx.
// A transaction is used by one goroutine at a time, so the slice needs no
// lock of its own.
var pendingTriggers sync.Map

// noteTrigger records a change of the transaction; the same change to one
// ticket is noted once (two tags added in one go are one Tags changed).
func noteTrigger(tx *sql.Tx, ticketID int64, tr automation.Trigger) {
	v, _ := pendingTriggers.LoadOrStore(tx, new([]ruleTrigger))
	list := v.(*[]ruleTrigger)
	t := ruleTrigger{ticketID, tr}
	if !slices.Contains(*list, t) {
		*list = append(*list, t)
	}
}

// takeTriggers ends the transaction's record and returns it.
func takeTriggers(tx *sql.Tx) []ruleTrigger {
	v, ok := pendingTriggers.LoadAndDelete(tx)
	if !ok {
		return nil
	}
	return *v.(*[]ruleTrigger)
}

// triggerOf is the rules' trigger of a history entry, if it has one.
// Assignment and field changes trigger nothing (SPEC §6.6 lists no such
// Apply when).
func triggerOf(m message) (automation.Trigger, bool) {
	switch {
	case m.first:
		return automation.TicketCreated, true
	case m.kind == KindCustomer || m.kind == KindReply || m.kind == KindNote:
		return automation.MessageAdded, true
	case m.event == EventStatus || m.event == EventPostponed:
		return automation.StatusChanged, true
	case m.event == EventTagAdded || m.event == EventTagRemoved:
		return automation.TagsChanged, true
	case m.event == EventTransferred:
		return automation.TicketTransferred, true
	}
	return "", false
}

// ruleDepthKey carries, in a rule's writes, how deep in a chain of rules
// they are.
type ruleDepthKey struct{}

// MaxRuleDepth bounds chains of rules: a person's change runs rules (round
// 1); what they change runs rules again (round 2), and that once more
// (round 3); changes made in round 3 trigger nothing. Two rules that undo
// each other stop there.
const MaxRuleDepth = 3

func ruleDepth(ctx context.Context) int {
	d, _ := ctx.Value(ruleDepthKey{}).(int)
	return d
}
