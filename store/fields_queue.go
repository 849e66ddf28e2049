package store

import (
	"context"
	"fmt"
	"strings"

	"helpline/authz"
)

// The queue filtered by the value of a Dropdown or Checkbox field.

// FieldMatch keeps the tickets whose field FieldID has Value (a Dropdown's
// option, or desk.CheckboxOn for a ticked Checkbox).
type FieldMatch struct {
	FieldID int64
	Value   string
}

// fieldMatchSQL probes one ticket for a value by the values' primary key
// (ticket, field) while the queue walks its own index in order: as cheap
// per ticket as the tag's probe, and a common value fills a page at once.
const fieldMatchSQL = "EXISTS (SELECT 1 FROM ticket_field_values fv WHERE fv.ticket_id = t.id AND fv.field_id = " + intArg + " AND fv.value = " + textArg + ")"

// rareFieldValue returns the first of ms that fewer than s.rareTagRows
// tickets have, or nil. The count reads the value's range of its index in
// order (ORDER BY), which PostgreSQL would otherwise read from the table
// for a common value. Walking the queue and probing each ticket finds a
// page of a rare value only after reading every ticket in range; its few
// tickets are read from ticket_field_values_value and sorted instead, as a
// rare tag's are, which costs at most that many rows.
func (s *Store) rareFieldValue(ctx context.Context, ms []FieldMatch) (*FieldMatch, error) {
	for _, m := range ms {
		var n int
		err := s.rd.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM ticket_field_values WHERE field_id = ? AND value = ? ORDER BY ticket_id LIMIT ?) AS few`,
			m.FieldID, m.Value, s.rareTagRows).Scan(&n)
		if err != nil {
			return nil, fmt.Errorf("store: count field %d value: %w", m.FieldID, err)
		}
		if n < s.rareTagRows {
			return &m, nil
		}
	}
	return nil, nil
}

// rareFieldSQL reads a page of the queue from the tickets with a rare value
// of a field (m), in the departments depts (nil: all). The other filters,
// other fields' values among them, apply to each.
func rareFieldSQL(v authz.Viewer, f QueueFilter, m FieldMatch, depts []int64, backward bool) (string, []any) {
	var rest []FieldMatch
	for _, o := range f.Fields {
		if o != m {
			rest = append(rest, o)
		}
	}
	f.Fields = rest // the join below applies m
	where, args := filterSQL(v, f)
	where = append([]string{"rf.field_id = " + intArg, "rf.value = " + textArg}, where...)
	args = append([]any{m.FieldID, m.Value}, args...)
	if depts != nil {
		where = append(where, "t.department_id IN ("+repeatArg(len(depts), intArg)+")")
		for _, d := range depts {
			args = append(args, d)
		}
	}
	where, args, order := keysetSQL(f, backward, where, args)
	args = append(args, f.Limit+1)
	return `SELECT ` + ticketColumns + ` FROM ticket_field_values rf
		CROSS JOIN tickets t ON t.id = rf.ticket_id
		CROSS JOIN departments d ON d.id = t.department_id
		CROSS JOIN contacts c ON c.id = t.contact_id
		LEFT JOIN agents a ON a.id = t.assignee_id
		LEFT JOIN agents u ON u.id = t.updated_by
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + ` LIMIT ?`, args
}
