package store

import "testing"

func TestRewritePG(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT a FROM t WHERE x = ? AND y IN (?, ?)`, `SELECT a FROM t WHERE x = $1 AND y IN ($2, $3)`},
		{`SELECT '?' , "a?" FROM t WHERE x = ? -- why?` + "\n" + ` AND y = ?`, `SELECT '?' , "a?" FROM t WHERE x = $1 -- why?` + "\n" + ` AND y = $2`},
		{`FROM tickets t INDEXED BY tickets_contact
		CROSS JOIN departments d ON d.id = t.department_id`, `FROM tickets t 
		JOIN departments d ON d.id = t.department_id`},
		{`FROM tickets t NOT INDEXED WHERE t.indexed_at = ?`, `FROM tickets t  WHERE t.indexed_at = $1`},
		{`SELECT cross_total, crossjoin FROM x CROSS  JOIN y ON 1=1`, `SELECT cross_total, crossjoin FROM x JOIN y ON 1=1`},
	} {
		if got := rewritePG(c.in); got != c.want {
			t.Errorf("rewritePG(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}
