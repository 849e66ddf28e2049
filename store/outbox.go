package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"

	"helpline/authz"
)

// The outbox: an agent's reply and the email that carries it to the
// customer are written in one transaction, so a reply is never saved
// without its email or the other way round. A worker (jobs) sends what is
// due and records the outcome; while the mail server is away the email
// waits and is tried again later, each time after a longer pause.

// DeliveryStatus is where an outgoing email stands.
type DeliveryStatus string

const (
	DeliveryPending DeliveryStatus = "pending" // Sending…
	DeliverySent    DeliveryStatus = "sent"
	DeliveryFailed  DeliveryStatus = "failed" // Not delivered, after the last try or a refusal
)

// MaxMailAttempts is how many times an email is tried before it is Not
// delivered; mailRetryBase is the first pause, doubled after each try:
// 30 s, 1, 2, 4, 8 minutes, about a quarter of an hour in all.
const (
	MaxMailAttempts = 6
	mailRetryBase   = 30 * time.Second
)

// mailRetryAfter is the pause after the n-th failed try (n from 1).
func mailRetryAfter(n int) time.Duration { return mailRetryBase << (n - 1) }

// newHeaderID makes an email's Message-ID (without the angle brackets) in
// the domain of the desk's From address.
func newHeaderID(from string) string {
	b := make([]byte, 15)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	domain := "helpline.invalid"
	if _, d, ok := strings.Cut(from, "@"); ok && d != "" {
		domain = d
	}
	return strings.ToLower(base32.StdEncoding.EncodeToString(b)) + "@" + domain
}

