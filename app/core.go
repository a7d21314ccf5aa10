package app

import (
	"context"

	"carnet/backend/core"
)

// useCore runs a use case on the window's Core and maps its error for the
// user.
func useCore[T any](v *Vault, fn func(ctx context.Context, c *core.Core) (T, error)) (T, error) {
	var zero T
	c, err := v.core()
	if err != nil {
		return zero, userError(err)
	}
	r, err := fn(v.ctx, c)
	if err != nil {
		return zero, userError(err)
	}
	return r, nil
}

// doCore is useCore for a use case with no result.
func doCore(v *Vault, fn func(ctx context.Context, c *core.Core) error) error {
	_, err := useCore(v, func(ctx context.Context, c *core.Core) (struct{}, error) { return struct{}{}, fn(ctx, c) })
	return err
}
