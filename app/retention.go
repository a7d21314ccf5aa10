package app

import (
	"context"
	"errors"
	"log/slog"

	"carnet/backend/core"
	"carnet/backend/i18n"
	"carnet/backend/privacy/retention"
	"carnet/backend/privacy/rights"
)

// Retention is bound to the frontend: the retention periods (Art.
// 5(1)(e)) and what the user decides for what has reached them. Changes
// go through backend/core; reads go to the retention store.
type Retention struct {
	vault *Vault
	i18n  *i18n.Bundle
}

// store is the retention store, for the reads (no use case, no audit).
func (r *Retention) store(c *core.Core) *retention.Store {
	return retention.New(c.DB(), c.Now, r.i18n)
}

// Policy returns the retention periods (the CNIL's at first).
func (r *Retention) Policy() (_ retention.Policy, err error) {
	defer guard(&err)
	return useCore(r.vault, func(ctx context.Context, c *core.Core) (retention.Policy, error) { return r.store(c).Policy(ctx) })
}

// SavePolicy stores the retention periods.
func (r *Retention) SavePolicy(p retention.Policy) (err error) {
	defer guard(&err)
	return doCore(r.vault, func(ctx context.Context, c *core.Core) error { return c.SaveRetentionPolicy(ctx, p) })
}

// Due previews what has reached its retention limit today, and what will
// within 30 days. It changes nothing.
func (r *Retention) Due() (_ retention.Sweep, err error) {
	defer guard(&err)
	return useCore(r.vault, func(ctx context.Context, c *core.Core) (retention.Sweep, error) { return r.store(c).Due(ctx, c.Now()) })
}

// AskRepermission records re-permission requests and returns the e-mails
// to send (in each person's language).
func (r *Retention) AskRepermission(ids []int64) (_ []retention.Letter, err error) {
	defer guard(&err)
	var out []retention.Letter
	err = doCore(r.vault, func(ctx context.Context, c *core.Core) (err error) {
		out, err = c.AskRepermission(ctx, ids)
		return err
	})
	return out, err
}

// AnswerRepermission records the person's answer: yes restarts the clock,
// no makes their data due for erasure.
func (r *Retention) AnswerRepermission(contactID int64, yes bool) (err error) {
	defer guard(&err)
	return doCore(r.vault, func(ctx context.Context, c *core.Core) error { return c.AnswerRepermission(ctx, contactID, yes) })
}

// Archive moves contacts to the intermediate archive (sealed, read-only,
// out of every list and search) for a legal reason.
func (r *Retention) Archive(ids []int64, reason string) (err error) {
	defer guard(&err)
	return doCore(r.vault, func(ctx context.Context, c *core.Core) error { return c.ArchiveContacts(ctx, ids, reason) })
}

// Unarchive takes a contact out of the intermediate archive.
func (r *Retention) Unarchive(contactID int64) (err error) {
	defer guard(&err)
	return doCore(r.vault, func(ctx context.Context, c *core.Core) error { return c.Unarchive(ctx, contactID) })
}

// EraseDue erases the contacts whose retention period has run, each
// through the erasure with its legal holds; it returns the erasures.
func (r *Retention) EraseDue(ids []int64) (_ []rights.Erasure, err error) {
	defer guard(&err)
	var out []rights.Erasure
	err = doCore(r.vault, func(ctx context.Context, c *core.Core) (err error) {
		out, err = c.EraseDue(ctx, ids)
		if errors.Is(err, core.ErrErasureUnfinished) {
			slog.Error("after erasures", "err", err)
			err = nil
		}
		return err
	})
	return out, err
}

// DeleteDueMessages deletes e-mails linked to no contact whose period has
// run; it returns how many went.
func (r *Retention) DeleteDueMessages(ids []int64) (_ int, err error) {
	defer guard(&err)
	var n int
	err = doCore(r.vault, func(ctx context.Context, c *core.Core) (err error) {
		n, err = c.DeleteDueMessages(ctx, ids)
		return err
	})
	return n, err
}
