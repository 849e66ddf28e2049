package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"helpline/authz"
)

// Attachments live in the database (migrations/sqlite/0012_email.sql says
// why), written in the transaction of the message they belong to.

// DefaultAttachmentLimit is the largest file taken when none is configured.
const DefaultAttachmentLimit = 10 << 20

// MaxAttachments is how many files one message may carry.
const MaxAttachments = 10

// NewAttachment is a file to store with a message.
type NewAttachment struct {
	Filename string
	Data     []byte
}

// Attachment is a stored file, without its bytes.
type Attachment struct {
	ID          int64
	TicketCode  string
	MessageID   int64
	Filename    string
	ContentType string
	Size        int64
	CreatedAt   time.Time
}

// AttachmentFile is a stored file with its bytes, for download.
type AttachmentFile struct {
	Attachment
	Data []byte
}

// safeTypes are the content types a download may keep; anything else goes
// out as application/octet-stream.
var safeTypes = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true,
	"application/pdf": true, "text/plain": true, "text/csv": true, "application/zip": true,
}

// contentTypeOf is the type stored for a file: sniffed from its bytes (not
// from what the sender claimed), kept only when it is on the safe list.
func contentTypeOf(data []byte) string {
	t, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	if safeTypes[t] {
		return t
	}
	return "application/octet-stream"
}

// cleanFilename keeps the last element of a name a browser or mail client
// sent, without control characters; an empty one becomes "attachment".
func cleanFilename(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == "/" {
		return "attachment"
	}
	if r := []rune(name); len(r) > 200 {
		name = string(r[len(r)-200:])
	}
	return name
}

