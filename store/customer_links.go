package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"helpline/authz"
)

// The customer's ticket page opens with a private link: a long random
// token per ticket, no sign-in. The token is kept as it is (see
// migrations/sqlite/0012_email.sql for why not hashed); Reset customer link
// replaces it, and the old link then finds nothing.

// newCustomerToken is 32 random bytes, URL-safe: 43 characters.
func newCustomerToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// customerLinkTx returns the ticket's token, making one the first time.
func customerLinkTx(ctx context.Context, tx *sql.Tx, ticketID int64, lang string, now int64) (string, error) {
	var token string
	err := tx.QueryRowContext(ctx, `SELECT token FROM customer_links WHERE ticket_id = ?`, ticketID).Scan(&token)
	if err == nil {
		return token, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	// An unknown language stays "": the customer's emails then follow the
	// desk's default language at the time they are sent (DueMail).
	token = newCustomerToken()
	if _, err := tx.ExecContext(ctx, `INSERT INTO customer_links (ticket_id, token, lang, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (ticket_id) DO NOTHING`, ticketID, token, lang, now); err != nil {
		return "", err
	}
	err = tx.QueryRowContext(ctx, `SELECT token FROM customer_links WHERE ticket_id = ?`, ticketID).Scan(&token)
	return token, err
}

// insertCustomerLinks gives the contact form's new tickets their private
// links in the batch that writes them, so that the confirmation after the
// form only reads its link.
func insertCustomerLinks(ctx context.Context, tx *sql.Tx, rows []newTicketRow) error {
	var b strings.Builder
	var args []any
	for _, r := range rows {
		if r.channel != ChannelContactForm || r.author != 0 {
			continue
		}
		if len(args) > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?)")
		args = append(args, r.id, newCustomerToken(), r.lang, r.now)
	}
	if len(args) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO customer_links (ticket_id, token, lang, created_at) VALUES `+b.String()+`
		ON CONFLICT (ticket_id) DO NOTHING`, args...)
	if err != nil {
		return fmt.Errorf("customer links of %d tickets: %w", len(args)/4, err)
	}
	return nil
}

// CustomerLink returns the token of the ticket with that code (made on
// first use; lang is the customer's language then). It is not scoped: the
// contact form asks it for the ticket it just made, whose link its batch
// wrote already, so it is read without a write.
func (s *Store) CustomerLink(ctx context.Context, code, lang string) (string, error) {
	var token string
	err := s.rd.QueryRowContext(ctx, `SELECT l.token FROM tickets t JOIN customer_links l ON l.ticket_id = t.id
		WHERE t.code = ?`, code).Scan(&token)
	if err == nil {
		return token, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("store: customer link of ticket %s: %w", code, err)
	}
	err = s.writeUnkept(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM tickets WHERE code = ?`, code).Scan(&id); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		var err error
		token, err = customerLinkTx(ctx, tx, id, lang, s.nowMs())
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store: customer link of ticket %s: %w", code, err)
	}
	return token, nil
}

// ResetCustomerLink gives a ticket the viewer may act on a new token; the
// old link stops working at once.
func (s *Store) ResetCustomerLink(ctx context.Context, v authz.Viewer, code string) error {
	return s.act(ctx, v, code, "reset customer link of", func(tx *sql.Tx, t *ticketState, now int64) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO customer_links (ticket_id, token, lang, created_at) VALUES (?, ?, '', ?)
			ON CONFLICT (ticket_id) DO UPDATE SET token = excluded.token, created_at = excluded.created_at`, t.id, newCustomerToken(), now)
		return err
	})
}

// CustomerTicket is what the customer's page shows: the ticket and its
// public thread.
type CustomerTicket struct {
	Code      string
	Subject   string
	Status    TicketStatus
	CreatedAt time.Time
	Lang      string // the customer's language, "" when not known
	Thread    []PublicMessage
}

// PublicMessage is a customer message or an agent reply, as the customer
// sees it: agents by their alias when they have one.
type PublicMessage struct {
	ID          int64
	FromAgent   bool
	AuthorName  string
	Body        string
	CreatedAt   time.Time
	Attachments []Attachment
}

// CustomerTicketByToken finds the ticket a customer link opens, with only
// its customer messages and replies: notes and events never reach it. A
// wrong or replaced token, or a ticket deleted or marked as spam, is
// ErrNotFound.
func (s *Store) CustomerTicketByToken(ctx context.Context, token string) (CustomerTicket, error) {
	var ct CustomerTicket
	var id, created int64
	// The link of a merged ticket opens the ticket it was merged into, when
	// that is the same customer's: never another requester's conversation.
	err := s.rd.QueryRowContext(ctx, `SELECT t.id, t.code, t.subject, t.status, t.created_at, l.lang
		FROM customer_links l JOIN tickets o ON o.id = l.ticket_id
		JOIN tickets t ON t.id = coalesce(o.merged_into, o.id) AND t.contact_id = o.contact_id
		WHERE l.token = ? AND t.status NOT IN ('deleted', 'spam')`, token).Scan(&id, &ct.Code, &ct.Subject, &ct.Status, &created, &ct.Lang)
	if errors.Is(err, sql.ErrNoRows) || token == "" {
		return CustomerTicket{}, ErrNotFound
	}
	if err != nil {
		return CustomerTicket{}, fmt.Errorf("store: ticket of customer link: %w", err)
	}
	ct.CreatedAt = msToTime(created)
	if ct.Thread, err = s.publicThread(ctx, id); err != nil {
		return CustomerTicket{}, err
	}
	files, err := s.Attachments(ctx, id)
	if err != nil {
		return CustomerTicket{}, err
	}
	for i := range ct.Thread {
		ct.Thread[i].Attachments = files[ct.Thread[i].ID]
	}
	return ct, nil
}

// publicThread is the part of a thread the customer sees, oldest first.
func (s *Store) publicThread(ctx context.Context, ticketID int64) ([]PublicMessage, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT m.id, m.kind = 'reply', coalesce(nullif(a.alias, ''), a.name, c.name, ''), m.body, m.created_at
		FROM messages m
		LEFT JOIN agents a ON a.id = m.agent_id
		LEFT JOIN contacts c ON c.id = m.contact_id
		WHERE m.ticket_id = `+intArg+` AND m.kind IN ('customer', 'reply') ORDER BY m.created_at, m.id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("store: public thread of ticket %d: %w", ticketID, err)
	}
	defer rows.Close()
	var out []PublicMessage
	for rows.Next() {
		var m PublicMessage
		var created int64
		if err := rows.Scan(&m.ID, &m.FromAgent, &m.AuthorName, &m.Body, &created); err != nil {
			return nil, fmt.Errorf("store: public thread of ticket %d: %w", ticketID, err)
		}
		m.CreatedAt = msToTime(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// CustomerReplyByToken adds the customer's message from their page (the
// ticket opens again, SPEC §4) and remembers the language they wrote in.
func (s *Store) CustomerReplyByToken(ctx context.Context, token, body, lang string, files []NewAttachment) (string, error) {
	ct, err := s.CustomerTicketByToken(ctx, token)
	if err != nil {
		return "", err
	}
	if err := s.CustomerReplyWith(ctx, ct.Code, body, files); err != nil {
		return "", err
	}
	if lang != "" {
		if err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE customer_links SET lang = ? WHERE token = ?`, lang, token)
			return err
		}); err != nil {
			return "", fmt.Errorf("store: customer language: %w", err)
		}
	}
	return ct.Code, nil
}
