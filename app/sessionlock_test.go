package app

import (
	"testing"

	"carnet/backend/sessionlock"
)

// A suspend or a screen lock locks like the idle timer: background work
// dropped, the backup at lock written, the frontend told why.
func TestSessionEventsLockLikeTheIdleLock(t *testing.T) {
	for _, reason := range []sessionlock.Reason{sessionlock.Suspend, sessionlock.ScreenLock} {
		t.Run(string(reason), func(t *testing.T) {
			s, _ := unlockedWithBackups(t)
			rec := &recorder{got: make(chan struct{}, 8)}
			s.Vault.emit = rec
			s.Vault.lockForSession(reason)
			if st := s.Vault.status(); st.State != "locked" {
				t.Fatalf("state %s after %s, want locked", st.State, reason)
			}
			if n := countBackups(t, s); n != 1 {
				t.Fatalf("%d backups written at the lock, want 1", n)
			}
			if len(rec.events) != 1 || rec.events[0] != EventLocked || rec.data[0] != (LockedEvent{Reason: string(reason)}) {
				t.Fatalf("events %v %+v", rec.events, rec.data)
			}
			// Already locked: nothing more happens.
			s.Vault.lockForSession(reason)
			if len(rec.events) != 1 {
				t.Fatalf("a second %s emitted again: %v", reason, rec.events)
			}
		})
	}
}
