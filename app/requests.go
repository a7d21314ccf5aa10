package app

import (
	"context"

	"carnet/backend/core"
	"carnet/backend/privacy"
)

// Requests is bound to the frontend: the register of the requests people
// make to exercise their rights.
type Requests struct {
	vault *Vault
}

// List lists the register of requests, open ones by deadline first.
func (s *Requests) List(q privacy.RequestQuery) (_ []privacy.Request, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) ([]privacy.Request, error) { return c.Requests(ctx, q) })
}

// Save records a new request or its next step.
func (s *Requests) Save(r privacy.Request) (_ privacy.Request, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (privacy.Request, error) { return c.SaveRequest(ctx, r) })
}
