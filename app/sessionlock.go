package app

import (
	"context"
	"log/slog"

	"carnet/backend/sessionlock"
	"carnet/backend/vault"
)

// watchSession locks the vault when the computer is about to sleep or the
// screen locks (issue 16), until ctx ends. The desktop window runs it; the
// command line and the test bridge do not.
func (s *Services) watchSession(ctx context.Context) {
	sessionlock.Watch(ctx, func(r sessionlock.Reason) {
		recovered("session lock", func() { s.Vault.lockForSession(r) })
	})
}

// lockForSession takes the idle lock's path, the backup at lock included,
// and tells the frontend why.
func (a *Vault) lockForSession(reason sessionlock.Reason) {
	v, err := a.vault()
	if err != nil || v.Status().State != vault.StateUnlocked {
		return
	}
	a.auto.Stop()
	a.forget()
	a.backUpBeforeLock()
	if err := v.Lock(); err != nil {
		slog.Error("session lock", "reason", reason, "err", err)
	}
	a.emitEvent(EventLocked, LockedEvent{Reason: string(reason)})
}
