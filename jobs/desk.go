package jobs

import (
	"context"
	"log/slog"
	"time"

	"helpline/store"
)

// Desk is the background work every desk needs from its store.
func Desk(st *store.Store) []Job {
	return []Job{
		{Name: "return postponed", Every: 30 * time.Second, Run: returnPostponed(st)},
		{Name: "purge sessions", Every: time.Hour, Run: purgeSessions(st)},
	}
}

// returnPostponed brings postponed tickets back when their time comes,
// whether or not anyone opens them.
func returnPostponed(st *store.Store) func(context.Context, *slog.Logger) error {
	return func(ctx context.Context, log *slog.Logger) error {
		n, err := st.ReturnPostponed(ctx)
		if n > 0 {
			log.Info("postponed tickets returned", "count", n)
		}
		return err
	}
}

// purgeSessions deletes expired sessions, which nothing reads any more.
func purgeSessions(st *store.Store) func(context.Context, *slog.Logger) error {
	return func(ctx context.Context, log *slog.Logger) error {
		n, err := st.PurgeSessions(ctx)
		if n > 0 {
			log.Info("expired sessions deleted", "count", n)
		}
		return err
	}
}
