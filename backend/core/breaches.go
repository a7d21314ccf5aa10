package core

import (
	"bytes"
	"context"

	"carnet/backend/pdf"
	"carnet/backend/privacy/breach"
)

// The breach register (Art. 33(5)): every breach, its 72-hour clock, the
// notification to the CNIL and the letters to the people (Art. 34). The
// breach store writes its own audit entries; here they join the use case's
// transaction, under the actor of this core.

func (c *Core) breaches() *breach.Store { return breach.New(c.db, c.now, c.i18n) }

// SaveBreach records a new breach or its next step; the people and records
// concerned are counted from the vault in the same transaction.
func (c *Core) SaveBreach(ctx context.Context, b breach.Breach) (breach.Breach, error) {
	var out breach.Breach
	err := c.change(ctx, func(ctx context.Context) (err error) {
		actor, err := c.Actor(ctx)
		if err != nil {
			return err
		}
		out, err = c.breaches().Save(ctx, actor, b)
		return err
	})
	return out, err
}

// RecountBreach counts again the people and records concerned.
func (c *Core) RecountBreach(ctx context.Context, id int64) (breach.Breach, error) {
	var out breach.Breach
	err := c.change(ctx, func(ctx context.Context) (err error) {
		actor, err := c.Actor(ctx)
		if err != nil {
			return err
		}
		out, err = c.breaches().Recount(ctx, actor, id)
		return err
	})
	return out, err
}

// AddBreachComplement records information sent to the CNIL after the
// initial notification (Art. 33(4)).
func (c *Core) AddBreachComplement(ctx context.Context, id int64, comp breach.Complement) (breach.Breach, error) {
	var out breach.Breach
	err := c.change(ctx, func(ctx context.Context) (err error) {
		actor, err := c.Actor(ctx)
		if err != nil {
			return err
		}
		out, err = c.breaches().AddComplement(ctx, actor, id, comp)
		return err
	})
	return out, err
}

// SaveBreachReport writes a breach's report as PDF to path, in the
// interface language, with the audit entry recording it: a failed entry
// leaves no file.
func (c *Core) SaveBreachReport(ctx context.Context, id int64, path string) error {
	r, err := c.breaches().Report(ctx, id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := pdf.New(c.i18n, c.lang()).BreachReport(&buf, r); err != nil {
		return err
	}
	return c.writeExport(ctx, path, buf.Bytes(), "export.breach_report", "breach", id, nil)
}
