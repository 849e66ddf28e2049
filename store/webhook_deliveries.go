package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"helpline/authz"
)

// Deliveries of webhook events: sent by the outbox worker (jobs), which
// records each try here. Deliveries of one ticket to one receiver go in
// the order they were written: a later one waits while an earlier one is
// being tried again.

// MaxWebhookAttempts is how many times a delivery is tried before it is
// Not delivered; the pause starts at webhookRetryBase and doubles up to
// webhookRetryCap: 30 s, 1, 2, 4 … minutes, then hourly, about seven hours
// in all, so a receiver down for an afternoon loses nothing.
const (
	MaxWebhookAttempts = 14
	webhookRetryBase   = 30 * time.Second
	webhookRetryCap    = time.Hour
	// WebhookResponseLimit bounds the excerpt of a receiver's answer kept.
	WebhookResponseLimit = 1024
	// webhookListLimit bounds the deliveries listed per webhook.
	webhookListLimit = 100
)

// webhookRetryAfter is the pause after the n-th failed try (n from 1).
func webhookRetryAfter(n int) time.Duration {
	if n > 8 {
		return webhookRetryCap
	}
	return min(webhookRetryBase<<(n-1), webhookRetryCap)
}

// WebhookDelivery is one event for one receiver and how it stands.
type WebhookDelivery struct {
	ID          int64
	WebhookID   int64
	TicketID    int64
	TicketCode  string // in lists; "" once the ticket is gone
	Event       WebhookEvent
	EventID     string
	Payload     string
	Status      DeliveryStatus
	Attempts    int
	StatusCode  int    // the receiver's last answer, 0 when none came
	Response    string // the start of its body
	Error       string // why the last try failed, when no answer came
	CreatedAt   time.Time
	AttemptedAt time.Time // zero until tried
}

// DueWebhook is a delivery due to be sent, with where and how to sign it.
type DueWebhook struct {
	WebhookDelivery
	URL    string
	Secret string
}

// DueWebhookDeliveries returns up to limit deliveries whose time has come,
// oldest first, to active webhooks, and only the oldest waiting delivery of
// each ticket for each webhook: the next waits until it is sent or given up.
func (s *Store) DueWebhookDeliveries(ctx context.Context, limit int) ([]DueWebhook, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT d.id, d.webhook_id, d.ticket_id, d.event, d.event_id, d.payload, d.attempts, w.url, w.secret
		FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
		WHERE d.status = 'pending' AND d.next_at <= ? AND w.active = 1
			AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
				WHERE e.webhook_id = d.webhook_id AND e.ticket_id = d.ticket_id AND e.status = 'pending' AND e.id < d.id)
		ORDER BY d.id LIMIT ?`, s.nowMs(), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due webhook deliveries: %w", err)
	}
	var out []DueWebhook
	var sealed [][]byte
	for rows.Next() {
		var d DueWebhook
		var sec []byte
		if err := rows.Scan(&d.ID, &d.WebhookID, &d.TicketID, &d.Event, &d.EventID, &d.Payload, &d.Attempts, &d.URL, &sec); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: due webhook deliveries: %w", err)
		}
		out = append(out, d)
		sealed = append(sealed, sec)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: due webhook deliveries: %w", err)
	}
	for i := range out {
		if out[i].Secret, err = s.openSecret(ctx, sealed[i]); err != nil {
			return nil, fmt.Errorf("store: due webhook deliveries: %w", err)
		}
	}
	return out, nil
}

// excerpt keeps the start of a receiver's answer, cut on a character.
func excerpt(s string) string {
	if len(s) <= WebhookResponseLimit {
		return s
	}
	s = s[:WebhookResponseLimit]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}

// WebhookDelivered records that the receiver took the delivery (a 2xx).
func (s *Store) WebhookDelivered(ctx context.Context, id int64, code int, response string) error {
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET status = 'sent', attempts = attempts + 1, status_code = ?,
			response = ?, last_error = '', attempted_at = ? WHERE id = ?`, code, excerpt(response), s.nowMs(), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: webhook delivery %d sent: %w", id, err)
	}
	return nil
}

