package pdf

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"carnet/backend/crm"
	"carnet/backend/privacy"
	"carnet/backend/privacy/rights"
	"carnet/backend/sales"
)

// AccessReport writes the subject-access report (Art. 15 GDPR) in the
// renderer's language: everything held about one person, what it is used
// for, who receives it, how long it is kept and the person's rights, for a
// reader who is not a specialist. It travels in the bundle with data.json,
// the CSV files, the e-mails and the documents it lists by file name.
func (r *Renderer) AccessReport(w io.Writer, d *rights.Data) error {
	person := d.Person
	if person == nil {
		person = &crm.Contact{}
	}
	a := &access{Renderer: r, d: d, person: person, purposes: map[string]string{}}
	for _, p := range d.Processing.Purposes {
		a.purposes[p.Key] = p.Name
	}
	controller := d.Controller.Name
	title := r.t("access.report.title", map[string]any{"controller": controller})
	date := r.day(d.GeneratedAt)
	name := person.DisplayName()
	f := sheet(title, name, title, r.t("access.report.footer", map[string]any{"name": name, "date": date}), r.t("access.report.page", nil))
	a.f = f
	f.SetAuthor(controller, true)

	f.AddPage()
	f.SetY(margin)
	textColor(f, ink)
	f.SetFont("body", "B", 18)
	f.MultiCell(bodyW, 8, clean(title), "", "L", false)
	f.Ln(0.5)
	text{f: f, size: fontPt, lineH: 5, color: muted}.para(r.t("access.report.prepared", map[string]any{"name": name, "date": date}))
	f.Ln(3)
	body := a.body()
	body.para(r.t("access.report.intro", map[string]any{"controller": controller}))
	f.Ln(1.5)
	body.para(r.t("access.report.bundle", nil))
	for _, k := range []string{"access.report.bundle.data", "access.report.bundle.emails", "access.report.bundle.documents"} {
		body.bullet(r.t(k, nil))
	}
	f.Ln(1.5)
	body.para(r.t("access.report.questions", nil))

	a.identity()
	a.activities()
	a.consents()
	a.requests()
	a.messages()
	a.documents()
	a.audit()
	a.processing()
	a.rights()

	if err := f.Error(); err != nil {
		return fmt.Errorf("pdf: access report: %w", err)
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return fmt.Errorf("pdf: access report: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// access is one report being written.
type access struct {
	*Renderer
	f        *fpdf.Fpdf
	d        *rights.Data
	person   *crm.Contact
	purposes map[string]string // purpose key → name
}

func (a *access) body() text { return text{f: a.f, size: fontPt, lineH: 4.6, color: ink} }

// empty says a section holds nothing.
func (a *access) empty(key string) {
	text{f: a.f, size: fontPt, lineH: 4.6, color: muted}.para(a.t(key, nil))
}

func (a *access) continued(title string) string { return title + " " + a.t("register.continued", nil) }

// grid starts a column table under a section title, kept with its first
// row; the columns' heads are translation keys.
func (a *access) grid(title string, cols []column, first [][]span) *grid {
	g := &grid{f: a.f, cols: cols, continued: a.continued(title)}
	for i := range g.cols {
		g.cols[i].head = a.t(g.cols[i].head, nil)
	}
	section(a.f, title, g.height(first))
	g.header()
	return g
}

// purposeName is a purpose's name, or its key once the purpose is gone.
func (a *access) purposeName(key string) string {
	if n, ok := a.purposes[key]; ok && n != "" {
		return n
	}
	return key
}

// word translates a code from a fixed list; an unknown code shows as is.
func (r *Renderer) word(prefix, code string) string {
	if code == "" {
		return ""
	}
	key := prefix + "." + code
	if s := r.t(key, nil); s != key {
		return s
	}
	return code
}

// day writes a date or an RFC 3339 moment as a day, in local time.
func (r *Renderer) day(iso string) string {
	if len(iso) <= 10 {
		return r.date(iso)
	}
	if t, err := time.Parse(time.RFC3339, iso); err == nil {
		return r.format.Date(t.Local())
	}
	return r.date(iso[:10])
}

// moment writes an RFC 3339 moment as a day and a time, in local time.
func (r *Renderer) moment(iso string) string {
	t, err := time.Parse(time.RFC3339, iso)
	if err != nil {
		return r.day(iso)
	}
	return r.format.DateTime(t.Local())
}

func (a *access) identity() {
	p := a.person
	notRecorded := a.t("access.report.not_recorded", nil)
	row := func(key string, values ...string) privacy.Row {
		values = nonEmpty(values...)
		if len(values) == 0 {
			return privacy.Row{Label: a.t(key, nil), Value: notRecorded}
		}
		return privacy.Row{Label: a.t(key, nil), Value: strings.Join(values, "\n"), List: len(values) > 1}
	}
	labelled := func(value, label string) string {
		if strings.TrimSpace(label) == "" {
			return value
		}
		return value + " (" + label + ")"
	}
	var rows []privacy.Row
	if rs := p.Restriction; rs != nil {
		lines := []string{a.t("access.report.restricted", map[string]any{"date": a.day(rs.Since)})}
		if rs.Reason != "" {
			lines = append(lines, a.t("access.report.restricted_reason", map[string]any{"reason": rs.Reason}))
		}
		if rs.Until != "" {
			lines = append(lines, a.t("access.report.restricted_until", map[string]any{"date": a.day(rs.Until)}))
		}
		rows = append(rows, privacy.Row{Label: a.t("access.report.field.restriction", nil), Value: strings.Join(lines, "\n")})
	}
	var emails, phones, addresses, companies, relationships []string
	for _, e := range p.Emails {
		emails = append(emails, labelled(e.Address, e.Label))
	}
	for _, ph := range p.Phones {
		phones = append(phones, labelled(ph.Number, ph.Label))
	}
	for _, ad := range p.Addresses {
		street := strings.Join(nonEmpty(strings.Split(ad.Street, "\n")...), ", ")
		parts := nonEmpty(street, strings.TrimSpace(ad.PostalCode+" "+ad.City), ad.Region, ad.Country)
		s := strings.Join(parts, ", ")
		if strings.TrimSpace(ad.Label) != "" {
			s = a.t("access.report.labelled_address", map[string]any{"label": strings.TrimSpace(ad.Label), "address": s})
		}
		addresses = append(addresses, s)
	}
	for _, c := range p.Companies {
		companies = append(companies, strings.Join(nonEmpty(c.CompanyName, c.Role), ", "))
	}
	for _, rel := range p.Relationships {
		relationships = append(relationships, a.word("relationship", string(rel)))
	}
	notes := privacy.Row{Label: a.t("access.report.field.notes", nil), Value: notRecorded}
	if strings.TrimSpace(p.Notes) != "" {
		notes.Value = strings.TrimSpace(p.Notes)
	}
	rows = append(rows,
		row("access.report.field.given_name", p.GivenName),
		row("access.report.field.family_name", p.FamilyName),
		row("access.report.field.name_prefix", p.NamePrefix),
		row("access.report.field.name_suffix", p.NameSuffix),
		row("access.report.field.emails", emails...),
		row("access.report.field.phones", phones...),
		row("access.report.field.addresses", addresses...),
		row("access.report.field.companies", companies...),
		row("access.report.field.job_title", p.JobTitle),
		row("access.report.field.website", p.Website),
		row("access.report.field.birthday", a.day(p.Birthday)),
		row("access.report.field.language", a.word("lang", p.Language)),
		row("access.report.field.relationships", strings.Join(relationships, ", ")),
		row("access.report.field.tags", strings.Join(p.Tags, ", ")),
		row("access.report.field.owner", p.Owner),
		row("access.report.field.source", p.Source),
		row("access.report.field.last_inbound", a.day(p.LastInboundAt)),
		row("access.report.field.created", a.day(p.CreatedAt)),
		row("access.report.field.updated", a.day(p.UpdatedAt)),
		notes,
	)
	past := append(append([]string{}, a.d.Identifiers.PastEmails...), a.d.Identifiers.PastPhones...)
	pastRow := row("access.report.field.past", past...)
	if len(nonEmpty(past...)) == 0 {
		pastRow.Value = a.t("access.report.none", nil)
	}
	rows = append(rows, pastRow)
	if len(p.Fields) > 0 {
		rows = append(rows, privacy.Row{Label: a.t("access.report.field.other", nil), Heading: true})
		for _, fv := range p.Fields {
			label := fv.Name
			if fv.Sensitive {
				label += " " + a.t("access.report.field.sensitive", nil)
			}
			value := strings.TrimSpace(fv.Value)
			if value == "" {
				value = notRecorded
			}
			rows = append(rows, privacy.Row{Label: label, Value: value})
		}
	}
	title := a.t("access.report.section.identity", nil)
	tw := &table{f: a.f, continued: a.continued(title)}
	section(a.f, title, tw.height(rows[0]))
	tw.rows(rows)
}

func (a *access) activities() {
	title := a.t("access.report.section.activities", nil)
	if len(a.d.Activities) == 0 {
		section(a.f, title, 5)
		a.empty("access.report.empty.activities")
		return
	}
	cells := func(x crm.Activity) [][]span {
		details := []span{{text: x.Title, bold: true}, {text: strings.TrimSpace(x.Body)}}
		if x.Kind == "task" {
			var status []string
			if x.DueOn != "" {
				status = append(status, a.t("access.report.task_due", map[string]any{"date": a.day(x.DueOn)}))
			}
			if x.DoneAt != "" {
				status = append(status, a.t("access.report.task_done", map[string]any{"date": a.day(x.DoneAt)}))
			} else {
				status = append(status, a.t("access.report.task_open", nil))
			}
			details = append(details, span{text: strings.Join(status, " · "), muted: true})
		}
		return [][]span{plain(a.day(x.OccurredAt)), plain(a.word("activity.kind", x.Kind)), details}
	}
	g := a.grid(title, []column{{head: "access.report.col.date", w: 24}, {head: "access.report.col.kind", w: 24}, {head: "access.report.col.details", w: bodyW - 48}},
		cells(a.d.Activities[0]))
	for _, x := range a.d.Activities {
		g.row(cells(x)...)
	}
	g.end()
}

func (a *access) consents() {
	title := a.t("access.report.section.consents", nil)
	if len(a.d.Consents) == 0 && len(a.d.ConsentNow) == 0 {
		section(a.f, title, 5)
		a.empty("access.report.empty.consents")
		return
	}
	if len(a.d.Consents) > 0 {
		cells := func(e privacy.Entry) [][]span {
			wording := []span{{text: e.Wording}}
			if e.WordingVersion != "" {
				wording = append(wording, span{text: a.t("access.report.wording_version", map[string]any{"version": e.WordingVersion}), muted: true})
			}
			return [][]span{plain(a.day(e.OccurredAt)), plain(a.purposeName(e.Purpose)), plain(a.word("privacy.channel", e.Channel)),
				{{text: a.word("access.report.consent", e.Action), bold: true}}, plain(a.word("privacy.method", e.Method)), wording}
		}
		g := a.grid(title, []column{{head: "access.report.col.date", w: 22}, {head: "access.report.col.purpose", w: 36}, {head: "access.report.col.channel", w: 18},
			{head: "access.report.col.decision", w: 20}, {head: "access.report.col.method", w: 28}, {head: "access.report.col.wording", w: bodyW - 124}},
			cells(a.d.Consents[0]))
		for _, e := range a.d.Consents {
			g.row(cells(e)...)
		}
		g.end()
	} else {
		section(a.f, title, 20)
	}
	if len(a.d.ConsentNow) == 0 {
		return
	}
	cells := func(s privacy.State) [][]span {
		status := []span{{text: a.t("privacy.status_on."+s.Status, map[string]any{"date": a.day(s.Since)})}}
		if s.ExpiresAt != "" && s.Status == "granted" {
			status = append(status, span{text: a.t("access.report.expires", map[string]any{"date": a.day(s.ExpiresAt)}), muted: true})
		}
		return [][]span{plain(a.purposeName(s.Purpose)), plain(a.word("privacy.channel", s.Channel)), status}
	}
	g := &grid{f: a.f, cols: []column{{head: a.t("access.report.col.purpose", nil), w: 70}, {head: a.t("access.report.col.channel", nil), w: 40},
		{head: a.t("access.report.col.status", nil), w: bodyW - 110}}, continued: a.continued(title)}
	subheading(a.f, a.t("access.report.consent_now", nil), g.height(cells(a.d.ConsentNow[0])))
	g.header()
	for _, s := range a.d.ConsentNow {
		g.row(cells(s)...)
	}
	g.end()
}

func (a *access) requests() {
	title := a.t("access.report.section.requests", nil)
	if len(a.d.Requests) == 0 {
		section(a.f, title, 5)
		a.empty("access.report.empty.requests")
		return
	}
	cells := func(q privacy.Request) [][]span {
		answer := ""
		switch {
		case q.ClosedOn != "":
			answer = a.t("access.report.request_closed", map[string]any{"date": a.day(q.ClosedOn)})
		case q.DueOn != "":
			answer = a.t("access.report.request_due", map[string]any{"date": a.day(q.DueOn)})
		}
		return [][]span{plain(a.word("privacy.request.kind", q.Kind)), plain(a.day(q.ReceivedOn)), plain(a.word("privacy.request.status", q.Status)), plain(answer)}
	}
	g := a.grid(title, []column{{head: "access.report.col.request", w: 52}, {head: "access.report.col.received", w: 30}, {head: "access.report.col.status", w: 42},
		{head: "access.report.col.answer", w: bodyW - 124}}, cells(a.d.Requests[0]))
	for _, q := range a.d.Requests {
		g.row(cells(q)...)
	}
	g.end()
}

func (a *access) messages() {
	title := a.t("access.report.section.emails", nil)
	if len(a.d.Messages) == 0 {
		section(a.f, title, 5)
		a.empty("access.report.empty.emails")
		return
	}
	noSubject := a.t("access.report.no_subject", nil)
	cells := make([][]span, 4)
	subjectCell := make([]span, 2)
	cellsOf := func(m *rights.Message) [][]span {
		s := m.Topic
		if strings.TrimSpace(s) == "" {
			s = noSubject
		}
		subjectCell[0] = span{text: s}
		subjectCell[1] = span{}
		if len(m.Attachments) > 0 {
			subjectCell[1] = span{text: a.t("access.report.attachments", map[string]any{"names": strings.Join(m.Attachments, ", ")}), muted: true}
		}
		cells[0], cells[1], cells[2], cells[3] = plain(a.moment(m.Date)), sender(a.f, m.From, 52), subjectCell, plain(m.File)
		return cells
	}
	g := &grid{f: a.f, cols: []column{{head: a.t("access.report.col.date", nil), w: 24}, {head: a.t("access.report.col.from", nil), w: 52},
		{head: a.t("access.report.col.subject", nil), w: 64}, {head: a.t("access.report.col.file", nil), w: bodyW - 140}}, continued: a.continued(title)}
	count := a.t("access.report.emails_count", map[string]any{"count": len(a.d.Messages)})
	section(a.f, title, a.body().height(count, false)+2+g.height(cellsOf(&a.d.Messages[0])))
	a.body().para(count)
	a.f.Ln(2)
	g.header()
	for i := range a.d.Messages {
		g.row(cellsOf(&a.d.Messages[i])...)
	}
	g.end()
}

// sender puts "Name <address>" on two lines when it does not fit on one,
// the address on its own line since it wraps badly.
func sender(f *fpdf.Fpdf, from string, w float64) []span {
	from = strings.TrimSpace(from)
	f.SetFont("body", "", gridPt)
	if f.GetStringWidth(from) <= w-2*gridPad-1 {
		return plain(from)
	}
	if i := strings.LastIndexByte(from, '<'); i > 0 && strings.HasSuffix(from, ">") {
		if name := strings.Trim(strings.TrimSpace(from[:i]), `"`); name != "" {
			return []span{{text: name}, {text: from[i:], muted: true}}
		}
	}
	return plain(from)
}

func (a *access) documents() {
	title := a.t("access.report.section.documents", nil)
	if len(a.d.Documents) == 0 {
		section(a.f, title, 5)
		a.empty("access.report.empty.documents")
		return
	}
	kinds := map[string]string{sales.KindQuote: "pdf.quote", sales.KindInvoice: "pdf.invoice", sales.KindCredit: "pdf.credit_note"}
	cells := func(x rights.Document) [][]span {
		number := x.Number
		if number == "" {
			number = a.t("pdf.draft", nil)
		}
		kind := x.Kind
		if k, ok := kinds[x.Kind]; ok {
			kind = a.t(k, nil)
		}
		return [][]span{plain(number), plain(kind), plain(a.day(x.IssueDate)), plain(a.money(x.Gross)), plain(x.File)}
	}
	g := a.grid(title, []column{{head: "access.report.col.number", w: 34}, {head: "access.report.col.kind", w: 28}, {head: "access.report.col.date", w: 26},
		{head: "access.report.col.amount", w: 30, right: true}, {head: "access.report.col.file", w: bodyW - 118}}, cells(a.d.Documents[0]))
	for _, x := range a.d.Documents {
		g.row(cells(x)...)
	}
	g.end()
}

func (a *access) audit() {
	title := a.t("access.report.section.audit", nil)
	if len(a.d.Audit) == 0 {
		section(a.f, title, 5)
		a.empty("access.report.empty.audit")
		return
	}
	cells := func(e privacy.AuditEntry) [][]span {
		return [][]span{plain(a.moment(e.At)), plain(a.auditSentence(e)), plain(e.Actor)}
	}
	g := a.grid(title, []column{{head: "access.report.col.when", w: 30}, {head: "access.report.col.action", w: 108}, {head: "access.report.col.by", w: bodyW - 138}},
		cells(a.d.Audit[0]))
	for _, e := range a.d.Audit {
		g.row(cells(e)...)
	}
	g.end()
}

// auditFields are the contact fields an edit names, as the contact form
// labels them; dates the software keeps by itself are left out.
var auditFields = map[string]string{
	"givenName": "field.givenName", "familyName": "field.familyName", "jobTitle": "field.jobTitle", "website": "field.website",
	"birthday": "field.birthday", "language": "field.language", "notes": "field.notes", "owner": "field.owner",
	"relationships": "field.relationship", "emails": "field.email", "phones": "field.phone", "addresses": "contact.address",
	"companies": "field.company", "tags": "field.tags", "source": "field.source", "fields": "fields.title",
}

// auditSentence says what an audit entry records, the way the audit log
// screen does (frontend/src/lib/privacy/audit.ts); an action without a
// sentence shows as its code.
func (a *access) auditSentence(e privacy.AuditEntry) string {
	str := func(v any) string {
		if v == nil {
			return ""
		}
		return fmt.Sprint(v)
	}
	d := e.Detail
	fieldID := e.SubjectID
	if e.Action == "contact.reveal" {
		if v, ok := d["field"].(float64); ok {
			fieldID = int64(v)
		} else if v, ok := d["field"].(int64); ok {
			fieldID = v
		} else if v, ok := d["field"].(int); ok {
			fieldID = int64(v)
		}
	}
	field := a.t("privacy.audit.field_no", map[string]any{"id": fieldID})
	for _, fv := range a.person.Fields {
		if fv.FieldID == fieldID {
			field = fv.Name
		}
	}
	name := fmt.Sprintf("#%d", e.SubjectID)
	for _, p := range a.d.Processing.Purposes {
		if p.ID == e.SubjectID {
			name = p.Name
		}
	}
	params := map[string]any{
		"id":      e.SubjectID,
		"field":   field,
		"purpose": a.purposeName(str(d["purpose"])),
		"channel": a.word("privacy.channel", str(d["channel"])),
		"method":  a.word("privacy.method", str(d["method"])),
		"format":  strings.ToUpper(str(d["format"])),
		"merged":  str(d["merged"]),
		"name":    name,
		"kind":    a.word("privacy.request.kind", str(d["kind"])),
		"status":  a.word("privacy.request.status", str(d["status"])),
	}
	switch n := d["count"].(type) {
	case float64, int, int64:
		params["count"] = n
	}
	key := "privacy.audit.action." + e.Action
	sensitive, _ := d["sensitive"].(bool)
	switch {
	case e.Action == "export.contacts" && sensitive:
		key = "privacy.audit.action.export.contacts_sensitive"
	case e.Action == "field.save" && sensitive:
		key = "privacy.audit.action.field.save_sensitive"
	case e.Action == "contact.edit":
		var names []string
		if fs, ok := d["fields"].([]any); ok {
			for _, x := range fs {
				if k, ok := auditFields[str(x)]; ok {
					names = append(names, a.t(k, nil))
				}
			}
		} else if fs, ok := d["fields"].([]string); ok {
			for _, x := range fs {
				if k, ok := auditFields[x]; ok {
					names = append(names, a.t(k, nil))
				}
			}
		}
		params["fields"] = strings.Join(names, ", ")
		if len(names) == 0 {
			key = "privacy.audit.action.contact.edit_nothing"
		}
	}
	if s := a.t(key, params); s != key {
		return s
	}
	return e.Action
}

func (a *access) processing() {
	title := a.t("access.report.section.processing", nil)
	pr := a.d.Processing
	tw := &table{f: a.f, continued: a.continued(title)}
	var rows []privacy.Row
	notSpecified := a.t("access.report.not_specified", nil)
	orNot := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return notSpecified
		}
		return strings.TrimSpace(s)
	}
	list := func(key string, items []string, none string) privacy.Row {
		items = nonEmpty(items...)
		if len(items) == 0 {
			return privacy.Row{Label: a.t(key, nil), Value: none}
		}
		return privacy.Row{Label: a.t(key, nil), Value: strings.Join(items, "\n"), List: len(items) > 1}
	}
	for _, p := range pr.Purposes {
		basis := a.word("privacy.basis", p.LawfulBasis)
		for i, b := range privacy.Bases {
			if b == p.LawfulBasis {
				basis = a.t("register.basis_ref", map[string]any{"label": basis, "letter": string(rune('a' + i))})
			}
		}
		if p.LawfulBasis == "legitimate_interests" && strings.TrimSpace(p.BalancingNote) != "" {
			basis += "\n" + a.t("access.report.proc.interest", map[string]any{"note": strings.TrimSpace(p.BalancingNote)})
		}
		var recipients []string
		for _, rc := range p.Recipients {
			recipients = append(recipients, strings.TrimSpace(rc.Name)+" ("+strings.Join(nonEmpty(a.word("register.kind", rc.Kind), rc.Country), ", ")+")")
		}
		var transfers []string
		for _, t := range p.Transfers {
			transfers = append(transfers, a.t("register.transfer", map[string]any{"country": orNot(t.Country), "safeguard": orNot(t.Safeguard)}))
		}
		retention := a.t("register.retention_undefined", nil)
		if m := p.RetentionMonths; m > 0 {
			event := a.word("privacy.retention_from", p.RetentionFrom)
			if m%12 == 0 {
				retention = a.t("privacy.purpose.retention_years", map[string]any{"count": m / 12, "event": event})
			} else {
				retention = a.t("privacy.purpose.retention_value", map[string]any{"count": m, "event": event})
			}
		}
		if n := strings.TrimSpace(p.RetentionNote); n != "" {
			retention += "\n" + n
		}
		rows = append(rows,
			privacy.Row{Label: orNot(p.Name), Heading: true},
			privacy.Row{Label: a.t("access.report.proc.description", nil), Value: orNot(p.Description)},
			privacy.Row{Label: a.t("access.report.proc.basis", nil), Value: basis},
			list("access.report.proc.data", p.DataCategories, notSpecified),
			list("access.report.proc.recipients", recipients, a.t("access.report.proc.no_recipients", map[string]any{"controller": a.d.Controller.Name})),
			list("access.report.proc.transfers", transfers, a.t("access.report.proc.no_transfers", nil)),
			privacy.Row{Label: a.t("access.report.proc.retention", nil), Value: retention},
		)
	}
	body := a.body()
	if len(rows) == 0 {
		section(a.f, title, 5)
		a.empty("access.report.empty.processing")
	} else {
		intro := a.t("access.report.proc.intro", nil)
		section(a.f, title, body.height(intro, false)+11+tw.height(rows[1]))
		body.para(intro)
		tw.rows(rows)
	}
	source := a.t("access.report.proc.source", nil)
	subheading(a.f, source, body.height(orNot(pr.Source), false))
	body.para(orNot(pr.Source))
	if !pr.AutomatedDecisions {
		a.f.Ln(2)
		body.para(a.t("access.report.proc.no_automated", nil))
	}
}

func (a *access) rights() {
	f := a.f
	body := a.body()
	intro := a.t("access.report.rights.intro", nil)
	section(f, a.t("access.report.section.rights", nil), body.height(intro, false)+10)
	body.para(intro)
	f.Ln(1)
	for _, k := range []string{"access", "rectification", "erasure", "restriction", "objection", "portability", "withdraw"} {
		body.bullet(a.t("access.report.rights."+k, nil))
		f.Ln(0.6)
	}
	f.Ln(2)
	who, key := a.d.DPO, "access.report.rights.contact_dpo"
	if strings.TrimSpace(who.Name+who.Email+who.Phone+who.Address) == "" {
		who, key = a.d.Controller, "access.report.rights.contact_controller"
	}
	lines := []string{a.t(key, nil)}
	lines = append(lines, nonEmpty(strings.Split(who.Address, "\n")...)...)
	contact := text{f: f, size: fontPt, lineH: 4.6, color: ink, indent: 6}
	need := body.height(lines[0], false) + float64(len(lines)+2)*4.6
	if f.GetY()+need > regBottom {
		f.AddPage()
	}
	body.para(lines[0])
	f.Ln(1)
	text{f: f, size: fontPt, lineH: 4.6, color: ink, indent: 6, style: "B"}.para(orDash(who.Name))
	for _, l := range lines[1:] {
		contact.para(l)
	}
	if who.Email != "" {
		contact.para(a.t("access.report.rights.email", map[string]any{"email": who.Email}))
	}
	if who.Phone != "" {
		contact.para(a.t("access.report.rights.phone", map[string]any{"phone": who.Phone}))
	}
	f.Ln(2)
	for _, k := range []string{"answer", "complaint", "court"} {
		body.para(a.t("access.report.rights."+k, nil))
		f.Ln(2)
	}
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}
