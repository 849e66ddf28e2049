package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"helpline/billing"
	"helpline/store"
	"helpline/views"
)

// My account (SPEC §6.4): plan, seats, invoices, billing information,
// payments and stopping the account, for Owners only (billing:manage).

// payments is the step every recorded payment passes before it is stored:
// the configured provider, or by default the manual one, which calls nobody.
func (s *Server) payments() billing.PaymentProvider {
	if s.cfg.Payments != nil {
		return s.cfg.Payments
	}
	return billing.ManualPayments{}
}

func (s *Server) accountShow(c echo.Context) error {
	ctx := c.Request().Context()
	sub, err := s.st.Subscription(ctx)
	if err != nil {
		return err
	}
	history, err := s.st.SeatHistory(ctx, 50)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.PlanPage(views.AccountPlanProps{Sub: sub, Now: s.now(), History: history}), nil)
}

// now is the store's clock, so pages agree with what the store decides.
func (s *Server) now() time.Time {
	return s.st.Now()
}

func (s *Server) planShow(c echo.Context) error {
	ctx := c.Request().Context()
	sub, err := s.st.Subscription(ctx)
	if err != nil {
		return err
	}
	p := views.ChangePlanProps{Sub: sub, Plan: sub.Plan, Cycle: sub.NextCycle, Errors: views.FieldErrors{}}
	if c.QueryParam("plan") == "" && c.QueryParam("cycle") == "" {
		return s.render(c, http.StatusOK, views.ChangePlanPage(p), nil)
	}
	f := newForm(c)
	p.Plan, p.Cycle = s.planChoice(f)
	if !f.ok() {
		p.Errors = f.errs
		return s.render(c, http.StatusUnprocessableEntity, views.ChangePlanPage(p), nil)
	}
	preview, err := s.st.PreviewPlanChange(ctx, p.Plan, p.Cycle)
	if err != nil {
		return err
	}
	p.Preview = &preview
	return s.render(c, http.StatusOK, views.ChangePlanPage(p), nil)
}

func (s *Server) planChoice(f *form) (billing.Plan, billing.Cycle) {
	plan := billing.Plan(f.c.FormValue("plan"))
	cycle := billing.Cycle(f.c.FormValue("cycle"))
	if !plan.Valid() {
		f.fail("plan", "ErrInvalidChoice", nil)
	}
	if !cycle.Valid() {
		f.fail("cycle", "ErrInvalidChoice", nil)
	}
	return plan, cycle
}

func (s *Server) planChange(c echo.Context) error {
	ctx := c.Request().Context()
	f := newForm(c)
	plan, cycle := s.planChoice(f)
	if !f.ok() {
		sub, err := s.st.Subscription(ctx)
		if err != nil {
			return err
		}
		return s.render(c, http.StatusUnprocessableEntity, views.ChangePlanPage(views.ChangePlanProps{Sub: sub, Plan: plan, Cycle: cycle, Errors: f.errs}), nil)
	}
	if err := s.st.ChangePlan(ctx, currentAgent(c).ID, plan, cycle, c.RealIP()); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "PlanChanged", map[string]any{"Plan": views.PlanName(ctx, plan), "Cycle": views.CycleName(ctx, cycle)}))
	return s.redirect(c, views.PathAccount)
}

func (s *Server) invoicesList(c echo.Context) error {
	ctx := c.Request().Context()
	list, err := s.st.Invoices(ctx)
	if err != nil {
		return err
	}
	sub, err := s.st.Subscription(ctx)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.InvoicesPage(views.InvoicesProps{Invoices: list, Credit: sub.Credit}), nil)
}

func (s *Server) invoice(c echo.Context) (store.Invoice, error) {
	id, err := pathID(c)
	if err != nil {
		return store.Invoice{}, err
	}
	return s.st.InvoiceByID(c.Request().Context(), id)
}