// addAttachments stores files with the newest message of kind in a ticket,
// inside the transaction that wrote it.
func addAttachments(ctx context.Context, tx *sql.Tx, ticketID int64, kind MessageKind, files []NewAttachment, now int64) error {
	if len(files) == 0 {
		return nil
	}
	var messageID int64
	if err := tx.QueryRowContext(ctx, `SELECT max(id) FROM messages WHERE ticket_id = ? AND kind = ?`, ticketID, kind).Scan(&messageID); err != nil {
		return fmt.Errorf("message of attachments: %w", err)
	}
	for _, f := range files {
		if _, err := tx.ExecContext(ctx, `INSERT INTO attachments (ticket_id, message_id, filename, content_type, size, data, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, ticketID, messageID, cleanFilename(f.Filename), contentTypeOf(f.Data), len(f.Data), f.Data, now); err != nil {
			return fmt.Errorf("attach %s: %w", f.Filename, err)
		}
	}
	return nil
}

// ReplyWith adds an agent's answer with files; the ticket becomes Answered
// and, when mail is on, the email that carries it waits in the outbox, all
// in one transaction.
func (s *Store) ReplyWith(ctx context.Context, v authz.Viewer, code, body string, files []NewAttachment) error {
	return s.act(ctx, v, code, "reply to", func(tx *sql.Tx, t *ticketState, now int64) error {
		if t.status == TicketDeleted {
			return RuleError{RuleTicketDeleted}
		}
		body := body // masked afresh if the write runs again
		if err := s.maskText(ctx, tx, &body); err != nil {
			return err
		}
		if err := addMessage(ctx, tx, t.id, message{kind: KindReply, agentID: v.ID, body: body}, now); err != nil {
			return err
		}
		if err := addAttachments(ctx, tx, t.id, KindReply, files, now); err != nil {
			return err
		}
		if err := queueReplyMail(ctx, tx, t.id, now); err != nil {
			return err
		}
		return setStatus(ctx, tx, t, TicketAnswered, 0, author{agentID: v.ID}, now)
	})
}

// CustomerReplyWith adds the customer's message with files (the ticket
// opens again, SPEC §4). It is not scoped: it arrives from outside.
func (s *Store) CustomerReplyWith(ctx context.Context, code, body string, files []NewAttachment) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		t, err := s.lockTicket(ctx, tx, unscoped, code)
		if err != nil {
			return err
		}
		now := s.nowMs()
		body := body // masked afresh if the write runs again
		if err := s.maskText(ctx, tx, &body); err != nil {
			return err
		}
		if err := customerMessageTx(ctx, tx, &t, body, now); err != nil {
			return err
		}
		return addAttachments(ctx, tx, t.id, KindCustomer, files, now)
	})
	if err != nil {
		return fmt.Errorf("store: customer reply to ticket %s: %w", code, err)
	}
	return nil
}

// AttachToFirstMessage stores files with a ticket's first customer
// message (the contact form's, written by the batched intake).
func (s *Store) AttachToFirstMessage(ctx context.Context, code string, files []NewAttachment) error {
	if len(files) == 0 {
		return nil
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var ticketID, messageID int64
		err := tx.QueryRowContext(ctx, `SELECT t.id, min(m.id) FROM tickets t JOIN messages m ON m.ticket_id = t.id AND m.kind = 'customer'
			WHERE t.code = ? GROUP BY t.id`, code).Scan(&ticketID, &messageID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		now := s.nowMs()
		for _, f := range files {
			if _, err := tx.ExecContext(ctx, `INSERT INTO attachments (ticket_id, message_id, filename, content_type, size, data, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, ticketID, messageID, cleanFilename(f.Filename), contentTypeOf(f.Data), len(f.Data), f.Data, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: attach to ticket %s: %w", code, err)
	}
	return nil
}

// Attachments lists a ticket's files by message id. The caller found the
// ticket through TicketByCode or a customer link.
func (s *Store) Attachments(ctx context.Context, ticketID int64) (map[int64][]Attachment, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT a.id, t.code, a.message_id, a.filename, a.content_type, a.size, a.created_at
		FROM attachments a JOIN tickets t ON t.id = a.ticket_id
		WHERE a.ticket_id = `+intArg+` ORDER BY a.id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("store: attachments of ticket %d: %w", ticketID, err)
	}
	defer rows.Close()
	out := map[int64][]Attachment{}
	for rows.Next() {
		var a Attachment
		var created int64
		if err := rows.Scan(&a.ID, &a.TicketCode, &a.MessageID, &a.Filename, &a.ContentType, &a.Size, &created); err != nil {
			return nil, fmt.Errorf("store: attachments of ticket %d: %w", ticketID, err)
		}
		a.CreatedAt = msToTime(created)
		out[a.MessageID] = append(out[a.MessageID], a)
	}
	return out, rows.Err()
}

// WithAttachments fills in the files of a ticket's thread.
func (s *Store) WithAttachments(ctx context.Context, ticketID int64, thread []Message) error {
	files, err := s.Attachments(ctx, ticketID)
	if err != nil {
		return err
	}
	for i := range thread {
		thread[i].Attachments = files[thread[i].ID]
	}
	return nil
}

// attachmentFile reads one file of a ticket; public says it must belong to
// a message the customer sees (theirs or a reply, never a note).
func (s *Store) attachmentFile(ctx context.Context, ticketID, id int64, public bool) (AttachmentFile, error) {
	var f AttachmentFile
	var created int64
	kinds := `'customer', 'reply', 'note'`
	if public {
		kinds = `'customer', 'reply'`
	}
	err := s.rd.QueryRowContext(ctx, `SELECT a.id, a.message_id, a.filename, a.content_type, a.size, a.created_at, a.data
		FROM attachments a JOIN messages m ON m.id = a.message_id
		WHERE a.id = ? AND a.ticket_id = ? AND m.kind IN (`+kinds+`)`, id, ticketID).Scan(
		&f.ID, &f.MessageID, &f.Filename, &f.ContentType, &f.Size, &created, &f.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return AttachmentFile{}, ErrNotFound
	}
	if err != nil {
		return AttachmentFile{}, fmt.Errorf("store: attachment %d: %w", id, err)
	}
	f.CreatedAt = msToTime(created)
	return f, nil
}

// TicketAttachment is a file of a ticket the viewer may see (404 for any
// other).
func (s *Store) TicketAttachment(ctx context.Context, v authz.Viewer, code string, id int64) (AttachmentFile, error) {
	tk, err := s.TicketByCode(ctx, v, code)
	if err != nil {
		return AttachmentFile{}, err
	}
	return s.attachmentFile(ctx, tk.ID, id, false)
}

// CustomerAttachment is a file of the public thread a customer link opens.
func (s *Store) CustomerAttachment(ctx context.Context, token string, id int64) (AttachmentFile, error) {
	var ticketID int64
	err := s.rd.QueryRowContext(ctx, `SELECT t.id FROM customer_links l JOIN tickets t ON t.id = l.ticket_id
		WHERE l.token = ? AND t.status NOT IN ('deleted', 'spam')`, token).Scan(&ticketID)
	if errors.Is(err, sql.ErrNoRows) {
		return AttachmentFile{}, ErrNotFound
	}
	if err != nil {
		return AttachmentFile{}, fmt.Errorf("store: attachment of customer link: %w", err)
	}
	return s.attachmentFile(ctx, ticketID, id, true)
}

// MessageFiles are the files of one message with their bytes: what an
// agent's reply email carries.
func (s *Store) MessageFiles(ctx context.Context, outboxID int64) ([]AttachmentFile, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT a.id, a.filename, a.content_type, a.data FROM attachments a
		JOIN outbox o ON o.message_id = a.message_id WHERE o.id = ? ORDER BY a.id`, outboxID)
	if err != nil {
		return nil, fmt.Errorf("store: files of email %d: %w", outboxID, err)
	}
	defer rows.Close()
	var out []AttachmentFile
	for rows.Next() {
		var f AttachmentFile
		if err := rows.Scan(&f.ID, &f.Filename, &f.ContentType, &f.Data); err != nil {
			return nil, err
		}
		f.Size = int64(len(f.Data))
		out = append(out, f)
	}
	return out, rows.Err()
}
