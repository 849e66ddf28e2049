package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"helpline/authz"
	"helpline/billing"
	"helpline/security"
	"helpline/store"
	"helpline/views"
)

// billingClock is a clock a test moves by hand.
type billingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *billingClock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *billingClock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// billingApp is a test app whose store runs on a clock the test moves,
// from before the team signs up.
func billingApp(t *testing.T) (*testApp, *billingClock) {
	app := newTestApp(t)
	clk := &billingClock{t: time.Now().UTC().Truncate(time.Second)}
	app.st.SetClock(clk.now)
	return app, clk
}

// endTrial moves the clock past the trial and renews: the first invoice.
func endTrial(t *testing.T, app *testApp, clk *billingClock) store.Subscription {
	t.Helper()
	ctx := context.Background()
	sub, err := app.st.Subscription(ctx)
	if err != nil {
		t.Fatal(err)
	}
	clk.set(sub.Period.End.Add(time.Minute))
	if n, err := app.st.RenewDue(ctx); err != nil || n != 1 {
		t.Fatalf("renewal at the end of the trial: %d, %v", n, err)
	}
	sub, _ = app.st.Subscription(ctx)
	return sub
}

// billingRoutes walks the route table for every My account route, with
// invoiceID in place of :id. Every route under /account must need
// billing:manage and nothing else, and every route that needs billing:manage
// must be under /account, so a route added later is walked too.
func billingRoutes(t *testing.T, app *testApp, invoiceID int64) [][2]string {
	t.Helper()
	var out [][2]string
	for _, r := range app.srv.routes() {
		billingOnly := len(r.perm.anyOf) == 1 && r.perm.anyOf[0] == authz.BillingManage
		needsBilling := false
		for _, p := range r.perm.anyOf {
			needsBilling = needsBilling || p == authz.BillingManage
		}
		underAccount := r.path == views.PathAccount || strings.HasPrefix(r.path, views.PathAccount+"/")
		if underAccount != billingOnly || needsBilling != billingOnly {
			t.Errorf("route %s %s: under My account %v, needs only billing:manage %v, needs it at all %v", r.method, r.path, underAccount, billingOnly, needsBilling)
		}
		if underAccount {
			out = append(out, [2]string{r.method, strings.ReplaceAll(r.path, ":id", strconv.FormatInt(invoiceID, 10))})
		}
	}
	if len(out) < 13 {
		t.Fatalf("only %d My account routes in the table: %v", len(out), out)
	}
	return out
}

func TestBilling_MyAccountIsForOwnersOnlyEveryoneElseGets403(t *testing.T) {
	app, clk := billingApp(t)
	tm := app.team()
	ctx := context.Background()
	all := authz.Set(0)
	for _, in := range authz.Catalogue() {
		all = all.With(in.Perm)
	}
	role, err := app.st.CreateCustomRole(ctx, tm.creator.ID, store.CustomRoleInput{Name: "Everything offered", Perms: all}, "")
	if err != nil {
		t.Fatal(err)
	}
	custom := app.addAgent(tm.creator.ID, "Cora Custom", role)
	endTrial(t, app, clk)
	invoices, _ := app.st.Invoices(ctx)
	routes := billingRoutes(t, app, invoices[0].ID)
	form := url.Values{"plan": {"small"}, "cycle": {"monthly"}, "company": {"X"}, "address": {"Y"}, "country": {"PL"},
		"billing_email": {"x@example.com"}, "paid_on": {"2026-01-01"}, "amount": {"1"}, "credit_amount": {"1"}}
	for name, who := range map[string]store.Agent{"administrator": tm.admin, "agent": tm.agent, "custom role": custom} {
		c := app.signedIn(who)
		home := c.get(views.PathTickets).wantStatus(http.StatusOK).doc()
		if home.Find(`.mainnav a[href="`+views.PathAccount+`"]`).Length() != 0 {
			t.Errorf("%s sees My account in the navigation", name)
		}
		for _, r := range routes {
			var res *response
			if r[0] == http.MethodGet {
				res = c.get(r[1])
			} else {
				res = c.post(r[1], form)
			}
			if res.status != http.StatusForbidden {
				t.Errorf("%s: %s %s answered %d, want 403", name, r[0], r[1], res.status)
			}
		}
	}
	sub, _ := app.st.Subscription(ctx)
	if sub.Plan != billing.Medium || sub.Stopped() || sub.Info.Company != "Acme" {
		t.Fatalf("someone else changed billing: %+v", sub)
	}
	anon := app.client()
	for _, r := range routes {
		if r[0] == http.MethodGet {
			if res := anon.get(r[1]); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), views.PathSignIn) {
				t.Errorf("anonymous GET %s answered %d %s", r[1], res.status, res.header.Get("Location"))
			}
		}
	}
	for _, who := range []store.Agent{tm.creator, tm.owner} {
		c := app.signedIn(who)
		page := c.get(views.PathAccount).wantStatus(http.StatusOK).doc()
		if page.Find(`.mainnav a[href="`+views.PathAccount+`"]`).Text() != "My account" {
			t.Errorf("%s does not see My account", who.Name)
		}
	}
}

