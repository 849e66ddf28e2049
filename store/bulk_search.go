package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// bulkSearch builds a bulk load's search index in a database file of its
// own, on a second connection: the other core indexes words while the first
// writes tickets (indexing was a fifth of the load). Its tables are copied
// into the desk at the end.
type bulkSearch struct {
	path string
	db   *sql.DB
	w    *bulkWriter
}

func startBulkSearch(ctx context.Context, conn *sql.Conn) (*bulkSearch, error) {
	var main, create string
	if err := conn.QueryRowContext(ctx, `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&main); err != nil {
		return nil, err
	}
	if main == "" {
		return nil, errors.New("the desk has no database file")
	}
	if err := conn.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE name = 'ticket_search'`).Scan(&create); err != nil {
		return nil, err
	}
	bs := &bulkSearch{path: main + ".search"}
	bs.remove()
	db, err := sql.Open("sqlite", "file:"+bs.path+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	bs.db = db
	exec := execWith(ctx, db)
	// Collect many words in memory between writes. The pieces are merged
	// as they come, as in any desk: left all on the first level, the final
	// merge's one piece stayed there too, and the sixteenth small piece
	// written after it merged it again in one 4-second write.
	if err := exec(create); err != nil {
		bs.close()
		return nil, err
	}
	if err := setSearchIndex(exec, bulkSearchLoading); err != nil {
		bs.close()
		return nil, err
	}
	bs.w = startBulkWriter(ctx, db, nil,
		&batchInsert{head: `INSERT INTO ticket_search (rowid, subject, body) VALUES `, cols: 3, rows: 2000})
	return bs, nil
}

// finish writes what is left, then merges the index into one piece (left
// in the pieces it was written in, the first thousands of new tickets would
// each pay part of merging them) with SQLite's own settings for later writes.
func (bs *bulkSearch) finish(ctx context.Context) error {
	err := bs.w.close()
	if err == nil {
		exec := execWith(ctx, bs.db)
		if err = setSearchIndex(exec, searchDefaults); err == nil {
			err = exec(`INSERT INTO ticket_search (ticket_search) VALUES ('optimize')`)
		}
	}
	if cerr := bs.db.Close(); err == nil {
		err = cerr
	}
	return err
}

// copyInto replaces the desk's (empty) search index with the one built.
func (bs *bulkSearch) copyInto(ctx context.Context, conn *sql.Conn) error {
	exec := execWith(ctx, conn)
	if err := exec(`ATTACH DATABASE ? AS bulk_search`, bs.path); err != nil {
		return err
	}
	defer exec(`DETACH DATABASE bulk_search`)
	rows, err := conn.QueryContext(ctx, `SELECT name FROM bulk_search.sqlite_schema WHERE type = 'table' AND name LIKE 'ticket\_search\_%' ESCAPE '\'`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if len(tables) == 0 {
		return errors.New("the built search index has no tables")
	}
	if err := exec(`BEGIN IMMEDIATE`); err != nil {
		return err
	}
	for _, t := range tables {
		if err := exec(`DELETE FROM main.` + t); err != nil {
			exec(`ROLLBACK`)
			return err
		}
		if err := exec(`INSERT INTO main.` + t + ` SELECT * FROM bulk_search.` + t); err != nil {
			exec(`ROLLBACK`)
			return err
		}
	}
	return exec(`COMMIT`)
}

// close stops the builder if it still runs and removes its file.
func (bs *bulkSearch) close() error {
	var err error
	if bs.w != nil {
		bs.w.close()
	}
	if bs.db != nil {
		err = bs.db.Close()
	}
	bs.remove()
	return err
}

func (bs *bulkSearch) remove() {
	for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
		os.Remove(bs.path + suffix)
	}
}

// FTS5 settings of the search index: SQLite's defaults, and those of a bulk
// load.
var (
	searchDefaults    = [][2]any{{"hashsize", 1 << 20}, {"automerge", 4}, {"crisismerge", 16}}
	bulkSearchLoading = [][2]any{{"hashsize", 64 << 20}, {"automerge", 4}, {"crisismerge", 16}}
)

func setSearchIndex(exec func(q string, args ...any) error, settings [][2]any) error {
	for _, kv := range settings {
		if err := exec(`INSERT INTO ticket_search (ticket_search, rank) VALUES (?, ?)`, kv[0], kv[1]); err != nil {
			return fmt.Errorf("search index %s: %w", kv[0], err)
		}
	}
	return nil
}
