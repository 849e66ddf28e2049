package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Contact is a person who writes in.
type Contact struct {
	ID    int64
	Name  string
	Email string
}

// upsertContact returns the contact with that email, creating it if new. An
// existing contact keeps its name: a public form must not rename people.
func upsertContact(ctx context.Context, tx *sql.Tx, name, email string, now int64) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO contacts (name, email, created_at) VALUES (?, ?, ?)
		ON CONFLICT (email) DO UPDATE SET email = excluded.email
		RETURNING id`, name, NormalizeEmail(email), now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("contact %s: %w", NormalizeEmail(email), err)
	}
	return id, nil
}
