package store

import (
	"context"
	"fmt"
)

// Setup is how far a new desk has come, for the hints on what to do next.
type Setup struct {
	Departments int  // departments there are
	Agents      int  // live agents, the Owner included
	HasTickets  bool // a ticket has ever arrived (tickets are never deleted)
}

// Setup reads how far the desk has come. It is kept until the next commit
// like the other small reads of reader.go: the queue asks on each view until
// the first ticket arrives.
func (s *Store) Setup(ctx context.Context) (Setup, error) {
	return remember(&s.mem, memoKey{What: memoSetup}, func() (Setup, error) {
		var st Setup
		err := s.rd.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM departments),
			(SELECT count(*) FROM agents WHERE removed_at IS NULL),
			EXISTS (SELECT 1 FROM tickets)`).Scan(&st.Departments, &st.Agents, &st.HasTickets)
		if err != nil {
			return Setup{}, fmt.Errorf("store: setup: %w", err)
		}
		return st, nil
	})
}