func TestBilling_PlanPageShowsTrialSeatsAndRenewal(t *testing.T) {
	app, _ := billingApp(t)
	tm := app.team() // four seats
	c := app.signedIn(tm.creator)
	page := c.get(views.PathAccount).wantStatus(http.StatusOK)
	if got := page.text("#seats-in-use"); got != "4" {
		t.Errorf("seats in use %q", got)
	}
	if got := page.text("#trial-days-left"); got != "14" {
		t.Errorf("trial days left %q", got)
	}
	if got := page.text("#renewal-amount"); got != "$140.00 plus VAT" {
		t.Errorf("renewal amount %q", got)
	}
	if got := page.text("#seat-history tbody tr:first-child"); !strings.Contains(got, "Alice Agent added") || !strings.Contains(got, "3 → 4") || !strings.Contains(got, tm.creator.Name) {
		t.Errorf("seat history %q", got)
	}
	sub, _ := app.st.Subscription(context.Background())
	facts := page.text("#plan-summary")
	for _, want := range []string{"Medium", "Trial", "Monthly", "$35.00 per agent per month", views.BillingDate(ctxIn("en"), sub.Period.End)} {
		if !strings.Contains(facts, want) {
			t.Errorf("the plan summary lacks %q: %q", want, facts)
		}
	}
	// Change plan lists the four plans with both prices.
	plans := c.get(views.PathAccountPlan).wantStatus(http.StatusOK)
	rows := plans.doc().Find("table.plans tbody tr")
	if rows.Length() != 4 {
		t.Fatalf("%d plans offered", rows.Length())
	}
	for i, want := range []string{"Small | $19.00 per agent per month | $15.00 per agent per month", "Medium current | $35.00 per agent per month | $29.00 per agent per month",
		"Large | $59.00 per agent per month | $49.00 per agent per month", "Enterprise | $85.00 per agent per month | $69.00 per agent per month"} {
		var cells []string
		rows.Eq(i).Find("th, td").Each(func(_ int, c *goquery.Selection) { cells = append(cells, strings.Join(strings.Fields(c.Text()), " ")) })
		if got := strings.Join(cells, " | "); got != want {
			t.Errorf("plan %d: %q, want %q", i, got, want)
		}
	}
}