func (s *Server) invoiceShow(c echo.Context) error {
	in, err := s.invoice(c)
	if err != nil {
		return err
	}
	v := views.PaymentValues{Date: s.now().In(views.Zone(c.Request().Context())).Format(time.DateOnly), Amount: in.Outstanding().String()}
	return s.render(c, http.StatusOK, views.InvoicePage(views.InvoiceProps{Invoice: in, Values: v, Errors: views.FieldErrors{}, CreditErrors: views.FieldErrors{}}), nil)
}

func (s *Server) paymentCreate(c echo.Context) error {
	ctx := c.Request().Context()
	in, err := s.invoice(c)
	if err != nil {
		return err
	}
	if in.Kind != store.KindInvoice {
		return store.ErrNotFound // a credit note is not paid
	}
	f := newForm(c)
	v := views.PaymentValues{
		Date:      strings.TrimSpace(c.FormValue("paid_on")),
		Amount:    strings.TrimSpace(c.FormValue("amount")),
		Reference: f.text("reference", false, 100),
	}
	on, err := time.Parse(time.DateOnly, v.Date)
	switch {
	case v.Date == "":
		f.fail("paid_on", "ErrRequired", nil)
	case err != nil:
		f.fail("paid_on", "ErrDate", nil)
	case on.After(s.now().Add(24 * time.Hour)):
		f.fail("paid_on", "ErrPaidInFuture", nil)
	}
	amount, err := billing.ParseAmount(v.Amount)
	switch {
	case v.Amount == "":
		f.fail("amount", "ErrRequired", nil)
	case err != nil:
		f.fail("amount", "ErrAmount", nil)
	case amount <= 0:
		f.fail("amount", "ErrAmountZero", nil)
	}
	if !f.ok() {
		p := views.InvoiceProps{Invoice: in, Values: v, Errors: f.errs, CreditErrors: views.FieldErrors{}}
		return s.render(c, http.StatusUnprocessableEntity, views.InvoicePage(p), views.PaymentForm(p))
	}
	pay, err := s.payments().Collect(ctx, in.Number, billing.Payment{On: on, Amount: amount, Reference: v.Reference})
	if err != nil {
		// Declined or unreachable: nothing is recorded, and the Owner sees
		// why next to the amount.
		s.log.Warn("payment not taken", "invoice", in.Number, "err", err)
		f.fail("amount", "ErrPaymentNotTaken", nil)
		p := views.InvoiceProps{Invoice: in, Values: v, Errors: f.errs, CreditErrors: views.FieldErrors{}}
		return s.render(c, http.StatusUnprocessableEntity, views.InvoicePage(p), views.PaymentForm(p))
	}
	if err := s.st.RecordPayment(ctx, currentAgent(c).ID, in.ID, pay, c.RealIP()); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "PaymentRecorded", map[string]any{"Number": in.Number}))
	return s.redirect(c, views.WithID(views.PathAccountInvoice, in.ID))
}

func (s *Server) billingInfoShow(c echo.Context) error {
	sub, err := s.st.Subscription(c.Request().Context())
	if err != nil {
		return err
	}
	return s.billingInfoPage(c, http.StatusOK, sub.Info, nil)
}

func (s *Server) billingInfoPage(c echo.Context, status int, v store.BillingInfo, errs views.FieldErrors) error {
	if errs == nil {
		errs = views.FieldErrors{}
	}
	p := views.BillingInfoProps{Values: v, Errors: errs, Countries: billing.Countries(views.Lang(c.Request().Context()))}
	return s.render(c, status, views.BillingInfoPage(p), views.BillingInfoForm(p))
}

