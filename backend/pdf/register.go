package pdf

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"carnet/backend/privacy"
)

// Register writes the record of processing activities (Art. 30 GDPR) as
// PDF: the organisation, then one section per activity starting on its own
// page, like the CNIL's register sheets. It prints the same sheets as the
// spreadsheet exports (privacy.Register.Sheets); t translates a key.
func Register(w io.Writer, r privacy.Register, t func(key string) string) error {
	title := t("register.title")
	f := sheet(title, r.Controller.Name, strings.Join(nonEmpty(title, r.Controller.Name), " — "),
		fill(t("register.generated"), "date", r.Date(t)), t("register.page"))

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
