package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
)

// The store's SQL is written once, in the SQL both engines read, with ?
// placeholders and SQLite's planner hints. For PostgreSQL a thin layer over
// pgx's database/sql driver rewrites each statement before it is sent (see
// pgSQL), and hands booleans to integer parameters as 0 and 1, as SQLite
// stores them (boolsAsIntegers).

// IsPostgres reports whether dsn names a PostgreSQL database
// (postgres://… or postgresql://…) rather than a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openPostgresDB opens a pool of at most n connections to the database at
// dsn. The server process ids of its connections are kept in own (if not
// nil) while they are open.
func openPostgresDB(dsn string, n int, own *pidSet) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(pgConnector{stdlib.GetConnector(*cfg, stdlib.OptionAfterConnect(boolsAsIntegers)), own})
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	return db, nil
}

type pgConnector struct {
	c   driver.Connector
	own *pidSet
}

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.c.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc := conn.(*stdlib.Conn)
	pid := sc.Conn().PgConn().PID()
	c.own.add(pid)
	return pgConn{Conn: sc, own: c.own, pid: pid}, nil
}

// pidSet holds the server process ids of a pool's open connections.
type pidSet struct{ m sync.Map }

func (p *pidSet) add(pid uint32) {
	if p != nil {
		p.m.Store(pid, true)
	}
}

func (p *pidSet) remove(pid uint32) {
	if p != nil {
		p.m.Delete(pid)
	}
}

func (p *pidSet) has(pid uint32) bool {
	if p == nil {
		return false
	}
	_, ok := p.m.Load(pid)
	return ok
}

func (c pgConnector) Driver() driver.Driver { return c.c.Driver() }

// pgConn is pgx's connection with every statement passed through pgSQL.
type pgConn struct {
	*stdlib.Conn
	own *pidSet
	pid uint32
}

func (c pgConn) Close() error {
	c.own.remove(c.pid)
	return c.Conn.Close()
}

func (c pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(pgSQL(query))
}

func (c pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, pgSQL(query))
}

func (c pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, pgSQL(query), args)
}

func (c pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, pgSQL(query), args)
}

// boolsAsIntegers lets a Go bool go where PostgreSQL expects an integer, as
// 0 or 1, as SQLite stores it: the flags live in integer columns on both
// engines. Booleans sent where a boolean is expected stay booleans.
func boolsAsIntegers(_ context.Context, c *pgx.Conn) error {
	m := c.TypeMap()
	for _, t := range []struct {
		name  string
		oid   uint32
		codec pgtype.Codec
	}{
		{"int2", pgtype.Int2OID, pgtype.Int2Codec{}},
		{"int4", pgtype.Int4OID, pgtype.Int4Codec{}},
		{"int8", pgtype.Int8OID, pgtype.Int8Codec{}},
	} {
		m.RegisterType(&pgtype.Type{Name: t.name, OID: t.oid, Codec: boolIntCodec{t.codec}})
	}
	return nil
}

type boolIntCodec struct{ pgtype.Codec }

func (c boolIntCodec) PlanEncode(m *pgtype.Map, oid uint32, format int16, value any) pgtype.EncodePlan {
	if _, ok := value.(bool); ok {
		if next := c.Codec.PlanEncode(m, oid, format, int64(0)); next != nil {
			return boolAsInt{next}
		}
	}
	return c.Codec.PlanEncode(m, oid, format, value)
}

type boolAsInt struct{ next pgtype.EncodePlan }

func (p boolAsInt) Encode(value any, buf []byte) ([]byte, error) {
	n := int64(0)
	if value.(bool) {
		n = 1
	}
	return p.next.Encode(n, buf)
}

var pgSQLMemo sync.Map // SQLite-flavoured text -> PostgreSQL text

// pgSQL rewrites one statement for PostgreSQL: ? placeholders become $1, $2…;
// the hints that steer SQLite's planner go, as PostgreSQL's planner chooses
// from statistics (INDEXED BY name and NOT INDEXED are dropped, CROSS JOIN,
// which in SQLite is an inner join kept in the written order, becomes JOIN).
// Quoted text, quoted names and comments are left as they are.
func pgSQL(q string) string {
	if v, ok := pgSQLMemo.Load(q); ok {
		return v.(string)
	}
	out := rewritePG(q)
	pgSQLMemo.Store(q, out)
	return out
}

func rewritePG(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(q) && q[j] != c {
				j++
			}
			j = min(j+1, len(q))
			b.WriteString(q[i:j])
			i = j
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i++
		case isWordByte(c) && (i == 0 || !isWordByte(q[i-1])):
			j := i
			for j < len(q) && isWordByte(q[j]) {
				j++
			}
			word := q[i:j]
			switch {
			case strings.EqualFold(word, "INDEXED") || strings.EqualFold(word, "NOT") && nextWordIs(q[j:], "INDEXED"):
				// INDEXED BY name, NOT INDEXED: skip the hint.
				rest := q[j:]
				if strings.EqualFold(word, "NOT") {
					rest = skipWord(rest) // INDEXED
				} else if nextWordIs(rest, "BY") {
					rest = skipWord(skipWord(rest)) // BY name
				}
				i = len(q) - len(rest)
			case strings.EqualFold(word, "CROSS") && nextWordIs(q[j:], "JOIN"):
				i = len(q) - len(strings.TrimLeft(q[j:], " \t\n")) // JOIN follows
			default:
				b.WriteString(word)
				i = j
			}
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// nextWordIs reports whether the next word of s (after blanks) is w.
func nextWordIs(s, w string) bool {
	s = strings.TrimLeft(s, " \t\n")
	return len(s) >= len(w) && strings.EqualFold(s[:len(w)], w) && (len(s) == len(w) || !isWordByte(s[len(w)]))
}

// skipWord drops the blanks and the word at the start of s.
func skipWord(s string) string {
	s = strings.TrimLeft(s, " \t\n")
	i := 0
	for i < len(s) && isWordByte(s[i]) {
		i++
	}
	return s[i:]
}
