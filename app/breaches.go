package app

import (
	"context"

	"carnet/backend/core"
	"carnet/backend/i18n"
	"carnet/backend/privacy/breach"
)

// Breaches is bound to the frontend: the breach register (Art. 33(5)),
// the 72-hour clock, the notification to the CNIL and the letters to the
// people (Art. 34). Changes go through backend/core; reads go to the
// breach store.
type Breaches struct {
	vault   *Vault
	i18n    *i18n.Bundle
	dialogs func() Dialogs
}

// store is the breach store, for the reads (no use case, no audit).
func (b *Breaches) store(c *core.Core) *breach.Store {
	return breach.New(c.DB(), c.Now, b.i18n)
}

// List lists the breach register, newest first.
func (b *Breaches) List() (_ []breach.Breach, err error) {
	defer guard(&err)
	return useCore(b.vault, func(ctx context.Context, c *core.Core) ([]breach.Breach, error) {
		return b.store(c).Breaches(ctx)
	})
}

// Get returns one breach.
func (b *Breaches) Get(id int64) (_ breach.Breach, err error) {
	defer guard(&err)
	return useCore(b.vault, func(ctx context.Context, c *core.Core) (breach.Breach, error) {
		return b.store(c).Breach(ctx, id)
	})
}

// Save records a new breach or its next step; the people and records
// concerned are counted from the vault.
func (b *Breaches) Save(br breach.Breach) (_ breach.Breach, err error) {
	defer guard(&err)
	return useCore(b.vault, func(ctx context.Context, c *core.Core) (breach.Breach, error) {
		return c.SaveBreach(ctx, br)
	})
}

// Recount counts again the people and records concerned.
func (b *Breaches) Recount(id int64) (_ breach.Breach, err error) {
	defer guard(&err)
	return useCore(b.vault, func(ctx context.Context, c *core.Core) (breach.Breach, error) {
		return c.RecountBreach(ctx, id)
	})
}

// AddComplement records information sent to the CNIL after the initial
// notification.
func (b *Breaches) AddComplement(id int64, comp breach.Complement) (_ breach.Breach, err error) {
	defer guard(&err)
	return useCore(b.vault, func(ctx context.Context, c *core.Core) (breach.Breach, error) {
		return c.AddBreachComplement(ctx, id, comp)
	})
}

// Pending are the breaches whose 72-hour clock runs, for the countdown
// shown everywhere.
func (b *Breaches) Pending() (_ []breach.Clock, err error) {
	defer guard(&err)
	return useCore(b.vault, func(ctx context.Context, c *core.Core) ([]breach.Clock, error) {
		return b.store(c).Pending(ctx, c.Now())
	})
}

// Notification drafts the notification to the CNIL (Art. 33(3)) in the
// user's language.
func (b *Breaches) Notification(id int64) (_ breach.Notification, err error) {
	defer guard(&err)
	return useCore(b.vault, func(ctx context.Context, c *core.Core) (breach.Notification, error) {
		return b.store(c).Notification(ctx, id, c.Lang())
	})
}

// Letters drafts the Art. 34 letters, one per person, in their language.
func (b *Breaches) Letters(id int64) (_ []breach.Letter, err error) {
	defer guard(&err)
	return useCore(b.vault, func(ctx context.Context, c *core.Core) ([]breach.Letter, error) {
		return b.store(c).Letters(ctx, id)
	})
}

// SaveReport asks where to save a breach's report (PDF) and writes it.
func (b *Breaches) SaveReport(id int64) (_ string, err error) {
	defer guard(&err)
	return useCore(b.vault, func(ctx context.Context, c *core.Core) (string, error) {
		br, err := b.store(c).Breach(ctx, id)
		if err != nil {
			return "", err
		}
		path, err := b.dialogs().SaveFile(ctx, b.i18n.T(c.Lang(), "breach.report.save_title", nil), br.Reference+".pdf")
		if err != nil || path == "" {
			return "", err
		}
		return path, c.SaveBreachReport(ctx, id, path)
	})
}
