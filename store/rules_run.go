package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"helpline/automation"
)

// runRules runs, after a commit, the active rules that follow its changes,
// in the rules' order. Each rule reads the ticket afresh in a transaction of
// its own, so it sees what the rules before it did, and a rule that fails
// (an assignee who may not take the ticket) is rolled back alone and logged
// on its page: the change that triggered it stays. Changes a rule makes
// note triggers of their own, run when its transaction commits, one round
// deeper, up to MaxRuleDepth.
func (s *Store) runRules(ctx context.Context, triggers []ruleTrigger) {
	depth := ruleDepth(ctx)
	if depth >= MaxRuleDepth {
		return
	}
	ctx = context.WithValue(context.WithoutCancel(ctx), ruleDepthKey{}, depth+1)
	for _, tr := range triggers {
		rules, err := s.rulesFor(ctx, tr.trigger)
		if err != nil {
			slog.Error("rules", "ticket", tr.ticketID, "trigger", tr.trigger, "err", err)
			continue
		}
		// Conditions are tested on a read first; only a rule that holds
		// opens a write, tests again on what it locked, and acts. After it
		// the ticket is read afresh for the rules below.
		var facts automation.Ticket
		fresh := false
		for _, r := range rules {
			if !fresh {
				if _, facts, err = s.ruleFacts(ctx, s.r, false, tr.ticketID); err != nil {
					slog.Error("rules", "ticket", tr.ticketID, "err", err)
					break
				}
				fresh = true
			}
			if !r.applies(facts) {
				continue
			}
			stop, err := s.runRule(ctx, r, tr.ticketID)
			if err != nil {
				s.logRuleFailure(ctx, r.ID, tr.ticketID, err)
			}
			fresh = false
			if stop {
				break
			}
		}
	}
}

// ruleCall is an HTTP request a rule sends once its changes commit.
type ruleCall struct {
	url  string
	body []byte
}

