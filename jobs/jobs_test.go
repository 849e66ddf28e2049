package jobs

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// waitFor polls cond for up to five seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestRunner_RunsEachJobAtStartThenOnItsOwnInterval(t *testing.T) {
	var often, hourly atomic.Int32
	r := NewRunner(quiet,
		Job{Name: "often", Every: 5 * time.Millisecond, Run: func(context.Context, *slog.Logger) error { often.Add(1); return nil }},
		Job{Name: "hourly", Every: time.Hour, Run: func(context.Context, *slog.Logger) error { hourly.Add(1); return nil }},
	)
	r.Start(context.Background())
	waitFor(t, "three runs of the frequent job", func() bool { return often.Load() >= 3 })
	r.Stop()
	if n := hourly.Load(); n != 1 {
		t.Fatalf("hourly job ran %d times, want once at start", n)
	}
	n := often.Load()
	time.Sleep(20 * time.Millisecond)
	if often.Load() != n {
		t.Fatal("a job ran after Stop returned")
	}
}

// The command closes the store after Stop: a run still writing must
// finish first.
func TestRunner_StopWaitsForTheRunInProgress(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var finished atomic.Bool
	r := NewRunner(quiet, Job{Name: "slow", Every: time.Hour, Run: func(ctx context.Context, _ *slog.Logger) error {
		close(started)
		<-release
		finished.Store(true)
		return nil
	}})
	r.Start(context.Background())
	<-started
	stopped := make(chan struct{})
	go func() { r.Stop(); close(stopped) }()
	select {
	case <-stopped:
		t.Fatal("Stop returned while a run was in progress")
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	<-stopped
	if !finished.Load() {
		t.Fatal("Stop returned before the run finished")
	}
}

func TestRunner_FailingOrPanickingJobRunsAgainAndOthersGoOn(t *testing.T) {
	var failing, panicking, fine atomic.Int32
	r := NewRunner(quiet,
		Job{Name: "failing", Every: 2 * time.Millisecond, Run: func(context.Context, *slog.Logger) error {
			failing.Add(1)
			return errors.New("database is locked")
		}},
		Job{Name: "panicking", Every: 2 * time.Millisecond, Run: func(context.Context, *slog.Logger) error {
			panicking.Add(1)
			panic("bug")
		}},
		Job{Name: "fine", Every: 2 * time.Millisecond, Run: func(context.Context, *slog.Logger) error { fine.Add(1); return nil }},
	)
	r.Start(context.Background())
	defer r.Stop()
	waitFor(t, "every job to run again", func() bool {
		return failing.Load() >= 2 && panicking.Load() >= 2 && fine.Load() >= 2
	})
}

func TestRunner_EndsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var runs atomic.Int32
	r := NewRunner(quiet, Job{Name: "often", Every: time.Millisecond, Run: func(context.Context, *slog.Logger) error { runs.Add(1); return nil }})
	r.Start(ctx)
	waitFor(t, "a run", func() bool { return runs.Load() > 0 })
	cancel()
	done := make(chan struct{})
	go func() { r.Stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("jobs still running after their context ended")
	}
}
