package jobs

import (
	"context"
	"log/slog"

	"helpline/store"
)

// runTimeRules applies the time rules whose Apply when became true since
// the last run (store.RunTimeRules).
func runTimeRules(st *store.Store) func(context.Context, *slog.Logger) error {
	return func(ctx context.Context, log *slog.Logger) error {
		run, err := st.RunTimeRules(ctx)
		if run.Applied > 0 {
			log.Info("time rules applied", "tickets", run.Looked, "applied", run.Applied)
		}
		return err
	}
}