func TestBilling_ChangePlanShowsCostBeforeConfirmingAndAmountsPerLanguage(t *testing.T) {
	app, clk := billingApp(t)
	tm := app.team()
	ctx := context.Background()
	sub := endTrial(t, app, clk) // Medium monthly, 4 seats
	clk.set(sub.Period.End.AddDate(0, 0, -10))
	c := app.signedIn(tm.creator)
	// (59 − 35) × 4 × 10 / days of the period, half-up; a year at 49.
	days := sub.Period.Days()
	now := billing.ProRata(billing.Cents(96, 0), 10, days)
	page := c.get(views.PathAccountPlan + "?plan=large&cycle=yearly").wantStatus(http.StatusOK)
	if got := page.text("#cost-now"); got != views.Money(ctxIn("en"), now)+" plus VAT" {
		t.Fatalf("cost now %q, want %s", got, now)
	}
	if got := page.text("#cost-at-renewal"); got != "$2,352.00 plus VAT" {
		t.Fatalf("cost at renewal %q", got)
	}
	if s, _ := app.st.Subscription(ctx); s.Plan != billing.Medium {
		t.Fatal("showing the cost changed the plan")
	}
	c.get(views.PathAccountPlan + "?plan=huge&cycle=yearly").wantStatus(http.StatusUnprocessableEntity).wantContains("Please choose one of the offered options.")
	c.post(views.PathAccountPlan, url.Values{"plan": {"large"}, "cycle": {"weekly"}}).wantStatus(http.StatusUnprocessableEntity)
	c.post(views.PathAccountPlan, url.Values{"plan": {"large"}, "cycle": {"yearly"}}).wantRedirect(views.PathAccount)
	s, _ := app.st.Subscription(ctx)
	if s.Plan != billing.Large || s.NextCycle != billing.Yearly || s.Cycle != billing.Monthly {
		t.Fatalf("after the change: %+v", s)
	}
	log, _ := app.st.AuditLog(ctx, 0, 3)
	found := false
	for _, e := range log {
		found = found || (e.Action == store.ActionBillingPlan && e.ActorID == tm.creator.ID)
	}
	if !found {
		t.Fatalf("no audit entry of the plan change: %+v", log)
	}
	// In Polish: 4 × 49 × 12 = 2 352,00 with a no-break space.
	if err := app.st.UpdateProfile(ctx, tm.creator.ID, store.ProfileInput{Name: tm.creator.Name, Language: "pl"}, ""); err != nil {
		t.Fatal(err)
	}
	pl := c.get(views.PathAccountPlan + "?plan=large&cycle=yearly").wantStatus(http.StatusOK)
	if got := pl.doc().Find("#cost-at-renewal").Text(); !strings.Contains(got, "2\u00a0352,00\u00a0USD") {
		t.Fatalf("Polish amount %q", got)
	}
}

func ctxIn(lang string) context.Context {
	return views.WithEnv(context.Background(), &views.Env{Lang: lang, Localizer: views.Localizer(lang)})
}

func TestBilling_BillingInformationBadInputIs422NextToTheFieldAndStoresNothing(t *testing.T) {
	app, _ := billingApp(t)
	tm := app.team()
	c := app.signedIn(tm.creator)
	good := url.Values{"company": {"Acme GmbH"}, "address": {"Hauptstraße 1\n10115 Berlin"}, "country": {"DE"}, "vat_id": {"de 123456789"}, "billing_email": {"billing@acme.example"}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for key, vs := range good {
			f[key] = vs
		}
		f.Set(k, v)
		return f
	}
	for field, form := range map[string]url.Values{
		"company":       with("company", " "),
		"address":       with("address", ""),
		"country":       with("country", "XX"),
		"vat_id":        with("vat_id", "123"),
		"billing_email": with("billing_email", "nope"),
	} {
		res := c.post(views.PathAccountBilling, form).wantStatus(http.StatusUnprocessableEntity)
		if res.doc().Find("#f-"+field+"-error").Length() != 1 {
			t.Errorf("%s: no message next to the field", field)
		}
	}
	if sub, _ := app.st.Subscription(context.Background()); sub.Info.Country != "" {
		t.Fatalf("bad input stored: %+v", sub.Info)
	}
	page := c.get(views.PathAccountBilling).doc()
	if page.Find(`#f-country option[value="PL"]`).Text() != "Poland" {
		t.Fatal("the country list does not name Poland")
	}
	c.post(views.PathAccountBilling, good).wantRedirect(views.PathAccountBilling)
	sub, _ := app.st.Subscription(context.Background())
	if sub.Info.VATID != "DE123456789" || sub.Info.Country != "DE" {
		t.Fatalf("stored %+v", sub.Info)
	}
}

