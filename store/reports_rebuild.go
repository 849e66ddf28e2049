package store

// reportRebuildSQL counts from the tickets and their threads what the
// triggers of migrations/*/0016_reports.sql keep, on either engine (Spam and
// Deleted tickets left out of the hours): after a bulk load (whose triggers
// were off) and in the tests that check the triggers. The first assignee of a ticket is not in its thread (the event
// names them), so a rebuild takes the ticket's assignee now.
var reportRebuildSQL = []string{
	`DELETE FROM ticket_firsts`,
	`INSERT INTO ticket_firsts (ticket_id, created_by, first_reply_at, first_reply_by, first_assign_at, first_assign_to, first_resolve_at, first_resolve_by,
			first_reply_ms, department_id, channel, hidden)
		SELECT t.id, coalesce(c.agent_id, 0), r.created_at, coalesce(r.agent_id, 0),
		       a.created_at, CASE WHEN a.id IS NULL THEN 0 ELSE coalesce(t.assignee_id, 0) END,
		       s.created_at, coalesce(s.agent_id, 0),
		       r.created_at - t.created_at, t.department_id, t.channel, CASE WHEN t.status IN ('spam', 'deleted') THEN 1 ELSE 0 END
		FROM tickets t
		LEFT JOIN (SELECT ticket_id,
		                  min(CASE WHEN event = 'created' THEN id END) AS c,
		                  min(CASE WHEN kind = 'reply' THEN id END) AS r,
		                  min(CASE WHEN event = 'assigned' AND details LIKE '%"name":%' THEN id END) AS a,
		                  min(CASE WHEN event = 'status' AND details LIKE '%"to":"resolved"%' THEN id END) AS s
		           FROM messages WHERE kind = 'reply' OR event IN ('created', 'assigned', 'status')
		           GROUP BY ticket_id) f ON f.ticket_id = t.id
		LEFT JOIN messages c ON c.id = f.c
		LEFT JOIN messages r ON r.id = f.r
		LEFT JOIN messages a ON a.id = f.a
		LEFT JOIN messages s ON s.id = f.s`,
	// The day rollups are counted after the hours, in one statement
	// (reportDaysRebuildSQL, which every caller runs next): the hours'
	// trigger would count them row by row.
	`DELETE FROM report_days_paused`,
	`INSERT INTO report_days_paused (id) VALUES (1)`,
	`DELETE FROM report_hours`,
	`INSERT INTO report_hours (at_hour, department_id, agent_id, channel, created, replied, reply_ms, assigned, assign_ms, resolved, resolve_ms, answers, notes)
		SELECT at_hour, department_id, agent_id, channel, sum(created), sum(replied), sum(reply_ms), sum(assigned), sum(assign_ms),
		       sum(resolved), sum(resolve_ms), sum(answers), sum(notes)
		FROM report_parts WHERE status NOT IN ('spam', 'deleted') GROUP BY at_hour, department_id, agent_id, channel`,
	`DELETE FROM report_days_paused`,
}
