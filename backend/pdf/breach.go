package pdf

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/go-pdf/fpdf"

	"carnet/backend/privacy"
	"carnet/backend/privacy/breach"
)

// BreachReport writes a breach's entry in the register of breaches (Art.
// 33(5) GDPR): what happened, who and what it concerned, the consequences,
// the measures, the risk assessment, the notification to the CNIL with its
// complements, and whether the people were told. It is the document kept
// to show the CNIL the breach was handled, notified or not.
func (r *Renderer) BreachReport(w io.Writer, rep *breach.Report) error {
	b := &rep.Breach
	title := r.t("breach.report.title", nil)
	number := r.t("breach.report.number", map[string]any{"reference": b.Reference})
	legal := rep.Controller.Name
	if rep.Controller.ID != "" {
		legal += " · SIREN " + rep.Controller.ID
	}
	f := sheet(title, b.Reference, strings.Join(nonEmpty(title, number), " — "), legal, r.t("access.report.page", nil))
	f.SetAuthor(rep.Controller.Name, true)
	f.AddPage()
	f.SetY(margin)
	br := &breachReport{Renderer: r, f: f, rep: rep, b: b}
	letterhead(br.f, br.rep.Controller, title, number, br.t("breach.report.subtitle", nil))

	strip(f, [][2]string{
		{r.t("breach.report.discovered", nil), r.moment(b.DiscoveredAt)},
		{r.t("breach.report.deadline", nil), r.moment(b.Deadline)},
		{r.t("breach.report.status", nil), br.status()},
		{r.t("breach.report.risk", nil), br.risk()},
	})

	br.what()
	br.people()
	br.consequences()
	br.measures()
	br.assessment()
	br.notice()
	br.told()
	br.contact()

	f.Ln(5)
	text{f: f, size: smallPt, lineH: 3.8, color: muted}.para(r.t("breach.report.generated", map[string]any{"date": r.moment(rep.GeneratedAt)}))

	if err := f.Error(); err != nil {
		return fmt.Errorf("pdf: breach report %s: %w", b.Reference, err)
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return fmt.Errorf("pdf: breach report %s: %w", b.Reference, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// breachReport is one breach report being written.
type breachReport struct {
	*Renderer
	f   *fpdf.Fpdf
	rep *breach.Report
	b   *breach.Breach
}

func (br *breachReport) body() text  { return text{f: br.f, size: fontPt, lineH: 4.6, color: ink} }
func (br *breachReport) quiet() text { return text{f: br.f, size: fontPt, lineH: 4.6, color: muted} }

// orEmpty is a value, or "Not filled in".
func (br *breachReport) orEmpty(s string) string {
	if strings.TrimSpace(s) == "" {
		return br.t("breach.report.empty", nil)
	}
	return strings.TrimSpace(s)
}

// status is where the notification to the CNIL stands.
func (br *breachReport) status() string {
	b := br.b
	switch b.Clock {
	case breach.ClockNotified:
		key := "breach.report.status.notified"
		if b.Late {
			key = "breach.report.status.notified_late"
		}
		return br.t(key, map[string]any{"date": br.day(b.NotifiedAt)})
	case breach.ClockNotRequired:
		return br.t("breach.report.status.not_required", nil)
	case breach.ClockRunning:
		if b.Late {
			return br.t("breach.report.status.late", nil)
		}
	}
	return br.t("breach.report.status.running", nil)
}

func (br *breachReport) risk() string {
	if br.b.Risk == "" {
		return br.t("breach.risk_unassessed", nil)
	}
	return br.t("breach.risk."+br.b.Risk, nil)
}

// rows prints label | value rows under a section title.
func (br *breachReport) rows(title string, rows []privacy.Row) {
	tw := &table{f: br.f, continued: title + " " + br.t("register.continued", nil)}
	section(br.f, title, tw.height(rows[0]))
	tw.rows(rows)
}

func (br *breachReport) what() {
	b := br.b
	var natures []string
	for _, n := range b.Nature {
		natures = append(natures, br.t("breach.nature."+n, nil))
	}
	occurred := br.t("breach.report.occurred_unknown", nil)
	if b.OccurredAt != "" {
		occurred = br.moment(b.OccurredAt)
	}
	br.rows(br.t("breach.report.what", nil), []privacy.Row{
		{Label: br.t("breach.nature", nil), Value: strings.Join(natures, ", ")},
		{Label: br.t("breach.report.occurred", nil), Value: occurred},
		{Label: br.t("breach.report.discovered", nil), Value: br.moment(b.DiscoveredAt)},
		{Label: br.t("breach.report.description", nil), Value: br.orEmpty(b.Description)},
	})
}

// scope says how the people concerned were chosen.
func (br *breachReport) scope() string {
	sc := br.b.Scope
	switch sc.Kind {
	case breach.ScopeSegment:
		return br.t("breach.scope.segment_named", map[string]any{"name": sc.SegmentName})
	case breach.ScopeTag:
		return br.t("breach.scope.tag_named", map[string]any{"tag": sc.Tag})
	case breach.ScopeMailAccount:
		return br.t("breach.scope.mail_account_named", map[string]any{"account": sc.AccountName})
	}
	return br.word("breach.scope", sc.Kind)
}

// number writes a count with the language's thousands separator.
func (br *breachReport) number(n int) string { return br.format.Int(int64(n)) }

func (br *breachReport) people() {
	c := br.b.Counts
	title := br.t("breach.report.people", nil)
	g := &grid{f: br.f, continued: title + " " + br.t("register.continued", nil), cols: []column{
		{head: br.t("breach.report.category", nil), w: bodyW - 60},
		{head: br.t("breach.report.people_col", nil), w: 30, right: true},
		{head: br.t("breach.report.records_col", nil), w: 30, right: true},
	}}
	intro := br.t("breach.report.people_intro", map[string]any{"scope": br.scope(), "people": br.number(c.People), "contacts": br.number(c.Contacts)})
	section(br.f, title, br.body().height(intro, false)+gridHeadH+12)
	br.body().para(intro)
	br.f.Ln(2)
	g.header()
	for _, n := range c.Categories {
		label := []span{{text: br.t("breach.category."+n.Category, nil)}}
		if len(n.Kinds) > 0 {
			var kinds []string
			for _, k := range n.Kinds {
				kinds = append(kinds, br.word("fields.category", k))
			}
			label = append(label, span{text: strings.Join(kinds, ", "), muted: true})
		}
		g.row(label, plain(br.number(n.People)), plain(br.number(n.Records)))
	}
	g.end()
	if c.CountedAt != "" {
		br.f.Ln(1.5)
		text{f: br.f, size: smallPt, lineH: 3.8, color: muted}.para(br.t("breach.report.counted", map[string]any{"date": br.day(c.CountedAt)}))
	}
}

func (br *breachReport) consequences() {
	section(br.f, br.t("breach.report.consequences", nil), 10)
	if br.b.Consequences == "" {
		br.quiet().para(br.orEmpty(""))
		return
	}
	br.body().para(br.b.Consequences)
}

func (br *breachReport) measures() {
	br.rows(br.t("breach.report.measures", nil), []privacy.Row{
		{Label: br.t("breach.measures_taken", nil), Value: br.orEmpty(br.b.MeasuresTaken)},
		{Label: br.t("breach.measures_planned", nil), Value: br.orEmpty(br.b.MeasuresPlanned)},
	})
}

func (br *breachReport) assessment() {
	b := br.b
	head := text{f: br.f, size: fontPt, lineH: 4.6, color: ink, style: "B"}
	guidance := text{f: br.f, size: 8.5, lineH: 4.2, color: [3]int{74, 82, 99}}
	level, why := br.risk(), ""
	if b.Risk != "" {
		why = br.t("breach.risk."+b.Risk+".guidance", nil)
	}
	section(br.f, br.t("breach.report.risk_section", nil), head.height(level, false)+guidance.height(why, false))
	head.para(level)
	if why != "" {
		guidance.para(why)
	}
	if b.RiskNote != "" {
		br.f.Ln(1.5)
		br.body().para(b.RiskNote)
	}
}

func (br *breachReport) notice() {
	b := br.b
	title := br.t("breach.report.notice", nil)
	var rows []privacy.Row
	switch {
	case b.NotifiedAt != "":
		rows = append(rows, privacy.Row{Label: br.t("breach.notified_at", nil), Value: br.moment(b.NotifiedAt)})
	case b.Clock == breach.ClockRunning:
		rows = append(rows, privacy.Row{Label: br.t("breach.report.status", nil), Value: br.status()},
			privacy.Row{Label: br.t("breach.report.deadline", nil), Value: br.t("breach.report.notice_due", map[string]any{"date": br.moment(b.Deadline)})})
	default:
		rows = append(rows, privacy.Row{Label: br.t("breach.report.status", nil), Value: br.status()})
	}
	for _, x := range []struct{ key, value string }{
		{"breach.notice_reference", b.NoticeReference},
		{"breach.late_reason", b.LateReason},
		{"breach.no_notice_reason", b.NoNoticeReason},
	} {
		if x.value != "" {
			rows = append(rows, privacy.Row{Label: br.t(x.key, nil), Value: x.value})
		}
	}
	br.rows(title, rows)
	if len(b.Complements) == 0 {
		return
	}
	sub := br.t("breach.report.complements", nil)
	g := &grid{f: br.f, continued: sub + " " + br.t("register.continued", nil), cols: []column{
		{head: br.t("breach.report.date_col", nil), w: 34},
		{head: br.t("breach.report.content_col", nil), w: bodyW - 34},
	}}
	first := [][]span{plain(br.moment(b.Complements[0].SentAt)), plain(b.Complements[0].Summary)}
	subheading(br.f, sub, g.height(first))
	g.header()
	for _, c := range b.Complements {
		g.row(plain(br.moment(c.SentAt)), plain(c.Summary))
	}
	g.end()
}

func (br *breachReport) told() {
	b := br.b
	section(br.f, br.t("breach.report.people_told", nil), 10)
	switch {
	case b.PeopleToldAt != "":
		br.body().para(br.t("breach.report.told", map[string]any{"date": br.day(b.PeopleToldAt)}))
	case b.PeopleNotToldReason != "":
		br.body().para(br.t("breach.notice.people_not_told", map[string]any{"reason": b.PeopleNotToldReason}))
	case b.Risk == breach.RiskHigh:
		text{f: br.f, size: fontPt, lineH: 4.6, color: ink, style: "B"}.para(br.t("breach.report.to_tell", nil))
	case b.Risk == "":
		br.quiet().para(br.t("breach.report.tell_unassessed", nil))
	default:
		br.quiet().para(br.t("breach.report.tell_not_required", nil))
	}
}

func (br *breachReport) contact() {
	d := br.rep.DPO
	if strings.TrimSpace(d.Name+d.Email+d.Phone) == "" {
		section(br.f, br.t("breach.report.contact", nil), 10)
		br.quiet().para(br.t("breach.report.no_dpo", nil))
		return
	}
	br.rows(br.t("breach.report.contact", nil), []privacy.Row{{
		Label: br.t("breach.report.dpo", nil),
		Value: strings.Join(nonEmpty(append(append([]string{d.Name}, strings.Split(d.Address, "\n")...), d.Email, d.Phone)...), "\n"),
	}})
}
