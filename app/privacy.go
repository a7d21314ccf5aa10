package app

import (
	"context"
	"log/slog"

	"carnet/backend/fsutil"
	"carnet/backend/i18n"
	"carnet/backend/mail"
	"carnet/backend/privacy"
	"carnet/backend/settings"
)

// Privacy is bound to the frontend: the GDPR assistant.
type Privacy struct {
	vault   *Vault
	i18n    *i18n.Bundle
	lang    func() string
	dialogs func() Dialogs
}

func withPrivacy[T any](p *Privacy, fn func(ctx context.Context, s *privacy.Store) (T, error)) (T, error) {
	var zero T
	db, err := p.vault.db()
	if err != nil {
		return zero, userError(err)
	}
	v, err := fn(p.vault.ctx, privacy.New(db, nil))
	if err != nil {
		return zero, userError(err)
	}
	return v, nil
}

func (p *Privacy) words() privacy.Words {
	lang := p.lang()
	return func(key string) string { return p.i18n.T(lang, key, nil) }
}

// Profile returns the DPO, representative and the user's label.
func (p *Privacy) Profile() (_ privacy.Profile, err error) {
	defer guard(&err)
	return withPrivacy(p, func(ctx context.Context, _ *privacy.Store) (privacy.Profile, error) {
		db, _ := p.vault.db()
		return privacy.LoadProfile(ctx, settings.New(db))
	})
}

// SaveProfile stores the privacy profile.
func (p *Privacy) SaveProfile(pr privacy.Profile) (err error) {
	defer guard(&err)
	_, err = withPrivacy(p, func(ctx context.Context, s *privacy.Store) (struct{}, error) {
		db, _ := p.vault.db()
		if err := privacy.SaveProfile(ctx, settings.New(db), pr); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, s.Log(ctx, p.vault.actor(), "privacy.profile", "", 0, nil)
	})
	return err
}

// Purposes lists the processing purposes (the defaults at first).
func (p *Privacy) Purposes() (_ []privacy.Purpose, err error) {
	defer guard(&err)
	return withPrivacy(p, func(ctx context.Context, s *privacy.Store) ([]privacy.Purpose, error) {
		return s.Purposes(ctx, p.words())
	})
}

// SavePurpose creates or updates a purpose.
func (p *Privacy) SavePurpose(pu privacy.Purpose) (_ int64, err error) {
	defer guard(&err)
	return withPrivacy(p, func(ctx context.Context, s *privacy.Store) (int64, error) {
		return s.SavePurpose(ctx, p.vault.actor(), pu)
	})
}

// DeletePurpose removes a purpose no consent refers to.
func (p *Privacy) DeletePurpose(id int64) (err error) {
	defer guard(&err)
	_, err = withPrivacy(p, func(ctx context.Context, s *privacy.Store) (struct{}, error) {
		return struct{}{}, s.DeletePurpose(ctx, p.vault.actor(), id)
	})
	return err
}

// ContactConsents is what the contact page shows: the current state and
// the full history.
type ContactConsents struct {
	Current []privacy.State `json:"current"`
	History []privacy.Entry `json:"history"`
}

// Consents returns a contact's consents.
func (p *Privacy) Consents(contactID int64) (_ ContactConsents, err error) {
	defer guard(&err)
	return withPrivacy(p, func(ctx context.Context, s *privacy.Store) (ContactConsents, error) {
		var c ContactConsents
		var err error
		if c.Current, err = s.Current(ctx, contactID); err != nil {
			return c, err
		}
		c.History, err = s.History(ctx, contactID)
		return c, err
	})
}

// RecordConsent appends a grant, refusal or withdrawal, recorded by the
// user's label.
func (p *Privacy) RecordConsent(e privacy.Entry) (_ privacy.Entry, err error) {
	defer guard(&err)
	e.RecordedBy = p.vault.actor()
	return withPrivacy(p, func(ctx context.Context, s *privacy.Store) (privacy.Entry, error) { return s.Record(ctx, e) })
}

// Withdraw records a withdrawal in one click.
func (p *Privacy) Withdraw(contactID int64, purpose, channel, method string) (err error) {
	defer guard(&err)
	if method == "" {
		method = "email"
	}
	_, err = p.RecordConsent(privacy.Entry{ContactID: contactID, Purpose: purpose, Channel: channel, Action: "withdraw", Method: method})
	return err
}

