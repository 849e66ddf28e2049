package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"helpline/authz"
)

// TagRow is one line of the Tags tab (SPEC §6.3): of the tickets created in
// the period that carry the tag now, how many, the replies they have had,
// how many were first answered and resolved, and the summed first answer
// times.
type TagRow struct {
	Tag      string
	Tickets  int64
	Answers  int64
	Replied  int64
	ReplyMs  int64
	Resolved int64
}

// AvgReply is the tag's average first answer time.
func (r TagRow) AvgReply() time.Duration { return avg(r.ReplyMs, r.Replied) }

// ReportTags reads the Tags tab for f, the tags with most tickets first.
// It reads the period's tickets from the firsts' creation index with their
// tags, never the tickets: the cost grows with the tickets created in the
// period, as the percentiles' does. Under an Agent filter, the tickets
// assigned to them (as Export tickets).
func (s *Store) ReportTags(ctx context.Context, v authz.Viewer, f ReportFilter) ([]TagRow, error) {
	f, err := reportScope(v, f)
	if err != nil {
		return nil, fmt.Errorf("store: report tags: %w", err)
	}
	q, args := reportTagsSQL(f)
	var out []TagRow
	err = s.eachRow(ctx, q, args, func(rows scanner) error {
		var r TagRow
		if err := rows.Scan(&r.Tag, &r.Tickets, &r.Answers, &r.Replied, &r.ReplyMs, &r.Resolved); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: report tags: %w", err)
	}
	slices.SortFunc(out, func(a, b TagRow) int {
		if a.Tickets != b.Tickets {
			return cmp.Compare(b.Tickets, a.Tickets)
		}
		return strings.Compare(a.Tag, b.Tag)
	})
	return out, nil
}

func reportTagsSQL(f ReportFilter) (string, []any) {
	where := []string{"f.created_at >= " + intArg, "f.created_at < " + intArg, "f.hidden = 0"}
	args := []any{f.From.UnixMilli(), f.To.UnixMilli()}
	if f.AgentID != 0 {
		where = append(where, "f.q_agent = "+intArg)
		args = append(args, f.AgentID)
	}
	if f.DepartmentID != 0 {
		where = append(where, "f.department_id = "+intArg)
		args = append(args, f.DepartmentID)
	}
	if f.Channel != "" {
		where = append(where, "f.channel = "+textArg)
		args = append(args, string(f.Channel))
	}
	return `SELECT tt.tag, count(*), coalesce(sum(f.answers), 0), count(f.first_reply_at), coalesce(sum(f.first_reply_ms), 0), count(f.first_resolve_at)
		FROM ticket_firsts f JOIN ticket_tags tt ON tt.ticket_id = f.ticket_id
		WHERE ` + strings.Join(where, " AND ") + `
		GROUP BY tt.tag`, args
}
