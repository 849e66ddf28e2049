package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"helpline/authz"
)

// MailSecurity is how the connection to the mail server is protected.
type MailSecurity string

const (
	SecurityNone     MailSecurity = "none"
	SecurityStartTLS MailSecurity = "starttls"
	SecurityTLS      MailSecurity = "tls"
)

// MailSecurities lists them in the order the form offers them.
var MailSecurities = []MailSecurity{SecurityNone, SecurityStartTLS, SecurityTLS}

// MailSettings is the outgoing mail server (Channels → Email).
type MailSettings struct {
	Host        string
	Port        int
	Security    MailSecurity
	Username    string
	Password    string // in clear only in memory; sealed in the database
	FromName    string
	FromAddress string
}

// ActionMailSettings is the audit entry of a change of the mail settings.
const ActionMailSettings AuditAction = "mail.settings"

// mailKeyName is the secret that seals mail passwords: a key kept with the
// data, so a backup restores working mail settings.
const mailKeyName = "mail-key"

func (s *Store) mailAEAD(ctx context.Context) (cipher.AEAD, error) {
	key, err := s.Secret(ctx, mailKeyName, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// sealSecret encrypts a password for storage (nonce first).
func (s *Store) sealSecret(ctx context.Context, plain string) ([]byte, error) {
	aead, err := s.mailAEAD(ctx)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, []byte(plain), nil), nil
}

// openSecret decrypts what sealSecret stored.
func (s *Store) openSecret(ctx context.Context, sealed []byte) (string, error) {
	if len(sealed) == 0 {
		return "", nil
	}
	aead, err := s.mailAEAD(ctx)
	if err != nil {
		return "", err
	}
	if len(sealed) < aead.NonceSize() {
		return "", errors.New("sealed secret too short")
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], nil)
	if err != nil {
		return "", fmt.Errorf("open sealed secret: %w", err)
	}
	return string(plain), nil
}

// MailSettings returns the outgoing mail server, ErrNotFound when mail is
// not configured.
func (s *Store) MailSettings(ctx context.Context) (MailSettings, error) {
	var m MailSettings
	var sealed []byte
	err := s.rd.QueryRowContext(ctx, `SELECT host, port, security, username, password, from_name, from_address
		FROM mail_settings WHERE id = 1`).Scan(&m.Host, &m.Port, &m.Security, &m.Username, &sealed, &m.FromName, &m.FromAddress)
	if errors.Is(err, sql.ErrNoRows) {
		return MailSettings{}, ErrNotFound
	}
	if err != nil {
		return MailSettings{}, fmt.Errorf("store: mail settings: %w", err)
	}
	if m.Password, err = s.openSecret(ctx, sealed); err != nil {
		return MailSettings{}, fmt.Errorf("store: mail settings: %w", err)
	}
	return m, nil
}

// SaveMailSettings stores the outgoing mail server. An empty password
// keeps the one saved before.
func (s *Store) SaveMailSettings(ctx context.Context, actorID int64, m MailSettings, ip string) error {
	var sealed []byte
	if m.Password != "" {
		var err error
		if sealed, err = s.sealSecret(ctx, m.Password); err != nil {
			return fmt.Errorf("store: save mail settings: %w", err)
		}
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.ChannelsManage); err != nil {
			return err
		}
		now := s.nowMs()
		_, err := tx.ExecContext(ctx, `INSERT INTO mail_settings (id, host, port, security, username, password, from_name, from_address, updated_at)
			VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET host = excluded.host, port = excluded.port, security = excluded.security,
				username = excluded.username, password = coalesce(excluded.password, mail_settings.password),
				from_name = excluded.from_name, from_address = excluded.from_address, updated_at = excluded.updated_at`,
			m.Host, m.Port, m.Security, m.Username, sealed, m.FromName, m.FromAddress, now)
		if err != nil {
			return err
		}
		// The password never goes into the log, not even sealed.
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionMailSettings, TargetType: "mail",
			Details: fmt.Sprintf("%s:%d %s from %s", m.Host, m.Port, m.Security, m.FromAddress), IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: save mail settings: %w", err)
	}
	return nil
}
