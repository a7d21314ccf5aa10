package app

import (
	"context"

	"carnet/backend/core"
	"carnet/backend/i18n"
	"carnet/backend/privacy"
)

// saveDialog asks where to save a file, with a title in the language now.
func saveDialog(ctx context.Context, dialogs func() Dialogs, b *i18n.Bundle, lang func() string, titleKey string) core.SaveAs {
	return func(name string) (string, error) {
		return dialogs().SaveFile(ctx, b.T(lang(), titleKey, nil), name)
	}
}

// Consents is bound to the frontend: the privacy profile, the purposes of
// processing and the consent ledger.
type Consents struct {
	vault   *Vault
	i18n    *i18n.Bundle
	lang    func() string
	dialogs func() Dialogs
}

// Profile returns the DPO, representative and the user's label.
func (s *Consents) Profile() (_ privacy.Profile, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (privacy.Profile, error) { return c.Profile(ctx) })
}

// SaveProfile stores the privacy profile.
func (s *Consents) SaveProfile(pr privacy.Profile) (err error) {
	defer guard(&err)
	return doCore(s.vault, func(ctx context.Context, c *core.Core) error { return c.SaveProfile(ctx, pr) })
}

// Purposes lists the processing purposes (the defaults at first).
func (s *Consents) Purposes() (_ []privacy.Purpose, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) ([]privacy.Purpose, error) { return c.Purposes(ctx) })
}

// SavePurpose creates or updates a purpose.
func (s *Consents) SavePurpose(pu privacy.Purpose) (_ int64, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (int64, error) { return c.SavePurpose(ctx, pu) })
}

// DeletePurpose removes a purpose no consent refers to.
func (s *Consents) DeletePurpose(id int64) (err error) {
	defer guard(&err)
	return doCore(s.vault, func(ctx context.Context, c *core.Core) error { return c.DeletePurpose(ctx, id) })
}

// OfContact returns a contact's consents: the current state and the full
// history.
func (s *Consents) OfContact(contactID int64) (_ core.ContactConsents, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (core.ContactConsents, error) {
		return c.ContactConsents(ctx, contactID)
	})
}

// Record appends a grant, refusal or withdrawal, recorded by the user.
func (s *Consents) Record(e privacy.Entry) (_ privacy.Entry, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (privacy.Entry, error) { return c.RecordConsent(ctx, e) })
}

// Withdraw records a withdrawal in one click.
func (s *Consents) Withdraw(contactID int64, purpose, channel, method string) (err error) {
	defer guard(&err)
	_, err = useCore(s.vault, func(ctx context.Context, c *core.Core) (privacy.Entry, error) {
		return c.WithdrawConsent(ctx, contactID, purpose, channel, method)
	})
	return err
}

// SaveEvidence asks where to save the scan attached to a ledger entry and
// writes it there; "" when cancelled.
func (s *Consents) SaveEvidence(entryID int64) (_ string, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (string, error) {
		return c.ExportEvidence(ctx, entryID, saveDialog(ctx, s.dialogs, s.i18n, s.lang, "privacy.save_evidence"))
	})
}

// ToRenew lists consents expiring within days, or expired.
func (s *Consents) ToRenew(days int) (_ []privacy.Renewal, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) ([]privacy.Renewal, error) { return c.ToRenew(ctx, days) })
}
