// Package jobs runs Helpline's background work: each job on its own
// interval, started and stopped by the command, never by a request or by the
// web layer.
package jobs

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Job is one piece of background work. Run is called once at Start and then
// every Every; it gets a logger that names the job. It should do nothing,
// and write nothing, when there is nothing to do.
type Job struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context, log *slog.Logger) error
}

// Runner runs a list of jobs, each in its own goroutine, until Stop.
type Runner struct {
	jobs   []Job
	log    *slog.Logger
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewRunner returns a runner of jobs that logs to log (nil: slog.Default).
func NewRunner(log *slog.Logger, jobs ...Job) *Runner {
	if log == nil {
		log = slog.Default()
	}
	return &Runner{jobs: jobs, log: log}
}

// Start runs every job now and then every job.Every, until Stop is called
// or ctx ends. Call it once.
func (r *Runner) Start(ctx context.Context) {
	ctx, r.cancel = context.WithCancel(ctx)
	for _, j := range r.jobs {
		r.wg.Go(func() { r.loop(ctx, j) })
	}
}

// Stop ends the jobs and waits for runs in progress to finish, so the store
// can be closed after it returns. It may be called more than once.
func (r *Runner) Stop() {
	if r.cancel != nil {
		r.cancel()
	}
	r.wg.Wait()
}

func (r *Runner) loop(ctx context.Context, j Job) {
	log := r.log.With("job", j.Name)
	t := time.NewTicker(j.Every)
	defer t.Stop()
	for {
		r.runOnce(ctx, j, log)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// runOnce runs j once; a failure or a panic is logged and the job runs
// again at its next tick, and the other jobs go on.
func (r *Runner) runOnce(ctx context.Context, j Job, log *slog.Logger) {
	defer func() {
		if p := recover(); p != nil {
			log.Error("job panicked", "panic", p)
		}
	}()
	if err := j.Run(ctx, log); err != nil && ctx.Err() == nil {
		log.Error("job failed", "err", err)
	}
}
