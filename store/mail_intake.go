package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"helpline/desk"
)

// Email in: a message from a mailbox starts a ticket in the mailbox's
// department, or is added to the ticket it answers. Each message is taken
// once, by its Message-ID, in the same transaction as its ticket, so a poll
// cut short takes nothing twice.

// IncomingEmail is a message read from a mailbox, already made plain text.
type IncomingEmail struct {
	MessageID    string   // without angle brackets
	InReplyTo    []string // without angle brackets
	References   []string
	FromName     string
	FromEmail    string
	Subject      string
	Body         string
	DepartmentID int64
	Attachments  []NewAttachment
	// Lang is the language the customer wrote in, when the email says
	// (Content-Language): their emails are written in it.
	Lang string
}

// IntakeResult says what became of an email.
type IntakeResult struct {
	Code      string // the ticket it started or joined ("" when ignored)
	New       bool   // it started the ticket
	Duplicate bool   // it was taken before
}

// codeInSubject finds a ticket code in brackets: "Re: Parcel lost [XKB-4F2QD-9TR]".
var codeInSubject = regexp.MustCompile(`\[([A-Za-z0-9]{3}-[A-Za-z0-9]{5}-[A-Za-z0-9]{3})\]`)

// IntakeEmail files an email. An answer joins its ticket when it refers to
// one of the ticket's emails (In-Reply-To, References) or names its code in
// the subject, and comes from the ticket's requester; the ticket then opens
// again (SPEC §4). Anything else starts a New ticket (channel Email).
func (s *Store) IntakeEmail(ctx context.Context, in IncomingEmail) (IntakeResult, error) {
	if in.MessageID == "" {
		return IntakeResult{}, errors.New("store: take email: no Message-ID")
	}
	var res IntakeResult
	err := s.write(ctx, func(tx *sql.Tx) error {
		res = IntakeResult{}
		in := in // masked afresh if the write runs again
		if err := s.maskText(ctx, tx, &in.Subject, &in.Body); err != nil {
			return err
		}
		now := s.nowMs()
		var ticketID sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT ticket_id FROM mail_refs WHERE header_id = ?`, in.MessageID).Scan(&ticketID)
		if err == nil {
			res.Duplicate = true
			if ticketID.Valid {
				return tx.QueryRowContext(ctx, `SELECT code FROM tickets WHERE id = ?`, ticketID.Int64).Scan(&res.Code)
			}
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		t, found, err := s.answeredTicket(ctx, tx, in)
		if err != nil {
			return err
		}
		var id int64
		if found {
			id = t.id
			if err := customerMessageTx(ctx, tx, &t, in.Body, now); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, `SELECT code FROM tickets WHERE id = ?`, t.id).Scan(&res.Code); err != nil {
				return err
			}
		} else {
			ticket, problems := desk.ValidateTicket(desk.TicketInput{Channel: desk.ChannelEmail, Priority: desk.PriorityNormal,
				DepartmentID: in.DepartmentID, ContactName: in.FromName, ContactEmail: in.FromEmail, Subject: in.Subject, Body: in.Body},
				desk.Intake{Departments: []int64{in.DepartmentID}})
			if problems != nil {
				return fmt.Errorf("%w: %w", ErrEmailRefused, problems)
			}
			if id, res.Code, err = newEmailTicket(ctx, tx, ticket, now); err != nil {
				return err
			}
			if !s.pg {
				if err := insertTicketRefs(ctx, tx, []int64{id}); err != nil {
					return err
				}
			}
			if _, err := customerLinkTx(ctx, tx, id, in.Lang, now); err != nil {
				return err
			}
			res.New = true
		}
		if err := addAttachments(ctx, tx, id, KindCustomer, in.Attachments, now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO mail_refs (header_id, ticket_id, created_at) VALUES (?, ?, ?)`, in.MessageID, id, now)
		return err
	})
	if err != nil {
		return IntakeResult{}, fmt.Errorf("store: take email %s: %w", in.MessageID, err)
	}
	return res, nil
}

// ErrEmailRefused: the email cannot make a ticket (no usable sender, say).
var ErrEmailRefused = errors.New("email cannot make a ticket")

