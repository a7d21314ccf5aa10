package vault

import (
	"sync"
	"time"
)

// AutoLock calls its action once no activity has been reported for the
// configured timeout. The UI reports activity with Touch; the timer lives
// here, in Go, so a frozen or closed window cannot keep the vault open.
type AutoLock struct {
	mu      sync.Mutex
	timeout time.Duration
	timer   *time.Timer
	action  func()
}

// NewAutoLock returns a stopped AutoLock that will call action.
func NewAutoLock(action func()) *AutoLock {
	return &AutoLock{action: action}
}

// Start (re)arms the timer with timeout; zero or less stops it.
func (a *AutoLock) Start(timeout time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.timeout = timeout
	a.rearm()
}

// Touch records activity and restarts the countdown if it is running.
func (a *AutoLock) Touch() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.timer != nil {
		a.rearm()
	}
}

// Stop disarms the timer.
func (a *AutoLock) Stop() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.timeout = 0
	a.rearm()
}

func (a *AutoLock) rearm() {
	if a.timer != nil {
		a.timer.Stop()
		a.timer = nil
	}
	if a.timeout <= 0 {
		return
	}
	var t *time.Timer
	t = time.AfterFunc(a.timeout, func() {
		a.mu.Lock()
		fire := a.timer == t
		if fire {
			a.timer = nil
		}
		a.mu.Unlock()
		if fire {
			a.action()
		}
	})
	a.timer = t
}
