package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"helpline/authz"
)

// Webhooks (Channels → Webhooks, SPEC §6.8): receivers told of what happens
// to tickets. The events are written in the transaction of the change
// (webhook_events.go) and sent by the outbox worker (jobs), so a receiver
// that is away never holds up or loses a change.

// WebhookEvent names what a delivery tells of.
type WebhookEvent string

const (
	HookTicketCreated     WebhookEvent = "ticket.created"
	HookMessageAdded      WebhookEvent = "message.added"
	HookStatusChanged     WebhookEvent = "ticket.status_changed"
	HookTicketAssigned    WebhookEvent = "ticket.assigned"
	HookTicketTransferred WebhookEvent = "ticket.transferred"
)

// WebhookEvents lists the events in the order the form offers them.
var WebhookEvents = []WebhookEvent{HookTicketCreated, HookMessageAdded, HookStatusChanged, HookTicketAssigned, HookTicketTransferred}

// Audit actions of Channels → Webhooks.
const (
	ActionWebhookCreate      AuditAction = "webhook.create"
	ActionWebhookUpdate      AuditAction = "webhook.update"
	ActionWebhookRemove      AuditAction = "webhook.remove"
	ActionWebhookRedeliver   AuditAction = "webhook.redeliver"
	maxWebhookURL                        = 2000
	webhookSecretPrefix                  = "whsec_"
	webhookSecretRandomBytes             = 32
)

// Webhook is a receiver of events. Secret is in clear only in memory.
type Webhook struct {
	ID        int64
	URL       string
	Events    []WebhookEvent
	Secret    string
	Active    bool
	CreatedAt time.Time
	// Pending and Failed count its deliveries waiting to be sent and those
	// that were not delivered, for the list.
	Pending, Failed int
}

// Wants reports whether the webhook receives ev.
func (w Webhook) Wants(ev WebhookEvent) bool { return slices.Contains(w.Events, ev) }

// WebhookInput is the webhook form. NewSecret replaces the secret on an
// update (a new webhook always gets one).
type WebhookInput struct {
	URL       string
	Events    []WebhookEvent
	Active    bool
	NewSecret bool
}

// WebhookURLProblem says why a URL cannot receive webhooks.
type WebhookURLProblem string

const (
	WebhookURLMissing  WebhookURLProblem = "missing"
	WebhookURLInvalid  WebhookURLProblem = "invalid"   // not an absolute http(s) URL with a host
	WebhookURLPlainWeb WebhookURLProblem = "plain_web" // http to anything but this machine
)

// ErrInvalidWebhook reports a webhook the store refuses: a URL that
// CheckWebhookURL refuses, or no known event.
var ErrInvalidWebhook = errors.New("store: a webhook needs an https URL (http only to this machine) and at least one event")

// CheckWebhookURL answers "" for a URL deliveries may go to: https
// anywhere, or plain http only to a loopback address (a receiver on the
// same machine, for trying things out). Anything else would carry the
// signed events, and the secret's worth, in clear over the network.
func CheckWebhookURL(raw string) WebhookURLProblem {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return WebhookURLMissing
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Hostname() == "" || u.User != nil || len(raw) > maxWebhookURL {
		return WebhookURLInvalid
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return ""
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return ""
		}
		return WebhookURLPlainWeb
	}
	return WebhookURLInvalid
}

// isLoopbackHost accepts localhost and loopback IP literals; any other
// name could resolve anywhere.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (in WebhookInput) normalized() (WebhookInput, error) {
	in.URL = strings.TrimSpace(in.URL)
	if CheckWebhookURL(in.URL) != "" {
		return in, ErrInvalidWebhook
	}
	var events []WebhookEvent
	for _, ev := range WebhookEvents {
		if slices.Contains(in.Events, ev) {
			events = append(events, ev)
		}
	}
	if len(events) == 0 || len(events) != len(in.Events) {
		return in, ErrInvalidWebhook
	}
	in.Events = events
	return in, nil
}

func joinEvents(evs []WebhookEvent) string {
	parts := make([]string, len(evs))
	for i, ev := range evs {
		parts[i] = string(ev)
	}
	return strings.Join(parts, ",")
}

func splitEvents(s string) []WebhookEvent {
	var out []WebhookEvent
	for _, p := range strings.Split(s, ",") {
		if p != "" {
			out = append(out, WebhookEvent(p))
		}
	}
	return out
}

// newWebhookSecret makes a signing secret: random, with a prefix that
// tells what it is when it turns up in a receiver's configuration.
func newWebhookSecret() string {
	b := make([]byte, webhookSecretRandomBytes)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return webhookSecretPrefix + base64.RawURLEncoding.EncodeToString(b)
}

const webhookColumns = `w.id, w.url, w.events, w.secret, w.active, w.created_at,
	(SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.status = 'pending'),
	(SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.status = 'failed')`

