package pdf

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"

	"carnet/backend/privacy"
)

// The privacy documents (register, subject-access report, erasure
// certificate) share one layout: A4 pages placed by hand so that no row is
// cut in the middle, a running header from page 2 and a numbered footer.

// Geometry, in millimetres.
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

// sheet starts a document: title and description go into the file's
// properties (the PDF's Title and Subject entries), running is repeated at
// the top of every page but the first, footer and the page number (pageFmt
// with {page} and {pages}) at the bottom of every page.
func sheet(title, description, running, footer, pageFmt string) *fpdf.Fpdf {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(margin, regTop, margin)
	f.SetAutoPageBreak(false, 0)
	f.AddUTF8FontFromBytes("body", "", regular)
	f.AddUTF8FontFromBytes("body", "B", bold)
	f.SetTitle(title, true)
	f.SetSubject(description, true)
	f.SetCreator("Carnet", true)
	f.AliasNbPages("{nb}")
	f.SetHeaderFunc(func() {
		if f.PageNo() == 1 {
			return
		}
		f.SetXY(margin, margin-4)
		f.SetFont("body", "", smallPt)
		textColor(f, muted)
		f.CellFormat(bodyW, 4, running, "", 0, "L", false, 0, "")
		f.SetDrawColor(200, 200, 200)
		f.Line(margin, margin+1, margin+bodyW, margin+1)
		f.SetXY(margin, regTop)
		textColor(f, ink)
	})
	f.SetFooterFunc(func() {
		f.SetXY(margin, -14)
		f.SetFont("body", "", smallPt)
		textColor(f, muted)
		f.CellFormat(bodyW*0.75, 4, footer, "", 0, "L", false, 0, "")
		f.CellFormat(bodyW*0.25, 4, fill(pageFmt, "page", strconv.Itoa(f.PageNo()), "pages", "{nb}"), "", 0, "R", false, 0, "")
		textColor(f, ink)
	})
	return f
}

