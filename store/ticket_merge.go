package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"helpline/authz"
)

// Merge into…: a duplicate ticket's conversation joins another ticket of
// the viewer's scope. Its messages (and their files) move, so the threads
// interleave by time; the merged ticket keeps its code as a pointer with
// its history of the merge. Its emails, mail references and customer link
// stay with it, and whatever arrives through them follows merged_into (see
// mergedTarget), so a customer answering the old email lands in the new
// ticket.

const (
	EventMergedInto Event = "merged_into" // Name: the code of the ticket it was merged into
	EventMergedFrom Event = "merged_from" // Name: the code of the ticket merged into this one
)

// RuleMergeSelf: a ticket is not merged into itself. A merged ticket is a
// pointer that takes no more actions: lockTicket does not find it, so it
// is neither merged again nor merged into.
const RuleMergeSelf Rule = "merge_self"

// MergeTicket merges the ticket code into the ticket into (both in the
// viewer's scope: a ticket outside it is ErrNotFound). The merged ticket
// becomes Resolved; tickets merged into it earlier now point at into.
func (s *Store) MergeTicket(ctx context.Context, v authz.Viewer, code, into string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if code == into {
			return RuleError{RuleMergeSelf}
		}
		// Lock both in code order, so two merges of one pair take turns
		// on PostgreSQL instead of waiting on each other.
		first, second := code, into
		if second < first {
			first, second = second, first
		}
		a, err := s.lockTicket(ctx, tx, v, first)
		if err != nil {
			return err
		}
		b, err := s.lockTicket(ctx, tx, v, second)
		if err != nil {
			return err
		}
		from, to := a, b
		if first != code {
			from, to = b, a
		}
		now := s.nowMs()
		steps := []string{
			`UPDATE messages SET ticket_id = ? WHERE ticket_id = ?`,
			`UPDATE attachments SET ticket_id = ? WHERE ticket_id = ?`,
			`UPDATE notifications SET ticket_id = ? WHERE ticket_id = ?`,
			`UPDATE tickets SET merged_into = ? WHERE merged_into = ?`,
		}
		for _, q := range steps {
			if _, err := tx.ExecContext(ctx, q, to.id, from.id); err != nil {
				return fmt.Errorf("merge ticket %d into %d: %w", from.id, to.id, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_tags (ticket_id, tag) SELECT ?, tag FROM ticket_tags WHERE ticket_id = ?
			ON CONFLICT DO NOTHING`, to.id, from.id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tickets SET merged_into = ?, message_count = 0, preview = '' WHERE id = ?`, to.id, from.id); err != nil {
			return err
		}
		by := author{agentID: v.ID}
		if from.status != TicketResolved {
			if _, err := tx.ExecContext(ctx, `UPDATE tickets SET status = 'resolved', sort_key = ?, postponed_until = NULL, postponed_from = '', status_changed_at = ? WHERE id = ?`,
				sortKey(TicketResolved, from.priority, from.createdAt), now, from.id); err != nil {
				return err
			}
		}
		if err := addMessage(ctx, tx, from.id, by.event(EventMergedInto, EventDetails{Name: into}), now); err != nil {
			return err
		}
		if err := addMessage(ctx, tx, to.id, by.event(EventMergedFrom, EventDetails{Name: code}), now); err != nil {
			return err
		}
		if err := recountMessages(ctx, tx, to.id); err != nil {
			return err
		}
		for _, id := range []int64{from.id, to.id} {
			if err := s.reindexTicket(ctx, tx, id); err != nil {
				return err
			}
			if err := touch(ctx, tx, id, v.ID, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: merge ticket %s into %s: %w", code, into, err)
	}
	return nil
}

// recountMessages sets a ticket's message count and the queue's preview
// from its thread, after messages joined it.
func recountMessages(ctx context.Context, tx *sql.Tx, id int64) error {
	var body sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT body FROM messages WHERE ticket_id = ? AND kind IN ('customer', 'reply')
		ORDER BY created_at DESC, id DESC LIMIT 1`, id).Scan(&body)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE tickets SET preview = ?,
		message_count = (SELECT count(*) FROM messages WHERE ticket_id = ? AND kind <> 'event') WHERE id = ?`,
		preview(body.String), id, id)
	return err
}

// MergedInto returns the code of the ticket a ticket the viewer may see was
// merged into, "" when it was not merged (ErrNotFound outside the scope).
// The target is named even when it is outside the viewer's departments:
// it is only a code, and opening it answers 404 there.
func (s *Store) MergedInto(ctx context.Context, v authz.Viewer, code string) (string, error) {
	scope, args := scopeSQL(v)
	var into sql.NullString
	err := s.rd.QueryRowContext(ctx, `SELECT m.code FROM tickets t LEFT JOIN tickets m ON m.id = t.merged_into
		WHERE t.code = ? AND `+scope, append([]any{code}, args...)...).Scan(&into)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: merged into of %s: %w", code, err)
	}
	return into.String, nil
}

// mergedTarget follows a ticket's pointer, if it was merged: what arrives
// for a merged ticket (an email answer, the customer's reply) belongs to
// the one it was merged into. It returns id itself otherwise.
func mergedTarget(ctx context.Context, q querier, id int64) (int64, error) {
	var into sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT merged_into FROM tickets WHERE id = ?`, id).Scan(&into); err != nil {
		return 0, err
	}
	if into.Valid {
		return into.Int64, nil
	}
	return id, nil
}