func (s *Store) scanWebhook(ctx context.Context, row interface{ Scan(...any) error }) (Webhook, error) {
	var w Webhook
	var events string
	var sealed []byte
	var active int64
	var created int64
	if err := row.Scan(&w.ID, &w.URL, &events, &sealed, &active, &created, &w.Pending, &w.Failed); err != nil {
		return Webhook{}, err
	}
	w.Events, w.Active, w.CreatedAt = splitEvents(events), active == 1, msToTime(created)
	var err error
	if w.Secret, err = s.openSecret(ctx, sealed); err != nil {
		return Webhook{}, err
	}
	return w, nil
}

// Webhooks lists every webhook, oldest first.
func (s *Store) Webhooks(ctx context.Context) ([]Webhook, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT `+webhookColumns+` FROM webhooks w ORDER BY w.id`)
	if err != nil {
		return nil, fmt.Errorf("store: webhooks: %w", err)
	}
	defer rows.Close()
	var out []Webhook
	for rows.Next() {
		w, err := s.scanWebhook(ctx, rows)
		if err != nil {
			return nil, fmt.Errorf("store: webhooks: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// WebhookByID returns one webhook with its secret.
func (s *Store) WebhookByID(ctx context.Context, id int64) (Webhook, error) {
	w, err := s.scanWebhook(ctx, s.rd.QueryRowContext(ctx, `SELECT `+webhookColumns+` FROM webhooks w WHERE w.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Webhook{}, ErrNotFound
	}
	if err != nil {
		return Webhook{}, fmt.Errorf("store: webhook %d: %w", id, err)
	}
	return w, nil
}

func activeFlag(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// CreateWebhook adds a receiver with a new secret; it returns its id.
func (s *Store) CreateWebhook(ctx context.Context, actorID int64, in WebhookInput, ip string) (int64, error) {
	in, err := in.normalized()
	if err != nil {
		return 0, err
	}
	sealed, err := s.sealSecret(ctx, newWebhookSecret())
	if err != nil {
		return 0, fmt.Errorf("store: create webhook: %w", err)
	}
	var id int64
	err = s.writeUnkept(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.SettingsManage); err != nil {
			return err
		}
		now := s.nowMs()
		if err := tx.QueryRowContext(ctx, `INSERT INTO webhooks (url, events, secret, active, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, in.URL, joinEvents(in.Events), sealed, activeFlag(in.Active), now, now).Scan(&id); err != nil {
			return err
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionWebhookCreate, TargetType: "webhook", TargetID: id,
			Details: in.URL + " " + joinEvents(in.Events), IP: ip})
	})
	if err != nil {
		return 0, fmt.Errorf("store: create webhook: %w", err)
	}
	return id, nil
}

// UpdateWebhook changes a receiver's URL, events and state, and gives it a
// new secret when asked. Deliveries already written keep going to it.
func (s *Store) UpdateWebhook(ctx context.Context, actorID, id int64, in WebhookInput, ip string) error {
	in, err := in.normalized()
	if err != nil {
		return err
	}
	var sealed []byte
	if in.NewSecret {
		if sealed, err = s.sealSecret(ctx, newWebhookSecret()); err != nil {
			return fmt.Errorf("store: update webhook %d: %w", id, err)
		}
	}
	err = s.writeUnkept(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.SettingsManage); err != nil {
			return err
		}
		now := s.nowMs()
		res, err := tx.ExecContext(ctx, `UPDATE webhooks SET url = ?, events = ?, active = ?, secret = coalesce(?, secret), updated_at = ?
			WHERE id = ?`, in.URL, joinEvents(in.Events), activeFlag(in.Active), sealed, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		details := in.URL + " " + joinEvents(in.Events)
		if !in.Active {
			details += " (inactive)"
		}
		if in.NewSecret {
			details += " (new secret)"
		}
		return audit(ctx, tx, now, AuditEntry{ActorID: actorID, Action: ActionWebhookUpdate, TargetType: "webhook", TargetID: id, Details: details, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: update webhook %d: %w", id, err)
	}
	return nil
}

// RemoveWebhook removes a receiver and its deliveries, sent or waiting.
func (s *Store) RemoveWebhook(ctx context.Context, actorID, id int64, ip string) error {
	err := s.writeUnkept(ctx, func(tx *sql.Tx) error {
		if _, err := s.loadActor(ctx, tx, actorID, authz.SettingsManage); err != nil {
			return err
		}
		var u string
		if err := tx.QueryRowContext(ctx, `SELECT url FROM webhooks WHERE id = ?`, id).Scan(&u); errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE webhook_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM webhooks WHERE id = ?`, id); err != nil {
			return err
		}
		return audit(ctx, tx, s.nowMs(), AuditEntry{ActorID: actorID, Action: ActionWebhookRemove, TargetType: "webhook", TargetID: id, Details: u, IP: ip})
	})
	if err != nil {
		return fmt.Errorf("store: remove webhook %d: %w", id, err)
	}
	return nil
}
