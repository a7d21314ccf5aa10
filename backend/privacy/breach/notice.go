package breach

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/privacy"
	"carnet/backend/privacy/rights"
	"carnet/backend/sales"
	"carnet/backend/settings"
)

// Report is a breach with who is responsible, for the register's PDF.
type Report struct {
	Breach      Breach        `json:"breach"`
	Controller  privacy.Party `json:"controller"`
	DPO         privacy.Party `json:"dpo"`
	GeneratedAt string        `json:"generatedAt"` // RFC 3339
}

// Report gathers what the breach's register entry prints.
func (s *Store) Report(ctx context.Context, id int64) (*Report, error) {
	b, err := s.Breach(ctx, id)
	if err != nil {
		return nil, err
	}
	ctrl, dpo, err := s.parties(ctx)
	if err != nil {
		return nil, err
	}
	return &Report{Breach: b, Controller: ctrl, DPO: dpo, GeneratedAt: stamp(s.now())}, nil
}

// controllerName is the business's name, or "our business" before its
// profile is filled in.
func (w words) controllerName(r *Report) string {
	if r.Controller.Name != "" {
		return r.Controller.Name
	}
	return w.t("common.our_business")
}

// parties returns the controller (the seller profile) and the DPO (the
// privacy profile).
func (s *Store) parties(ctx context.Context) (ctrl, dpo privacy.Party, err error) {
	seller, err := sales.New(s.db, s.now).Profile(ctx)
	if err != nil {
		return ctrl, dpo, fmt.Errorf("breach: controller: %w", err)
	}
	profile, err := privacy.LoadProfile(ctx, settings.New(s.db))
	if err != nil {
		return ctrl, dpo, fmt.Errorf("breach: DPO: %w", err)
	}
	dpo = privacy.Party{Name: profile.DPOName, Email: profile.DPOEmail, Phone: profile.DPOPhone, Address: profile.DPOAddress}
	return rights.Controller(seller), dpo, nil
}

// Notification is the draft notification to the CNIL: the items of Art.
// 33(3), to copy into the CNIL's online form or send.
type Notification struct {
	Language string    `json:"language"`
	Topic    string    `json:"subject"` // its subject line
	Sections []Section `json:"sections"`
	Text     string    `json:"text"` // the sections as plain text
}

// Section is one part of the notification.
type Section struct {
	Key   string   `json:"key"` // controller, timing, nature, people, dpo, consequences, measures, risk
	Title string   `json:"title"`
	Lines []string `json:"lines"`
}

// words writes in one language.
type words struct {
	s      *Store
	lang   string
	format *i18n.Format
}

func (s *Store) words(lang string) words {
	if !s.tr.Has(lang) {
		lang = "fr"
	}
	return words{s, lang, s.tr.Format(lang)}
}

func (w words) t(key string, kv ...any) string {
	var params map[string]any
	if len(kv) > 0 {
		params = map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			params[kv[i].(string)] = kv[i+1]
		}
	}
	return w.s.tr.T(w.lang, key, params)
}

// when writes a moment for a reader: 28/11/2026 14:05 UTC, or
// 28 Nov 2026 14:05 UTC.
func (w words) when(rfc string) string {
	t, err := parseMoment(rfc)
	if err != nil {
		return rfc
	}
	return w.format.DateTime(t.UTC()) + " UTC"
}

// number writes a count with the language's thousands separator.
func (w words) number(n int) string { return w.format.Int(int64(n)) }

// natures lists the breach's natures in words, in a sentence.
func (w words) natures(b *Breach) string {
	var out []string
	for _, n := range b.Nature {
		out = append(out, lowerFirst(w.t("breach.nature."+n)))
	}
	return strings.Join(out, ", ")
}

// lowerFirst puts a label in the middle of a sentence.
func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) > 1 && unicode.IsUpper(r[0]) && !unicode.IsUpper(r[1]) {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}

// categoryLine describes one counted category.
func (w words) categoryLine(c Count) string {
	line := w.t("breach.notice.count", "category", w.t("breach.category."+c.Category),
		"records", w.t("breach.notice.records", "count", c.Records, "n", w.number(c.Records)),
		"people", w.t("breach.notice.persons", "count", c.People, "n", w.number(c.People)))
	if len(c.Kinds) > 0 {
		var kinds []string
		for _, k := range c.Kinds {
			kinds = append(kinds, w.t("fields.category."+k))
		}
		line += " (" + strings.Join(kinds, ", ") + ")"
	}
	return line
}

// Notification drafts the notification of a breach to the CNIL in lang
// ("fr" or "en"): the nature of the breach with the categories and
// approximate numbers of people and records, the DPO's contact, the likely
// consequences and the measures taken or proposed (Art. 33(3)), the
// timing and, after 72 hours, the reasons for the delay (Art. 33(1)). The
// user's own texts are quoted as written.
func (s *Store) Notification(ctx context.Context, id int64, lang string) (Notification, error) {
	r, err := s.Report(ctx, id)
	if err != nil {
		return Notification{}, err
	}
	return s.notification(r, lang), nil
}