// queueReplyMail puts the reply just added to a ticket in the outbox, when
// outgoing mail is configured. It runs in the reply's transaction.
func queueReplyMail(ctx context.Context, tx *sql.Tx, ticketID, now int64) error {
	var from string
	err := tx.QueryRowContext(ctx, `SELECT from_address FROM mail_settings WHERE id = 1`).Scan(&from)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // no mail: the customer reads the reply on their page
	}
	if err != nil {
		return err
	}
	if _, err := customerLinkTx(ctx, tx, ticketID, "", now); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO outbox (ticket_id, message_id, status, attempts, next_at, header_id, created_at)
		VALUES (?, (SELECT max(id) FROM messages WHERE ticket_id = ? AND kind = 'reply'), 'pending', 0, ?, ?, ?)`,
		ticketID, ticketID, now, newHeaderID(from), now)
	if err != nil {
		return fmt.Errorf("queue email of ticket %d: %w", ticketID, err)
	}
	return nil
}

// OutgoingMail is an email due to go out: an agent's reply to the
// requester, with what threads it and the customer's link.
type OutgoingMail struct {
	ID        int64
	Code      string
	Subject   string
	ToName    string
	ToEmail   string
	Body      string
	AgentName string // the alias when the agent has one
	Token     string // the customer's link
	Lang      string // the customer's language while offered, else the desk's default
	// FromAddress is the address of the mailbox of the ticket's department,
	// when it has one (SPEC §6.2), so the customer's answer comes back to
	// the mailbox that files it there; "" for the desk's From address.
	FromAddress string
	HeaderID    string
	// References are the Message-IDs of the ticket's earlier emails, oldest
	// first; the last is the one this answers (In-Reply-To).
	References []string
	Attempts   int
}

// DueMail returns up to limit emails to requesters whose time to be tried
// has come, oldest first (agents' notifications: DueNoticeMail).
func (s *Store) DueMail(ctx context.Context, limit int) ([]OutgoingMail, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT o.id, t.id, t.code, t.subject, c.name, c.email, m.body,
			coalesce(nullif(a.alias, ''), a.name, ''), coalesce(l.token, ''), coalesce(l.lang, ''),
			coalesce((SELECT mb.username FROM mailboxes mb WHERE mb.department_id = t.department_id AND mb.username LIKE '%@%'
				ORDER BY mb.id LIMIT 1), ''), o.header_id, o.attempts
		FROM outbox o
		JOIN tickets t ON t.id = o.ticket_id
		JOIN contacts c ON c.id = t.contact_id
		JOIN messages m ON m.id = o.message_id
		LEFT JOIN agents a ON a.id = m.agent_id
		LEFT JOIN customer_links l ON l.ticket_id = t.id
		WHERE o.status = 'pending' AND o.agent_id IS NULL AND o.next_at <= ? ORDER BY o.next_at, o.id LIMIT ?`, s.nowMs(), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due mail: %w", err)
	}
	var out []OutgoingMail
	var tickets []int64
	for rows.Next() {
		var m OutgoingMail
		var ticketID int64
		if err := rows.Scan(&m.ID, &ticketID, &m.Code, &m.Subject, &m.ToName, &m.ToEmail, &m.Body, &m.AgentName, &m.Token, &m.Lang, &m.FromAddress, &m.HeaderID, &m.Attempts); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: due mail: %w", err)
		}
		out = append(out, m)
		tickets = append(tickets, ticketID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: due mail: %w", err)
	}
	langs, err := s.Languages(ctx)
	if err != nil {
		return nil, err
	}
	for i := range out {
		// The customer's language while the desk offers it, else the
		// desk's default (also when the customer's language is unknown).
		out[i].Lang = langs.For(out[i].Lang)
		if out[i].References, err = s.earlierHeaderIDs(ctx, tickets[i], out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// earlierHeaderIDs are the Message-IDs of a ticket's emails, in and out,
// before the outbox entry before, oldest first.
func (s *Store) earlierHeaderIDs(ctx context.Context, ticketID, before int64) ([]string, error) {
	// The customer's emails (mail_refs) and the desk's (outbox), in the
	// order they were written.
	rows, err := s.rd.QueryContext(ctx, `SELECT header_id FROM (
			SELECT header_id, created_at AS at, 0 AS k FROM mail_refs
			WHERE ticket_id = ? AND created_at <= (SELECT created_at FROM outbox WHERE id = ?)
			UNION ALL
			SELECT header_id, created_at, id FROM outbox WHERE ticket_id = ? AND id < ? AND agent_id IS NULL) r
		ORDER BY at, k`, ticketID, before, ticketID, before)
	if err != nil {
		return nil, fmt.Errorf("store: earlier emails of ticket %d: %w", ticketID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// MailSent records that the server took the email.
func (s *Store) MailSent(ctx context.Context, id int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.nowMs()
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'sent', attempts = attempts + 1, last_error = '', sent_at = ? WHERE id = ?`, now, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: email %d sent: %w", id, err)
	}
	return nil
}

// MailFailed records a failed try: the email is tried again later, or is
// Not delivered after the last try or when the server refused it for good.
// reason says why, in the words the ticket page shows.
func (s *Store) MailFailed(ctx context.Context, id int64, reason string, permanent bool) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var attempts int
		if err := tx.QueryRowContext(ctx, `SELECT attempts FROM outbox WHERE id = ?`, id).Scan(&attempts); err != nil {
			return err
		}
		attempts++
		status, next := DeliveryPending, s.nowMs()
		if permanent || attempts >= MaxMailAttempts {
			status = DeliveryFailed
		} else {
			next += mailRetryAfter(attempts).Milliseconds()
		}
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET status = ?, attempts = ?, next_at = ?, last_error = ? WHERE id = ?`,
			status, attempts, next, truncate(reason, 500), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: email %d failed: %w", id, err)
	}
	return nil
}

// Delivery is how the email of one reply stands, for the ticket page.
type Delivery struct {
	ID        int64
	MessageID int64
	Status    DeliveryStatus
	Attempts  int
	Reason    string
}

// Deliveries returns the emails of a ticket's replies that are not yet
// sent or were not delivered, keyed by the reply's message id. The caller
// found the ticket through TicketByCode, which applies the scope.
func (s *Store) Deliveries(ctx context.Context, ticketID int64) (map[int64]Delivery, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT id, message_id, status, attempts, last_error FROM outbox
		WHERE (ticket_id = `+intArg+` OR ticket_id IN (SELECT id FROM tickets WHERE merged_into = `+intArg+`))
		AND status <> 'sent' AND agent_id IS NULL ORDER BY id`, ticketID, ticketID)
	if err != nil {
		return nil, fmt.Errorf("store: deliveries of ticket %d: %w", ticketID, err)
	}
	defer rows.Close()
	out := map[int64]Delivery{}
	for rows.Next() {
		var d Delivery
		if err := rows.Scan(&d.ID, &d.MessageID, &d.Status, &d.Attempts, &d.Reason); err != nil {
			return nil, fmt.Errorf("store: deliveries of ticket %d: %w", ticketID, err)
		}
		out[d.MessageID] = d
	}
	return out, rows.Err()
}

// RetryMail sends a Not delivered email of a ticket the viewer may act on
// again, from the first try.
func (s *Store) RetryMail(ctx context.Context, v authz.Viewer, code string, id int64) error {
	return s.act(ctx, v, code, "retry email of", func(tx *sql.Tx, t *ticketState, now int64) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'pending', attempts = 0, next_at = ?, last_error = ''
			WHERE id = ? AND (ticket_id = ? OR ticket_id IN (SELECT id FROM tickets WHERE merged_into = ?)) AND status = 'failed' AND agent_id IS NULL`, now, id, t.id, t.id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}
