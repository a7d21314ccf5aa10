package core

import (
	"context"
	"fmt"

	"carnet/backend/mail"
	"carnet/backend/privacy"
	"carnet/backend/settings"
)

// The privacy store writes its own audit entries for purposes and the
// consent ledger (privacy.logTx, in the same statement batch as the change,
// so the ledger's and the log's chains agree). Called with a use case's
// context, its write joins the use case's transaction as a savepoint: the
// entry is written once, and commits or rolls back with everything else.
func (c *Core) privacyStore() *privacy.Store { return privacy.New(c.db, c.now) }

// words translates the default purposes' texts into the language now.
func (c *Core) words() privacy.Words {
	lang := c.lang()
	return func(key string) string { return c.i18n.T(lang, key, nil) }
}

// Profile returns the DPO, the representative and the user's label.
func (c *Core) Profile(ctx context.Context) (privacy.Profile, error) {
	return privacy.LoadProfile(ctx, settings.New(c.db))
}

// SaveProfile stores the privacy profile: who answers for the processing
// (Art. 37–39, Art. 27) and how the user is named in the log.
func (c *Core) SaveProfile(ctx context.Context, pr privacy.Profile) error {
	return c.change(ctx, func(ctx context.Context) error {
		if err := privacy.SaveProfile(ctx, settings.New(c.db), pr); err != nil {
			return fmt.Errorf("core: save privacy profile: %w", err)
		}
		return c.audit(ctx, "privacy.profile", "", 0, nil)
	})
}

// Purposes lists the purposes of processing (Art. 30(1)(b)); the first
// call fills the catalogue with the defaults in the language now.
func (c *Core) Purposes(ctx context.Context) ([]privacy.Purpose, error) {
	list, err := c.privacyStore().Purposes(ctx, nil)
	if err != nil || len(list) > 0 {
		return list, err
	}
	// Filling the catalogue is a write: it goes through the seam.
	err = c.change(ctx, func(ctx context.Context) (err error) {
		list, err = c.privacyStore().Purposes(ctx, c.words())
		return err
	})
	return list, err
}

// SavePurpose creates (ID 0) or updates a purpose; the store records
// purpose.create or purpose.edit in the same transaction.
func (c *Core) SavePurpose(ctx context.Context, p privacy.Purpose) (int64, error) {
	var id int64
	err := c.change(ctx, func(ctx context.Context) (err error) {
		actor, err := c.Actor(ctx)
		if err != nil {
			return err
		}
		id, err = c.privacyStore().SavePurpose(ctx, actor, p)
		return err
	})
	return id, err
}

// DeletePurpose removes a purpose no consent refers to (the ledger is
// evidence, Art. 7(1)); the store records purpose.delete.
func (c *Core) DeletePurpose(ctx context.Context, id int64) error {
	return c.change(ctx, func(ctx context.Context) error {
		actor, err := c.Actor(ctx)
		if err != nil {
			return err
		}
		return c.privacyStore().DeletePurpose(ctx, actor, id)
	})
}

// ContactConsents is what a contact's page shows: the current state per
// purpose and channel, and the full history.
type ContactConsents struct {
	Current []privacy.State `json:"current"`
	History []privacy.Entry `json:"history"`
}

// ContactConsents returns a contact's consents.
func (c *Core) ContactConsents(ctx context.Context, contactID int64) (ContactConsents, error) {
	var out ContactConsents
	var err error
	s := c.privacyStore()
	if out.Current, err = s.Current(ctx, contactID); err != nil {
		return out, err
	}
	out.History, err = s.History(ctx, contactID)
	return out, err
}

// RecordConsent appends a grant, refusal or withdrawal to the ledger,
// recorded by the actor (Art. 7(1): the controller must be able to show
// the consent). A grant or refusal given without its wording names one
// already recorded for the purpose by its version. The ledger entry and
// its consent.<action> audit entry commit together.
func (c *Core) RecordConsent(ctx context.Context, e privacy.Entry) (privacy.Entry, error) {
	err := c.change(ctx, func(ctx context.Context) (err error) {
		s := c.privacyStore()
		// The catalogue exists before the first consent.
		if _, err := s.Purposes(ctx, c.words()); err != nil {
			return err
		}
		if e.Wording == "" && e.Action != "withdraw" && e.WordingVersion != "" {
			if e.Wording, err = s.WordingOf(ctx, e.Purpose, e.WordingVersion); err != nil {
				return err
			}
		}
		actor, err := c.Actor(ctx)
		if err != nil {
			return err
		}
		e.RecordedBy = actor
		e, err = s.Record(ctx, e)
		return err
	})
	return e, err
}

// WithdrawConsent records a withdrawal, as easy as the grant was (Art. 7(3)).
func (c *Core) WithdrawConsent(ctx context.Context, contactID int64, purpose, channel, method string) (privacy.Entry, error) {
	if method == "" {
		method = "email"
	}
	return c.RecordConsent(ctx, privacy.Entry{ContactID: contactID, Purpose: purpose, Channel: channel, Action: "withdraw", Method: method})
}

// ExportEvidence writes the scan attached to a ledger entry where saveAs
// says, and records export.evidence with the file: "" when cancelled.
func (c *Core) ExportEvidence(ctx context.Context, entryID int64, saveAs SaveAs) (string, error) {
	name, data, err := c.privacyStore().EvidenceFile(ctx, entryID)
	if err != nil {
		return "", err
	}
	if len(data) == 0 {
		return "", privacy.ErrNoEvidenceFile
	}
	path, err := saveAs(mail.SafeFilename(name))
	if err != nil || path == "" {
		return "", err
	}
	return path, c.writeExport(ctx, path, data, "export.evidence", "consent", entryID, nil)
}

// ToRenew lists consents expiring within days, or expired.
func (c *Core) ToRenew(ctx context.Context, days int) ([]privacy.Renewal, error) {
	return c.privacyStore().ToRenew(ctx, days)
}
