package core

import (
	"context"
	"errors"
	"fmt"

	"carnet/backend/privacy/rights"
	"carnet/backend/vault"
)

// Housekept is what an unlock's housekeeping changed.
type Housekept struct {
	Purged int     `json:"purged"` // contacts gone for good from the trash
	Lifted []int64 `json:"lifted"` // contacts whose restriction ended
	// Reapplied is what the record kept outside the vault brought back
	// into a database that had gone back in time (ReapplyErasures).
	Reapplied rights.Reapplied `json:"reapplied"`
}

// Housekeep does what every unlock does, from the window or the command
// line alike: the erasure record's key made, the trash emptied of what has
// waited 30 days, the unlock (and a rollback still undecided) recorded,
// restrictions whose end date has come lifted (GDPR Art. 18(3): a
// restriction ends when its term does), and the erasures recorded outside
// the vault applied again to a database put back from an older copy (Art.
// 17: a restored backup must not bring anyone back). Each change commits
// with its audit entry. The unlock is recorded in the caller's name (the
// person unlocked, from the window or the command line); the rest is
// Carnet's own work (AsApp, "app"): no one asked for it, it comes with the
// unlock. A step that fails does not stop the others; the failures come
// back joined.
func (c *Core) Housekeep(ctx context.Context) (Housekept, error) {
	caller := c
	c = c.AsApp()
	var h Housekept
	var errs []error
	// The key that seals the record of erasures kept outside the vault
	// must be in every backup: made before the first one can be written.
	// One statement of its own, unaudited (rights writes it on the
	// database, not in a use case's transaction).
	if err := rights.EnsureRecordKey(ctx, c.db); err != nil {
		errs = append(errs, fmt.Errorf("core: erasure record key: %w", err))
	}
	// Contacts in the trash for more than 30 days go for good.
	if err := c.change(ctx, func(ctx context.Context) (err error) {
		if h.Purged, err = c.crm().PurgeTrash(ctx); err != nil || h.Purged == 0 {
			return err
		}
		return c.audit(ctx, "contact.purge", "", 0, map[string]any{"count": h.Purged})
	}); err != nil {
		h.Purged = 0
		errs = append(errs, fmt.Errorf("core: purge the trash: %w", err))
	}
	if err := c.change(ctx, func(ctx context.Context) error {
		if err := caller.audit(ctx, "vault.unlock", "", 0, nil); err != nil {
			return err
		}
		if rb := c.vault.RollbackFound(); rb != nil {
			// Logged at each unlock until the user decides (AcceptRollback).
			return c.audit(ctx, "vault.rollback_detected", "", 0, rollbackDetail(rb))
		}
		return nil
	}); err != nil {
		errs = append(errs, err)
	}
	if err := c.change(ctx, func(ctx context.Context) (err error) {
		if h.Lifted, err = c.crm().LiftEndedRestrictions(ctx); err != nil {
			return err
		}
		for _, id := range h.Lifted {
			if err := c.audit(ctx, "contact.unrestrict", "contact", id, map[string]any{"reason": "end_date"}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		h.Lifted = nil
		errs = append(errs, fmt.Errorf("core: lift ended restrictions: %w", err))
	}
	// Last: the record is read, each erasure carried out again in its own
	// transaction with its entry, and the record written back.
	re, err := c.ReapplyErasures(ctx)
	if err != nil {
		errs = append(errs, fmt.Errorf("core: apply erasures again: %w", err))
	}
	h.Reapplied = re
	return h, errors.Join(errs...)
}

func rollbackDetail(rb *vault.Rollback) map[string]any {
	return map[string]any{"chain": rb.Chain, "entries": rb.Entries, "anchored_entries": rb.AnchoredEntries}
}

// Rekey re-encrypts the vault under a new data key (o.NewPassphrase, if
// set, replaces the passphrase) and returns the new recovery code, to be
// shown once. The re-key swaps the database, so its audit entry cannot
// share a transaction with it: it is written in the new database right
// after, here and nowhere else. The Core then works on the new database.
//
// As vault.Rekey: once the code is returned the re-key is committed, even
// with an error (the swap or the reopening failed and the next unlock
// finishes it), or with ErrNotRecorded when all went well but the
// entry could not be written.
func (c *Core) Rekey(ctx context.Context, current string, o vault.RekeyOptions) (string, error) {
	code, err := c.vault.Rekey(ctx, current, o)
	if code == "" {
		return "", err
	}
	// Committed: recorded whenever the database is open again, on the new
	// key (or, after a failed swap, the old one: the re-key still happened).
	db, aerr := c.vault.DB()
	if aerr == nil {
		c.db = db
		aerr = c.change(ctx, func(ctx context.Context) error {
			return c.audit(ctx, "vault.rekey", "", 0, map[string]any{"passphrase_changed": o.NewPassphrase != ""})
		})
	}
	switch {
	case err != nil:
		return code, errors.Join(err, aerr)
	case aerr != nil:
		return code, notRecorded(aerr)
	}
	return code, nil
}

// AcceptRollback keeps the database as it is after a rollback was reported
// at unlock (an older copy was put in its place): its current heads become
// the anchor in the key file, and the decision is recorded. It returns
// false when there was no rollback to accept.
//
// The anchor lives in the key file, outside the database, so it cannot
// commit with the entry. The decision is put in force first and recorded
// right after: an entry written first would claim a decision that a failed
// anchor then left undone, and the rollback would be reported again at the
// next unlock under an entry saying it was accepted. The entry, written
// after the anchor, is covered by the next one (at the next lock or
// backup); if it fails, the error says so and the caller shows it.
func (c *Core) AcceptRollback(ctx context.Context) (bool, error) {
	rb := c.vault.RollbackFound()
	if rb == nil {
		return false, nil
	}
	if err := c.vault.AcceptRollback(ctx); err != nil {
		return false, err
	}
	return true, notRecorded(c.change(ctx, func(ctx context.Context) error {
		return c.audit(ctx, "vault.rollback_accepted", "", 0, rollbackDetail(rb))
	}))
}
