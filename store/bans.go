package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"helpline/authz"
	"helpline/desk"
)

// Banned IPs: a ban holds an address or a range until its Valid until, or
// until someone lifts it. Messages from a banned address through the
// contact form and the customer's page are accepted and stored as Spam.

const (
	ActionBanAdd    AuditAction = "ban.add"
	ActionBanRemove AuditAction = "ban.remove"
)

const (
	RuleBanInPast   Rule = "ban_in_past"   // a ban must hold until a time still to come
	RuleBanOverlaps Rule = "ban_overlaps"  // a range may not overlap a ban that holds
	RuleBanNoTicket Rule = "ban_no_ticket" // the ticket named does not exist
)

// ErrBanOverlap refuses a ban whose range overlaps With, a ban that holds.
type ErrBanOverlap struct{ With netip.Prefix }

func (e ErrBanOverlap) Error() string { return "overlaps the ban of " + e.With.String() }

// Ban is one line of the ban history.
type Ban struct {
	ID             int64
	Network        netip.Prefix
	ValidUntil     time.Time
	Reason         string
	TicketCode     string
	BannedByName   string
	CreatedAt      time.Time
	UnbannedAt     time.Time // zero unless lifted
	UnbannedByName string
}

// Holds reports whether the ban still holds at now.
func (b Ban) Holds(now time.Time) bool { return b.UnbannedAt.IsZero() && now.Before(b.ValidUntil) }

// BanInput is a new ban.
type BanInput struct {
	Network    netip.Prefix
	ValidUntil time.Time
	Reason     string
	TicketCode string // "" when it came from no ticket
}

// ParseNetwork reads an address ("192.0.2.7", "2001:db8::1") or a CIDR range
// ("192.0.2.0/24") as a range in its canonical form; an address is a range
// of one. IPv4 written as IPv6 ("::ffff:192.0.2.7") is taken as IPv4.
func ParseNetwork(s string) (netip.Prefix, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		if a.Zone() != "" {
			return netip.Prefix{}, false
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	if p.Addr().Is4In6() {
		if p.Bits() < 96 {
			return netip.Prefix{}, false
		}
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p.Masked(), true
}

// AddBan stores a ban. A ban that names a ticket marks the ticket Spam in
// the same transaction.
func (s *Store) AddBan(ctx context.Context, actorID int64, in BanInput) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		a, err := s.loadActor(ctx, tx, actorID, authz.BansManage)
		if err != nil {
			return err
		}
		now := s.nowMs()
		if in.ValidUntil.UnixMilli() <= now {
			return RuleError{RuleBanInPast}
		}
		holding, err := holdingBans(ctx, tx, now)
		if err != nil {
			return err
		}
		for _, b := range holding {
			if b.Network.Overlaps(in.Network) {
				return ErrBanOverlap{With: b.Network}
			}
		}
		var ticket *ticketState
		if in.TicketCode != "" {
			t, err := s.lockTicket(ctx, tx, authz.Viewer{ID: a.ID, Perms: a.Perms}, in.TicketCode)
			if errors.Is(err, ErrNotFound) {
				return RuleError{RuleBanNoTicket}
			}
			if err != nil {
				return err
			}
			ticket = &t
		}
		var ticketID any
		if ticket != nil {
			ticketID = ticket.id
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO bans (network, valid_until, reason, ticket_id, banned_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, in.Network.String(), in.ValidUntil.UnixMilli(), in.Reason, ticketID, a.ID, now).Scan(&id); err != nil {
			return err
		}
		details := in.Network.String() + " until " + in.ValidUntil.UTC().Format(time.RFC3339)
		if in.TicketCode != "" {
			details += ", ticket " + in.TicketCode
		}
		if err := audit(ctx, tx, now, AuditEntry{ActorID: a.ID, Action: ActionBanAdd, TargetType: "ban", TargetID: id, Details: details}); err != nil {
			return err
		}
		if ticket != nil && ticket.status != TicketSpam && ticket.status != TicketDeleted {
			return setStatus(ctx, tx, ticket, TicketSpam, 0, author{agentID: a.ID}, now)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: ban %s: %w", in.Network, err)
	}
	return id, nil
}

// Unban lifts a ban that holds; one that has ended is ErrNotFound.
func (s *Store) Unban(ctx context.Context, actorID, banID int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		a, err := s.loadActor(ctx, tx, actorID, authz.BansManage)
		if err != nil {
			return err
		}
		now := s.nowMs()
		var network string
		err = tx.QueryRowContext(ctx, `UPDATE bans SET unbanned_at = ?, unbanned_by = ?
			WHERE id = ? AND unbanned_at IS NULL AND valid_until > ? RETURNING network`, now, a.ID, banID, now).Scan(&network)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: a.ID, Action: ActionBanRemove, TargetType: "ban", TargetID: banID, Details: network})
	})
	if err != nil {
		return fmt.Errorf("store: unban %d: %w", banID, err)
	}
	return nil
}

