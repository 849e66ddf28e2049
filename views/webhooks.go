package views

import (
	"context"
	"strconv"
	"strings"
	"time"

	"helpline/store"
)

// Paths of Channels → Webhooks.
const (
	PathWebhooks          = "/config/webhooks"
	PathWebhookNew        = "/config/webhooks/new"
	PathWebhook           = "/config/webhooks/:id"
	PathWebhookRemove     = "/config/webhooks/:id/remove"
	PathWebhookDeliveries = "/config/webhooks/:id/deliveries"
	PathWebhookRedeliver  = "/config/webhooks/:id/deliveries/:delivery/redeliver"
)

// RedeliverPath is the Redeliver action of one delivery.
func RedeliverPath(hookID, deliveryID int64) string {
	return strings.Replace(WithID(PathWebhookRedeliver, hookID), ":delivery", strconv.FormatInt(deliveryID, 10), 1)
}

// WebhookRowID is a webhook's row in the list; DeliveryRowID a delivery's.
func WebhookRowID(id int64) string  { return "webhook-" + strconv.FormatInt(id, 10) }
func DeliveryRowID(id int64) string { return "delivery-" + strconv.FormatInt(id, 10) }

// WebhookListProps is the list of Channels → Webhooks.
type WebhookListProps struct {
	Rows []store.Webhook
}

// WebhookValues are the fields of the webhook form.
type WebhookValues struct {
	URL       string
	Events    map[store.WebhookEvent]bool
	Active    bool
	NewSecret bool
}

// WebhookFormProps is the add or edit form; Secret is shown on edit, to
// be copied into the receiver.
type WebhookFormProps struct {
	ID     int64
	Secret string
	Values WebhookValues
	Errors FieldErrors
}

// WebhookDeliveriesProps is a webhook's delivery list.
type WebhookDeliveriesProps struct {
	Hook store.Webhook
	Rows []store.WebhookDelivery
}

var hookEventLabels = map[store.WebhookEvent]string{
	store.HookTicketCreated:     "HookEventTicketCreated",
	store.HookMessageAdded:      "HookEventMessageAdded",
	store.HookStatusChanged:     "HookEventStatusChanged",
	store.HookTicketAssigned:    "HookEventTicketAssigned",
	store.HookTicketTransferred: "HookEventTicketTransferred",
}

// HookEventLabel names an event in the page's language.
func HookEventLabel(ctx context.Context, ev store.WebhookEvent) string {
	if id, ok := hookEventLabels[ev]; ok {
		return T(ctx, id)
	}
	return string(ev)
}

func hookEventsLabel(ctx context.Context, evs []store.WebhookEvent) string {
	parts := make([]string, len(evs))
	for i, ev := range evs {
		parts[i] = HookEventLabel(ctx, ev)
	}
	return strings.Join(parts, ", ")
}

func webhookFormTitle(ctx context.Context, id int64) string {
	if id == 0 {
		return T(ctx, "AddWebhook")
	}
	return T(ctx, "EditWebhook")
}

func webhookFormAction(id int64) string {
	if id == 0 {
		return PathWebhooks
	}
	return WithID(PathWebhook, id)
}

func deliveryStatusLabel(ctx context.Context, st store.DeliveryStatus) string {
	switch st {
	case store.DeliverySent:
		return T(ctx, "HookDelivered")
	case store.DeliveryFailed:
		return T(ctx, "HookNotDelivered")
	}
	return T(ctx, "HookWaiting")
}

func deliveryBadge(st store.DeliveryStatus) string {
	switch st {
	case store.DeliverySent:
		return "badge badge-success"
	case store.DeliveryFailed:
		return "badge badge-danger"
	}
	return "badge badge-warning"
}

// deliveryTime is when a delivery was last tried, or written if not yet.
func deliveryTime(d store.WebhookDelivery) time.Time {
	if !d.AttemptedAt.IsZero() {
		return d.AttemptedAt
	}
	return d.CreatedAt
}

func deliveryAnswer(ctx context.Context, d store.WebhookDelivery) string {
	if d.StatusCode != 0 {
		return strconv.Itoa(d.StatusCode)
	}
	if d.Attempts == 0 {
		return ""
	}
	return T(ctx, "HookNoAnswer")
}

// deliveryResponse is the receiver's answer, or why none came.
func deliveryResponse(d store.WebhookDelivery) string {
	if d.Response != "" {
		return d.Response
	}
	return d.Error
}
