package store

import (
	"context"
	"database/sql"
	"errors"
)

// bulkRows is one handover to a bulkWriter: a run of rows for each of its
// batches, as one run of arguments each.
type bulkRows struct {
	sets    [][]any
	copies  [][]byte // on PostgreSQL: COPY text, for the copier
	commit  bool     // end the transaction after these rows
	tickets int      // counted for Progress
}

// bulkWriter writes, on a goroutine of its own, rows another goroutine hands
// over, in transactions as long as the handovers say.
type bulkWriter struct {
	rows   chan bulkRows
	done   chan error
	closed bool
	err    error
}

func startBulkWriter(ctx context.Context, db interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}, committed func(n int), batches ...*batchInsert) *bulkWriter {
	w := &bulkWriter{rows: make(chan bulkRows, 4), done: make(chan error, 1)}
	go func() {
		var failed error
		var tx *sql.Tx
		written := 0
		commit := func() {
			failed, tx = commitBatches(ctx, tx, batches...), nil
			if failed == nil && committed != nil {
				committed(written)
			}
		}
		for r := range w.rows {
			if failed != nil {
				continue // drain, so the sender never blocks
			}
			if tx == nil {
				if tx, failed = db.BeginTx(ctx, nil); failed != nil {
					continue
				}
				for _, b := range batches {
					b.tx, b.stmt = tx, nil
				}
			}
			for i, set := range r.sets {
				if failed = batches[i].addRows(ctx, set); failed != nil {
					tx.Rollback()
					tx = nil
					break
				}
			}
			written += r.tickets
			if failed == nil && r.commit {
				commit()
			}
		}
		if tx != nil && failed == nil {
			commit()
		}
		w.done <- failed
	}()
	return w
}

func (w *bulkWriter) send(ctx context.Context, r bulkRows) error {
	select {
	case w.rows <- r:
		return nil
	case err := <-w.done:
		w.done <- err
		if err == nil {
			err = errors.New("the writer stopped")
		}
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close waits for the rows handed over to be written.
func (w *bulkWriter) close() error {
	if !w.closed {
		w.closed = true
		close(w.rows)
		w.err = <-w.done
	}
	return w.err
}

// batchInsert writes rows many at a time: one statement of many VALUES rows
// costs far less than as many single-row statements.
type batchInsert struct {
	head       string
	cols, rows int
	tx         *sql.Tx
	stmt       *sql.Stmt
	args       []any
}

// execWith runs statements whose results are not needed on e (a database
// or one of its connections).
func execWith(ctx context.Context, e interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}) func(q string, args ...any) error {
	return func(q string, args ...any) error {
		_, err := e.ExecContext(ctx, q, args...)
		return err
	}
}

// commitBatches writes what each batch still holds, closes their statements
// and commits tx; on a failed write it rolls tx back.
func commitBatches(ctx context.Context, tx *sql.Tx, batches ...*batchInsert) error {
	for _, b := range batches {
		if err := b.flush(ctx); err != nil {
			tx.Rollback()
			return err
		}
		if b.stmt != nil {
			b.stmt.Close()
			b.stmt = nil
		}
	}
	return tx.Commit()
}

func (b *batchInsert) values(n int) string {
	row := "(" + placeholders(b.cols) + ")"
	return b.head + repeatArg(n, row)
}

// addRows adds many rows given as one run of arguments.
func (b *batchInsert) addRows(ctx context.Context, flat []any) error {
	b.args = append(b.args, flat...)
	n := b.cols * b.rows
	off := 0
	for len(b.args)-off >= n {
		if b.stmt == nil {
			st, err := b.tx.PrepareContext(ctx, b.values(b.rows))
			if err != nil {
				return err
			}
			b.stmt = st
		}
		if _, err := b.stmt.ExecContext(ctx, b.args[off:off+n]...); err != nil {
			return err
		}
		off += n
	}
	b.args = append(b.args[:0], b.args[off:]...)
	return nil
}

func (b *batchInsert) flush(ctx context.Context) error {
	if len(b.args) == 0 {
		return nil
	}
	_, err := b.tx.ExecContext(ctx, b.values(len(b.args)/b.cols), b.args...)
	b.args = b.args[:0]
	return err
}
