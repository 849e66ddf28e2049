package jobs

import (
	"context"
	"errors"
	"log/slog"
	"time"

	gomail "github.com/wneessen/go-mail"

	"helpline/mail"
	"helpline/store"
)

// Mail is the background work of email: sending the outbox (the emails
// and the webhook deliveries) and reading the mailboxes. baseURL is
// where customers open the desk, for the links in their emails;
// fileLimit is the largest attached file an email brings in (0: 10 MB).
func Mail(st *store.Store, baseURL string, fileLimit int64) []Job {
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
			return mail.CheckAll(ctx, st, fileLimit)
		}}),
	}
}

// outboxBatch bounds the emails one round sends.
const outboxBatch = 50

// DeliverOutbox sends the emails that are due (replies to requesters,
// then agents' notifications) and records each outcome; it returns how many
// went out. Without mail settings it sends nothing and the emails wait.
func DeliverOutbox(ctx context.Context, st *store.Store, baseURL string, log *slog.Logger) (int, error) {
	due, err := st.DueMail(ctx, outboxBatch)
	if err != nil {
		return 0, err
	}
	notices, err := st.DueNoticeMail(ctx, outboxBatch)
	if err != nil || len(due)+len(notices) == 0 {
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
	// try sends one email and records the outcome; it says whether to go
	// on: when the server itself is away or refuses us, the others wait
	// for the next round rather than each wait for a timeout.
	try := func(id int64, code string, attempts int, compose func() (*gomail.Msg, error)) (bool, error) {
		msg, err := compose()
		if err == nil {
			err = mail.Send(ctx, cfg, msg)
		}
		if err != nil {
			reason, permanent := mail.Reason(err)
			log.Warn("email not sent", "ticket", code, "attempt", attempts+1, "err", err)
			if err := st.MailFailed(ctx, id, reason, permanent); err != nil {
				return false, err
			}
			p, _ := mail.Explain(err)
			return p == mail.ProblemRejected || p == mail.ProblemOther, nil
		}
		if err := st.MailSent(ctx, id); err != nil {
			return false, err
		}
		sent++
		return true, nil
	}
	for _, out := range due {
		files, err := st.MessageFiles(ctx, out.ID)
		if err != nil {
			return sent, err
		}
		goOn, err := try(out.ID, out.Code, out.Attempts, func() (*gomail.Msg, error) { return mail.Reply(cfg, out, files, baseURL) })
		if err != nil || !goOn {
			return sent, err
		}
	}
	for _, n := range notices {
		goOn, err := try(n.ID, n.Code, n.Attempts, func() (*gomail.Msg, error) { return mail.Notice(cfg, n, baseURL) })
		if err != nil || !goOn {
			return sent, err
		}
	}
	return sent, nil
}
