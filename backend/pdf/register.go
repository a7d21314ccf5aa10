package pdf

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"

	"carnet/backend/privacy"
)

// Register table geometry, in millimetres.
const (
	labelW    = 62.0
	valueW    = bodyW - labelW
	cellPad   = 1.6
	bulletW   = 3.5
	regLineH  = 4.4
	pageH     = 297.0
	regTop    = margin + 6 // room for the running header
	regBottom = pageH - 20 // room for the footer
)

var (
	ink    = [3]int{30, 35, 48}
	muted  = [3]int{110, 110, 110}
	accent = [3]int{36, 84, 138}
)

// Register writes the record of processing activities (Art. 30 GDPR) as
// PDF: the organisation, then one section per activity starting on its own
// page, like the CNIL's register sheets. It prints the same sheets as the
// spreadsheet exports (privacy.Register.Sheets); t translates a key.
func Register(w io.Writer, r privacy.Register, t func(key string) string) error {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(margin, regTop, margin)
	// Rows are placed by hand so that none is cut in the middle.
	f.SetAutoPageBreak(false, 0)
	f.AddUTF8FontFromBytes("body", "", regular)
	f.AddUTF8FontFromBytes("body", "B", bold)
	title := t("register.title")
	f.SetTitle(title, true)
	f.SetSubject(r.Controller.Name, true)
	f.SetCreator("Carnet", true)
	f.AliasNbPages("{nb}")
	date := r.Date(t)
	f.SetHeaderFunc(func() {
		if f.PageNo() == 1 {
			return
		}
		f.SetXY(margin, margin-4)
		f.SetFont("body", "", smallPt)
		textColor(f, muted)
		f.CellFormat(bodyW, 4, strings.Join(nonEmpty(title, r.Controller.Name), " — "), "", 0, "L", false, 0, "")
		f.SetDrawColor(200, 200, 200)
		f.Line(margin, margin+1, margin+bodyW, margin+1)
		f.SetXY(margin, regTop)
		textColor(f, ink)
	})
	f.SetFooterFunc(func() {
		f.SetXY(margin, -14)
		f.SetFont("body", "", smallPt)
		textColor(f, muted)
		f.CellFormat(bodyW*0.75, 4, fill(t("register.generated"), "date", date), "", 0, "L", false, 0, "")
		f.CellFormat(bodyW*0.25, 4, fill(t("register.page"), "page", strconv.Itoa(f.PageNo()), "pages", "{nb}"), "", 0, "R", false, 0, "")
		textColor(f, ink)
	})

	sheets := r.Sheets(t)
	f.AddPage()
	f.SetY(margin)
	textColor(f, ink)
	f.SetFont("body", "B", 18)
	f.MultiCell(bodyW, 8, title, "", "L", false)
	f.SetFont("body", "", fontPt)
	textColor(f, muted)
	f.MultiCell(bodyW, 5, t("register.subtitle"), "", "L", false)
	textColor(f, ink)
	f.Ln(4)
	tw := &table{f: f}
	tw.rows(sheets[0].Rows)

	for i, s := range sheets[1:] {
		f.AddPage()
		f.SetFont("body", "B", smallPt)
		textColor(f, muted)
		f.CellFormat(bodyW, 4, strings.ToUpper(fill(t("register.activity_n"), "n", strconv.Itoa(i+1))), "", 2, "L", false, 0, "")
		f.SetFont("body", "B", 14)
		textColor(f, accent)
		f.MultiCell(bodyW, 6.5, s.Title, "", "L", false)
		textColor(f, ink)
		f.Ln(3)
		tw.continued = s.Title + " " + t("register.continued")
		tw.rows(s.Rows)
	}

	if err := f.Error(); err != nil {
		return fmt.Errorf("pdf: register: %w", err)
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return fmt.Errorf("pdf: register: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// table draws label | value rows. A row moves whole to the next page when
// it does not fit; only a row longer than a page is split, between lines.
type table struct {
	f         *fpdf.Fpdf
	continued string // heading repeated on a page the table continues onto
}

// cellLine is one printed line of a value; bullet marks the first line of
// a list item.
type cellLine struct {
	text   string
	bullet bool
	indent bool
}

func (tw *table) rows(rows []privacy.Row) {
	f := tw.f
	for i, row := range rows {
		if row.Heading {
			// A heading stays with the row after it.
			need := 11.0
			if i+1 < len(rows) && !rows[i+1].Heading {
				need += tw.height(rows[i+1])
			}
			if f.GetY()+need > regBottom {
				tw.newPage(false)
			}
			tw.heading(row.Label)
			continue
		}
		tw.row(row)
	}
}

func (tw *table) heading(label string) {
	f := tw.f
	f.Ln(4)
	f.SetFont("body", "B", 8)
	textColor(f, accent)
	f.CellFormat(bodyW, 5, strings.ToUpper(label), "", 2, "L", false, 0, "")
	f.SetDrawColor(accent[0], accent[1], accent[2])
	f.SetLineWidth(0.4)
	f.Line(margin, f.GetY(), margin+bodyW, f.GetY())
	f.SetLineWidth(0.2)
	f.Ln(1)
	textColor(f, ink)
}

func (tw *table) split(row privacy.Row) (label []string, value []cellLine) {
	f := tw.f
	f.SetFont("body", "B", 8.5)
	label = f.SplitText(row.Label, labelW-2*cellPad)
	f.SetFont("body", "", fontPt)
	for _, l := range row.Lines() {
		if !row.List {
			parts := f.SplitText(l, valueW-2*cellPad)
			if len(parts) == 0 {
				parts = []string{""}
			}
			for _, p := range parts {
				value = append(value, cellLine{text: p})
			}
			continue
		}
		for j, p := range f.SplitText(l, valueW-2*cellPad-bulletW) {
			value = append(value, cellLine{text: p, bullet: j == 0, indent: true})
		}
	}
	return label, value
}

func (tw *table) height(row privacy.Row) float64 {
	label, value := tw.split(row)
	return float64(max(len(label), len(value)))*regLineH + 2*cellPad
}

func (tw *table) row(row privacy.Row) {
	f := tw.f
	label, value := tw.split(row)
	n := max(len(label), len(value))
	h := float64(n)*regLineH + 2*cellPad
	if f.GetY()+h > regBottom && h <= regBottom-regTop-8 {
		tw.newPage(true)
	}
	for start := 0; start < n; {
		// Lines that fit on this page; at least one so the loop advances.
		room := int((regBottom - f.GetY() - 2*cellPad) / regLineH)
		if room < 1 {
			tw.newPage(true)
			continue
		}
		end := min(n, start+room)
		tw.draw(label, value, start, end)
		start = end
		if start < n {
			tw.newPage(true)
		}
	}
}

// draw prints lines [from, to) of a row at the current position.
func (tw *table) draw(label []string, value []cellLine, from, to int) {
	f := tw.f
	y := f.GetY()
	h := float64(to-from)*regLineH + 2*cellPad
	f.SetFillColor(245, 243, 238)
	f.Rect(margin, y, labelW, h, "F")
	f.SetFont("body", "B", 8.5)
	textColor(f, [3]int{74, 82, 99})
	// A row continued from the previous page names its label again.
	for i := 0; i < to-from && i < len(label); i++ {
		f.SetXY(margin+cellPad, y+cellPad+float64(i)*regLineH)
		f.CellFormat(labelW-2*cellPad, regLineH, label[i], "", 0, "L", false, 0, "")
	}
	f.SetFont("body", "", fontPt)
	textColor(f, ink)
	for i := from; i < to && i < len(value); i++ {
		l := value[i]
		x := margin + labelW + cellPad
		ly := y + cellPad + float64(i-from)*regLineH
		if l.bullet {
			f.SetXY(x, ly)
			f.CellFormat(bulletW, regLineH, "•", "", 0, "L", false, 0, "")
		}
		if l.indent {
			x += bulletW
		}
		f.SetXY(x, ly)
		f.CellFormat(valueW-2*cellPad, regLineH, l.text, "", 0, "L", false, 0, "")
	}
	f.SetDrawColor(210, 210, 210)
	f.Line(margin, y+h, margin+bodyW, y+h)
	f.SetXY(margin, y+h)
}

func (tw *table) newPage(inTable bool) {
	f := tw.f
	f.AddPage()
	if inTable && tw.continued != "" {
		f.SetFont("body", "B", fontPt)
		textColor(f, muted)
		f.MultiCell(bodyW, 5, tw.continued, "", "L", false)
		f.Ln(1)
		textColor(f, ink)
		f.SetDrawColor(210, 210, 210)
		f.Line(margin, f.GetY(), margin+bodyW, f.GetY())
	}
}

func textColor(f *fpdf.Fpdf, c [3]int) { f.SetTextColor(c[0], c[1], c[2]) }

// fill replaces {name} placeholders in a message from the t function.
func fill(msg string, kv ...string) string {
	for i := 0; i+1 < len(kv); i += 2 {
		msg = strings.ReplaceAll(msg, "{"+kv[i]+"}", kv[i+1])
	}
	return msg
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}
