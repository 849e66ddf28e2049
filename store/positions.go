package store

import (
	"context"
	"database/sql"
	"errors"
)

// swapWithNeighbour moves row id of an ordered list (a table with a
// position column: rules, time_rules) one place up or down by swapping
// positions with its neighbour; at either end it stays. table is always a
// constant of the store's own. moved is false at either end.
func swapWithNeighbour(ctx context.Context, tx *sql.Tx, table string, id int64, up bool) (moved bool, err error) {
	var pos int64
	if err := tx.QueryRowContext(ctx, `SELECT position FROM `+table+` WHERE id = ?`, id).Scan(&pos); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return false, ErrNotFound
		}
		return false, err
	}
	q := `SELECT id, position FROM ` + table + ` WHERE position > ? ORDER BY position LIMIT 1`
	if up {
		q = `SELECT id, position FROM ` + table + ` WHERE position < ? ORDER BY position DESC LIMIT 1`
	}
	var other, otherPos int64
	switch err := tx.QueryRowContext(ctx, q, pos).Scan(&other, &otherPos); {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, err
	}
	for _, p := range [][2]int64{{id, otherPos}, {other, pos}} {
		if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET position = ? WHERE id = ?`, p[1], p[0]); err != nil {
			return false, err
		}
	}
	return true, nil
}
