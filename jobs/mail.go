package jobs

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"helpline/mail"
	"helpline/store"
)

// Mail is the background work of email: sending the outbox (the emails
// and the webhook deliveries) and reading the mailboxes. baseURL is
// where customers open the desk, for the links in their emails.
func Mail(st *store.Store, baseURL string) []Job {
	hooks := WebhookClient()
	return []Job{
		alone(st, Job{Name: "send outbox", Every: 5 * time.Second, Run: func(ctx context.Context, log *slog.Logger) error {
			// A mail server that is away must not hold up the webhooks,
			// nor the other way round.
			_, mailErr := DeliverOutbox(ctx, st, baseURL, log)
			_, hookErr := DeliverWebhooks(ctx, st, hooks, log)
			return errors.Join(mailErr, hookErr)
		}}),
		alone(st, Job{Name: "purge webhook deliveries", Every: time.Hour, Run: func(ctx context.Context, log *slog.Logger) error {
			n, err := st.PurgeWebhookDeliveries(ctx)
			if n > 0 {
				log.Info("old webhook deliveries deleted", "count", n)
			}
			return err
		}}),
		alone(st, Job{Name: "check mailboxes", Every: time.Minute, Run: func(ctx context.Context, _ *slog.Logger) error {
			return mail.CheckAll(ctx, st)
		}}),
	}
}

// outboxBatch bounds the emails one round sends.
const outboxBatch = 50

// DeliverOutbox sends the emails that are due and records each outcome; it
// returns how many went out. Without mail settings it sends nothing and the
// emails wait.
func DeliverOutbox(ctx context.Context, st *store.Store, baseURL string, log *slog.Logger) (int, error) {
	due, err := st.DueMail(ctx, outboxBatch)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	cfg, err := st.MailSettings(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, out := range due {
		files, err := st.MessageFiles(ctx, out.ID)
		if err != nil {
			return sent, err
		}
		msg, err := mail.Reply(cfg, out, files, baseURL)
		if err == nil {
			err = mail.Send(ctx, cfg, msg)
		}
		if err != nil {
			reason, permanent := mail.Reason(err)
			log.Warn("email not sent", "ticket", out.Code, "attempt", out.Attempts+1, "err", err)
			if err := st.MailFailed(ctx, out.ID, reason, permanent); err != nil {
				return sent, err
			}
			// The server itself is away or refuses us: the others wait
			// for the next round rather than each wait for a timeout.
			if p, _ := mail.Explain(err); p != mail.ProblemRejected && p != mail.ProblemOther {
				return sent, nil
			}
			continue
		}
		if err := st.MailSent(ctx, out.ID); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}