// WebhookFailed records a failed try: an answer other than 2xx (code and
// response) or none (code 0, reason). It is tried again after a pause, or
// is Not delivered after the last try.
func (s *Store) WebhookFailed(ctx context.Context, id int64, code int, response, reason string) error {
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		var attempts int
		err := tx.QueryRowContext(ctx, `SELECT attempts FROM webhook_deliveries WHERE id = ?`, id).Scan(&attempts)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // its webhook was removed meanwhile
		}
		if err != nil {
			return err
		}
		attempts++
		now := s.nowMs()
		status, next := DeliveryPending, now+webhookRetryAfter(attempts).Milliseconds()
		if attempts >= MaxWebhookAttempts {
			status, next = DeliveryFailed, now
		}
		_, err = tx.ExecContext(ctx, `UPDATE webhook_deliveries SET status = ?, attempts = ?, next_at = ?, status_code = ?, response = ?,
			last_error = ?, attempted_at = ? WHERE id = ?`, status, attempts, next, code, excerpt(response), truncate(reason, 500), now, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: webhook delivery %d failed: %w", id, err)
	}
	return nil
}

// WebhookDeliveries lists a webhook's latest deliveries, newest first.
func (s *Store) WebhookDeliveries(ctx context.Context, webhookID int64) ([]WebhookDelivery, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT d.id, d.webhook_id, d.ticket_id, coalesce(t.code, ''), d.event, d.event_id, d.payload, d.status,
			d.attempts, d.status_code, d.response, d.last_error, d.created_at, d.attempted_at
		FROM webhook_deliveries d LEFT JOIN tickets t ON t.id = d.ticket_id
		WHERE d.webhook_id = ? ORDER BY d.id DESC LIMIT ?`, webhookID, webhookListLimit)
	if err != nil {
		return nil, fmt.Errorf("store: deliveries of webhook %d: %w", webhookID, err)
	}
	defer rows.Close()
	var out []WebhookDelivery
	for rows.Next() {
		var d WebhookDelivery
		var created int64
		var attempted sql.NullInt64
		if err := rows.Scan(&d.ID, &d.WebhookID, &d.TicketID, &d.TicketCode, &d.Event, &d.EventID, &d.Payload, &d.Status, &d.Attempts, &d.StatusCode,
			&d.Response, &d.Error, &created, &attempted); err != nil {
			return nil, fmt.Errorf("store: deliveries of webhook %d: %w", webhookID, err)
		}
		d.CreatedAt, d.AttemptedAt = msToTime(created), nullMsToTime(attempted)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Redeliver sends a delivery of the webhook again: a new delivery with the
// same body and event id, after the ticket's others still waiting.
func (s *Store) Redeliver(ctx context.Context, actorID, webhookID, deliveryID int64, ip string) error {
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.SettingsManage); err != nil {
			return err
		}
		now := s.nowMs()
		var ev string
		err := tx.QueryRowContext(ctx, `INSERT INTO webhook_deliveries (webhook_id, ticket_id, event, event_id, payload, status, next_at, created_at)
			SELECT webhook_id, ticket_id, event, event_id, payload, 'pending', ?, ? FROM webhook_deliveries
			WHERE id = ? AND webhook_id = ? RETURNING event`, now, now, deliveryID, webhookID).Scan(&ev)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionWebhookRedeliver, TargetType: "webhook", TargetID: webhookID,
			Details: fmt.Sprintf("%s (delivery %d)", ev, deliveryID), IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: redeliver %d of webhook %d: %w", deliveryID, webhookID, err)
	}
	return nil
}

// WebhookKeep is how long a delivery stays listed once it was sent or
// given up; PurgeWebhookDeliveries deletes it after that.
const WebhookKeep = 30 * 24 * time.Hour

// webhookPurgeBatch bounds the rows one purge deletes, so it holds the
// writer only briefly; the next run takes the rest.
const webhookPurgeBatch = 1000

// PurgeWebhookDeliveries deletes deliveries sent or given up more than
// WebhookKeep ago and returns how many. It asks the reader first, so an
// idle desk writes nothing.
func (s *Store) PurgeWebhookDeliveries(ctx context.Context) (int, error) {
	before := s.nowMs() - WebhookKeep.Milliseconds()
	var old bool
	if err := s.rd.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM webhook_deliveries WHERE status <> 'pending' AND attempted_at < ?)`, before).Scan(&old); err != nil {
		return 0, fmt.Errorf("store: old webhook deliveries: %w", err)
	}
	if !old {
		return 0, nil
	}
	var n int64
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries
			WHERE status <> 'pending' AND attempted_at < ? LIMIT ?)`, before, webhookPurgeBatch)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge webhook deliveries: %w", err)
	}
	return int(n), nil
}