// pdfText extracts the text of a PDF with poppler's pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is missing (apt-get install poppler-utils)")
		}
		t.Skip("pdftotext is missing (apt-get install poppler-utils)")
	}
	in := filepath.Join(t.TempDir(), "invoice.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestBilling_InvoicePDFAndPaymentMakeItPaid(t *testing.T) {
	app, clk := billingApp(t)
	tm := app.team()
	ctx := context.Background()
	if err := app.st.SaveBillingInfo(ctx, tm.creator.ID, store.BillingInfo{Company: "Zażółć Sp. z o.o.", Address: "ul. Długa 1\nGdańsk",
		Country: "PL", VATID: "PL5260001246", Email: "faktury@example.pl"}, ""); err != nil {
		t.Fatal(err)
	}
	endTrial(t, app, clk)
	invoices, _ := app.st.Invoices(ctx)
	inv := invoices[0] // 4 × 35.00 + 23% = 172.20
	c := app.signedIn(tm.creator)
	list := c.get(views.PathAccountInvoices).wantStatus(http.StatusOK)
	if got := list.text("table.invoices tbody tr:first-child"); !strings.Contains(got, inv.Number) || !strings.Contains(got, "$172.20") || !strings.Contains(got, "Due") {
		t.Fatalf("invoices list row %q", got)
	}
	res := c.get(views.WithID(views.PathAccountPDF, inv.ID)).wantStatus(http.StatusOK)
	if !strings.HasPrefix(res.body, "%PDF-") || res.header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("not a PDF: %q", res.header.Get("Content-Type"))
	}
	text := pdfText(t, []byte(res.body))
	for _, want := range []string{inv.Number, "$172.20", "Zażółć Sp. z o.o.", "Gdańsk", "PL5260001246", "VAT 23%", "Medium plan, Monthly, seats: 4", "Due"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	payURL := views.WithID(views.PathAccountPayments, inv.ID)
	for field, f := range map[string]url.Values{
		"amount":  {"paid_on": {"2026-01-05"}, "amount": {"-3"}},
		"paid_on": {"paid_on": {"5 January"}, "amount": {"10"}},
	} {
		if c.post(payURL, f).wantStatus(http.StatusUnprocessableEntity).doc().Find("#f-"+field+"-error").Length() != 1 {
			t.Errorf("bad %s: no message next to the field", field)
		}
	}
	today := clk.now().Format(time.DateOnly)
	c.post(payURL, url.Values{"paid_on": {today}, "amount": {"100.00"}, "reference": {"TR 1"}}).wantRedirect(views.WithID(views.PathAccountInvoice, inv.ID))
	if got := c.get(views.WithID(views.PathAccountInvoice, inv.ID)).text("#invoice-status"); got != "Due" {
		t.Fatalf("part paid shows %q", got)
	}
	c.post(payURL, url.Values{"paid_on": {today}, "amount": {"80"}, "reference": {"TR 2"}}).wantRedirect(views.WithID(views.PathAccountInvoice, inv.ID))
	page := c.get(views.WithID(views.PathAccountInvoice, inv.ID))
	if got := page.text("#invoice-status"); got != "Paid" {
		t.Fatalf("paid invoice shows %q", got)
	}
	if got := c.get(views.PathAccountInvoices).text(".flash-info"); !strings.Contains(got, "$7.80") {
		t.Fatalf("the overpayment is not credit: %q", got)
	}
	if text := pdfText(t, []byte(c.get(views.WithID(views.PathAccountPDF, inv.ID)).body)); !strings.Contains(text, "Paid") {
		t.Fatalf("the PDF does not say Paid:\n%s", text)
	}
}

func TestBilling_StopAndResumeThenAnEndedDeskIsReadOnlyExceptMyAccount(t *testing.T) {
	app, clk := billingApp(t)
	tm := app.team()
	ctx := context.Background()
	sub := endTrial(t, app, clk)
	c := app.signedIn(tm.creator)
	confirm := c.get(views.PathAccountStop).wantStatus(http.StatusOK)
	ends := views.BillingDate(ctxIn("en"), sub.Period.End)
	if !strings.Contains(confirm.text("main"), "Your account will end on "+ends) {
		t.Fatalf("the confirmation does not name %s: %q", ends, confirm.text("main"))
	}
	c.post(views.PathAccountStop, url.Values{}).wantRedirect(views.PathAccount)
	if got := c.get(views.PathAccount).text("#account-status"); !strings.Contains(got, "ends on "+ends) || !strings.Contains(got, "Resume") {
		t.Fatalf("stopped account shows %q", got)
	}
	c.post(views.PathAccountResume, url.Values{}).wantRedirect(views.PathAccount)
	if s, _ := app.st.Subscription(ctx); s.Stopped() {
		t.Fatal("resume left the account stopped")
	}
	c.post(views.PathAccountStop, url.Values{}).wantRedirect(views.PathAccount)
	clk.set(sub.Period.End.Add(time.Hour))
	admin := app.signedIn(tm.admin)
	page := admin.get(views.PathTickets).wantStatus(http.StatusOK)
	if !strings.Contains(page.text(".readonly-banner"), "read-only") {
		t.Fatal("no read-only banner")
	}
	res := admin.post(views.PathProfile, url.Values{"name": {"Someone Else"}, "language": {"en"}}).wantStatus(http.StatusForbidden)
	if !strings.Contains(res.body, "This account has ended") {
		t.Fatalf("refusal does not say why: %s", res.body)
	}
	if a, _ := app.st.AgentByID(ctx, tm.admin.ID); a.Name != tm.admin.Name {
		t.Fatal("a change went through on an ended desk")
	}
	c = app.signedIn(tm.creator)
	c.post(views.PathAgents, url.Values{"name": {"New One"}, "email": {"new@example.com"}, "role": {"agent"}}).wantStatus(http.StatusForbidden)
	c.post(views.PathAccountBilling, url.Values{"company": {"Acme"}, "address": {"1 Main St"}, "country": {"US"}, "billing_email": {"b@acme.example"}}).
		wantRedirect(views.PathAccountBilling)
	c.post(views.PathAccountResume, url.Values{}).wantRedirect(views.PathAccount)
	admin.post(views.PathProfile, url.Values{"name": {"Adam Again"}, "language": {"en"}}).wantRedirect(views.PathProfile)
	if invoices, _ := app.st.Invoices(ctx); len(invoices) != 2 {
		t.Fatalf("resuming an ended account: %d invoices, want a new period's", len(invoices))
	}
}

