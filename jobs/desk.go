package jobs

import (
	"context"
	"log/slog"
	"time"

	"helpline/store"
)

// Desk is the background work every desk needs from its store. With
// several instances on one database each job runs on one of them at a time
// (store.RunAlone); the others skip that round.
func Desk(st *store.Store) []Job {
	return []Job{
		alone(st, Job{Name: "return postponed", Every: 30 * time.Second, Run: returnPostponed(st)}),
		alone(st, Job{Name: "purge sessions", Every: time.Hour, Run: purgeSessions(st)}),
		alone(st, Job{Name: "renew billing", Every: time.Minute, Run: renewBilling(st)}),
		alone(st, Job{Name: "time rules", Every: time.Minute, Run: runTimeRules(st)}),
	}
}

// alone makes j skip a round while another instance is running it.
func alone(st *store.Store, j Job) Job {
	run := j.Run
	j.Run = func(ctx context.Context, log *slog.Logger) error {
		_, err := st.RunAlone(ctx, j.Name, func(ctx context.Context) error { return run(ctx, log) })
		return err
	}
	return j
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
