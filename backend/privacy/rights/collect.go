package rights

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"carnet/backend/crm"
	"carnet/backend/mail"
	"carnet/backend/privacy"
	"carnet/backend/sales"
	"carnet/backend/settings"
	"carnet/backend/txn"
)

// ErrNoPerson: no contact has, or had, this e-mail address, and no stored
// message mentions it.
var ErrNoPerson = errors.New("subject: nobody with this e-mail address")

// Holder reads what one vault holds about people.
type Holder struct {
	db    *sql.DB
	now   func() time.Time
	words privacy.Words // translates default purpose texts
	// Speaks reports whether Carnet can write in a language: an access
	// export is written in the person's own language when it can (nil:
	// always in the language asked for).
	Speaks func(lang string) bool
}

// New returns a Holder on db; now may be nil for the real clock.
func New(db *sql.DB, now func() time.Time, words privacy.Words) *Holder {
	if now == nil {
		now = time.Now
	}
	return &Holder{db: db, now: now, words: words}
}

// ContactByEmail finds the contact who has or had the address: one whose
// data are held (crm.Held: a request under Art. 15 or 17 concerns the data
// wherever they sit, restricted, archived or in the trash), one not in the
// trash first. It returns 0 (and no error) when only stored messages
// mention the address.
func (h *Holder) ContactByEmail(ctx context.Context, addr string) (int64, error) {
	addr = strings.ToLower(strings.TrimSpace(addr))
	id, err := crm.FindByEmail(ctx, txn.On(ctx, h.db), addr, crm.Held)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, crm.ErrNotFound) {
		return 0, fmt.Errorf("subject: find %s: %w", addr, err)
	}
	msgs, err := mail.MessagesOf(ctx, h.db, []string{addr})
	if err != nil {
		return 0, err
	}
	if len(msgs) == 0 {
		return 0, ErrNoPerson
	}
	return 0, nil
}

// Collect gathers everything held about contact id, or, with id 0, about
// the unmatched address email (the messages it appears in). lang is the
// user's language, used when the person has none.
func (h *Holder) Collect(ctx context.Context, id int64, email, lang string) (*Data, error) {
	d := &Data{
		Format:      Format,
		GeneratedAt: h.now().UTC().Format(time.RFC3339),
		Language:    lang,
		Activities:  []crm.Activity{},
		Consents:    []privacy.Entry{},
		ConsentNow:  []privacy.State{},
		Requests:    []privacy.Request{},
		Messages:    []Message{},
		Documents:   []Document{},
		Audit:       []privacy.AuditEntry{},
	}
	var err error
	if d.Controller, d.DPO, err = h.parties(ctx); err != nil {
		return nil, err
	}
	ps := privacy.New(h.db, h.now)
	if d.Processing.Purposes, err = ps.Purposes(ctx, h.words); err != nil {
		return nil, fmt.Errorf("subject: purposes: %w", err)
	}
	if id == 0 {
		email = strings.ToLower(strings.TrimSpace(email))
		d.Person = &crm.Contact{Emails: []crm.Email{{Address: email}}, Relationships: []crm.Relationship{},
			Phones: []crm.Phone{}, Addresses: []crm.Address{}, Companies: []crm.CompanyLink{}, Tags: []string{}, Fields: []crm.FieldValue{}}
		d.Identifiers = crm.Identifiers{Emails: []string{email}}
	} else {
		cs := crm.New(h.db, h.now)
		if d.Person, err = cs.Contact(ctx, id); err != nil {
			return nil, fmt.Errorf("subject: contact %d: %w", id, err)
		}
		if d.Identifiers, err = crm.IdentifiersOf(ctx, h.db, id); err != nil {
			return nil, err
		}
		if l := d.Person.Language; l != "" && h.Speaks != nil && h.Speaks(l) {
			d.Language = l
		}
		if d.Activities, err = cs.Timeline(ctx, id, 0); err != nil {
			return nil, fmt.Errorf("subject: timeline: %w", err)
		}
		if d.Consents, err = ps.History(ctx, id); err != nil {
			return nil, fmt.Errorf("subject: consents: %w", err)
		}
		if d.ConsentNow, err = ps.Current(ctx, id); err != nil {
			return nil, fmt.Errorf("subject: consents: %w", err)
		}
		if d.Requests, err = ps.Requests(ctx, privacy.RequestQuery{ContactID: id}); err != nil {
			return nil, err
		}
		if d.Audit, err = h.audit(ctx, ps, id); err != nil {
			return nil, err
		}
		docs, err := sales.DocumentsOf(ctx, h.db, id)
		if err != nil {
			return nil, err
		}
		for _, doc := range docs {
			name := doc.Number
			if name == "" {
				name = fmt.Sprintf("%s-draft-%d", doc.Kind, doc.ID)
			}
			d.Documents = append(d.Documents, Document{PersonDocument: doc, File: "documents/" + safeName(name) + ".pdf"})
		}
		d.Processing.Source = d.Person.Source
	}
	msgs, err := mail.MessagesOf(ctx, h.db, d.Identifiers.AllEmails())
	if err != nil {
		return nil, err
	}
	for i, m := range msgs {
		day := m.Date
		if len(day) >= 10 {
			day = day[:10]
		}
		d.Messages = append(d.Messages, Message{PersonMessage: m, File: fmt.Sprintf("emails/%05d-%s.eml", i+1, day)})
	}
	// Old entries come first in a report.
	for i, j := 0, len(d.Audit)-1; i < j; i, j = i+1, j-1 {
		d.Audit[i], d.Audit[j] = d.Audit[j], d.Audit[i]
	}
	return d, nil
}

