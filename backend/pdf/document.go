package pdf

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/go-pdf/fpdf"

	"carnet/backend/sales"
)

// Page geometry, in millimetres.
const (
	pageW   = 210.0
	margin  = 16.0
	bodyW   = pageW - 2*margin
	lineH   = 5.0
	fontPt  = 9.0
	smallPt = 7.5
)

// Columns of the lines table: description, quantity, unit price, discount,
// VAT rate, amount excluding VAT.
var colW = []float64{72, 14, 28, 18, 16, 30}

// Logo is the seller's logo image for a document, if any.
type Logo struct {
	Data []byte
	MIME string // image/png or image/jpeg
}

// Document writes d as PDF to w, with the seller's logo when given.
func (r *Renderer) Document(w io.Writer, d *sales.Document, logo *Logo) error {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, 22)
	f.AddUTF8FontFromBytes("body", "", regular)
	f.AddUTF8FontFromBytes("body", "B", bold)
	f.SetTitle(r.title(d), true)
	f.SetCreator("Carnet", true)
	// Uncompressed streams: a one-page invoice grows from about 37 to 43 KB
	// (the embedded font subset dominates) and renders a quarter faster.
	f.SetCompression(false)
	f.AliasNbPages("{nb}")
	seller := d.Seller
	f.SetFooterFunc(func() {
		f.SetY(-16)
		f.SetFont("body", "", smallPt)
		f.SetTextColor(110, 110, 110)
		f.CellFormat(bodyW*0.8, 4, r.legalLine(&seller), "", 0, "L", false, 0, "")
		f.CellFormat(bodyW*0.2, 4, fmt.Sprintf("%d/{nb}", f.PageNo()), "", 0, "R", false, 0, "")
	})
	f.AddPage()
	f.SetTextColor(30, 35, 48)
	if logo != nil && len(logo.Data) > 0 {
		kind := "PNG"
		if logo.MIME == "image/jpeg" {
			kind = "JPG"
		}
		opt := fpdf.ImageOptions{ImageType: kind, ReadDpi: false}
		f.RegisterImageOptionsReader("logo", opt, bytes.NewReader(logo.Data))
		if f.Ok() {
			// At most 40 × 16 mm, keeping the proportions.
			info := f.GetImageInfo("logo")
			w, h := 40.0, 40.0*info.Height()/info.Width()
			if h > 16 {
				w, h = 16*info.Width()/info.Height(), 16
			}
			f.ImageOptions("logo", margin, margin, w, h, false, opt, 0, "")
			f.SetY(margin + h + 3)
		}
	}
	r.header(f, d)
	r.lines(f, d)
	r.totals(f, d)
	r.mentions(f, d)
	if err := f.Error(); err != nil {
		return fmt.Errorf("pdf: %s %s: %w", d.Kind, d.Number, err)
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return fmt.Errorf("pdf: %s %s: %w", d.Kind, d.Number, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func (r *Renderer) title(d *sales.Document) string {
	key := map[string]string{sales.KindQuote: "pdf.quote", sales.KindInvoice: "pdf.invoice", sales.KindCredit: "pdf.credit_note"}[d.Kind]
	if d.Number == "" {
		return r.t(key, nil) + " — " + r.t("pdf.draft", nil)
	}
	return r.t(key, nil) + " " + d.Number
}

// legalLine is the seller's identity in one line for the footer.
func (r *Renderer) legalLine(p *sales.Profile) string {
	parts := []string{r.sellerName(p)}
	if p.LegalForm != "" && p.ShareCapital > 0 {
		parts = append(parts, r.t("pdf.capital", map[string]any{"form": p.LegalForm, "amount": r.money(p.ShareCapital)}))
	} else if p.LegalForm != "" {
		parts = append(parts, p.LegalForm)
	}
	if p.SIREN != "" {
		parts = append(parts, "SIREN "+p.SIREN)
	}
	if p.Registry != "" {
		parts = append(parts, p.Registry)
	}
	return strings.Join(parts, " · ")
}

func (r *Renderer) sellerName(p *sales.Profile) string {
	if p.SoleTrader && !strings.HasSuffix(p.LegalName, " EI") {
		return p.LegalName + " EI"
	}
	return p.LegalName
}

func (r *Renderer) header(f *fpdf.Fpdf, d *sales.Document) {
	p := d.Seller
	// Seller, left.
	f.SetFont("body", "B", 13)
	f.MultiCell(bodyW/2, 6, r.sellerName(&p), "", "L", false)
	f.SetFont("body", "", fontPt)
	lines := []string{p.Street, strings.TrimSpace(p.PostalCode + " " + p.City), p.Email, p.Phone}
	if p.SIRET != "" {
		lines = append(lines, "SIRET "+p.SIRET)
	} else if p.SIREN != "" {
		lines = append(lines, "SIREN "+p.SIREN)
	}
	if p.VATNumber != "" {
		lines = append(lines, r.t("pdf.vat_number", map[string]any{"number": p.VATNumber}))
	}
	for _, l := range lines {
		if l != "" {
			f.CellFormat(bodyW/2, 4.4, l, "", 2, "L", false, 0, "")
		}
	}
	sellerBottom := f.GetY()

	// Title and dates, right, level with the top of the page (or the logo).
	f.SetXY(margin+bodyW/2, margin)
	f.SetFont("body", "B", 16)
	f.CellFormat(bodyW/2, 8, strings.ToUpper(r.t(map[string]string{sales.KindQuote: "pdf.quote", sales.KindInvoice: "pdf.invoice", sales.KindCredit: "pdf.credit_note"}[d.Kind], nil)), "", 2, "R", false, 0, "")
	f.SetFont("body", "B", 11)
	number := d.Number
	if number == "" {
		number = r.t("pdf.draft", nil)
	}
	f.CellFormat(bodyW/2, 6, number, "", 2, "R", false, 0, "")
	f.SetFont("body", "", fontPt)
	meta := [][2]string{{"pdf.issue_date", r.date(d.IssueDate)}}
	switch d.Kind {
	case sales.KindQuote:
		meta = append(meta, [2]string{"pdf.valid_until", r.date(d.ValidUntil)})
	case sales.KindInvoice:
		meta = append(meta, [2]string{"pdf.sale_date", r.date(d.SaleDate)}, [2]string{"pdf.due_date", r.date(d.DueDate)})
	}
	for _, m := range meta {
		if m[1] != "" {
			f.SetX(margin + bodyW/2)
			f.CellFormat(bodyW/2, 4.6, r.t("pdf.meta", map[string]any{"label": r.t(m[0], nil), "value": m[1]}), "", 2, "R", false, 0, "")
		}
	}

	// Buyer, right, in a light box.
	y := max(f.GetY(), sellerBottom) + 6
	b := d.Buyer
	f.SetXY(margin+bodyW/2, y)
	f.SetFont("body", "B", smallPt)
	f.SetTextColor(110, 110, 110)
	heading := "pdf.bill_to"
	if d.Kind != sales.KindInvoice {
		heading = "pdf.customer"
	}
	f.CellFormat(bodyW/2, 4, strings.ToUpper(r.t(heading, nil)), "", 2, "L", false, 0, "")
	f.SetTextColor(30, 35, 48)
	f.SetX(margin + bodyW/2)
	f.SetFont("body", "B", 10)
	f.MultiCell(bodyW/2, 5, b.Name, "", "L", false)
	f.SetFont("body", "", fontPt)
	blines := []string{b.Contact, b.Street, strings.TrimSpace(b.PostalCode + " " + b.City), countryName(b.Country)}
	if !d.B2C {
		if b.SIREN != "" {
			blines = append(blines, "SIREN "+b.SIREN)
		}
		if b.VATNumber != "" {
			blines = append(blines, r.t("pdf.vat_number", map[string]any{"number": b.VATNumber}))
		}
	}
	for _, l := range blines {
		if strings.TrimSpace(l) != "" {
			f.SetX(margin + bodyW/2)
			f.MultiCell(bodyW/2, 4.4, l, "", "L", false)
		}
	}
	if b.Delivery != "" {
		f.SetX(margin + bodyW/2)
		f.MultiCell(bodyW/2, 4.4, r.t("pdf.meta", map[string]any{"label": r.t("pdf.deliver_to", nil), "value": b.Delivery}), "", "L", false)
	}
	f.SetY(max(f.GetY(), y) + 8)
	if d.Kind == sales.KindCredit && d.InvoiceID != 0 {
		f.SetFont("body", "B", fontPt)
		f.MultiCell(bodyW, 5, r.t("pdf.credit_for", map[string]any{"number": d.InvoiceNumber, "date": r.date(d.InvoiceDate)}), "", "L", false)
		f.Ln(2)
	}
}

func countryName(c string) string {
	if c == "FR" {
		return ""
	}
	return c
}

func (r *Renderer) tableHeader(f *fpdf.Fpdf) {
	f.SetFont("body", "B", 8)
	f.SetFillColor(36, 84, 138)
	f.SetTextColor(255, 255, 255)
	heads := []string{"pdf.col.description", "pdf.col.quantity", "pdf.col.unit_price", "pdf.col.discount", "pdf.col.vat", "pdf.col.amount"}
	for i, h := range heads {
		align := "R"
		if i == 0 {
			align = "L"
		}
		f.CellFormat(colW[i], 7, r.t(h, nil), "", 0, align, true, 0, "")
	}
	f.Ln(-1)
	f.SetTextColor(30, 35, 48)
	f.SetFont("body", "", fontPt)
}

func (r *Renderer) lines(f *fpdf.Fpdf, d *sales.Document) {
	// The header repeats at the top of every page the table reaches.
	f.SetHeaderFuncMode(func() {
		if f.PageNo() > 1 {
			f.SetY(margin)
			r.tableHeader(f)
		}
	}, false)
	r.tableHeader(f)
	for i, l := range d.Lines {
		desc := l.Description
		if l.Unit != "" {
			desc += " (" + l.Unit + ")"
		}
		lines := f.SplitText(desc, colW[0]-2)
		h := float64(max(1, len(lines)))*lineH + 2
		if f.GetY()+h > 297-24 {
			f.AddPage()
		}
		if i%2 == 1 {
			f.SetFillColor(245, 243, 238)
			f.Rect(margin, f.GetY(), bodyW, h, "F")
		}
		y := f.GetY()
		x := margin
		f.SetXY(x+1, y+1)
		f.MultiCell(colW[0]-2, lineH, desc, "", "L", false)
		x += colW[0]
		discount := ""
		switch {
		case l.DiscountRate > 0 && l.DiscountAmt > 0:
			discount = r.rate(l.DiscountRate) + " + " + r.money(l.DiscountAmt)
		case l.DiscountRate > 0:
			discount = r.rate(l.DiscountRate)
		case l.DiscountAmt > 0:
			discount = r.money(l.DiscountAmt)
		}
		for i, v := range []string{r.qty(l.Quantity), r.money(l.UnitPrice), discount, r.rate(l.VATRate), r.money(l.Net())} {
			f.SetXY(x, y+1)
			f.CellFormat(colW[i+1], lineH, v, "", 0, "R", false, 0, "")
			x += colW[i+1]
		}
		f.SetY(y + h)
	}
	f.SetHeaderFuncMode(nil, false)
	f.SetDrawColor(200, 200, 200)
	f.Line(margin, f.GetY(), margin+bodyW, f.GetY())
	f.Ln(4)
}

func (r *Renderer) totals(f *fpdf.Fpdf, d *sales.Document) {
	t := d.Totals
	if f.GetY() > 297-80 {
		f.AddPage()
	}
	y := f.GetY()
	// VAT breakdown, left.
	f.SetFont("body", "B", 8)
	w := []float64{28, 18, 28}
	for i, h := range []string{"pdf.vat_base", "pdf.vat_rate", "pdf.vat_amount"} {
		f.CellFormat(w[i], 6, r.t(h, nil), "B", 0, "R", false, 0, "")
	}
	f.Ln(-1)
	f.SetFont("body", "", fontPt)
	for _, rt := range t.ByRate {
		f.CellFormat(w[0], 5, r.money(rt.Base), "", 0, "R", false, 0, "")
		f.CellFormat(w[1], 5, r.rate(rt.Rate), "", 0, "R", false, 0, "")
		f.CellFormat(w[2], 5, r.money(rt.VAT), "", 1, "R", false, 0, "")
	}
	left := f.GetY()

	// Totals, right.
	f.SetY(y)
	rows := [][2]string{}
	if t.Discount > 0 {
		rows = append(rows, [2]string{r.t("pdf.subtotal", nil), r.money(t.Lines)}, [2]string{r.t("pdf.discount", nil), "-" + r.money(t.Discount)})
	}
	rows = append(rows, [2]string{r.t("pdf.total_net", nil), r.money(t.Net)}, [2]string{r.t("pdf.total_vat", nil), r.money(t.VAT)})
	for _, row := range rows {
		f.SetX(margin + bodyW - 80)
		f.CellFormat(48, 5.5, row[0], "", 0, "R", false, 0, "")
		f.CellFormat(32, 5.5, row[1], "", 1, "R", false, 0, "")
	}
	f.SetX(margin + bodyW - 80)
	f.SetFont("body", "B", 11)
	f.SetFillColor(227, 236, 246)
	f.CellFormat(48, 8, r.t("pdf.total_gross", nil), "", 0, "R", true, 0, "")
	f.CellFormat(32, 8, r.money(t.Gross), "", 1, "R", true, 0, "")
	f.SetFont("body", "", fontPt)
	if d.Kind == sales.KindInvoice && d.IssuedAt != "" && (d.Paid > 0 || d.Credited > 0) {
		for _, row := range [][2]string{{r.t("pdf.paid", nil), r.money(d.Paid + d.Credited)}, {r.t("pdf.due", nil), r.money(d.Due)}} {
			f.SetX(margin + bodyW - 80)
			f.CellFormat(48, 5.5, row[0], "", 0, "R", false, 0, "")
			f.CellFormat(32, 5.5, row[1], "", 1, "R", false, 0, "")
		}
	}
	f.SetY(max(left, f.GetY()) + 6)
}

func (r *Renderer) mentions(f *fpdf.Fpdf, d *sales.Document) {
	p := d.Seller
	var out []string
	if d.Notes != "" && d.Kind != sales.KindCredit {
		out = append(out, d.Notes)
	}
	if d.Terms != "" {
		out = append(out, d.Terms)
	}
	if p.VATFranchise {
		out = append(out, r.t("pdf.vat_franchise", nil))
	}
	for _, rt := range d.Totals.ByRate {
		if rt.Rate == 0 && rt.Exemption != "" {
			out = append(out, r.t("pdf.exemption", map[string]any{"reason": rt.Exemption}))
		}
	}
	if d.Kind == sales.KindInvoice {
		out = append(out, r.t("pdf.operation."+d.Operation, nil))
		if p.VATOnDebits {
			out = append(out, r.t("pdf.vat_on_debits", nil))
		}
		if d.DueDate != "" {
			out = append(out, r.t("pdf.payment_due", map[string]any{"date": r.date(d.DueDate)}))
		}
		if p.IBAN != "" {
			out = append(out, r.t("pdf.bank", map[string]any{"iban": groupIBAN(p.IBAN), "bic": p.BIC}))
		}
		out = append(out, r.t("pdf.no_discount", nil))
		out = append(out, r.t("pdf.late_penalty", map[string]any{"rate": r.rate(p.LatePenaltyRate)}))
		if !d.B2C {
			out = append(out, r.t("pdf.recovery_fee", nil))
		}
	}
	if d.Kind == sales.KindQuote {
		out = append(out, r.t("pdf.quote_acceptance", nil))
	}
	f.SetFont("body", "", 8)
	f.SetTextColor(74, 82, 99)
	for _, m := range out {
		f.MultiCell(bodyW, 4.2, m, "", "L", false)
		f.Ln(1)
	}
	f.SetTextColor(30, 35, 48)
}

// groupIBAN writes an IBAN in groups of four.
func groupIBAN(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Stored renders a stored quote, invoice or credit note as printed: quotes
// and drafts with the current profile and customer; an issued document as
// frozen (with the logo it was issued with) — and only once: its first
// printing is kept as the original and returned from then on.
func (r *Renderer) Stored(ctx context.Context, st *sales.Store, id int64) ([]byte, error) {
	if data, ok, err := st.ArchivedPDF(ctx, id); err != nil || ok {
		return data, err
	}
	d, err := st.Printable(ctx, id)
	if err != nil {
		return nil, err
	}
	var logo *Logo
	if data, mime, err := st.Logo(ctx, d.Seller.Logo); err == nil && len(data) > 0 {
		logo = &Logo{Data: data, MIME: mime}
	}
	var buf bytes.Buffer
	if err := r.Document(&buf, d, logo); err != nil {
		return nil, err
	}
	if d.IssuedAt != "" {
		if err := st.ArchivePDF(ctx, id, r.lang, buf.Bytes()); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}
