package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"helpline/authz"
	"time"
)

// Mailbox is an IMAP mailbox the desk reads into a department.
type Mailbox struct {
	ID             int64
	DepartmentID   int64
	DepartmentName string
	Host           string
	Port           int
	Security       MailSecurity
	Username       string
	Password       string // in clear only in memory
	Folder         string
	LastCheckAt    time.Time // zero: never checked
	LastCheckOK    bool
	LastCheckText  string
}

// Audit actions of mailboxes.
const (
	ActionMailboxAdd    AuditAction = "mailbox.add"
	ActionMailboxRemove AuditAction = "mailbox.remove"
)

// Mailboxes lists the mailboxes, oldest first, passwords opened.
func (s *Store) Mailboxes(ctx context.Context) ([]Mailbox, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT m.id, m.department_id, d.name, m.host, m.port, m.security, m.username, m.password,
			m.folder, coalesce(m.last_check_at, 0), m.last_check_ok, m.last_check_result
		FROM mailboxes m JOIN departments d ON d.id = m.department_id ORDER BY m.id`)
	if err != nil {
		return nil, fmt.Errorf("store: mailboxes: %w", err)
	}
	var out []Mailbox
	var sealed [][]byte
	for rows.Next() {
		var m Mailbox
		var pw []byte
		var at int64
		if err := rows.Scan(&m.ID, &m.DepartmentID, &m.DepartmentName, &m.Host, &m.Port, &m.Security, &m.Username, &pw,
			&m.Folder, &at, &m.LastCheckOK, &m.LastCheckText); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: mailboxes: %w", err)
		}
		if at != 0 {
			m.LastCheckAt = msToTime(at)
		}
		out = append(out, m)
		sealed = append(sealed, pw)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: mailboxes: %w", err)
	}
	for i := range out {
		if out[i].Password, err = s.openSecret(ctx, sealed[i]); err != nil {
			return nil, fmt.Errorf("store: mailbox %d: %w", out[i].ID, err)
		}
	}
	return out, nil
}

// Mailbox returns one mailbox.
func (s *Store) Mailbox(ctx context.Context, id int64) (Mailbox, error) {
	all, err := s.Mailboxes(ctx)
	if err != nil {
		return Mailbox{}, err
	}
	for _, m := range all {
		if m.ID == id {
			return m, nil
		}
	}
	return Mailbox{}, ErrNotFound
}

// AddMailbox stores a mailbox; its department must exist.
func (s *Store) AddMailbox(ctx context.Context, actorID int64, m Mailbox, ip string) (int64, error) {
	sealed, err := s.sealSecret(ctx, m.Password)
	if err != nil {
		return 0, fmt.Errorf("store: add mailbox: %w", err)
	}
	if m.Folder == "" {
		m.Folder = "INBOX"
	}
	var id int64
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.ChannelsManage); err != nil {
			return err
		}
		now := s.nowMs()
		var ok bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM departments WHERE id = ?)`, m.DepartmentID).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO mailboxes (department_id, host, port, security, username, password, folder, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, m.DepartmentID, m.Host, m.Port, m.Security, m.Username, sealed, m.Folder, now).Scan(&id); err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionMailboxAdd, TargetType: "mailbox", TargetID: id,
			Details: fmt.Sprintf("%s@%s:%d %s", m.Username, m.Host, m.Port, m.Folder), IP: ip})
	})
	if err != nil {
		return 0, fmt.Errorf("store: add mailbox: %w", err)
	}
	return id, nil
}

// RemoveMailbox stops reading a mailbox.
func (s *Store) RemoveMailbox(ctx context.Context, actorID, id int64, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.ChannelsManage); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM mailboxes WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionMailboxRemove, TargetType: "mailbox", TargetID: id, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: remove mailbox %d: %w", id, err)
	}
	return nil
}

// RecordMailboxCheck keeps the time and result of a mailbox's last check.
func (s *Store) RecordMailboxCheck(ctx context.Context, id int64, ok bool, result string) error {
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE mailboxes SET last_check_at = ?, last_check_ok = ?, last_check_result = ? WHERE id = ?`,
			s.nowMs(), ok, truncate(result, 500), id)
		return err
	})
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: record check of mailbox %d: %w", id, err)
	}
	return nil
}