// SaveEvidence asks where to save the scan attached to a ledger entry and
// writes it there; "" when cancelled.
func (p *Privacy) SaveEvidence(entryID int64) (_ string, err error) {
	defer guard(&err)
	path, err := withPrivacy(p, func(ctx context.Context, s *privacy.Store) (string, error) {
		name, data, err := s.EvidenceFile(ctx, entryID)
		if err != nil {
			return "", err
		}
		if len(data) == 0 {
			return "", privacy.ErrNoEvidenceFile
		}
		path, err := p.dialogs().SaveFile(ctx, p.i18n.T(p.lang(), "privacy.save_evidence", nil), mail.SafeFilename(name))
		if err != nil || path == "" {
			return "", err
		}
		return path, fsutil.WriteFileAtomic(path, data, 0o600)
	})
	if err == nil && path != "" {
		p.vault.audit("export.evidence", "consent", entryID, nil)
	}
	return path, err
}

// ToRenew lists consents expiring within days, or expired.
func (p *Privacy) ToRenew(days int) (_ []privacy.Renewal, err error) {
	defer guard(&err)
	return withPrivacy(p, func(ctx context.Context, s *privacy.Store) ([]privacy.Renewal, error) { return s.ToRenew(ctx, days) })
}

// Audit lists audit log entries, newest first.
func (p *Privacy) Audit(q privacy.AuditQuery) (_ []privacy.AuditEntry, err error) {
	defer guard(&err)
	return withPrivacy(p, func(ctx context.Context, s *privacy.Store) ([]privacy.AuditEntry, error) { return s.Audit(ctx, q) })
}

// Chains is the state of both hash chains.
type Chains struct {
	Ledger privacy.ChainStatus `json:"ledger"`
	Audit  privacy.ChainStatus `json:"audit"`
}

// VerifyChains recomputes the consent ledger's and the audit log's chains.
func (p *Privacy) VerifyChains() (_ Chains, err error) {
	defer guard(&err)
	return withPrivacy(p, func(ctx context.Context, s *privacy.Store) (Chains, error) { return verifyChains(ctx, s) })
}

func verifyChains(ctx context.Context, s *privacy.Store) (Chains, error) {
	var c Chains
	var err error
	if c.Ledger, err = s.VerifyLedger(ctx); err != nil {
		return c, err
	}
	c.Audit, err = s.VerifyAudit(ctx)
	return c, err
}

// actor is how the user is named in the audit log and the ledger.
func (a *Vault) actor() string {
	db, err := a.db()
	if err != nil {
		return "?"
	}
	pr, err := privacy.LoadProfile(a.ctx, settings.New(db))
	if err != nil {
		return "?"
	}
	return pr.UserLabel
}

// audit records an action in the audit log. A failure is logged, not
// shown: the action itself succeeded.
func (a *Vault) audit(action, kind string, id int64, detail map[string]any) {
	db, err := a.db()
	if err != nil {
		return
	}
	if err := privacy.New(db, nil).Log(a.ctx, a.actor(), action, kind, id, detail); err != nil {
		slog.Error("audit log", "action", action, "err", err)
	}
}

// Dashboard is the privacy overview.
type Dashboard struct {
	Purposes []privacy.Purpose `json:"purposes"`
	Granted  map[string]int    `json:"granted"` // purpose key → people with a current consent
	ToRenew  int               `json:"toRenew"` // consents expiring within 30 days or expired
	Chains   Chains            `json:"chains"`
	Requests privacy.Deadlines `json:"requests"` // open requests and their clocks
}

// Dashboard gathers the overview in one call.
func (p *Privacy) Dashboard() (_ Dashboard, err error) {
	defer guard(&err)
	return withPrivacy(p, func(ctx context.Context, s *privacy.Store) (Dashboard, error) {
		var d Dashboard
		var err error
		if d.Purposes, err = s.Purposes(ctx, p.words()); err != nil {
			return d, err
		}
		if d.Granted, err = s.GrantCounts(ctx); err != nil {
			return d, err
		}
		renew, err := s.ToRenew(ctx, 30)
		if err != nil {
			return d, err
		}
		d.ToRenew = len(renew)
		if d.Requests, err = s.RequestDeadlines(ctx); err != nil {
			return d, err
		}
		d.Chains, err = verifyChains(ctx, s)
		return d, err
	})
}

// Requests lists the register of requests, open ones by deadline first.
func (p *Privacy) Requests(q privacy.RequestQuery) (_ []privacy.Request, err error) {
	defer guard(&err)
	return withPrivacy(p, func(ctx context.Context, s *privacy.Store) ([]privacy.Request, error) { return s.Requests(ctx, q) })
}

// SaveRequest records a new request or its next step.
func (p *Privacy) SaveRequest(r privacy.Request) (_ privacy.Request, err error) {
	defer guard(&err)
	return withPrivacy(p, func(ctx context.Context, s *privacy.Store) (privacy.Request, error) {
		return s.SaveRequest(ctx, p.vault.actor(), r)
	})
}
