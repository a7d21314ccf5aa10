package vault

import (
	"sync"
	"time"
)

// Unlock throttling. The first FreeTries failures cost nothing more than the
// key derivation; each failure after that imposes a pause that doubles, up to
// MaxPause. The count lives in memory only: a wrong passphrase must leave
// every file byte-identical, and an attacker holding the files would not go
// through this program anyway (Argon2id is what protects them).
const (
	FreeTries  = 5
	FirstPause = 30 * time.Second
	MaxPause   = 15 * time.Minute
)

type throttle struct {
	mu       sync.Mutex
	now      func() time.Time
	failures int
	until    time.Time
}

// wait returns how long the caller must still wait before trying.
func (t *throttle) wait() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	if d := t.until.Sub(t.now()); d > 0 {
		return d
	}
	return 0
}

// fail records a failure and returns the tries left and the pause imposed.
func (t *throttle) fail() (left int, pause time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.failures++
	if t.failures < FreeTries {
		return FreeTries - t.failures, 0
	}
	pause = FirstPause
	for i := FreeTries; i < t.failures && pause < MaxPause; i++ {
		pause *= 2
	}
	pause = min(pause, MaxPause)
	t.until = t.now().Add(pause)
	return 0, pause
}

func (t *throttle) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.failures = 0
	t.until = time.Time{}
}
