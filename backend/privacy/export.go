package privacy

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"hash/crc32"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"carnet/backend/csvsafe"
)

// Sheet is one page of the register as the CNIL's template lays it out:
// first the common sheet (the organisation and the list of activities),
// then one sheet per activity. The ODS, CSV and PDF exports all print
// these sheets, so the three always say the same thing.
type Sheet struct {
	Name string `json:"name"` // a valid, unique spreadsheet tab name
	// Title is the sheet's full heading (the activity's name, untruncated).
	Title string `json:"title"`
	Rows  []Row  `json:"rows"`
}

// Row is one item of a sheet: a label and its value, or a heading that
// opens a group of items.
type Row struct {
	Label   string `json:"label"`
	Value   string `json:"value"` // lines separated by "\n"
	Heading bool   `json:"heading"`
	List    bool   `json:"list"` // each line is an item of a list
	// Date is the value as an RFC 3339 time when it is a date, so that
	// spreadsheets get a real date cell.
	Date string `json:"date,omitempty"`
}

// Lines splits the value into its lines.
func (r Row) Lines() []string { return strings.Split(r.Value, "\n") }

// Spreadsheet tab names: Excel refuses more than 31 characters and these.
const (
	maxSheetName  = 31
	sheetNameBans = `[]:*?/\`
)

// Sheets lays the register out in the user's language; t translates a key.
func (r Register) Sheets(t func(key string) string) []Sheet {
	taken := map[string]bool{}
	sheets := []Sheet{{Name: sheetName(t("register.sheet.common"), t("register.title"), taken), Title: t("register.title"), Rows: r.commonRows(t)}}
	for i, a := range r.Activities {
		name := sheetName(a.Name, fill(t("register.activity_n"), "n", strconv.Itoa(i+1)), taken)
		sheets = append(sheets, Sheet{Name: name, Title: a.Name, Rows: r.activityRows(t, a)})
	}
	return sheets
}

// Date is the register's date in the user's language.
func (r Register) Date(t func(key string) string) string {
	at, err := time.Parse(time.RFC3339Nano, r.GeneratedAt)
	if err != nil {
		return r.GeneratedAt
	}
	// register.date_layout is a Go reference layout: "02/01/2006" in
	// French, "2 January 2006" in English.
	return at.Local().Format(t("register.date_layout"))
}

func (r Register) commonRows(t func(key string) string) []Row {
	none := t("register.not_designated")
	rows := []Row{
		{Label: t("register.date"), Value: r.Date(t), Date: r.GeneratedAt},
		{Label: t("register.controller"), Heading: true},
		{Label: t("register.name"), Value: orMissing(r.Controller.Name, t)},
		{Label: t("register.address"), Value: orMissing(r.Controller.Address, t)},
		{Label: t("register.siren"), Value: orMissing(r.Controller.ID, t)},
		{Label: t("register.email"), Value: orMissing(r.Controller.Email, t)},
		{Label: t("register.phone"), Value: orMissing(r.Controller.Phone, t)},
		{Label: t("register.representative"), Heading: true},
	}
	if strings.TrimSpace(r.Representative.Name) == "" {
		rows = append(rows, Row{Label: t("register.name"), Value: none})
	} else {
		rows = append(rows,
			Row{Label: t("register.name"), Value: r.Representative.Name},
			Row{Label: t("register.address"), Value: orMissing(r.Representative.Address, t)})
	}
	rows = append(rows, Row{Label: t("register.dpo"), Heading: true})
	if strings.TrimSpace(r.DPO.Name) == "" {
		rows = append(rows, Row{Label: t("register.name"), Value: none})
	} else {
		rows = append(rows,
			Row{Label: t("register.name"), Value: r.DPO.Name},
			Row{Label: t("register.address"), Value: orMissing(r.DPO.Address, t)},
			Row{Label: t("register.email"), Value: orMissing(r.DPO.Email, t)},
			Row{Label: t("register.phone"), Value: orMissing(r.DPO.Phone, t)})
	}
	rows = append(rows, Row{Label: t("register.activities"), Heading: true})
	if len(r.Activities) == 0 {
		rows = append(rows, Row{Label: t("register.activities"), Value: t("register.none")})
	}
	for i, a := range r.Activities {
		rows = append(rows, Row{Label: fill(t("register.activity_n"), "n", strconv.Itoa(i+1)), Value: a.Name})
	}
	// Special categories of data held in contact fields (Art. 9).
	rows = append(rows, Row{Label: t("register.sensitive_fields"), Heading: true})
	if len(r.SensitiveFields) == 0 {
		rows = append(rows, Row{Label: t("register.sensitive_fields"), Value: t("register.none")})
	}
	for _, f := range r.SensitiveFields {
		rows = append(rows, Row{Label: f.Name, Value: fill(t("register.sensitive_field"),
			"category", t("fields.category."+f.Category), "condition", t("fields.condition."+f.Condition))})
	}
	return rows
}

// activityRows are the CNIL template's items for one activity, always the
// same ones in the same order, so that sheets compare side by side.
func (r Register) activityRows(t func(key string) string, a Purpose) []Row {
	basis := t("privacy.basis." + a.LawfulBasis)
	if i := indexOf(a.LawfulBasis, Bases); i >= 0 {
		basis = fill(t("register.basis_ref"), "label", basis, "letter", string(rune('a'+i)))
	}
	if a.LawfulBasis == "consent" && a.ConsentValidMonths > 0 {
		basis += "\n" + fill(t("register.consent_renewed"), "period", period(a.ConsentValidMonths, t))
	}
	balancing := t("register.not_applicable")
	if a.LawfulBasis == "legitimate_interests" {
		balancing = orMissing(a.BalancingNote, t)
	}
	sensitive := t("register.sensitive_no")
	if c := strings.TrimSpace(a.SensitiveCondition); c != "" {
		sensitive = fill(t("register.sensitive_yes"), "condition", c)
	}
	var recipients []string
	for _, rc := range a.Recipients {
		kind := t("register.kind." + rc.Kind)
		// The default names already say "(processor)": say it once.
		name := strings.TrimSpace(rc.Name)
		if n := len(name) - len(kind) - 2; n > 0 && strings.EqualFold(name[n:], "("+kind+")") {
			name = strings.TrimSpace(name[:n])
		}
		detail := kind
		if rc.Country != "" {
			detail += ", " + rc.Country
		}
		recipients = append(recipients, orMissing(name, t)+" ("+detail+")")
	}
	transfers := t("register.none")
	if len(a.Transfers) > 0 {
		var l []string
		for _, tr := range a.Transfers {
			l = append(l, fill(t("register.transfer"), "country", orMissing(tr.Country, t), "safeguard", orMissing(tr.Safeguard, t)))
		}
		transfers = strings.Join(l, "\n")
	}
	retention := t("register.retention_undefined")
	if a.RetentionMonths > 0 {
		retention = fill(t("register.retention_period"), "period", period(a.RetentionMonths, t),
			"event", t("privacy.retention_from."+a.RetentionFrom))
	}
	if n := strings.TrimSpace(a.RetentionNote); n != "" {
		retention += "\n" + n
	}
	return []Row{
		{Label: t("register.activity"), Value: orMissing(a.Name, t)},
		{Label: t("register.purposes"), Value: orMissing(a.Description, t)},
		{Label: t("register.controller"), Value: orMissing(r.Controller.Name, t)},
		{Label: t("register.joint_controller"), Value: t("register.none")},
		{Label: t("register.lawful_basis"), Value: basis},
		{Label: t("register.balancing"), Value: balancing},
		list(t("register.people"), a.PeopleCategories, t),
		list(t("register.data"), a.DataCategories, t),
		{Label: t("register.sensitive"), Value: sensitive},
		list(t("register.recipients"), recipients, t),
		{Label: t("register.transfers"), Value: transfers, List: len(a.Transfers) > 1},
		{Label: t("register.retention"), Value: retention},
		list(t("register.security"), union(a.Security, r.Measures), t),
	}
}

func list(label string, items []string, t func(string) string) Row {
	items = cleanList(items)
	if len(items) == 0 {
		return Row{Label: label, Value: t("register.not_provided")}
	}
	return Row{Label: label, Value: strings.Join(items, "\n"), List: len(items) > 1}
}

// union keeps the activity's own measures first, then Carnet's, each once.
func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range append(append([]string{}, a...), b...) {
		s = strings.TrimSpace(s)
		if s != "" && !seen[strings.ToLower(s)] {
			seen[strings.ToLower(s)] = true
			out = append(out, s)
		}
	}
	return out
}

// period writes months as years when they are whole years, the way
// retention periods are usually stated ("3 ans", "18 mois").
func period(months int, t func(string) string) string {
	n, unit := months, "register.months"
	if months%12 == 0 {
		n, unit = months/12, "register.years"
	}
	form := "_other"
	if n == 1 {
		form = "_one"
	}
	return fill(t(unit+form), "count", strconv.Itoa(n))
}

func orMissing(s string, t func(string) string) string {
	if strings.TrimSpace(s) == "" {
		return t("register.not_provided")
	}
	return strings.TrimSpace(s)
}

func indexOf(v string, l []string) int {
	for i, x := range l {
		if x == v {
			return i
		}
	}
	return -1
}

// fill replaces {name} placeholders: the exports receive a plain
// key → text function, not the bundle.
func fill(msg string, kv ...string) string {
	for i := 0; i+1 < len(kv); i += 2 {
		msg = strings.ReplaceAll(msg, "{"+kv[i]+"}", kv[i+1])
	}
	return msg
}

// sheetName makes a tab name spreadsheet programs accept: no []:*?/\, no
// leading or trailing apostrophe, at most 31 characters, unique without
// regard to case (as Excel and LibreOffice compare them).
func sheetName(want, fallback string, taken map[string]bool) string {
	clean := func(s string) string {
		s = strings.Map(func(r rune) rune {
			if strings.ContainsRune(sheetNameBans, r) || r < ' ' {
				return ' '
			}
			return r
		}, s)
		s = strings.Join(strings.Fields(s), " ")
		return strings.Trim(s, "' ")
	}
	base := clean(want)
	if base == "" {
		base = clean(fallback)
	}
	for n := 1; ; n++ {
		name, suffix := base, ""
		if n > 1 {
			suffix = " (" + strconv.Itoa(n) + ")"
		}
		if keep := maxSheetName - utf8.RuneCountInString(suffix); utf8.RuneCountInString(name) > keep {
			rs := []rune(name)
			cut := string(rs[:keep])
			// Cut between words when that loses little.
			if i := strings.LastIndexByte(cut, ' '); rs[keep] != ' ' && i >= len(cut)-12 && i > 0 {
				cut = cut[:i]
			}
			name = strings.TrimRight(cut, " ")
		}
		name += suffix
		if !taken[strings.ToLower(name)] {
			taken[strings.ToLower(name)] = true
			return name
		}
	}
}

// WriteRegisterCSV writes the register as one CSV file: sheet, item,
// value. Semicolons and a UTF-8 byte order mark, so that Excel in French
// opens it in columns and with its accents.
func WriteRegisterCSV(w io.Writer, r Register, t func(key string) string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("privacy: register csv: %w", err)
	}
	cw := csvsafe.NewWriter(w) // every cell defused
	cw.Comma = ';'
	cw.UseCRLF = true // Excel's line ending
	cw.Write([]string{t("register.col.sheet"), t("register.col.item"), t("register.col.value")})
	for _, s := range r.Sheets(t) {
		for _, row := range s.Rows {
			cw.Write([]string{s.Name, row.Label, row.Value})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("privacy: register csv: %w", err)
	}
	return nil
}

// OpenDocument namespaces used by the spreadsheet.
const odsNamespaces = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
	`xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ` +
	`xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
	`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ` +
	`xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" ` +
	`xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" ` +
	`xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" ` +
	`xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2"`

const odsMIME = "application/vnd.oasis.opendocument.spreadsheet"

// WriteRegisterODS writes the register as an OpenDocument spreadsheet:
// the common sheet, then one sheet per activity, headings in bold.
func WriteRegisterODS(w io.Writer, r Register, t func(key string) string) error {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	// ODF 1.2 §3.3: "mimetype" comes first, stored, with no extra field,
	// so the type can be read at a fixed offset.
	mime := []byte(odsMIME)
	fw, err := z.CreateRaw(&zip.FileHeader{Name: "mimetype", Method: zip.Store, CRC32: crc32.ChecksumIEEE(mime),
		CompressedSize64: uint64(len(mime)), UncompressedSize64: uint64(len(mime))})
	if err != nil {
		return fmt.Errorf("privacy: register ods: %w", err)
	}
	fw.Write(mime)
	modified, err := time.Parse(time.RFC3339Nano, r.GeneratedAt)
	if err != nil {
		modified = time.Now()
	}
	for _, f := range []struct{ name, body string }{
		{"META-INF/manifest.xml", odsManifest},
		{"meta.xml", odsMeta(r, t, modified)},
		{"styles.xml", odsStyles},
		{"content.xml", odsContent(r, t)},
	} {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: modified.UTC()})
		if err != nil {
			return fmt.Errorf("privacy: register ods %s: %w", f.name, err)
		}
		if _, err := io.WriteString(fw, f.body); err != nil {
			return fmt.Errorf("privacy: register ods %s: %w", f.name, err)
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("privacy: register ods: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("privacy: register ods: %w", err)
	}
	return nil
}

const odsManifest = xml.Header + `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="` + odsMIME + `"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
`

const odsStyles = xml.Header + `<office:document-styles ` + odsNamespaces + `>
 <office:styles>
  <style:default-style style:family="table-cell">
   <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0cm"/>
   <style:text-properties fo:font-size="10pt"/>
  </style:default-style>
 </office:styles>
</office:document-styles>
`

func odsMeta(r Register, t func(string) string, at time.Time) string {
	var b strings.Builder
	b.WriteString(xml.Header + `<office:document-meta ` + odsNamespaces + `><office:meta>`)
	b.WriteString(`<meta:generator>Carnet</meta:generator>`)
	b.WriteString(`<dc:title>` + esc(t("register.title")) + `</dc:title>`)
	if r.Controller.Name != "" {
		b.WriteString(`<dc:subject>` + esc(r.Controller.Name) + `</dc:subject>`)
	}
	b.WriteString(`<meta:creation-date>` + at.UTC().Format("2006-01-02T15:04:05") + `</meta:creation-date>`)
	b.WriteString(`</office:meta></office:document-meta>` + "\n")
	return b.String()
}

func odsContent(r Register, t func(string) string) string {
	var b strings.Builder
	b.WriteString(xml.Header + `<office:document-content ` + odsNamespaces + `>
<office:automatic-styles>
 <style:style style:name="coLabel" style:family="table-column"><style:table-column-properties style:column-width="6cm"/></style:style>
 <style:style style:name="coValue" style:family="table-column"><style:table-column-properties style:column-width="11cm"/></style:style>
 <style:style style:name="ceHead" style:family="table-cell"><style:table-cell-properties fo:background-color="#24548a" fo:wrap-option="wrap" style:vertical-align="top" fo:padding="0.08cm"/><style:text-properties fo:color="#ffffff" fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"/></style:style>
 <style:style style:name="ceGroup" style:family="table-cell"><style:table-cell-properties fo:background-color="#e3ecf6" fo:wrap-option="wrap" style:vertical-align="top" fo:padding="0.08cm"/><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"/></style:style>
 <style:style style:name="ceLabel" style:family="table-cell"><style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top" fo:padding="0.08cm" fo:border-bottom="0.5pt solid #c8c8c8"/><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"/></style:style>
 <number:date-style style:name="nDate" number:automatic-order="true"><number:day number:style="long"/><number:text>/</number:text><number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/></number:date-style>
 <style:style style:name="ceDate" style:family="table-cell" style:data-style-name="nDate"><style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top" fo:padding="0.08cm" fo:border-bottom="0.5pt solid #c8c8c8"/><style:paragraph-properties fo:text-align="start"/></style:style>
 <style:style style:name="ceValue" style:family="table-cell"><style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top" fo:padding="0.08cm" fo:border-bottom="0.5pt solid #c8c8c8"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>
`)
	for _, s := range r.Sheets(t) {
		b.WriteString(`<table:table table:name="` + esc(s.Name) + `">`)
		b.WriteString(`<table:table-column table:style-name="coLabel"/><table:table-column table:style-name="coValue"/>`)
		// The first row carries the full title, which the tab name may
		// have had to shorten.
		odsRow(&b, "ceHead", t("register.col.item"), "ceHead", s.Title, "")
		for _, row := range s.Rows {
			if row.Heading {
				odsRow(&b, "ceGroup", row.Label, "ceGroup", "", "")
			} else {
				style := "ceValue"
				if row.Date != "" {
					style = "ceDate"
				}
				odsRow(&b, "ceLabel", row.Label, style, row.Value, row.Date)
			}
		}
		b.WriteString("</table:table>\n")
	}
	b.WriteString("</office:spreadsheet></office:body></office:document-content>\n")
	return b.String()
}

// odsRow writes a label and a value; date, when set, makes the value a
// real date cell that spreadsheets can sort and filter.
func odsRow(b *strings.Builder, labelStyle, label, valueStyle, value, date string) {
	b.WriteString("<table:table-row>")
	odsCell(b, labelStyle, label, "")
	odsCell(b, valueStyle, value, date)
	b.WriteString("</table:table-row>\n")
}

func odsCell(b *strings.Builder, style, text, date string) {
	b.WriteString(`<table:table-cell table:style-name="` + style + `"`)
	if at, err := time.Parse(time.RFC3339Nano, date); err == nil {
		b.WriteString(` office:value-type="date" office:date-value="` + at.Local().Format("2006-01-02") + `"`)
	} else {
		b.WriteString(` office:value-type="string"`)
	}
	b.WriteString(">")
	if text != "" {
		for _, line := range strings.Split(text, "\n") {
			b.WriteString("<text:p>" + esc(line) + "</text:p>")
		}
	}
	b.WriteString("</table:table-cell>")
}

// esc escapes text for XML content and attributes; characters XML cannot
// carry become U+FFFD.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
