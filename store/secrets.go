package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
)

// Secret returns the named secret, generating size random bytes and keeping
// them on first use, so secrets live with the data and never in the code.
func (s *Store) Secret(ctx context.Context, name string, size int) ([]byte, error) {
	var v []byte
	err := s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT value FROM secrets WHERE name = ?`, name).Scan(&v)
		if err == nil {
			return nil
		}
		if err != sql.ErrNoRows {
			return err
		}
		v = make([]byte, size)
		if _, err := rand.Read(v); err != nil {
			return err
		}
		// Instances starting together on one PostgreSQL database may both
		// get here: the first to commit wins and the others read its value.
		if _, err := tx.ExecContext(ctx, `INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, v); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT value FROM secrets WHERE name = ?`, name).Scan(&v)
	})
	if err != nil {
		return nil, fmt.Errorf("store: secret %s: %w", name, err)
	}
	return v, nil
}