// BanHistory returns up to limit bans older than beforeID (0: the newest),
// newest first, ended and lifted ones included.
func (s *Store) BanHistory(ctx context.Context, beforeID int64, limit int) ([]Ban, error) {
	if beforeID <= 0 {
		beforeID = 1 << 62
	}
	rows, err := s.rd.QueryContext(ctx, `SELECT b.id, b.network, b.valid_until, b.reason, coalesce(t.code, ''),
			coalesce(a.name, ''), b.created_at, coalesce(b.unbanned_at, 0), coalesce(u.name, '')
		FROM bans b
		LEFT JOIN tickets t ON t.id = b.ticket_id
		LEFT JOIN agents a ON a.id = b.banned_by
		LEFT JOIN agents u ON u.id = b.unbanned_by
		WHERE b.id < ? ORDER BY b.id DESC LIMIT ?`, beforeID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: ban history: %w", err)
	}
	defer rows.Close()
	var out []Ban
	for rows.Next() {
		var b Ban
		var network string
		var until, created, unbanned int64
		if err := rows.Scan(&b.ID, &network, &until, &b.Reason, &b.TicketCode, &b.BannedByName, &created, &unbanned, &b.UnbannedByName); err != nil {
			return nil, fmt.Errorf("store: ban history: %w", err)
		}
		b.Network, _ = netip.ParsePrefix(network)
		b.ValidUntil, b.CreatedAt = msToTime(until), msToTime(created)
		if unbanned != 0 {
			b.UnbannedAt = msToTime(unbanned)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// holdingBans reads the bans that hold at now.
func holdingBans(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, now int64) ([]Ban, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, network, valid_until FROM bans
		WHERE unbanned_at IS NULL AND valid_until > ?`, now)
	if err != nil {
		return nil, fmt.Errorf("bans that hold: %w", err)
	}
	defer rows.Close()
	var out []Ban
	for rows.Next() {
		var b Ban
		var network string
		var until int64
		if err := rows.Scan(&b.ID, &network, &until); err != nil {
			return nil, err
		}
		if b.Network, err = netip.ParsePrefix(network); err != nil {
			return nil, fmt.Errorf("ban %d: %w", b.ID, err)
		}
		b.ValidUntil = msToTime(until)
		out = append(out, b)
	}
	return out, rows.Err()
}

// IsBanned reports whether a ban holds for addr (an address as the web
// layer took it from the connection; one that does not parse is not
// banned). The list is read from the database and kept until the next
// commit, on any instance (notify.go), so a ban or an unban counts at once
// everywhere while checking costs no query.
func (s *Store) IsBanned(ctx context.Context, addr string) (bool, error) {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false, nil
	}
	list, err := remember(&s.mem, memoKey{What: memoBans}, func() (*BanList, error) {
		bans, err := holdingBans(ctx, s.rd, s.nowMs())
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		return NewBanList(bans), nil
	})
	if err != nil {
		return false, err
	}
	return list.Holds(a, s.now()), nil
}

// SenderIP is the address a ticket was sent from, for those who may ban it
// ("" for anyone else, and for tickets that came another way).
func (s *Store) SenderIP(ctx context.Context, v authz.Viewer, code string) (string, error) {
	if !v.Can(authz.BansManage) {
		return "", nil
	}
	scope, args := scopeSQL(v)
	var ip string
	err := s.rd.QueryRowContext(ctx, `SELECT coalesce(s.ip, '') FROM tickets t LEFT JOIN ticket_senders s ON s.ticket_id = t.id
		WHERE t.code = ? AND `+scope,
		append([]any{code}, args...)...).Scan(&ip)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: sender of ticket %s: %w", code, err)
	}
	return ip, nil
}

// NoteSender keeps the address a customer's latest message on a ticket
// came from (the customer's page).
func (s *Store) NoteSender(ctx context.Context, code, ip string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO ticket_senders (ticket_id, ip) SELECT id, ? FROM tickets WHERE code = ?
			ON CONFLICT (ticket_id) DO UPDATE SET ip = excluded.ip`, ip, code)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: sender of ticket %s: %w", code, err)
	}
	return nil
}

// CustomerReplyAsSpam keeps a message sent on a ticket's customer page from
// a banned address: as a Spam ticket of its own, from the same contact in
// the same department, so the ticket it was meant for neither opens again
// nor returns to the queue.
func (s *Store) CustomerReplyAsSpam(ctx context.Context, token, body, ip string) error {
	var in NewTicketInput
	err := s.rd.QueryRowContext(ctx, `SELECT t.department_id, t.subject, c.name, c.email
		FROM customer_links l JOIN tickets t ON t.id = l.ticket_id JOIN contacts c ON c.id = t.contact_id
		WHERE l.token = ?`, token).Scan(&in.DepartmentID, &in.Subject, &in.ContactName, &in.ContactEmail)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("store: customer reply as spam: %w", err)
	}
	in.Subject = truncate("Re: "+in.Subject, desk.MaxSubject)
	in.Body, in.Channel, in.Priority = body, ChannelContactForm, desk.PriorityNormal
	in.SenderIP, in.Spam = ip, true
	_, err = s.CreateTicket(ctx, nil, in)
	return err
}

// CustomerLinkIssued reports whether token is the live link of a ticket
// that is not deleted, Spam included: the contact form's confirmation
// shows a banned sender the same page, link and all, as anyone else (the
// link itself opens no Spam ticket).
func (s *Store) CustomerLinkIssued(ctx context.Context, token string) (bool, error) {
	if token == "" {
		return false, nil
	}
	var n int
	err := s.rd.QueryRowContext(ctx, `SELECT count(*) FROM customer_links l JOIN tickets t ON t.id = l.ticket_id
		WHERE l.token = ? AND t.status <> 'deleted'`, token).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: customer link: %w", err)
	}
	return n > 0, nil
}
