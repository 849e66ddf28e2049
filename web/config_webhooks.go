package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"helpline/store"
	"helpline/views"
)

// Configuration → Channels → Webhooks: receivers of the desk's events,
// their signing secret, and what was delivered to them, with Redeliver.

func init() {
	auditActionLabels[store.ActionWebhookCreate] = "AuditWebhookCreate"
	auditActionLabels[store.ActionWebhookUpdate] = "AuditWebhookUpdate"
	auditActionLabels[store.ActionWebhookRemove] = "AuditWebhookRemove"
	auditActionLabels[store.ActionWebhookRedeliver] = "AuditWebhookRedeliver"
}

func (s *Server) webhooksList(c echo.Context) error {
	hooks, err := s.st.Webhooks(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderConfig(c, http.StatusOK, views.WebhooksPage(views.WebhookListProps{Rows: hooks}), nil)
}

// readWebhookForm reads and checks the form as the store will.
func readWebhookForm(c echo.Context) (views.WebhookValues, store.WebhookInput, *form) {
	f := newForm(c)
	url := f.text("url", true, 2000)
	v := views.WebhookValues{URL: url, Events: map[store.WebhookEvent]bool{}, Active: f.checked("active"), NewSecret: f.checked("new_secret")}
	if _, failed := f.errs["url"]; !failed {
		switch store.CheckWebhookURL(url) {
		case "":
		case store.WebhookURLPlainWeb:
			f.fail("url", "ErrHookPlainHTTP", nil)
		default:
			f.fail("url", "ErrHookURL", nil)
		}
	}
	in := store.WebhookInput{URL: url, Active: v.Active, NewSecret: v.NewSecret}
	known := map[string]bool{}
	for _, ev := range store.WebhookEvents {
		known[string(ev)] = true
	}
	params, _ := c.FormParams()
	for _, raw := range params["events"] {
		if !known[raw] {
			f.fail("events", "ErrInvalidChoice", nil)
			break
		}
		ev := store.WebhookEvent(raw)
		if !v.Events[ev] {
			v.Events[ev] = true
			in.Events = append(in.Events, ev)
		}
	}
	if len(in.Events) == 0 && f.errs["events"] == "" {
		f.fail("events", "ErrHookEvents", nil)
	}
	return v, in, f
}

func (s *Server) webhookFormPage(c echo.Context, status int, p views.WebhookFormProps) error {
	if p.Errors == nil {
		p.Errors = views.FieldErrors{}
	}
	if p.Values.Events == nil {
		p.Values.Events = map[store.WebhookEvent]bool{}
	}
	return s.renderConfig(c, status, views.WebhookFormPage(p), nil)
}

func (s *Server) webhookNew(c echo.Context) error {
	all := map[store.WebhookEvent]bool{}
	for _, ev := range store.WebhookEvents {
		all[ev] = true
	}
	return s.webhookFormPage(c, http.StatusOK, views.WebhookFormProps{Values: views.WebhookValues{Events: all, Active: true}})
}

// webhookCreate adds the webhook and opens it, where its new secret waits
// to be copied.
func (s *Server) webhookCreate(c echo.Context) error {
	v, in, f := readWebhookForm(c)
	if !f.ok() {
		return s.webhookFormPage(c, http.StatusUnprocessableEntity, views.WebhookFormProps{Values: v, Errors: f.errs})
	}
	id, err := s.st.CreateWebhook(c.Request().Context(), currentAgent(c).ID, in, c.RealIP())
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "WebhookCreated", nil))
	return s.redirect(c, views.WithID(views.PathWebhook, id))
}

func (s *Server) webhookFromPath(c echo.Context) (store.Webhook, error) {
	id, err := pathID(c)
	if err != nil {
		return store.Webhook{}, err
	}
	return s.st.WebhookByID(c.Request().Context(), id)
}

func hookValues(h store.Webhook) views.WebhookValues {
	v := views.WebhookValues{URL: h.URL, Active: h.Active, Events: map[store.WebhookEvent]bool{}}
	for _, ev := range h.Events {
		v.Events[ev] = true
	}
	return v
}

func (s *Server) webhookEdit(c echo.Context) error {
	h, err := s.webhookFromPath(c)
	if err != nil {
		return err
	}
	return s.webhookFormPage(c, http.StatusOK, views.WebhookFormProps{ID: h.ID, Secret: h.Secret, Values: hookValues(h)})
}

func (s *Server) webhookUpdate(c echo.Context) error {
	h, err := s.webhookFromPath(c)
	if err != nil {
		return err
	}
	v, in, f := readWebhookForm(c)
	if !f.ok() {
		return s.webhookFormPage(c, http.StatusUnprocessableEntity, views.WebhookFormProps{ID: h.ID, Secret: h.Secret, Values: v, Errors: f.errs})
	}
	if err := s.st.UpdateWebhook(c.Request().Context(), currentAgent(c).ID, h.ID, in, c.RealIP()); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "WebhookSaved", nil))
	if in.NewSecret {
		// Back to the form, where the new secret is to be copied.
		return s.redirect(c, views.WithID(views.PathWebhook, h.ID))
	}
	return s.redirect(c, views.PathWebhooks)
}

func (s *Server) webhookRemoveConfirm(c echo.Context) error {
	h, err := s.webhookFromPath(c)
	if err != nil {
		return err
	}
	return s.renderConfig(c, http.StatusOK, views.ConfirmPage(views.ConfirmProps{
		Title:  tf(c, "RemoveWebhookTitle", map[string]any{"URL": h.URL}),
		Body:   tf(c, "RemoveWebhookBody", nil),
		Action: views.WithID(views.PathWebhookRemove, h.ID),
		Back:   views.PathWebhooks,
	}), nil)
}

func (s *Server) webhookRemove(c echo.Context) error {
	h, err := s.webhookFromPath(c)
	if err != nil {
		return err
	}
	if err := s.st.RemoveWebhook(c.Request().Context(), currentAgent(c).ID, h.ID, c.RealIP()); err != nil {
		return err
	}
	return s.removed(c, tf(c, "WebhookRemoved", nil), views.PathWebhooks)
}

func (s *Server) webhookDeliveries(c echo.Context) error {
	h, err := s.webhookFromPath(c)
	if err != nil {
		return err
	}
	rows, err := s.st.WebhookDeliveries(c.Request().Context(), h.ID)
	if err != nil {
		return err
	}
	return s.renderConfig(c, http.StatusOK, views.WebhookDeliveriesPage(views.WebhookDeliveriesProps{Hook: h, Rows: rows}), nil)
}

// webhookRedeliver sends a delivery again: the outbox worker takes it on
// its next round.
func (s *Server) webhookRedeliver(c echo.Context) error {
	h, err := s.webhookFromPath(c)
	if err != nil {
		return err
	}
	deliveryID, err := strconv.ParseInt(c.Param("delivery"), 10, 64)
	if err != nil || deliveryID <= 0 {
		return echo.ErrNotFound
	}
	err = s.st.Redeliver(c.Request().Context(), currentAgent(c).ID, h.ID, deliveryID, c.RealIP())
	if errors.Is(err, store.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "HookRedelivering", nil))
	return s.redirect(c, views.WithID(views.PathWebhookDeliveries, h.ID))
}
