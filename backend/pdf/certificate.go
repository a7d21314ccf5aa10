package pdf

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"carnet/backend/privacy/rights"
)

// ErasureCertificate writes the certificate handed to a person whose data
// were erased (Art. 17 GDPR): what was erased, what is kept and why, who
// was told (Art. 19). It names nobody but the controller, its DPO and the
// requester as c.AddressedTo says: the certificate may be kept or shown,
// so it must not bring back the data it certifies are gone.
func (r *Renderer) ErasureCertificate(w io.Writer, c *rights.Certificate) error {
	title := r.t("erasure.certificate.title", nil)
	number := r.t("erasure.certificate.number", map[string]any{"number": c.Number})
	legal := c.Controller.Name
	if c.Controller.ID != "" {
		legal += " · SIREN " + c.Controller.ID
	}
	f := sheet(title, c.Number, strings.Join(nonEmpty(title, number), " — "), legal, r.t("access.report.page", nil))
	f.SetAuthor(c.Controller.Name, true)
	f.AddPage()
	f.SetY(margin)
	letterhead(f, c.Controller, title, number, r.t("erasure.certificate.subtitle", nil))

	body := text{f: f, size: fontPt, lineH: 4.6, color: ink}
	facts := [][2]string{{r.t("erasure.certificate.addressed_to", nil), orDash(c.AddressedTo)}}
	if c.ReceivedOn != "" {
		facts = append(facts, [2]string{r.t("erasure.certificate.received_on", nil), r.day(c.ReceivedOn)})
	}
	facts = append(facts, [2]string{r.t("erasure.certificate.erased_on", nil), r.day(c.ErasedAt)})
	strip(f, facts)
	f.Ln(4)
	body.para(r.t("erasure.certificate.statement", map[string]any{"controller": c.Controller.Name, "date": r.day(c.ErasedAt)}))

	section(f, r.t("erasure.certificate.erased", nil), 10)
	var erased []string
	for _, it := range c.Erase {
		if it.Count > 0 {
			erased = append(erased, r.t("erasure.item."+it.What, map[string]any{"count": it.Count}))
		}
	}
	if len(erased) == 0 {
		text{f: f, size: fontPt, lineH: 4.6, color: muted}.para(r.t("erasure.certificate.erased_none", nil))
	}
	columns(f, erased)

	section(f, r.t("erasure.certificate.kept", nil), 14)
	if len(c.Keep) == 0 {
		text{f: f, size: fontPt, lineH: 4.6, color: muted}.para(r.t("erasure.certificate.kept_none", nil))
	}
	head := text{f: f, size: fontPt, lineH: 4.6, color: ink, style: "B"}
	reason := text{f: f, size: 8.5, lineH: 4.2, color: [3]int{74, 82, 99}, indent: bulletW}
	// Holds kept for the same reason share its explanation.
	var reasons []string
	kept := map[string][]string{}
	for _, h := range c.Keep {
		what := r.t("erasure.hold."+h.What, map[string]any{"count": h.Count})
		if h.Until != "" {
			what += " — " + r.t("erasure.certificate.until", map[string]any{"date": r.day(h.Until)})
		}
		if _, ok := kept[h.Reason]; !ok {
			reasons = append(reasons, h.Reason)
		}
		kept[h.Reason] = append(kept[h.Reason], what)
	}
	for i, why := range reasons {
		what := strings.Join(kept[why], " · ")
		because := r.t("erasure.reason."+why, nil)
		if f.GetY()+head.height(what, true)+reason.height(because, false) > regBottom {
			f.AddPage()
		}
		if i > 0 {
			f.Ln(1.5)
		}
		head.bullet(what)
		reason.para(because)
	}

	section(f, r.t("erasure.certificate.recipients", nil), 10)
	if len(c.Recipients) == 0 {
		text{f: f, size: fontPt, lineH: 4.6, color: muted}.para(r.t("erasure.certificate.recipients_none", nil))
	} else {
		body.para(r.t("erasure.certificate.recipients_intro", nil))
		f.Ln(1)
		for _, rc := range c.Recipients {
			told := r.t("erasure.certificate.to_inform", nil)
			if rc.Informed != "" {
				told = r.t("erasure.certificate.informed_on", map[string]any{"date": r.day(rc.Informed)})
			}
			detail := strings.Join(nonEmpty(r.word("register.kind", rc.Kind), rc.Country), ", ")
			line := rc.Name
			if detail != "" {
				line += " (" + detail + ")"
			}
			body.bullet(line + " — " + told)
		}
	}
	r.copies(f, c)

	r.signature(f, c)

	if err := f.Error(); err != nil {
		return fmt.Errorf("pdf: erasure certificate %s: %w", c.Number, err)
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return fmt.Errorf("pdf: erasure certificate %s: %w", c.Number, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// copies says which copies of the files may still hold the person: backups
// made while they were held, until the rotation drops them, and vaults set
// aside by a restore, until purged; and that a restore erases them again.
func (r *Renderer) copies(f *fpdf.Fpdf, c *rights.Certificate) {
	small := text{f: f, size: 8.5, lineH: 4.2, color: [3]int{74, 82, 99}}
	f.Ln(4)
	var lines []string
	if cp := c.Copies; cp != nil {
		if n := len(cp.Backups); n > 0 {
			oldest := cp.Backups[n-1].Time.UTC().Format(time.RFC3339)
			lines = append(lines, r.t("erasure.certificate.backups_held", map[string]any{"count": n, "from": r.day(oldest), "to": r.day(c.ErasedAt)}))
			if !cp.LastExpiry.IsZero() {
				lines = append(lines, r.t("erasure.certificate.backups_expire", map[string]any{"date": r.day(cp.LastExpiry.UTC().Format(time.RFC3339))}))
			}
			if cp.Kept > 0 {
				lines = append(lines, r.t("erasure.certificate.backups_kept", map[string]any{"count": cp.Kept}))
			}
		}
		if cp.FolderUnavailable {
			lines = append(lines, r.t("erasure.certificate.backups_unknown", nil))
		}
		if n := len(cp.Replaced); n > 0 {
			var days []string
			for _, rp := range cp.Replaced {
				days = append(days, r.day(rp.Time.UTC().Format(time.RFC3339)))
			}
			lines = append(lines, r.t("erasure.certificate.replaced_held", map[string]any{"count": n, "dates": strings.Join(days, ", ")}))
		}
	}
	if len(lines) == 0 && c.Copies != nil {
		lines = append(lines, r.t("erasure.certificate.backups_none", nil))
	}
	lines = append(lines, r.t("erasure.certificate.copies", nil))
	small.para(strings.Join(lines, " "))
}

// strip prints label and value pairs side by side in a shaded band.
func strip(f *fpdf.Fpdf, facts [][2]string) {
	const pad, labelH, valueH = 2.5, 4.0, 4.8
	w := bodyW / float64(len(facts))
	values := make([][]string, len(facts))
	n := 1
	f.SetFont("body", "B", 9.5)
	for i, fc := range facts {
		values[i] = f.SplitText(clean(fc[1]), w-2*pad)
		n = max(n, len(values[i]))
	}
	y := f.GetY()
	h := 2*pad + labelH + float64(n)*valueH
	f.SetFillColor(245, 243, 238)
	f.Rect(margin, y, bodyW, h, "F")
	for i, fc := range facts {
		x := margin + float64(i)*w + pad
		f.SetXY(x, y+pad)
		f.SetFont("body", "", smallPt)
		textColor(f, muted)
		f.CellFormat(w-2*pad, labelH, clean(fc[0]), "", 0, "L", false, 0, "")
		f.SetFont("body", "B", 9.5)
		textColor(f, ink)
		for j, l := range values[i] {
			f.SetXY(x, y+pad+labelH+float64(j)*valueH)
			f.CellFormat(w-2*pad, valueH, l, "", 0, "L", false, 0, "")
		}
	}
	f.SetXY(margin, y+h)
}

// columns lists short items as bullets, in up to three columns read
// down then across.
func columns(f *fpdf.Fpdf, items []string) {
	if len(items) == 0 {
		return
	}
	n := 1
	switch {
	case len(items) > 8:
		n = 3
	case len(items) > 3:
		n = 2
	}
	colW := bodyW / float64(n)
	rows := (len(items) + n - 1) / n
	f.SetFont("body", "", fontPt)
	textColor(f, ink)
	const lh = 4.6
	for i := 0; i < rows; i++ {
		var cells [][]string
		for k := 0; k < n && i+k*rows < len(items); k++ {
			cells = append(cells, f.SplitText(clean(items[i+k*rows]), colW-bulletW-3))
		}
		h := 1
		for _, c := range cells {
			h = max(h, len(c))
		}
		if f.GetY()+float64(h)*lh > regBottom {
			f.AddPage()
			f.SetFont("body", "", fontPt)
		}
		y := f.GetY()
		for k, c := range cells {
			x := margin + float64(k)*colW
			f.SetXY(x, y)
			f.CellFormat(bulletW, lh, "•", "", 0, "L", false, 0, "")
			for m, l := range c {
				f.SetXY(x+bulletW, y+float64(m)*lh)
				f.CellFormat(colW-bulletW-3, lh, l, "", 0, "L", false, 0, "")
			}
		}
		f.SetXY(margin, y+float64(h)*lh+0.4)
	}
}

// signature closes the certificate with who vouches for it: the DPO when
// there is one, else the controller.
func (r *Renderer) signature(f *fpdf.Fpdf, c *rights.Certificate) {
	name, role := c.DPO.Name, r.t("erasure.certificate.dpo", nil)
	if strings.TrimSpace(name) == "" {
		name, role = c.Controller.Name, ""
	}
	const h = 24.0
	if f.GetY()+5+h > regBottom {
		f.AddPage()
	} else {
		f.Ln(5)
	}
	x := margin + bodyW/2
	w := bodyW / 2
	y := f.GetY()
	f.SetXY(x, y)
	f.SetFont("body", "", fontPt)
	textColor(f, ink)
	f.CellFormat(w, 4.6, clean(r.t("erasure.certificate.for", map[string]any{"controller": c.Controller.Name})), "", 2, "L", false, 0, "")
	f.SetX(x)
	f.SetFont("body", "B", fontPt)
	f.CellFormat(w, 4.6, clean(name), "", 2, "L", false, 0, "")
	if role != "" {
		f.SetX(x)
		f.SetFont("body", "", fontPt)
		textColor(f, muted)
		f.CellFormat(w, 4.6, role, "", 2, "L", false, 0, "")
	}
	f.SetFont("body", "", smallPt)
	textColor(f, muted)
	f.SetDrawColor(160, 160, 160)
	f.SetXY(x, y+h-5)
	f.CellFormat(w*0.8, 4, r.t("erasure.certificate.signature", nil), "T", 2, "L", false, 0, "")
	textColor(f, ink)
	f.SetXY(margin, y+h)
}
