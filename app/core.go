package app

import (
	"context"
	"database/sql"

	"carnet/backend/core"
)

// useCore runs a use case on the window's Core and maps its error for the
// user. Every bound method that changes something, or reads through a use
// case (audited views, reads that need the clock or the language), goes
// through it.
func useCore[T any](v *Vault, fn func(ctx context.Context, c *core.Core) (T, error)) (T, error) {
	var zero T
	c, err := v.core()
	if err != nil {
		return zero, core.ForUser(err)
	}
	r, err := fn(v.ctx, c)
	if err != nil {
		return zero, core.ForUser(err)
	}
	return r, nil
}

// doCore is useCore for a use case with no result.
func doCore(v *Vault, fn func(ctx context.Context, c *core.Core) error) error {
	_, err := useCore(v, func(ctx context.Context, c *core.Core) (struct{}, error) { return struct{}{}, fn(ctx, c) })
	return err
}

// useDB runs a plain read on the unlocked database (a list, a page, a
// count: nothing changed, nothing audited) and maps its error for the user.
func useDB[T any](v *Vault, fn func(ctx context.Context, db *sql.DB) (T, error)) (T, error) {
	var zero T
	db, err := v.db()
	if err != nil {
		return zero, core.ForUser(err)
	}
	r, err := fn(v.ctx, db)
	if err != nil {
		return zero, core.ForUser(err)
	}
	return r, nil
}