func (s *Server) billingInfoSave(c echo.Context) error {
	f := newForm(c)
	v := store.BillingInfo{
		Company: f.text("company", true, 200),
		Address: strings.TrimSpace(c.FormValue("address")),
		Country: strings.ToUpper(strings.TrimSpace(c.FormValue("country"))),
		VATID:   strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(c.FormValue("vat_id")), " ", "")),
		Email:   strings.TrimSpace(c.FormValue("billing_email")),
	}
	if v.Address != "" && !plainText(v.Address, true) {
		f.fail("address", "ErrInvalidChoice", nil)
	}
	for _, e := range store.CheckBillingInfo(v) {
		f.fail(e.Field, e.MsgID, map[string]any{"Max": store.BillingFieldMax(e.Field)})
	}
	if !f.ok() {
		return s.billingInfoPage(c, http.StatusUnprocessableEntity, v, f.errs)
	}
	err := s.st.SaveBillingInfo(c.Request().Context(), currentAgent(c).ID, v, c.RealIP())
	var be store.BillingInfoError
	if errors.As(err, &be) {
		return echo.ErrBadRequest // the form's checks let through what the store refuses
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "BillingInfoSaved"))
	return s.redirect(c, views.PathAccountBilling)
}

func (s *Server) stopConfirm(c echo.Context) error {
	sub, err := s.st.Subscription(c.Request().Context())
	if err != nil {
		return err
	}
	if sub.Stopped() {
		return s.redirect(c, views.PathAccount)
	}
	return s.render(c, http.StatusOK, views.StopPage(views.StopProps{EndsAt: sub.Period.End}), nil)
}

func (s *Server) stopAccount(c echo.Context) error {
	ends, err := s.st.StopAccount(c.Request().Context(), currentAgent(c).ID, c.RealIP())
	if errors.Is(err, store.ErrAlreadyStopped) {
		return s.redirect(c, views.PathAccount)
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "AccountStopped", map[string]any{"Date": views.BillingDate(c.Request().Context(), ends)}))
	return s.redirect(c, views.PathAccount)
}

func (s *Server) resumeAccount(c echo.Context) error {
	err := s.st.ResumeAccount(c.Request().Context(), currentAgent(c).ID, c.RealIP())
	if err != nil && !errors.Is(err, store.ErrNotStopped) {
		return err
	}
	flash(c, views.FlashSuccess, t(c, "AccountResumed"))
	return s.redirect(c, views.PathAccount)
}

func (s *Server) creditNoteCreate(c echo.Context) error {
	ctx := c.Request().Context()
	in, err := s.invoice(c)
	if err != nil {
		return err
	}
	if in.Kind != store.KindInvoice {
		return store.ErrNotFound // credit notes correct invoices only
	}
	f := newForm(c)
	raw := strings.TrimSpace(c.FormValue("credit_amount"))
	amount, err := billing.ParseAmount(raw)
	switch {
	case raw == "":
		f.fail("credit_amount", "ErrRequired", nil)
	case err != nil:
		f.fail("credit_amount", "ErrAmount", nil)
	case amount <= 0:
		f.fail("credit_amount", "ErrAmountZero", nil)
	case amount > in.Creditable():
		f.fail("credit_amount", "ErrCreditAmount", map[string]any{"Amount": views.Money(ctx, in.Creditable())})
	}
	if !f.ok() {
		p := views.InvoiceProps{Invoice: in, Errors: views.FieldErrors{}, CreditAmount: raw, CreditErrors: f.errs,
			Values: views.PaymentValues{Date: s.now().In(views.Zone(ctx)).Format(time.DateOnly), Amount: in.Outstanding().String()}}
		return s.render(c, http.StatusUnprocessableEntity, views.InvoicePage(p), views.CreditNoteForm(p))
	}
	id, err := s.st.IssueCreditNote(ctx, currentAgent(c).ID, in.ID, amount, c.RealIP())
	if errors.Is(err, store.ErrCreditAmount) {
		return echo.ErrConflict // credited meanwhile by someone else
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, tf(c, "CreditNoteIssued", map[string]any{"Number": in.Number}))
	return s.redirect(c, views.WithID(views.PathAccountInvoice, id))
}
