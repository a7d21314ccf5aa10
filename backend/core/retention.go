package core

import (
	"context"

	"carnet/backend/privacy/retention"
	"carnet/backend/privacy/rights"
)

// Retention (Art. 5(1)(e), storage limitation): the periods, and what the
// user decides for what has reached them. The retention store writes its
// own audit entries; here they join the use case's transaction, under the
// actor of this core.

func (c *Core) retention() *retention.Store { return retention.New(c.db, c.now, c.i18n) }

// SaveRetentionPolicy checks and stores the retention periods; the audit
// entry names the periods changed.
func (c *Core) SaveRetentionPolicy(ctx context.Context, p retention.Policy) error {
	return c.change(ctx, func(ctx context.Context) error {
		actor, err := c.Actor(ctx)
		if err != nil {
			return err
		}
		return c.retention().SavePolicy(ctx, actor, p)
	})
}

// AskRepermission records re-permission requests and returns the e-mails
// to send, each in the person's language.
func (c *Core) AskRepermission(ctx context.Context, contactIDs []int64) ([]retention.Letter, error) {
	var out []retention.Letter
	err := c.change(ctx, func(ctx context.Context) (err error) {
		actor, err := c.Actor(ctx)
		if err != nil {
			return err
		}
		out, err = c.retention().AskRepermission(ctx, actor, contactIDs)
		return err
	})
	return out, err
}

// AnswerRepermission records the person's answer: yes restarts the clock,
// no makes their data due for erasure.
func (c *Core) AnswerRepermission(ctx context.Context, contactID int64, yes bool) error {
	return c.change(ctx, func(ctx context.Context) error {
		actor, err := c.Actor(ctx)
		if err != nil {
			return err
		}
		return c.retention().Answer(ctx, actor, contactID, yes)
	})
}

// ArchiveContacts moves contacts to the intermediate archive (sealed,
// read-only, out of every list and search) for a legal reason.
func (c *Core) ArchiveContacts(ctx context.Context, contactIDs []int64, reason string) error {
	return c.change(ctx, func(ctx context.Context) error {
		actor, err := c.Actor(ctx)
		if err != nil {
			return err
		}
		return c.retention().Archive(ctx, actor, contactIDs, reason)
	})
}

// Unarchive takes a contact out of the intermediate archive.
func (c *Core) Unarchive(ctx context.Context, contactID int64) error {
	return c.change(ctx, func(ctx context.Context) error {
		actor, err := c.Actor(ctx)
		if err != nil {
			return err
		}
		return c.retention().Unarchive(ctx, actor, contactID)
	})
}

// EraseDue erases the contacts whose retention period has run, each
// through the erasure with its legal holds: the check that all are due,
// the decision, the erasures and their audit entries are one transaction.
// The file is compacted and the record outside the vault written after
// the commit, as for one erasure (see Erase).
func (c *Core) EraseDue(ctx context.Context, contactIDs []int64) ([]rights.Erasure, error) {
	h := c.holder()
	var out []rights.Erasure
	err := c.change(ctx, func(ctx context.Context) (err error) {
		actor, err := c.Actor(ctx)
		if err != nil {
			return err
		}
		out, err = c.retention().EraseDue(ctx, actor, contactIDs, func(key string) string { return c.i18n.T(c.lang(), key, nil) })
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	return out, c.afterErasure(ctx, h)
}

// DeleteDueMessages deletes e-mails linked to no contact whose period has
// run; it returns how many went.
func (c *Core) DeleteDueMessages(ctx context.Context, messageIDs []int64) (int, error) {
	var n int
	err := c.change(ctx, func(ctx context.Context) (err error) {
		actor, err := c.Actor(ctx)
		if err != nil {
			return err
		}
		n, err = c.retention().DeleteMessages(ctx, actor, messageIDs)
		return err
	})
	return n, err
}
