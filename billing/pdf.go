package billing

import (
	"io"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// PDFInvoice is an invoice as its PDF shows it: every text already in the
// reader's language, every amount already formatted. The PDF only lays it
// out.
type PDFInvoice struct {
	Title      string // "Invoice INV-000012"
	Facts      [][2]string
	SellerHead string
	Seller     []string
	BuyerHead  string
	Buyer      []string
	LineHeads  [4]string // description, period, unit price, amount
	Lines      [][4]string
	Totals     [][2]string
	Status     string
	Notes      []string
}

// WritePDF writes the invoice as a one-page A4 PDF. The Go fonts are
// embedded (subset), so Polish and Romanian letters print on any reader.
func WritePDF(w io.Writer, in PDFInvoice) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreator("Helpline", true)
	pdf.SetTitle(in.Title, true)
	pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	pdf.SetMargins(18, 18, 18)
	pdf.AddPage()

	pdf.SetFont("go", "B", 18)
	pdf.CellFormat(0, 10, in.Title, "", 1, "L", false, 0, "")
	pdf.SetFont("go", "", 10)
	for _, f := range in.Facts {
		pdf.CellFormat(40, 5.5, f[0], "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 5.5, f[1], "", 1, "L", false, 0, "")
	}
	pdf.Ln(4)

	top := pdf.GetY()
	party := func(x float64, head string, lines []string) float64 {
		pdf.SetXY(x, top)
		pdf.SetFont("go", "B", 10)
		pdf.CellFormat(85, 6, head, "", 2, "L", false, 0, "")
		pdf.SetFont("go", "", 10)
		for _, l := range lines {
			pdf.MultiCell(85, 5, l, "", "L", false)
			pdf.SetX(x)
		}
		return pdf.GetY()
	}
	y1 := party(18, in.SellerHead, in.Seller)
	y2 := party(108, in.BuyerHead, in.Buyer)
	pdf.SetXY(18, max(y1, y2)+6)

	widths := [4]float64{72, 50, 26, 26}
	pdf.SetFont("go", "B", 9)
	pdf.SetFillColor(235, 238, 244)
	for i, h := range in.LineHeads {
		align := "L"
		if i >= 2 {
			align = "R"
		}
		pdf.CellFormat(widths[i], 7, h, "B", 0, align, true, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont("go", "", 9)
	for _, l := range in.Lines {
		for i, v := range l {
			align := "L"
			if i >= 2 {
				align = "R"
			}
			pdf.CellFormat(widths[i], 7, v, "B", 0, align, false, 0, "")
		}
		pdf.Ln(-1)
	}
	pdf.Ln(2)
	for i, t := range in.Totals {
		style := ""
		if i == len(in.Totals)-1 {
			style = "B"
		}
		pdf.SetFont("go", style, 10)
		pdf.CellFormat(widths[0]+widths[1]+widths[2], 6, t[0], "", 0, "R", false, 0, "")
		pdf.CellFormat(widths[3], 6, t[1], "", 1, "R", false, 0, "")
	}
	pdf.Ln(4)
	pdf.SetFont("go", "B", 11)
	pdf.CellFormat(0, 7, in.Status, "", 1, "L", false, 0, "")
	pdf.SetFont("go", "", 9)
	for _, n := range in.Notes {
		pdf.MultiCell(0, 5, n, "", "L", false)
	}
	return pdf.Output(w)
}
