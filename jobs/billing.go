package jobs

import (
	"context"
	"log/slog"

	"helpline/store"
)

// renewBilling makes the renewals whose time has come (all of them, after
// a time with no server running: the first round at start catches up) and
// marks unpaid invoices overdue. The store renews each period once however
// many instances ask; alone keeps them from asking at the same time.
func renewBilling(st *store.Store) func(context.Context, *slog.Logger) error {
	return func(ctx context.Context, log *slog.Logger) error {
		n, err := st.RenewDue(ctx)
		if n > 0 {
			log.Info("subscription renewed", "periods", n)
		}
		if err != nil {
			return err
		}
		m, err := st.MarkOverdue(ctx)
		if m > 0 {
			log.Info("invoices overdue", "count", m)
		}
		return err
	}
}
