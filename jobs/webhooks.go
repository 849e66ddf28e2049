package jobs

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"helpline/store"
)

// Webhook deliveries go out with the email: the same worker, on one
// instance at a time, trying again with back-off (store.WebhookFailed).
// docs/WEBHOOKS.md tells receivers how to check the signature.

// Headers of a delivery.
const (
	HeaderSignature = "Helpline-Signature" // t=<unix seconds>,v1=<hex HMAC-SHA256>
	HeaderEvent     = "Helpline-Event"
	HeaderEventID   = "Helpline-Event-Id" // the same on every delivery of one event
)

// WebhookTimeout bounds one try, from connecting to the end of the answer.
const WebhookTimeout = 10 * time.Second

// webhookBatch bounds the deliveries one round tries; webhookRounds bounds
// how many times a round follows another at once, so the next delivery of
// a ticket goes as soon as the one before it is through.
const (
	webhookBatch  = 50
	webhookRounds = 20
)

// WebhookClient is the HTTP client deliveries go out with: bounded in
// time, and never following a redirect, which could lead a delivery to a
// URL the form would refuse.
func WebhookClient() *http.Client {
	return &http.Client{
		Timeout: WebhookTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// SignWebhook is the value of the signature header for body sent at t:
// HMAC-SHA256 with the webhook's secret over the Unix time in seconds, a
// dot, and the body.
func SignWebhook(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// DeliverWebhooks sends the deliveries that are due and records each
// outcome; it returns how many were taken.
func DeliverWebhooks(ctx context.Context, st *store.Store, client *http.Client, log *slog.Logger) (int, error) {
	sent := 0
	// Receivers that gave no answer this time: their other deliveries wait
	// for the next run rather than each wait for a timeout, so one receiver
	// that is away does not hold up the others (nor the email).
	away := map[int64]bool{}
	for range webhookRounds {
		due, err := st.DueWebhookDeliveries(ctx, webhookBatch)
		if err != nil || len(due) == 0 {
			return sent, err
		}
		progress := 0
		for _, d := range due {
			if ctx.Err() != nil {
				return sent, nil
			}
			if away[d.WebhookID] {
				continue
			}
			code, response, err := postWebhook(ctx, client, d)
			if err == nil && code >= 200 && code < 300 {
				if err := st.WebhookDelivered(ctx, d.ID, code, response); err != nil {
					return sent, err
				}
				sent++
				progress++
				continue
			}
			reason := ""
			if err != nil {
				reason = err.Error()
				away[d.WebhookID] = true
			}
			log.Warn("webhook not delivered", "webhook", d.WebhookID, "event", d.Event, "attempt", d.Attempts+1, "status", code, "err", err)
			if err := st.WebhookFailed(ctx, d.ID, code, response, reason); err != nil {
				return sent, err
			}
		}
		// Only a delivery that went through lets a ticket's next one go.
		if progress == 0 {
			return sent, nil
		}
	}
	return sent, nil
}

// postWebhook sends one delivery: the status code and the start of the
// answer, or why none came.
func postWebhook(ctx context.Context, client *http.Client, d store.DueWebhook) (int, string, error) {
	ctx, cancel := context.WithTimeout(ctx, WebhookTimeout)
	defer cancel()
	body := []byte(d.Payload)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Helpline-Webhooks/1")
	req.Header.Set(HeaderEvent, string(d.Event))
	req.Header.Set(HeaderEventID, d.EventID)
	req.Header.Set(HeaderSignature, SignWebhook(d.Secret, time.Now(), body))
	resp, err := client.Do(req)
	if err != nil {
		var uerr interface{ Timeout() bool }
		if errors.As(err, &uerr) && uerr.Timeout() {
			return 0, "", fmt.Errorf("no answer within %s", WebhookTimeout)
		}
		return 0, "", err
	}
	defer resp.Body.Close()
	excerpt, _ := io.ReadAll(io.LimitReader(resp.Body, store.WebhookResponseLimit+1))
	// Read a little of the rest, so the connection can be used again.
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	return resp.StatusCode, string(excerpt), nil
}