func (s *Store) notification(r *Report, lang string) Notification {
	w := s.words(lang)
	b := &r.Breach
	n := Notification{Language: w.lang, Topic: w.t("breach.notice.subject", "reference", b.Reference, "controller", w.controllerName(r))}
	add := func(key string, lines ...string) {
		var kept []string
		for _, l := range lines {
			if strings.TrimSpace(l) != "" {
				kept = append(kept, l)
			}
		}
		if len(kept) == 0 {
			kept = []string{w.t("breach.notice.not_known")}
		}
		n.Sections = append(n.Sections, Section{Key: key, Title: w.t("breach.notice." + key), Lines: kept})
	}
	ctrl := r.Controller
	add("controller", ctrl.Name, prefixed("SIREN ", ctrl.ID), strings.ReplaceAll(ctrl.Address, "\n", ", "),
		strings.Join(nonEmpty(ctrl.Email, ctrl.Phone), " · "))

	occurred := w.t("breach.notice.occurred_unknown")
	if b.OccurredAt != "" {
		occurred = w.t("breach.notice.occurred", "date", w.when(b.OccurredAt))
	}
	timing := []string{occurred, w.t("breach.notice.discovered", "date", w.when(b.DiscoveredAt)),
		w.t("breach.notice.deadline", "date", w.when(b.Deadline))}
	if b.NotifiedAt != "" {
		timing = append(timing, w.t("breach.notice.notified", "date", w.when(b.NotifiedAt)))
		if b.NoticeReference != "" {
			timing = append(timing, w.t("breach.notice.reference", "reference", b.NoticeReference))
		}
	}
	if b.Late {
		timing = append(timing, w.t("breach.notice.late", "reason", orDash(b.LateReason)))
	}
	for _, c := range b.Complements {
		timing = append(timing, w.t("breach.notice.complement", "date", w.when(c.SentAt), "summary", c.Summary))
	}
	add("timing", timing...)

	add("nature", w.t("breach.notice.natures", "natures", w.natures(b)), b.Description)

	people := []string{w.t("breach.notice.people_total", "count", b.Counts.People, "n", w.number(b.Counts.People))}
	if desc := scopeWords(w, b.Scope); desc != "" {
		people = append(people, desc)
	}
	for _, c := range b.Counts.Categories {
		if c.Records > 0 {
			people = append(people, "– "+w.categoryLine(c))
		}
	}
	add("people", people...)

	if r.DPO.Name != "" || r.DPO.Email != "" {
		add("dpo", r.DPO.Name, strings.ReplaceAll(r.DPO.Address, "\n", ", "), strings.Join(nonEmpty(r.DPO.Email, r.DPO.Phone), " · "))
	} else {
		add("dpo", w.t("breach.notice.no_dpo"), strings.Join(nonEmpty(ctrl.Name, ctrl.Email, ctrl.Phone), " · "))
	}
	add("consequences", b.Consequences)
	var measures []string
	if b.MeasuresTaken != "" {
		measures = append(measures, w.t("breach.notice.measures_taken"), b.MeasuresTaken)
	}
	if b.MeasuresPlanned != "" {
		measures = append(measures, w.t("breach.notice.measures_planned"), b.MeasuresPlanned)
	}
	add("measures", measures...)

	risk := []string{w.t("breach.risk_unassessed")}
	if b.Risk != "" {
		risk = []string{w.t("breach.risk." + b.Risk), b.RiskNote}
	}
	switch {
	case b.PeopleToldAt != "":
		risk = append(risk, w.t("breach.notice.people_told", "date", w.when(b.PeopleToldAt)))
	case b.PeopleNotToldReason != "":
		risk = append(risk, w.t("breach.notice.people_not_told", "reason", b.PeopleNotToldReason))
	case b.Risk == RiskHigh:
		risk = append(risk, w.t("breach.notice.people_to_tell"))
	}
	add("risk", risk...)

	var text strings.Builder
	text.WriteString(n.Topic + "\n")
	for _, sec := range n.Sections {
		text.WriteString("\n" + strings.ToUpper(sec.Title) + "\n")
		for _, l := range sec.Lines {
			text.WriteString(l + "\n")
		}
	}
	n.Text = text.String()
	return n
}

// scopeWords says how the people were chosen.
func scopeWords(w words, sc Scope) string {
	switch sc.Kind {
	case ScopeAll:
		return w.t("breach.scope.all")
	case ScopeSegment:
		return w.t("breach.scope.segment_named", "name", sc.SegmentName)
	case ScopeTag:
		return w.t("breach.scope.tag_named", "tag", sc.Tag)
	case ScopeMailAccount:
		return w.t("breach.scope.mail_account_named", "account", sc.AccountName)
	case ScopeFilter:
		return w.t("breach.scope.filter")
	}
	return ""
}