// audit reads every log entry about the contact (the log pages by 1,000).
func (h *Holder) audit(ctx context.Context, ps *privacy.Store, id int64) ([]privacy.AuditEntry, error) {
	out := []privacy.AuditEntry{}
	var before int64
	for {
		page, err := ps.Audit(ctx, privacy.AuditQuery{SubjectKind: "contact", SubjectID: id, Limit: 1000, BeforeID: before})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < 1000 {
			return out, nil
		}
		before = page[len(page)-1].ID
	}
}

// parties returns the controller (from the seller profile) and the DPO.
func (h *Holder) parties(ctx context.Context) (ctrl, dpo privacy.Party, err error) {
	seller, err := sales.New(h.db, h.now).Profile(ctx)
	if err != nil {
		return ctrl, dpo, fmt.Errorf("subject: controller: %w", err)
	}
	profile, err := privacy.LoadProfile(ctx, settings.New(h.db))
	if err != nil {
		return ctrl, dpo, fmt.Errorf("subject: controller: %w", err)
	}
	ctrl = Controller(seller)
	dpo = privacy.Party{Name: profile.DPOName, Email: profile.DPOEmail, Phone: profile.DPOPhone, Address: profile.DPOAddress}
	return ctrl, dpo, nil
}

// Controller is the seller as the register names it: the legal name (with
// "EI" for a sole trader, as on invoices), postal address and SIREN.
func Controller(s *sales.Profile) privacy.Party {
	name := strings.TrimSpace(s.LegalName)
	if s.SoleTrader && name != "" && !strings.HasSuffix(name, " EI") {
		name += " EI"
	}
	var address []string
	for _, l := range []string{s.Street, strings.TrimSpace(s.PostalCode + " " + s.City)} {
		if l = strings.TrimSpace(l); l != "" {
			address = append(address, l)
		}
	}
	if s.Country != "" && s.Country != "FR" && len(address) > 0 {
		address = append(address, s.Country)
	}
	siren := s.SIREN
	if siren == "" && len(s.SIRET) == 14 {
		siren = s.SIRET[:9]
	}
	return privacy.Party{Name: name, Address: strings.Join(address, "\n"), ID: siren, Email: s.Email, Phone: s.Phone}
}

// safeName keeps a document number usable as a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
}
