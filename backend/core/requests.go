package core

import (
	"context"

	"carnet/backend/privacy"
)

// Requests lists the register of data subjects' requests (Art. 12–22),
// open ones by deadline first.
func (c *Core) Requests(ctx context.Context, q privacy.RequestQuery) ([]privacy.Request, error) {
	return c.privacyStore().Requests(ctx, q)
}

// SaveRequest records a new request or its next step; the store writes
// request.create or request.update (kind and status only: the requester's
// identity stays in the register, which erasure clears) in the same
// transaction.
func (c *Core) SaveRequest(ctx context.Context, r privacy.Request) (privacy.Request, error) {
	err := c.change(ctx, func(ctx context.Context) (err error) {
		actor, err := c.Actor(ctx)
		if err != nil {
			return err
		}
		r, err = c.privacyStore().SaveRequest(ctx, actor, r)
		return err
	})
	return r, err
}
