package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"helpline/authz"
)

// Contacts (the Contacts page): an agent sees the contacts of tickets they
// may see, those who see every department see all. Scope lives in the
// query as for tickets: a contact outside it is ErrNotFound.

// ContactCard is a contact as its page shows it.
type ContactCard struct {
	ID        int64
	Name      string
	Email     string
	Phone     string
	Company   string
	Notes     string
	CreatedAt time.Time
	// OtherEmails are the addresses besides Email that find the contact.
	OtherEmails []string
}

// ContactInput is what Edit contact changes.
type ContactInput struct {
	Name    string
	Phone   string
	Company string
	Notes   string
	// OtherEmails replace the contact's other addresses.
	OtherEmails []string
}

// ContactTicket is one ticket in a contact's list.
type ContactTicket struct {
	Code      string
	Subject   string
	Status    TicketStatus
	CreatedAt time.Time
}

// contactScope is the viewer's scope on contacts aliased c.
func contactScope(v authz.Viewer) (string, []any) {
	if v.Can(authz.TicketsReadAll) {
		return "TRUE", nil
	}
	scope, args := scopeSQL(v)
	return "EXISTS (SELECT 1 FROM tickets t WHERE t.contact_id = c.id AND " + scope + ")", args
}

const contactCardColumns = `c.id, c.name, c.email, c.phone, c.company, c.notes, c.created_at`

func scanContactCard(row interface{ Scan(...any) error }) (ContactCard, error) {
	var c ContactCard
	var created int64
	err := row.Scan(&c.ID, &c.Name, &c.Email, &c.Phone, &c.Company, &c.Notes, &created)
	c.CreatedAt = msToTime(created)
	return c, err
}

// searchContacts: a name or an email, first or other.
const searchContacts = ` AND (lower(c.name) LIKE ? ESCAPE '\' OR c.email LIKE ? ESCAPE '\'
	OR EXISTS (SELECT 1 FROM contact_emails e WHERE e.contact_id = c.id AND e.email LIKE ? ESCAPE '\'))`

// ContactsPage is a page of the Contacts list, newest first.
type ContactsPage struct {
	Contacts []ContactCard
	// Next is the id to continue after; 0 when this is the last page.
	Next int64
}

// Contacts lists the contacts the viewer may see, newest first, limit at
// a time after the id after (0: from the start); search narrows to names
// and emails containing it.
func (s *Store) Contacts(ctx context.Context, v authz.Viewer, search string, after int64, limit int) (ContactsPage, error) {
	scope, args := contactScope(v)
	where := scope
	if after > 0 {
		where += " AND c.id < ?"
		args = append(args, after)
	}
	if search != "" {
		where += searchContacts
		like := "%" + escapeLike(NormalizeEmail(search)) + "%"
		args = append(args, like, like, like)
	}
	rows, err := s.rd.QueryContext(ctx, `SELECT `+contactCardColumns+` FROM contacts c WHERE `+where+` ORDER BY c.id DESC LIMIT ?`,
		append(args, limit+1)...)
	if err != nil {
		return ContactsPage{}, fmt.Errorf("store: contacts: %w", err)
	}
	defer rows.Close()
	var p ContactsPage
	for rows.Next() {
		c, err := scanContactCard(rows)
		if err != nil {
			return ContactsPage{}, fmt.Errorf("store: contacts: %w", err)
		}
		p.Contacts = append(p.Contacts, c)
	}
	if len(p.Contacts) > limit {
		p.Contacts = p.Contacts[:limit]
		p.Next = p.Contacts[limit-1].ID
	}
	return p, rows.Err()
}

// ContactByID returns a contact the viewer may see.
func (s *Store) ContactByID(ctx context.Context, v authz.Viewer, id int64) (ContactCard, error) {
	scope, args := contactScope(v)
	c, err := scanContactCard(s.rd.QueryRowContext(ctx, `SELECT `+contactCardColumns+` FROM contacts c WHERE c.id = ? AND `+scope,
		append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return ContactCard{}, ErrNotFound
	}
	if err != nil {
		return ContactCard{}, fmt.Errorf("store: contact %d: %w", id, err)
	}
	if c.OtherEmails, err = otherEmails(ctx, s.rd, id); err != nil {
		return ContactCard{}, fmt.Errorf("store: emails of contact %d: %w", id, err)
	}
	return c, nil
}

// ContactTickets lists a contact's tickets the viewer may see, newest
// first, leaving out the ticket except (0: none).
func (s *Store) ContactTickets(ctx context.Context, v authz.Viewer, contactID, except int64, limit int) ([]ContactTicket, error) {
	scope, args := scopeSQL(v)
	rows, err := s.rd.QueryContext(ctx, `SELECT t.code, t.subject, t.status, t.created_at FROM tickets t
		WHERE t.contact_id = ? AND t.id <> ? AND t.merged_into IS NULL AND `+scope+` ORDER BY t.id DESC LIMIT ?`,
		append(append([]any{contactID, except}, args...), limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: tickets of contact %d: %w", contactID, err)
	}
	defer rows.Close()
	var out []ContactTicket
	for rows.Next() {
		var t ContactTicket
		var created int64
		if err := rows.Scan(&t.Code, &t.Subject, &t.Status, &created); err != nil {
			return nil, fmt.Errorf("store: tickets of contact %d: %w", contactID, err)
		}
		t.CreatedAt = msToTime(created)
		out = append(out, t)
	}
	return out, rows.Err()
}

// UpdateContact changes a contact the viewer may see. A new name is
// searchable on their tickets at once.
func (s *Store) UpdateContact(ctx context.Context, v authz.Viewer, id int64, in ContactInput) error {
	if _, err := s.ContactByID(ctx, v, id); err != nil {
		return err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var name string
		if err := tx.QueryRowContext(ctx, `SELECT name FROM contacts WHERE id = ?`, id).Scan(&name); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE contacts SET name = ?, phone = ?, company = ?, notes = ? WHERE id = ?`,
			in.Name, in.Phone, in.Company, in.Notes, id); err != nil {
			return err
		}
		if err := setOtherEmails(ctx, tx, id, in.OtherEmails, s.nowMs()); err != nil {
			return err
		}
		if name == in.Name {
			return nil
		}
		return s.reindexContactRefs(ctx, tx, id)
	})
	if err != nil {
		return fmt.Errorf("store: update contact %d: %w", id, err)
	}
	return nil
}

// reindexContactRefs writes the code-and-requester documents of every
// ticket of a contact again.
func (s *Store) reindexContactRefs(ctx context.Context, tx *sql.Tx, contactID int64) error {
	q := `INSERT OR REPLACE INTO ticket_refs (rowid, code, requester)
		SELECT t.id, t.code, c.name || ' ' || c.email FROM tickets t JOIN contacts c ON c.id = t.contact_id WHERE t.contact_id = ?`
	if s.pg {
		q = `INSERT INTO ticket_refs (rowid, doc)
			SELECT t.id, to_tsvector('helpline', search_text(t.code || ' ' || c.name || ' ' || c.email))
			FROM tickets t JOIN contacts c ON c.id = t.contact_id WHERE t.contact_id = ?
			ON CONFLICT (rowid) DO UPDATE SET doc = excluded.doc`
	}
	_, err := tx.ExecContext(ctx, q, contactID)
	return err
}
