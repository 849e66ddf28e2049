package store

import (
	"context"
	"database/sql"
	"fmt"
)

// MailBounced records a bounce that came back for an email the server had
// taken (a delivery report naming its Message-ID): the reply shows Not
// delivered with the reason and Retry, as a refusal at sending does. It
// reports whether the email was one of the desk's replies.
func (s *Store) MailBounced(ctx context.Context, headerID, reason string) (bool, error) {
	var found bool
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'failed', last_error = ?
			WHERE header_id = ? AND agent_id IS NULL AND status = 'sent'`, truncate(reason, 500), headerID)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		found = n > 0
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: bounce of email %s: %w", headerID, err)
	}
	return found, nil
}