// runRule applies one rule to a ticket if its conditions hold; stop says
// whether it ran Stop other rules.
func (s *Store) runRule(ctx context.Context, r RuleDef, ticketID int64) (stop bool, err error) {
	var calls []ruleCall
	err = s.write(ctx, func(tx *sql.Tx) error {
		stop, calls = false, nil
		t, facts, err := s.ruleFacts(ctx, tx, true, ticketID)
		if err != nil {
			return err
		}
		if !r.applies(facts) {
			return nil
		}
		by, now := author{ruleName: r.Name}, s.nowMs()
		for _, a := range r.Definition.Actions {
			switch a.Kind {
			case automation.StopOthers:
				stop = true
			case automation.SendHTTP:
				body, err := ruleCallBody(ctx, tx, ticketID, r, now)
				if err != nil {
					return err
				}
				calls = append(calls, ruleCall{url: a.Value, body: body})
			default:
				if err := doAction(ctx, tx, &t, a, by, now); err != nil {
					return fmt.Errorf("%s: %w", a.Kind, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	for _, c := range calls {
		s.ruleCalls.Add(1)
		go s.sendRuleCall(context.WithoutCancel(ctx), r.ID, ticketID, c)
	}
	return stop, nil
}

// applies tells whether the rule's conditions hold for the ticket; Ticket
// created from email rules want a ticket that came by email.
func (r RuleDef) applies(facts automation.Ticket) bool {
	if r.Trigger == automation.TicketCreatedFromEmail && facts.Channel != string(ChannelEmail) {
		return false
	}
	return r.Definition.Matches(facts)
}

// ruleFacts reads the ticket as conditions see it; in a write (lock), on
// PostgreSQL, it locks the ticket's row until the commit.
func (s *Store) ruleFacts(ctx context.Context, tx querier, lock bool, ticketID int64) (ticketState, automation.Ticket, error) {
	var f automation.Ticket
	forUpdate := ""
	if lock {
		forUpdate = s.forUpdate(false)
	}
	t, err := scanState(tx.QueryRowContext(ctx, `SELECT `+stateColumns+` FROM tickets t WHERE t.id = ?`+forUpdate, ticketID))
	if err != nil {
		return t, f, err
	}
	f.Status, f.Priority, f.DepartmentID, f.AssigneeID = string(t.status), hookPriorities[t.priority], t.departmentID, t.assigneeID
	err = tx.QueryRowContext(ctx, `SELECT t.channel, t.subject, c.email,
			coalesce((SELECT m.body FROM messages m WHERE m.ticket_id = t.id AND m.kind IN ('customer', 'reply', 'note') ORDER BY m.id DESC LIMIT 1), '')
		FROM tickets t JOIN contacts c ON c.id = t.contact_id WHERE t.id = ?`, ticketID).Scan(&f.Channel, &f.Subject, &f.RequesterEmail, &f.Message)
	if err != nil {
		return t, f, err
	}
	if f.Tags, err = stringsOf(ctx, tx, `SELECT tag FROM ticket_tags WHERE ticket_id = ?`, ticketID); err != nil {
		return t, f, err
	}
	if f.CreatedInHours, err = createdInHours(ctx, tx, t.createdAt); err != nil {
		return t, f, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT field_id, value FROM ticket_field_values WHERE ticket_id = ?`, ticketID)
	if err != nil {
		return t, f, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			return t, f, err
		}
		if f.Fields == nil {
			f.Fields = map[int64]string{}
		}
		f.Fields[id] = v
	}
	return t, f, rows.Err()
}

func stringsOf(ctx context.Context, tx querier, q string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// doAction carries out one action inside the rule's transaction, recorded
// in the ticket's history as by the rule.
func doAction(ctx context.Context, tx *sql.Tx, t *ticketState, a automation.Action, by author, now int64) error {
	id, _ := strconv.ParseInt(a.Value, 10, 64)
	switch a.Kind {
	case automation.AddTag:
		return addTag(ctx, tx, t.id, NormalizeTag(a.Value), by, now)
	case automation.RemoveTag:
		return removeTag(ctx, tx, t.id, NormalizeTag(a.Value), by, now)
	case automation.ChangePriority:
		return setPriority(ctx, tx, t, a.Value, by, now)
	case automation.ChangeStatus:
		if !settable(TicketStatus(a.Value)) {
			return RuleError{RuleStatusNotSettable}
		}
		return setStatus(ctx, tx, t, TicketStatus(a.Value), 0, by, now)
	case automation.Transfer:
		if id == t.departmentID {
			return nil // already there: nothing to do
		}
		return transfer(ctx, tx, t, id, by, now)
	case automation.Assign:
		return assign(ctx, tx, t, id, by, now)
	case automation.AddNote:
		return addMessage(ctx, tx, t.id, message{kind: KindNote, body: a.Value, ruleName: by.ruleName}, now)
	case automation.SendAnswer:
		return sendAnswer(ctx, tx, t, id, by, now)
	case automation.ChangeSLALevel:
		return changeSLALevel(ctx, tx, t, id, by, now)
	}
	// A kind this version does not know (automation.Check refuses them).
	return fmt.Errorf("unknown action %q", a.Kind)
}

func removeTag(ctx context.Context, tx *sql.Tx, ticketID int64, tag string, by author, now int64) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM ticket_tags WHERE ticket_id = ? AND tag = ?`, ticketID, tag)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return addMessage(ctx, tx, ticketID, by.event(EventTagRemoved, EventDetails{Name: tag}), now)
}

// EventPriority records a change of priority (From, To: low … urgent).
const EventPriority Event = "priority"

func setPriority(ctx context.Context, tx *sql.Tx, t *ticketState, name string, by author, now int64) error {
	p, ok := Priority(0), false
	for k, v := range hookPriorities {
		if v == name {
			p, ok = k, true
		}
	}
	if !ok {
		return fmt.Errorf("priority %q", name)
	}
	if p == t.priority {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tickets SET priority = ?, sort_key = ? WHERE id = ?`, p, sortKey(t.status, p, t.createdAt), t.id); err != nil {
		return err
	}
	from := hookPriorities[t.priority]
	t.priority = p
	return addMessage(ctx, tx, t.id, by.event(EventPriority, EventDetails{From: from, To: name}), now)
}

// sendAnswer replies with a predefined answer, as an agent's reply would:
// emailed when mail is set up, the ticket Answered.
func sendAnswer(ctx context.Context, tx *sql.Tx, t *ticketState, answerID int64, by author, now int64) error {
	if t.status == TicketDeleted {
		return RuleError{RuleTicketDeleted}
	}
	var body string
	err := tx.QueryRowContext(ctx, `SELECT body FROM canned_answers WHERE id = ?`, answerID).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if err := addMessage(ctx, tx, t.id, message{kind: KindReply, body: body, ruleName: by.ruleName}, now); err != nil {
		return err
	}
	if err := queueReplyMail(ctx, tx, t.id, now); err != nil {
		return err
	}
	return setStatus(ctx, tx, t, TicketAnswered, 0, by, now)
}

// ruleCallPayload is the body of a rule's HTTP request: the rule and the
// ticket as webhooks describe it (docs/WEBHOOKS.md).
type ruleCallPayload struct {
	Rule   HookRef    `json:"rule"`
	At     time.Time  `json:"at"`
	Ticket HookTicket `json:"ticket"`
}

func ruleCallBody(ctx context.Context, tx *sql.Tx, ticketID int64, r RuleDef, now int64) ([]byte, error) {
	t, err := hookTicket(ctx, tx, ticketID)
	if err != nil {
		return nil, err
	}
	return json.Marshal(ruleCallPayload{Rule: HookRef{ID: r.ID, Name: r.Name}, At: msToTime(now).UTC(), Ticket: t})
}

// ruleCallTimeout bounds a rule's HTTP request.
const ruleCallTimeout = 10 * time.Second

func (s *Store) ruleClient() *http.Client {
	if s.ruleHTTP != nil {
		return s.ruleHTTP
	}
	return &http.Client{Timeout: ruleCallTimeout}
}

// sendRuleCall POSTs a rule's request, off the path of the change: a slow
// receiver holds up nobody. What goes wrong is logged on the rule's page.
func (s *Store) sendRuleCall(ctx context.Context, ruleID, ticketID int64, c ruleCall) {
	defer s.ruleCalls.Done()
	err := func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(c.body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := s.ruleClient().Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			return fmt.Errorf("%s answered %s", c.url, resp.Status)
		}
		return nil
	}()
	if err != nil {
		s.logRuleFailure(ctx, ruleID, ticketID, fmt.Errorf("%s: %w", automation.SendHTTP, err))
	}
}

// logRuleFailure keeps what went wrong for the rule's page.
func (s *Store) logRuleFailure(ctx context.Context, ruleID, ticketID int64, cause error) {
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO rule_failures (rule_id, ticket_id, error, created_at) VALUES (?, ?, ?, ?)`,
			ruleID, ticketID, truncate(cause.Error(), 1000), s.nowMs())
		return err
	})
	if err != nil {
		slog.Error("rule failure", "rule", ruleID, "ticket", ticketID, "cause", cause, "err", err)
	}
}
