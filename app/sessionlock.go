package app

import (
	"context"
	"log/slog"

	"carnet/backend/sessionlock"
)

// watchSession locks the vault when the computer is about to sleep or the
// screen locks (issue 16), until ctx ends. The desktop window runs it; the
// command line and the test bridge do not.
func (s *Services) watchSession(ctx context.Context) {
	sessionlock.Watch(ctx, func(r sessionlock.Reason) {
		recovered("session lock", func() { s.Vault.lockForSession(r) })
	})
}

// lockForSession locks at once, with no backup at lock, and tells the
// frontend why.
//
// Suspend: logind waits for our delay inhibitor only InhibitDelayMaxSec
// (5 s by default) and then sleeps anyway; a backup at lock (VACUUM INTO
// of the whole vault, seconds on a big one) would let the laptop sleep
// unlocked with the keys in memory.
//
// Screen lock: no deadline of its own, but it is often the first step of a
// suspend (Super+L then the lid closed; lockers started before sleep), and
// the watcher handles one request at a time: a backup there would hold
// the suspend's lock past logind's delay. It cannot come after the lock
// either, since a backup reads the open database.
//
// Nothing is lost: the backup at the next lock compares the vault's files
// with the last backup this process wrote (Backups.automatic), and the
// daily backup still runs while the vault is open.
func (a *Vault) lockForSession(reason sessionlock.Reason) {
	if _, err := a.vault(); err != nil {
		return // no vault open in this window: nothing to lock
	}
	if err := a.lock(string(reason), false); err != nil {
		slog.Error("session lock", "reason", reason, "err", err)
	}
}
