// Package retention applies the retention periods of the CNIL's
// recommendations to what a vault holds: it lists what has reached its
// limit (a sweep, which removes nothing) and records what the user decided
// for it (ask the person to confirm, archive, erase, delete), every
// decision in the audit log.
//
// Categories and the event each period runs from:
//
//   - prospects: from collection or the person's last contact, whichever
//     is later (CNIL: 3 years);
//   - customers: from the end of the commercial relationship, the later of
//     the last issued invoice and the person's last contact (CNIL: 3 years,
//     for prospecting);
//   - the intermediate archive: from archiving (default 5 years, the
//     common limitation period, Code civil art. 2224);
//   - e-mails linked to no contact: from their date, a period the user
//     chooses (0 keeps them);
//   - invoices and accounting documents: 10 years (Code de commerce art.
//     L123-22), a legal hold enforced by backend/sales: reported, never
//     removed here.
//
// Notes and tasks follow their contact: they go with it.
package retention

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"carnet/backend/i18n"
	"carnet/backend/privacy"
	"carnet/backend/settings"
)

// Policy is how long each category is kept. The zero value is not valid:
// start from DefaultPolicy.
type Policy struct {
	// ProspectMonths: prospects, from collection or their last contact.
	ProspectMonths int `json:"prospectMonths"`
	// CustomerMonths: former customers, from the end of the relationship.
	CustomerMonths int `json:"customerMonths"`
	// ArchiveMonths: archived contacts, from archiving.
	ArchiveMonths int `json:"archiveMonths"`
	// MessageMonths: e-mails linked to no contact, from their date; 0 keeps them.
	MessageMonths int `json:"messageMonths"`
	// RepermissionDays: how long a person has to confirm before their data
	// are due for erasure.
	RepermissionDays int `json:"repermissionDays"`
}

// DefaultPolicy is the CNIL's recommendations (référentiel relatif aux
// traitements de données à caractère personnel mis en œuvre dans le cadre
// de la gestion commerciale, 2021) and Carnet's defaults where it leaves
// the choice to the business.
func DefaultPolicy() Policy {
	return Policy{ProspectMonths: 36, CustomerMonths: 36, ArchiveMonths: 60, MessageMonths: 24, RepermissionDays: 30}
}

// InvoiceYears is how long invoices and credit notes are kept: a legal hold
// (see backend/sales), not part of the editable policy.
const InvoiceYears = 10

// ErrPolicy: a period is out of its bounds (see PolicyError).
var ErrPolicy = errors.New("retention: a retention period is out of bounds")

// PolicyError says which period is wrong and what is allowed, for a
// message the user can act on.
type PolicyError struct {
	Field string `json:"field"` // the Policy field's JSON name
	Value int    `json:"value"`
	Min   int    `json:"min"`
	Max   int    `json:"max"`
}

func (e *PolicyError) Error() string {
	return fmt.Sprintf("retention: %s must be between %d and %d, not %d", e.Field, e.Min, e.Max, e.Value)
}

func (e *PolicyError) Unwrap() error { return ErrPolicy }

// bounds are what each period may be. Longer than the CNIL's three years
// is allowed up to ten, for a business that documents why.
var bounds = []struct {
	field    string
	of       func(*Policy) *int
	min, max int
}{
	{"prospectMonths", func(p *Policy) *int { return &p.ProspectMonths }, 1, 120},
	{"customerMonths", func(p *Policy) *int { return &p.CustomerMonths }, 1, 120},
	{"archiveMonths", func(p *Policy) *int { return &p.ArchiveMonths }, 1, 240},
	{"messageMonths", func(p *Policy) *int { return &p.MessageMonths }, 0, 120},
	// A person is given at least a week; and no more than the sweep's
	// 30-day window, so every answer awaited shows among what comes due.
	{"repermissionDays", func(p *Policy) *int { return &p.RepermissionDays }, 7, 30},
}

// Validate returns a *PolicyError for the first period out of bounds.
func (p Policy) Validate() error {
	for _, b := range bounds {
		if v := *b.of(&p); v < b.min || v > b.max {
			return &PolicyError{Field: b.field, Value: v, Min: b.min, Max: b.max}
		}
	}
	return nil
}

const policyKey = "retention_policy"

// Store reads and applies the retention policy of an unlocked vault.
type Store struct {
	db  *sql.DB
	now func() time.Time
	tr  *i18n.Bundle
}

// New returns a Store on db; now may be nil for the real clock. tr
// translates the re-permission e-mails.
func New(db *sql.DB, now func() time.Time, tr *i18n.Bundle) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now, tr: tr}
}

// Policy returns the vault's policy: the defaults until the user changed
// them. A stored period out of bounds (from an older version with other
// bounds) is replaced by its default.
func (s *Store) Policy(ctx context.Context) (Policy, error) {
	p := DefaultPolicy()
	if err := settings.New(s.db).GetJSON(ctx, policyKey, &p); err != nil {
		return p, fmt.Errorf("retention: policy: %w", err)
	}
	def := DefaultPolicy()
	for _, b := range bounds {
		if v := *b.of(&p); v < b.min || v > b.max {
			*b.of(&p) = *b.of(&def)
		}
	}
	return p, nil
}

// SavePolicy checks and stores the policy; the change is logged (the
// names of the periods changed).
func (s *Store) SavePolicy(ctx context.Context, actor string, p Policy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	before, err := s.Policy(ctx)
	if err != nil {
		return err
	}
	if err := settings.New(s.db).SetJSON(ctx, policyKey, p); err != nil {
		return fmt.Errorf("retention: save policy: %w", err)
	}
	return privacy.New(s.db, s.now).Log(ctx, actor, "retention.policy", "", 0, map[string]any{"fields": privacy.ChangedFields(before, p)})
}