func TestBilling_CreditNoteCorrectsAnInvoiceWhichStaysAsIssued(t *testing.T) {
	app, clk := billingApp(t)
	tm := app.team()
	ctx := context.Background()
	endTrial(t, app, clk)
	invoices, _ := app.st.Invoices(ctx)
	inv := invoices[0] // 172.20
	c := app.signedIn(tm.creator)
	creditURL := views.WithID(views.PathAccountCredit, inv.ID)
	for name, amount := range map[string]string{"nothing": "0", "not a number": "ten", "more than the invoice": "172.21"} {
		res := c.post(creditURL, url.Values{"credit_amount": {amount}}).wantStatus(http.StatusUnprocessableEntity)
		if res.doc().Find("#f-credit_amount-error").Length() != 1 {
			t.Errorf("%s: no message next to the field", name)
		}
	}
	if list, _ := app.st.Invoices(ctx); len(list) != 1 {
		t.Fatal("a refused credit note was issued")
	}
	res := c.post(creditURL, url.Values{"credit_amount": {"12.30"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("credit note: %d", res.status)
	}
	page := c.get(res.header.Get("Location")).wantStatus(http.StatusOK)
	if got := page.text("h1"); !strings.Contains(got, "Credit note CN-000001") {
		t.Fatalf("credit note page %q", got)
	}
	text := pdfText(t, []byte(c.get(res.header.Get("Location")+"/pdf").body))
	for _, want := range []string{"Credit note CN-000001", inv.Number, "$12.30", "Correction of invoice " + inv.Number} {
		if !strings.Contains(text, want) {
			t.Errorf("the credit note PDF lacks %q:\n%s", want, text)
		}
	}
	again := c.get(views.WithID(views.PathAccountInvoice, inv.ID))
	if got := again.text("#invoice-total"); got != "$172.20" {
		t.Fatalf("the corrected invoice's total became %q", got)
	}
	if got := again.text("#invoice-outstanding"); got != "$159.90" {
		t.Fatalf("outstanding after the credit note %q", got)
	}
}

// cardProvider stands for a payment provider: it records what it was asked
// to collect, and declines when told to.
type cardProvider struct {
	asked   []string
	decline bool
}

func (p *cardProvider) Collect(_ context.Context, number string, pay billing.Payment) (billing.Payment, error) {
	p.asked = append(p.asked, number+" "+pay.Amount.String())
	if p.decline {
		return billing.Payment{}, errors.New("card declined")
	}
	pay.Reference = "card " + pay.Reference
	return pay, nil
}

// Every recorded payment passes through the configured payment step: what
// it returns is what is stored, and a payment it does not take is not
// recorded. By default the step is the manual one, which calls nobody.
func TestBilling_RecordedPaymentsPassThroughThePaymentStep(t *testing.T) {
	app, clk := billingApp(t)
	tm := app.team()
	ctx := context.Background()
	if _, ok := app.srv.payments().(billing.ManualPayments); !ok {
		t.Fatalf("default payment step %T, want the manual one", app.srv.payments())
	}
	endTrial(t, app, clk)
	invoices, _ := app.st.Invoices(ctx)
	inv := invoices[0]
	card := &cardProvider{decline: true}
	app.srv.cfg.Payments = card
	c := app.signedIn(tm.creator)
	payURL := views.WithID(views.PathAccountPayments, inv.ID)
	today := clk.now().Format(time.DateOnly)
	res := c.post(payURL, url.Values{"paid_on": {today}, "amount": {"10"}, "reference": {"R1"}}).wantStatus(http.StatusUnprocessableEntity)
	if got := res.doc().Find("#f-amount-error").Text(); !strings.Contains(got, "could not be taken") {
		t.Fatalf("declined payment message %q", got)
	}
	if got, _ := app.st.InvoiceByID(ctx, inv.ID); len(got.Payments) != 0 {
		t.Fatalf("a declined payment was recorded: %+v", got.Payments)
	}
	card.decline = false
	c.post(payURL, url.Values{"paid_on": {today}, "amount": {"10"}, "reference": {"R2"}}).wantRedirect(views.WithID(views.PathAccountInvoice, inv.ID))
	got, _ := app.st.InvoiceByID(ctx, inv.ID)
	if len(card.asked) != 2 || card.asked[1] != inv.Number+" 10.00" || len(got.Payments) != 1 || got.Payments[0].Reference != "card R2" {
		t.Fatalf("provider asked %v; recorded %+v", card.asked, got.Payments)
	}
}

// The PDF is written in the reader's language, amounts included: a Polish
// Owner reads 4 073,76 USD (with no-break spaces), Polish words and the
// Polish name of the buyer's country.
func TestBilling_InvoicePDFInPolishFormatsAmountsThePolishWay(t *testing.T) {
	app, clk := billingApp(t)
	tm := app.team() // four seats
	ctx := context.Background()
	if err := app.st.ChangePlan(ctx, tm.creator.ID, billing.Enterprise, billing.Yearly, ""); err != nil {
		t.Fatal(err)
	}
	if err := app.st.SaveBillingInfo(ctx, tm.creator.ID, store.BillingInfo{Company: "Zażółć Sp. z o.o.", Address: "ul. Długa 1\nGdańsk",
		Country: "PL", VATID: "PL5260001246", Email: "faktury@example.pl"}, ""); err != nil {
		t.Fatal(err)
	}
	if err := app.st.UpdateProfile(ctx, tm.creator.ID, store.ProfileInput{Name: tm.creator.Name, Language: "pl"}, ""); err != nil {
		t.Fatal(err)
	}
	endTrial(t, app, clk)
	invoices, _ := app.st.Invoices(ctx)
	inv := invoices[0] // 4 × 69 × 12 = 3 312,00 + 23% = 4 073,76
	if inv.Total != billing.Cents(4073, 76) {
		t.Fatalf("total %s", inv.Total)
	}
	c := app.signedIn(tm.creator)
	if got := c.get(views.PathAccountInvoices).doc().Find("table.invoices tbody tr").First().Text(); !strings.Contains(got, "4\u00a0073,76\u00a0USD") {
		t.Fatalf("the Polish list shows %q", got)
	}
	text := pdfText(t, []byte(c.get(views.WithID(views.PathAccountPDF, inv.ID)).wantStatus(http.StatusOK).body))
	// pdftotext may give the no-break space back as a plain one.
	plain := strings.ReplaceAll(text, "\u00a0", " ")
	for _, want := range []string{"Faktura " + inv.Number, "4 073,76 USD", "3 312,00 USD", "761,76 USD", "Nabywca", "Zażółć Sp. z o.o.", "Polska",
		"Plan Enterprise, Rocznie, stanowiska: 4", "VAT 23%", "Do zapłaty"} {
		if !strings.Contains(plain, want) {
			t.Errorf("the Polish PDF lacks %q:\n%s", want, text)
		}
	}
	for _, unwanted := range []string{"$", "4,073.76", "Invoice", "Due"} {
		if strings.Contains(plain, unwanted) {
			t.Errorf("the Polish PDF has %q:\n%s", unwanted, text)
		}
	}
}

// An ended desk still lets its Owner in: the two-factor code step and the
// forgotten-password form are not changes to the desk, and without them an
// Owner could never reach My account to resume.
func TestBilling_AnEndedDeskStillLetsTheOwnerSignInWithTwoFactorAndResume(t *testing.T) {
	app, clk := billingApp(t)
	tm := app.team()
	secret, _ := enrol(t, app, app.signedIn(tm.creator))
	sub := endTrial(t, app, clk)
	if _, err := app.st.StopAccount(context.Background(), tm.creator.ID, ""); err != nil {
		t.Fatal(err)
	}
	clk.set(sub.Period.End.Add(time.Hour))
	c := app.client()
	passwordStep(c, tm.creator.Email).wantRedirect(views.PathSignInCode)
	c.get(views.PathSignInCode).wantStatus(http.StatusOK)
	c.post(views.PathSignInCode, url.Values{"code": {security.TOTPCode(secret, app.st.Now())}}).wantRedirect(views.PathHome)
	page := c.get(views.PathAccount).wantStatus(http.StatusOK)
	if !strings.Contains(page.text(".readonly-banner"), "read-only") {
		t.Fatal("no read-only banner on My account")
	}
	if res := app.client().post(views.PathForgot, url.Values{"email": {tm.creator.Email}}); res.status == http.StatusForbidden {
		t.Fatalf("the forgotten-password form is refused on an ended desk: %d", res.status)
	}
	c.post(views.PathAccountResume, url.Values{}).wantRedirect(views.PathAccount)
	if s, _ := app.st.Subscription(context.Background()); s.Stopped() || s.Ended(clk.now()) {
		t.Fatalf("after resume: %+v", s)
	}
}

// After the end the HTTP API reads but writes nothing, as the console.
func TestBilling_AnEndedDeskTakesNoWritesThroughTheAPI(t *testing.T) {
	app, clk := billingApp(t)
	tm := app.team()
	ctx := context.Background()
	sales := app.department("Sales")
	api := app.apiToken(tm.admin)
	body := map[string]any{"department_id": sales, "contact_name": "Carl", "contact_email": "carl@example.com", "subject": "Order 88", "body": "Where is it?"}
	api.call(http.MethodPost, "/tickets", body).wantStatus(http.StatusCreated)
	sub := endTrial(t, app, clk)
	if _, err := app.st.StopAccount(ctx, tm.creator.ID, ""); err != nil {
		t.Fatal(err)
	}
	clk.set(sub.Period.End.Add(time.Hour))
	p := api.call(http.MethodPost, "/tickets", body).wantStatus(http.StatusForbidden).problem()
	if !strings.Contains(p.Detail, "This account has ended") {
		t.Fatalf("problem %+v", p)
	}
	api.call(http.MethodGet, "/tickets", nil).wantStatus(http.StatusOK)
}

// An invoice the job marked overdue says so in the list, on its page and in
// its PDF, in the reader's language.
func TestBilling_AnOverdueInvoiceSaysSoEverywhere(t *testing.T) {
	app, clk := billingApp(t)
	tm := app.team()
	ctx := context.Background()
	endTrial(t, app, clk)
	inv, _ := app.st.Invoices(ctx)
	clk.set(inv[0].DueAt.Add(-time.Minute))
	c := app.signedIn(tm.creator)
	if n, err := app.st.MarkOverdue(ctx); err != nil || n != 0 {
		t.Fatalf("before the due date: %d, %v", n, err)
	}
	if got := c.get(views.PathAccountInvoices).text("table.invoices tbody tr:first-child"); !strings.Contains(got, "Due") {
		t.Fatalf("before the due date the list shows %q", got)
	}
	clk.set(inv[0].DueAt)
	if n, err := app.st.MarkOverdue(ctx); err != nil || n != 1 {
		t.Fatalf("at the due date: %d, %v", n, err)
	}
	if got := c.get(views.PathAccountInvoices).text("table.invoices tbody tr:first-child"); !strings.Contains(got, "Overdue") {
		t.Fatalf("the list shows %q", got)
	}
	if got := c.get(views.WithID(views.PathAccountInvoice, inv[0].ID)).text("#invoice-status"); got != "Overdue" {
		t.Fatalf("the page shows %q", got)
	}
	if err := app.st.UpdateProfile(ctx, tm.creator.ID, store.ProfileInput{Name: tm.creator.Name, Language: "ro"}, ""); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, []byte(c.get(views.WithID(views.PathAccountPDF, inv[0].ID)).wantStatus(http.StatusOK).body))
	if !strings.Contains(text, "Restantă") {
		t.Fatalf("the Romanian PDF does not say overdue:\n%s", text)
	}
}
