package web

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"helpline/billing"
	"helpline/store"
	"helpline/views"
)

// invoicePDF answers Download PDF: the invoice as issued, in the reader's
// language.
func (s *Server) invoicePDF(c echo.Context) error {
	in, err := s.invoice(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := billing.WritePDF(&buf, invoiceDocument(c.Request().Context(), in)); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+in.Number+`.pdf"`)
	h.Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	return c.Blob(http.StatusOK, "application/pdf", buf.Bytes())
}

func invoiceDocument(ctx context.Context, in store.Invoice) billing.PDFInvoice {
	lang := views.Lang(ctx)
	money := func(m billing.Money) string { return views.Money(ctx, m) }
	party := func(name, address, country, vatID, email string) []string {
		out := []string{name}
		for _, l := range strings.Split(address, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		if country != "" {
			out = append(out, billing.CountryName(lang, country))
		}
		if vatID != "" {
			out = append(out, views.T(ctx, "FieldVATID")+": "+vatID)
		}
		if email != "" {
			out = append(out, email)
		}
		return out
	}
	doc := billing.PDFInvoice{
		Title: views.DocumentTitle(ctx, in),
		Facts: [][2]string{
			{views.T(ctx, "ColNumber"), in.Number},
			{views.T(ctx, "ColDate"), views.BillingDate(ctx, in.IssuedAt)},
			{views.T(ctx, "DueDate"), views.BillingDate(ctx, in.DueAt)},
			{views.T(ctx, "ColPeriod"), views.PeriodText(ctx, in.Period)},
		},
		SellerHead: views.T(ctx, "Seller"),
		Seller:     party(in.Seller.Name, in.Seller.Address, in.Seller.Country, in.Seller.VATID, ""),
		BuyerHead:  views.T(ctx, "Buyer"),
		Buyer:      party(in.Buyer.Company, in.Buyer.Address, in.Buyer.Country, in.Buyer.VATID, in.Buyer.Email),
		LineHeads:  [4]string{views.T(ctx, "ColDescription"), views.T(ctx, "ColPeriod"), views.T(ctx, "ColUnitPrice"), views.T(ctx, "ColAmount")},
		Status:     views.T(ctx, "ColStatus") + ": " + views.DocumentStatus(ctx, in),
	}
	for _, l := range in.Lines {
		doc.Lines = append(doc.Lines, [4]string{views.LineText(ctx, in, l), views.PeriodText(ctx, l.Period), money(l.UnitPrice), money(l.Amount)})
	}
	if in.VAT.Kind == billing.VATReverseCharge {
		doc.Notes = append(doc.Notes, views.T(ctx, "ReverseChargeNote"))
	}
	doc.Totals = [][2]string{{views.T(ctx, "Net"), money(in.Net)}, {views.VATText(ctx, in.VAT), money(in.Tax)}, {views.T(ctx, "Total"), money(in.Total)}}
	if in.Kind == store.KindCreditNote {
		doc.Facts = append(doc.Facts, [2]string{views.T(ctx, "Corrects"), in.Corrects})
		doc.Status = views.DocumentStatus(ctx, in)
		return doc
	}
	if in.CreditApplied > 0 {
		doc.Totals = append(doc.Totals, [2]string{views.T(ctx, "CreditApplied"), money(-in.CreditApplied)})
	}
	doc.Totals = append(doc.Totals, [2]string{views.T(ctx, "Paid"), money(in.Paid)}, [2]string{views.T(ctx, "Outstanding"), money(in.Outstanding())})
	return doc
}
