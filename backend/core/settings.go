package core

import (
	"context"

	"carnet/backend/settings"
)

// Settings stored in the vault. Unaudited (they say nothing about anyone),
// but writes all the same: they go through change like every other.

// SetAutoLockMinutes changes how long the vault stays open while unused.
func (c *Core) SetAutoLockMinutes(ctx context.Context, minutes int) error {
	return c.change(ctx, func(ctx context.Context) error {
		return settings.New(c.db).SetAutoLockMinutes(ctx, minutes)
	})
}

// SetMailMaxMessageMB changes the size over which a synced e-mail keeps
// only its header; the next sync applies it.
func (c *Core) SetMailMaxMessageMB(ctx context.Context, mb int) error {
	if mb < settings.MinMailMaxMessageMB || mb > settings.MaxMailMaxMessageMB {
		return &UserError{Key: "error.out_of_range", Params: map[string]any{"min": settings.MinMailMaxMessageMB, "max": settings.MaxMailMaxMessageMB}}
	}
	return c.change(ctx, func(ctx context.Context) error {
		return settings.New(c.db).SetMailMaxMessageMB(ctx, mb)
	})
}