// IgnoreEmail records an email the desk does not take (an auto-reply, a
// bounce, its own mail), so it is never looked at again.
func (s *Store) IgnoreEmail(ctx context.Context, messageID string) error {
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO mail_refs (header_id, ticket_id, created_at) VALUES (?, NULL, ?)
			ON CONFLICT (header_id) DO NOTHING`, messageID, s.nowMs())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: ignore email %s: %w", messageID, err)
	}
	return nil
}

// answeredTicket finds the ticket an email answers, from its requester.
func (s *Store) answeredTicket(ctx context.Context, tx *sql.Tx, in IncomingEmail) (ticketState, bool, error) {
	from := NormalizeEmail(in.FromEmail)
	refs := append(append([]string{}, in.InReplyTo...), in.References...)
	for _, ref := range refs {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT ticket_id FROM outbox WHERE header_id = ? AND agent_id IS NULL
			UNION SELECT ticket_id FROM mail_refs WHERE header_id = ? AND ticket_id IS NOT NULL`, ref, ref).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return ticketState{}, false, err
		}
		return s.requestersTicket(ctx, tx, `t.id = ?`, id, from)
	}
	if m := codeInSubject.FindStringSubmatch(in.Subject); m != nil {
		if code, ok := NormalizeCode(m[1]); ok {
			return s.requestersTicket(ctx, tx, `t.code = ?`, code, from)
		}
	}
	return ticketState{}, false, nil
}

// requestersTicket locks the ticket where says, if the email's sender is
// its requester and it is not deleted.
func (s *Store) requestersTicket(ctx context.Context, tx *sql.Tx, where string, arg any, from string) (ticketState, bool, error) {
	// The requester is checked on the ticket the email answers; a merged
	// one hands the message on to the ticket it was merged into.
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT coalesce(t.merged_into, t.id) FROM tickets t JOIN contacts c ON c.id = t.contact_id
		WHERE `+where+` AND (c.email = ? OR EXISTS (SELECT 1 FROM contact_emails e WHERE e.contact_id = c.id AND e.email = ?))`, arg, from, from).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return ticketState{}, false, nil
	}
	if err != nil {
		return ticketState{}, false, err
	}
	t, err := scanState(tx.QueryRowContext(ctx, `SELECT `+stateColumns+` FROM tickets t
		WHERE t.id = ? AND t.status <> 'deleted'`+s.forUpdate(false), id))
	if errors.Is(err, ErrNotFound) {
		return ticketState{}, false, nil
	}
	return t, err == nil, err
}

// customerMessageTx adds the customer's message to a ticket: Answered,
// Postponed and Resolved open again.
func customerMessageTx(ctx context.Context, tx *sql.Tx, t *ticketState, body string, now int64) error {
	by := author{contactID: t.contactID}
	if err := addMessage(ctx, tx, t.id, message{kind: KindCustomer, contactID: t.contactID, body: body}, now); err != nil {
		return err
	}
	switch t.status {
	case TicketAnswered, TicketPostponed, TicketResolved:
		if err := setStatus(ctx, tx, t, TicketOpen, 0, by, now); err != nil {
			return err
		}
	}
	return touch(ctx, tx, t.id, 0, now)
}

// newEmailTicket writes a New ticket with its first message and creation
// event, and its contact when new: what the batched intake does, inside
// this transaction (the email's record must commit with it).
func newEmailTicket(ctx context.Context, tx *sql.Tx, in desk.TicketInput, now int64) (int64, string, error) {
	email := NormalizeEmail(in.ContactEmail)
	contactID, err := contactIDByEmail(ctx, tx, email)
	if err == nil && contactID == 0 {
		err = tx.QueryRowContext(ctx, `INSERT INTO contacts (name, email, created_at) VALUES (?, ?, ?) RETURNING id`, in.ContactName, email, now).Scan(&contactID)
	}
	if err != nil {
		return 0, "", fmt.Errorf("contact %s: %w", email, err)
	}
	var id int64
	var code string
	for range 5 {
		code = NewTicketCode()
		err = tx.QueryRowContext(ctx, `INSERT INTO tickets (code, subject, status, priority, channel, department_id, contact_id,
				sort_key, preview, message_count, created_at, updated_at, updated_by)
			VALUES (?, ?, 'new', ?, ?, ?, ?, ?, ?, 0, ?, ?, NULL) RETURNING id`,
			code, in.Subject, in.Priority, in.Channel, in.DepartmentID, contactID, sortKey(TicketNew, in.Priority, now), "", now, now).Scan(&id)
		if err = uniqueViolation(err, "code"); !errors.As(err, new(ErrConflict)) {
			break
		}
	}
	if err != nil {
		return 0, "", err
	}
	if err := addMessage(ctx, tx, id, message{kind: KindCustomer, contactID: contactID, body: in.Body, first: true}, now); err != nil {
		return 0, "", err
	}
	details, err := json.Marshal(EventDetails{To: string(in.Channel)})
	if err != nil {
		return 0, "", err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO messages (ticket_id, kind, agent_id, contact_id, body, event, details, created_at)
		VALUES (?, 'event', NULL, ?, '', ?, ?, ?)`, id, contactID, EventCreated, string(details), now); err != nil {
		return 0, "", err
	}
	if err := queueHookCreated(ctx, tx, id, now); err != nil {
		return 0, "", err
	}
	return id, code, nil
}