// clean makes text printable: the embedded fonts have no glyph above the
// Basic Multilingual Plane (emoji in e-mail subjects) and fpdf indexes its
// width table by rune, and control characters other than line breaks print
// as boxes.
func clean(s string) string {
	ok := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0xF0 || (c < 0x20 && c != '\n') || c == 0x7F {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case r > 0xFFFF:
			return '\uFFFD'
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

// section prints a document's section title, on a new page when it would
// not leave room for need millimetres of what follows.
func section(f *fpdf.Fpdf, title string, need float64) {
	if f.GetY()+13+need > regBottom {
		f.AddPage()
	} else {
		f.Ln(5)
	}
	f.SetX(margin)
	f.SetFont("body", "B", 12)
	textColor(f, accent)
	f.CellFormat(bodyW, 6.5, clean(title), "", 2, "L", false, 0, "")
	f.SetDrawColor(accent[0], accent[1], accent[2])
	f.SetLineWidth(0.4)
	f.Line(margin, f.GetY()+0.5, margin+bodyW, f.GetY()+0.5)
	f.SetLineWidth(0.2)
	f.Ln(2.5)
	textColor(f, ink)
}

// subheading prints a smaller title inside a section, kept with need
// millimetres of what follows.
func subheading(f *fpdf.Fpdf, title string, need float64) {
	if f.GetY()+9+need > regBottom {
		f.AddPage()
	} else {
		f.Ln(2.5)
	}
	f.SetX(margin)
	f.SetFont("body", "B", 9.5)
	textColor(f, ink)
	for _, l := range f.SplitText(clean(title), bodyW) {
		f.CellFormat(bodyW, 5, l, "", 2, "L", false, 0, "")
	}
	f.Ln(1)
}

// text is a run of lines printed in one style.
type text struct {
	f      *fpdf.Fpdf
	size   float64
	lineH  float64
	style  string // "" or "B"
	color  [3]int
	indent float64
}

// lines splits s as it will print, for measuring.
func (p text) lines(s string, bullet bool) []string {
	w := bodyW - p.indent
	if bullet {
		w -= bulletW
	}
	p.f.SetFont("body", p.style, p.size)
	return p.f.SplitText(clean(s), w)
}

// height is how tall s prints.
func (p text) height(s string, bullet bool) float64 {
	return float64(len(p.lines(s, bullet))) * p.lineH
}

// para prints s, breaking pages between lines.
func (p text) para(s string) { p.print(s, false) }

// bullet prints s as a list item.
func (p text) bullet(s string) { p.print(s, true) }

func (p text) print(s string, bullet bool) {
	f := p.f
	ls := p.lines(s, bullet)
	textColor(f, p.color)
	x := margin + p.indent
	for i, l := range ls {
		if f.GetY()+p.lineH > regBottom {
			f.AddPage()
			f.SetFont("body", p.style, p.size)
			textColor(f, p.color)
		}
		y := f.GetY()
		if bullet {
			if i == 0 {
				f.SetXY(x, y)
				f.CellFormat(bulletW, p.lineH, "•", "", 0, "L", false, 0, "")
			}
			f.SetXY(x+bulletW, y)
		} else {
			f.SetXY(x, y)
		}
		f.CellFormat(bodyW-(f.GetX()-margin), p.lineH, l, "", 2, "L", false, 0, "")
	}
	f.SetX(margin)
	textColor(f, ink)
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
	for _, l := range f.SplitText(clean(strings.ToUpper(label)), bodyW) {
		f.CellFormat(bodyW, 5, l, "", 2, "L", false, 0, "")
	}
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
	label = f.SplitText(clean(row.Label), labelW-2*cellPad)
	f.SetFont("body", "", fontPt)
	for _, l := range row.Lines() {
		l = clean(l)
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
		continued(f, tw.continued)
	}
}

// continued names, at the top of a page, the section that goes on there.
func continued(f *fpdf.Fpdf, title string) {
	f.SetFont("body", "B", fontPt)
	textColor(f, muted)
	f.MultiCell(bodyW, 5, clean(title), "", "L", false)
	f.Ln(1)
	textColor(f, ink)
	f.SetDrawColor(210, 210, 210)
	f.Line(margin, f.GetY(), margin+bodyW, f.GetY())
}

// Column tables: a header row repeated on every page the table reaches,
// then rows whose cells wrap. Like table, a row moves whole to the next
// page and only a row longer than a page is split.

// Column table geometry and type sizes.
const (
	gridPt    = 8.0
	gridLineH = 3.8
	gridPad   = 1.3
	gridHeadH = 6.0
)

// column is a column's width and alignment.
type column struct {
	head  string
	w     float64
	right bool
}

// span is part of a cell's text in one style; a cell's spans print one
// under the other.
type span struct {
	text  string
	bold  bool
	muted bool
}

// gridLine is one printed line of a cell.
type gridLine struct {
	text        string
	bold, muted bool
}

type grid struct {
	f         *fpdf.Fpdf
	cols      []column
	continued string // the section's title, said again on the next page
	n         int    // rows drawn, for the banding
	// cells is reused from row to row: a report may hold thousands.
	cells [][]gridLine
	// The font style and colour set last ("" and 0 when unknown): fpdf
	// writes every change to the page, even to the same font.
	style string
	color int
}

const (
	inkColor = 1 + iota
	mutedColor
)

// use selects a style and colour for the cells, writing only changes.
func (g *grid) use(bold, isMuted bool) {
	style, color := "R", inkColor
	if bold {
		style = "B"
	}
	if isMuted {
		color = mutedColor
	}
	if style != g.style {
		g.f.SetFont("body", strings.TrimPrefix(style, "R"), gridPt)
		g.style = style
	}
	if color != g.color {
		if isMuted {
			textColor(g.f, muted)
		} else {
			textColor(g.f, ink)
		}
		g.color = color
	}
}

// plain is a cell of one unstyled span.
func plain(s string) []span { return []span{{text: s}} }

// split wraps every cell of a row to its column; the row's height in lines
// is the tallest cell's.
func (g *grid) split(cells [][]span) int {
	f := g.f
	if cap(g.cells) < len(g.cols) {
		g.cells = make([][]gridLine, len(g.cols))
	}
	g.cells = g.cells[:len(g.cols)]
	n := 1
	for i := range g.cols {
		out := g.cells[i][:0]
		if i < len(cells) {
			w := g.cols[i].w - 2*gridPad
			for _, s := range cells[i] {
				if s.text == "" {
					continue
				}
				g.use(s.bold, s.muted)
				for _, l := range f.SplitText(clean(s.text), w) {
					out = append(out, gridLine{text: l, bold: s.bold, muted: s.muted})
				}
			}
		}
		g.cells[i] = out
		n = max(n, len(out))
	}
	return n
}

// height is how tall the header and a first row print, to keep them with
// the section title.
func (g *grid) height(cells [][]span) float64 {
	return gridHeadH + float64(g.split(cells))*gridLineH + 2*gridPad
}

// header prints the column heads.
func (g *grid) header() {
	f := g.f
	y := f.GetY()
	f.SetFillColor(accent[0], accent[1], accent[2])
	f.Rect(margin, y, bodyW, gridHeadH, "F")
	f.SetFont("body", "B", 7.5)
	f.SetTextColor(255, 255, 255)
	x := margin
	for _, c := range g.cols {
		f.SetXY(x+gridPad, y)
		align := "L"
		if c.right {
			align = "R"
		}
		f.CellFormat(c.w-2*gridPad, gridHeadH, c.head, "", 0, align, false, 0, "")
		x += c.w
	}
	f.SetXY(margin, y+gridHeadH)
	textColor(f, ink)
	g.style, g.color = "", 0
	g.n = 0
}

func (g *grid) newPage() {
	g.f.AddPage()
	if g.continued != "" {
		continued(g.f, g.continued)
		g.f.Ln(0.5)
	}
	g.header()
}

// row prints one row.
func (g *grid) row(cells ...[]span) {
	f := g.f
	n := g.split(cells)
	h := float64(n)*gridLineH + 2*gridPad
	if f.GetY()+h > regBottom && h <= regBottom-regTop-20 {
		g.newPage()
	}
	for start := 0; start < n; {
		room := int((regBottom - f.GetY() - 2*gridPad) / gridLineH)
		if room < 1 {
			g.newPage()
			continue
		}
		end := min(n, start+room)
		g.draw(start, end)
		start = end
		if start < n {
			g.newPage()
		}
	}
	g.n++
}

// draw prints lines [from, to) of the row split last.
func (g *grid) draw(from, to int) {
	f := g.f
	y := f.GetY()
	h := float64(to-from)*gridLineH + 2*gridPad
	if g.n%2 == 1 {
		f.SetFillColor(245, 243, 238)
		f.Rect(margin, y, bodyW, h, "F")
	}
	x := margin
	for i, c := range g.cols {
		align := "L"
		if c.right {
			align = "R"
		}
		lines := g.cells[i]
		for j := from; j < to && j < len(lines); j++ {
			l := lines[j]
			g.use(l.bold, l.muted)
			f.SetXY(x+gridPad, y+gridPad+float64(j-from)*gridLineH)
			f.CellFormat(c.w-2*gridPad, gridLineH, l.text, "", 0, align, false, 0, "")
		}
		x += c.w
	}
	g.use(false, false)
	f.SetXY(margin, y+h)
}

// end draws the table's closing rule.
func (g *grid) end() {
	f := g.f
	f.SetDrawColor(200, 200, 200)
	f.Line(margin, f.GetY(), margin+bodyW, f.GetY())
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

// letterhead puts the controller on the left (name, address, SIREN) and,
// on the right, the title, the document's number and a subtitle, as on a
// letter; the page continues below the taller side.
func letterhead(f *fpdf.Fpdf, ctrl privacy.Party, title, number, subtitle string) {
	half := bodyW / 2
	textColor(f, ink)
	f.SetFont("body", "B", 13)
	for _, l := range f.SplitText(clean(ctrl.Name), half-4) {
		f.CellFormat(half, 6, l, "", 2, "L", false, 0, "")
	}
	f.SetFont("body", "", fontPt)
	lines := nonEmpty(strings.Split(ctrl.Address, "\n")...)
	if ctrl.ID != "" {
		lines = append(lines, "SIREN "+ctrl.ID)
	}
	for _, l := range lines {
		for _, p := range f.SplitText(clean(l), half-4) {
			f.CellFormat(half, 4.4, p, "", 2, "L", false, 0, "")
		}
	}
	left := f.GetY()

	f.SetXY(margin+half, margin)
	f.SetFont("body", "B", 15)
	textColor(f, accent)
	for _, l := range f.SplitText(clean(strings.ToUpper(title)), half) {
		f.SetX(margin + half)
		f.CellFormat(half, 7, l, "", 2, "R", false, 0, "")
	}
	textColor(f, ink)
	f.SetFont("body", "B", 11)
	f.SetX(margin + half)
	f.CellFormat(half, 6, clean(number), "", 2, "R", false, 0, "")
	f.SetFont("body", "", smallPt)
	textColor(f, muted)
	for _, l := range f.SplitText(subtitle, half) {
		f.SetX(margin + half)
		f.CellFormat(half, 4, l, "", 2, "R", false, 0, "")
	}
	textColor(f, ink)
	f.SetXY(margin, max(left, f.GetY())+8)
}
