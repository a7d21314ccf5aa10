package core

import (
	"context"

	"carnet/backend/crm"
)

func (c *Core) crm() *crm.Store { return crm.New(c.db, c.now) }

// ViewContact returns one contact, sensitive values hidden (RevealField
// shows one), and records the view (GDPR Art. 5(2) and 32: who read whose
// record).
func (c *Core) ViewContact(ctx context.Context, id int64) (*crm.Contact, error) {
	var ct *crm.Contact
	err := c.change(ctx, func(ctx context.Context) (err error) {
		if ct, err = c.crm().Contact(ctx, id); err != nil {
			return err
		}
		ct.HideSensitive()
		return c.audit(ctx, "contact.view", "contact", id, nil)
	})
	return ct, err
}
