package store

import (
	"context"
	"errors"
	"fmt"

	"helpline/authz"
)

// On PostgreSQL a batch of new tickets is written with one statement per
// step rather than per ticket: the batch's look-ups, its new contacts, its
// tickets and their senders each go to the server as arrays in one round
// trip. Written one by one, a batch of 16 tickets cost some 70 round trips,
// and the report triggers' rows that every new ticket updates (an hour's
// figures of its department, migrations/postgres/0016) stayed locked from
// the batch's first ticket until its commit, so the other instance's batch
// waited for all of them. Now the rows are taken by one statement a few
// round trips before the commit.

// pgInsertBatch is insertBatch in a few statements. Like insertBatch it
// answers errIsolate when a ticket fails after anything was written (two
// codes alike, a broken value): the batch is then written again ticket by
// ticket, each in its own savepoint.
func (s *Store) pgInsertBatch(ctx context.Context, st txStmts, batch []*intakeRequest, replies []intakeReply) error {
	m, err := s.maskerIn(ctx, st.tx)
	if err != nil {
		return err
	}
	ins := make([]NewTicketInput, len(batch))
	depts, seesAll, actors, emails := make([]int64, len(batch)), make([]int64, len(batch)), make([]int64, len(batch)), make([]string, len(batch))
	for i, r := range batch {
		ins[i] = maskTicket(m, r.in)
		depts[i], seesAll[i], emails[i] = ins[i].DepartmentID, 1, NormalizeEmail(ins[i].ContactEmail)
		if r.actor != nil {
			actors[i] = r.actor.ID
			if !r.actor.Can(authz.TicketsReadAll) {
				seesAll[i] = 0
			}
		}
	}
	contacts, err := pgLookUp(ctx, st, depts, seesAll, actors, emails, replies)
	if err != nil {
		return err
	}
	if err := pgInsertContacts(ctx, st, ins, emails, contacts, replies, s.nowMs()); err != nil {
		return fmt.Errorf("%w: %w", errIsolate, err)
	}
	rows, err := pgInsertTickets(ctx, st, s, batch, ins, contacts, replies)
	if err != nil {
		return fmt.Errorf("%w: %w", errIsolate, err)
	}
	return finishBatch(ctx, st, rows) // intake.go
}

// pgLookUp is lookUp for the whole batch: it sets ErrNotFound in replies
// for each ticket whose department does not exist or the actor may not log
// into, and returns each ticket's contact id (0: new).
func pgLookUp(ctx context.Context, st txStmts, depts, seesAll, actors []int64, emails []string, replies []intakeReply) ([]int64, error) {
	rows, err := st.tx.QueryContext(ctx, `SELECT x.i, EXISTS (SELECT 1 FROM departments WHERE id = x.d
			AND (x.sa = 1 OR id IN (SELECT department_id FROM department_members WHERE agent_id = x.a))),
		coalesce((SELECT id FROM contacts WHERE email = x.e), (SELECT contact_id FROM contact_emails WHERE email = x.e), 0)
		FROM unnest(CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[])) WITH ORDINALITY AS x (d, sa, a, e, i)`,
		depts, seesAll, actors, emails)
	if err != nil {
		return nil, fmt.Errorf("look up a batch of tickets: %w", err)
	}
	defer rows.Close()
	contacts := make([]int64, len(depts))
	for rows.Next() {
		var i, contactID int64
		var ok bool
		if err := rows.Scan(&i, &ok, &contactID); err != nil {
			return nil, err
		}
		if !ok {
			replies[i-1].err = ErrNotFound
		}
		contacts[i-1] = contactID
	}
	return contacts, rows.Err()
}

