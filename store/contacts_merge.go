package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"helpline/authz"
)

// A contact's other emails, merging duplicates, and removal by
// anonymising: the tickets stay readable, the person is no longer named.

const (
	ActionContactMerge     AuditAction = "contact.merge"
	ActionContactAnonymise AuditAction = "contact.anonymise"
)

// RuleContactSelf: a contact is not merged into itself.
const RuleContactSelf Rule = "contact_self"

// AnonymisedName is the name an anonymised contact keeps.
const AnonymisedName = "—"

// contactIDByEmail is the contact an address belongs to, first or other
// email; 0 when none.
func contactIDByEmail(ctx context.Context, q querier, email string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT coalesce((SELECT id FROM contacts WHERE email = ?),
		(SELECT contact_id FROM contact_emails WHERE email = ?), 0)`, email, email).Scan(&id)
	return id, err
}

// otherEmails lists a contact's other emails, sorted.
func otherEmails(ctx context.Context, q querier, id int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT email FROM contact_emails WHERE contact_id = ? ORDER BY email`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// setOtherEmails replaces a contact's other emails. An address of another
// contact is ErrConflict{"emails"}: those two are merged instead.
func setOtherEmails(ctx context.Context, tx *sql.Tx, id int64, emails []string, now int64) error {
	var primary string
	if err := tx.QueryRowContext(ctx, `SELECT email FROM contacts WHERE id = ?`, id).Scan(&primary); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM contact_emails WHERE contact_id = ?`, id); err != nil {
		return err
	}
	seen := map[string]bool{primary: true}
	for _, e := range emails {
		e = NormalizeEmail(e)
		if seen[e] {
			continue
		}
		seen[e] = true
		owner, err := contactIDByEmail(ctx, tx, e)
		if err != nil {
			return err
		}
		if owner != 0 {
			return ErrConflict{Field: "emails"}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO contact_emails (email, contact_id, created_at) VALUES (?, ?, ?)`, e, id, now); err != nil {
			return uniqueViolation(err, "emails")
		}
	}
	return nil
}

// MergeContacts merges the contact from into the contact into, both ones
// the viewer may see: every ticket and message of from becomes into's,
// its emails become into's other emails (so its mail finds into), its
// phone and company fill what into lacks and its notes follow into's.
func (s *Store) MergeContacts(ctx context.Context, v authz.Viewer, from, into int64) error {
	if from == into {
		return fmt.Errorf("store: merge contact %d: %w", from, RuleError{RuleContactSelf})
	}
	a, err := s.ContactByID(ctx, v, from)
	if err != nil {
		return err
	}
	b, err := s.ContactByID(ctx, v, into)
	if err != nil {
		return err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		now := s.nowMs()
		notes := b.Notes
		if a.Notes != "" {
			notes = strings.TrimSpace(notes + "\n\n" + a.Notes)
		}
		steps := []struct {
			q    string
			args []any
		}{
			{`UPDATE tickets SET contact_id = ? WHERE contact_id = ?`, []any{into, from}},
			{`UPDATE messages SET contact_id = ? WHERE contact_id = ?`, []any{into, from}},
			{`UPDATE contact_emails SET contact_id = ? WHERE contact_id = ?`, []any{into, from}},
			{`DELETE FROM contacts WHERE id = ?`, []any{from}},
			{`INSERT INTO contact_emails (email, contact_id, created_at) VALUES (?, ?, ?)`, []any{a.Email, into, now}},
			{`UPDATE contacts SET phone = CASE WHEN phone = '' THEN ? ELSE phone END,
				company = CASE WHEN company = '' THEN ? ELSE company END, notes = ? WHERE id = ?`, []any{a.Phone, a.Company, notes, into}},
		}
		for _, st := range steps {
			if _, err := tx.ExecContext(ctx, st.q, st.args...); err != nil {
				return err
			}
		}
		if err := s.reindexContactRefs(ctx, tx, into); err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: v.ID, Action: ActionContactMerge, TargetType: "contact", TargetID: into,
			Details: "merged contact " + strconv.FormatInt(from, 10)})
	})
	if err != nil {
		return fmt.Errorf("store: merge contact %d into %d: %w", from, into, err)
	}
	return nil
}

// AnonymiseContact removes a contact's personal data (name, emails,
// phone, company, notes) and keeps their tickets, which now name nobody.
// Mail from the old addresses no longer finds them.
func (s *Store) AnonymiseContact(ctx context.Context, v authz.Viewer, id int64) error {
	if _, err := s.ContactByID(ctx, v, id); err != nil {
		return err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM contact_emails WHERE contact_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE contacts SET name = ?, email = ?, phone = '', company = '', notes = '' WHERE id = ?`,
			AnonymisedName, "anonymised-"+strconv.FormatInt(id, 10)+".invalid", id); err != nil {
			return err
		}
		if err := s.reindexContactRefs(ctx, tx, id); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: v.ID, Action: ActionContactAnonymise, TargetType: "contact", TargetID: id})
	})
	if err != nil {
		return fmt.Errorf("store: anonymise contact %d: %w", id, err)
	}
	return nil
}