// Letter tells one person of a breach likely to result in a high risk to
// them (Art. 34), in their language: ready to send by e-mail, or to print
// and post when there is no address.
type Letter struct {
	ContactID int64  `json:"contactId"` // 0 for a correspondent known only by their address
	Name      string `json:"name"`
	Language  string `json:"language"`
	To        string `json:"to"`      // e-mail address, "" when there is none
	Address   string `json:"address"` // postal address, lines separated by \n, for a printed letter
	Topic     string `json:"subject"` // the e-mail's subject line
	Body      string `json:"body"`
}

// Letters writes the letter to each person the breach concerns, as its
// scope finds them now (erased people are gone; restricted and archived
// ones are told too: the law requires it), in the person's language
// (French when Carnet does not write theirs). Art. 34 requires them when
// the risk is high; nothing prevents telling people otherwise.
func (s *Store) Letters(ctx context.Context, id int64) ([]Letter, error) {
	r, err := s.Report(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := s.resolve(ctx, r.Breach.Scope)
	if err != nil {
		return nil, fmt.Errorf("breach: letters: %w", err)
	}
	held, kinds, err := s.holding(ctx, p.contacts, r.Breach.Scope.Categories)
	if err != nil {
		return nil, fmt.Errorf("breach: letters: %w", err)
	}
	out := []Letter{}
	for _, cid := range p.contacts {
		c, err := crm.LoadContact(ctx, s.db, cid)
		if err != nil {
			continue // erased since
		}
		l := Letter{ContactID: c.ID, Name: strings.TrimSpace(c.GivenName + " " + c.FamilyName), Language: c.Language}
		if len(c.Emails) > 0 {
			l.To = c.Emails[0].Address
		}
		if len(c.Addresses) > 0 {
			a := c.Addresses[0]
			l.Address = strings.Join(nonEmpty(l.Name, a.Street, strings.TrimSpace(a.PostalCode+" "+a.City), a.Region, country(a.Country)), "\n")
		}
		out = append(out, s.letter(r, l, held[cid], kinds[cid]))
	}
	// A correspondent known only by address is in the account's e-mails.
	var mailed []string
	for _, c := range r.Breach.Scope.Categories {
		if c == "emails" || c == "messages" || c == "attachments" {
			mailed = append(mailed, c)
		}
	}
	for _, c := range p.strangers {
		out = append(out, s.letter(r, Letter{Name: c.name, To: c.address}, mailed, nil))
	}
	return out, nil
}

func country(c string) string {
	if strings.EqualFold(c, "FR") {
		return ""
	}
	return c
}

// letter writes the letter's subject and body; cats are the categories
// the person has data of, kinds the Art. 9 categories among them.
func (s *Store) letter(r *Report, l Letter, cats, kinds []string) Letter {
	w := s.words(l.Language)
	l.Language = w.lang
	b := &r.Breach
	greeting := w.t("breach.letter.greeting_anonymous")
	if l.Name != "" {
		greeting = w.t("breach.letter.greeting", "name", l.Name)
	}
	var data []string
	for _, c := range cats {
		d := lowerFirst(w.t("breach.category." + c))
		if c == "sensitive" && len(kinds) > 0 {
			var ks []string
			for _, k := range kinds {
				ks = append(ks, lowerFirst(w.t("fields.category."+k)))
			}
			d = w.t("breach.letter.kinds", "category", d, "kinds", strings.Join(ks, ", "))
		}
		data = append(data, d)
	}
	contact := strings.Join(nonEmpty(r.DPO.Name, r.DPO.Email, r.DPO.Phone), ", ")
	if r.DPO.Email == "" && r.DPO.Phone == "" {
		contact = strings.Join(nonEmpty(r.Controller.Name, r.Controller.Email, r.Controller.Phone), ", ")
	}
	day, _ := parseMoment(b.DiscoveredAt)
	parts := []string{
		greeting,
		w.t("breach.letter.intro", "controller", w.controllerName(r), "date", w.format.DateLong(day)),
		w.t("breach.letter.what") + "\n" + b.Description,
	}
	if len(data) > 0 {
		parts = append(parts, w.t("breach.letter.data", "categories", strings.Join(data, w.t("breach.letter.separator"))))
	}
	if b.Consequences != "" {
		parts = append(parts, w.t("breach.letter.consequences")+"\n"+b.Consequences)
	}
	if b.MeasuresTaken != "" {
		parts = append(parts, w.t("breach.letter.measures_taken")+"\n"+b.MeasuresTaken)
	}
	if b.MeasuresPlanned != "" {
		parts = append(parts, w.t("breach.letter.measures_planned")+"\n"+b.MeasuresPlanned)
	}
	parts = append(parts,
		w.t("breach.letter.advice"),
		w.t("breach.letter.contact", "contact", contact),
		w.t("breach.letter.closing", "controller", w.controllerName(r)))
	l.Topic = w.t("breach.letter.subject", "controller", w.controllerName(r))
	l.Body = strings.Join(parts, "\n\n")
	return l
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