// pgInsertContacts makes the contacts of the batch's tickets that have none
// yet, once per email, and sets their ids in contacts. An existing contact
// keeps its name; the conflict clause only keeps emails unique.
func pgInsertContacts(ctx context.Context, st txStmts, ins []NewTicketInput, emails []string, contacts []int64, replies []intakeReply, now int64) error {
	var names, newEmails []string
	seen := map[string]bool{}
	for i := range ins {
		if replies[i].err != nil || contacts[i] != 0 || seen[emails[i]] {
			continue
		}
		seen[emails[i]] = true
		names, newEmails = append(names, ins[i].ContactName), append(newEmails, emails[i])
	}
	if len(newEmails) == 0 {
		return nil
	}
	rows, err := st.tx.QueryContext(ctx, `INSERT INTO contacts (name, email, created_at)
		SELECT n, e, ? FROM unnest(CAST(? AS TEXT[]), CAST(? AS TEXT[])) AS x (n, e)
		ON CONFLICT (email) DO UPDATE SET email = excluded.email
		RETURNING id, email`, now, names, newEmails)
	if err != nil {
		return fmt.Errorf("contacts: %w", err)
	}
	defer rows.Close()
	ids := map[string]int64{}
	for rows.Next() {
		var id int64
		var email string
		if err := rows.Scan(&id, &email); err != nil {
			return err
		}
		ids[email] = id
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range ins {
		if replies[i].err == nil && contacts[i] == 0 {
			if contacts[i] = ids[emails[i]]; contacts[i] == 0 {
				return fmt.Errorf("contact %s: not made", emails[i])
			}
		}
	}
	return nil
}

// pgInsertTickets writes the batch's tickets (those not refused) in one
// statement, then their senders and field values, and sets each one's code
// in replies.
func pgInsertTickets(ctx context.Context, st txStmts, s *Store, batch []*intakeRequest, ins []NewTicketInput, contacts []int64, replies []intakeReply) ([]newTicketRow, error) {
	var rows []newTicketRow
	var idx []int // the batch's index of each row
	var codes, subjects, statuses, channels, previews []string
	var priorities, depts, contactIDs, keys, times, authors []int64
	for i, r := range batch {
		if replies[i].err != nil {
			continue
		}
		in := ins[i]
		row := newTicketRow{code: NewTicketCode(), contactID: contacts[i], body: in.Body, channel: in.Channel, lang: in.Lang, now: s.nowMs()}
		if r.actor != nil {
			row.author = r.actor.ID
		}
		status := intakeStatus(in)
		rows, idx = append(rows, row), append(idx, i)
		codes, subjects, statuses, channels = append(codes, row.code), append(subjects, in.Subject), append(statuses, string(status)), append(channels, string(in.Channel))
		previews, priorities, depts = append(previews, preview(in.Body)), append(priorities, int64(in.Priority)), append(depts, in.DepartmentID)
		contactIDs, keys = append(contactIDs, row.contactID), append(keys, sortKey(status, in.Priority, row.now))
		times, authors = append(times, row.now), append(authors, row.author)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	res, err := st.tx.QueryContext(ctx, `INSERT INTO tickets (code, subject, status, priority, channel, department_id, contact_id,
			sort_key, preview, message_count, created_at, updated_at, updated_by)
		SELECT code, subject, status, priority, channel, dept, contact, sort_key, preview, 1, at, at, nullif(author, 0)
		FROM unnest(CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]),
			CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]))
			AS x (code, subject, status, priority, channel, dept, contact, sort_key, preview, at, author)
		RETURNING id, code`,
		codes, subjects, statuses, priorities, channels, depts, contactIDs, keys, previews, times, authors)
	if err != nil {
		return nil, fmt.Errorf("tickets: %w", uniqueViolation(err, "code"))
	}
	ids := map[string]int64{}
	for res.Next() {
		var id int64
		var code string
		if err := res.Scan(&id, &code); err != nil {
			res.Close()
			return nil, err
		}
		ids[code] = id
	}
	res.Close()
	if err := res.Err(); err != nil {
		return nil, err
	}
	var senderIDs []int64
	var senderIPs []string
	for k := range rows {
		if rows[k].id = ids[rows[k].code]; rows[k].id == 0 {
			return nil, errors.New("tickets: a new ticket's id was not returned")
		}
		r := batch[idx[k]]
		if len(r.fields) > 0 {
			if err := insertFieldValues(ctx, st.tx, rows[k].id, r.fields); err != nil {
				return nil, err
			}
		}
		if ip := ins[idx[k]].SenderIP; ip != "" {
			// Only customers' tickets have one (migrations/*/0017).
			senderIDs, senderIPs = append(senderIDs, rows[k].id), append(senderIPs, ip)
		}
		// The id and the requester are what the ticket's kept pages read
		// (changes.go): without them a requester's list would stay kept.
		replies[idx[k]].code, replies[idx[k]].id, replies[idx[k]].contactID = rows[k].code, rows[k].id, rows[k].contactID
	}
	if len(senderIDs) > 0 {
		if _, err := st.tx.ExecContext(ctx, `INSERT INTO ticket_senders (ticket_id, ip)
			SELECT id, ip FROM unnest(CAST(? AS BIGINT[]), CAST(? AS TEXT[])) AS x (id, ip)`, senderIDs, senderIPs); err != nil {
			return nil, fmt.Errorf("senders: %w", err)
		}
	}
	return rows, nil
}
