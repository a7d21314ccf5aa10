package vault

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestAutoLockFiresOnceAfterIdleAndTouchPostponesIt(t *testing.T) {
	fired := make(chan time.Time, 4)
	a := NewAutoLock(func() { fired <- time.Now() })
	start := time.Now()
	a.Start(150 * time.Millisecond)
	// Keep busy for longer than the timeout: no lock while active.
	for range 6 {
		time.Sleep(50 * time.Millisecond)
		a.Touch()
	}
	select {
	case <-fired:
		t.Fatal("locked while the user was active")
	default:
	}
	at := <-fired
	if at.Sub(start) < 300*time.Millisecond {
		t.Fatalf("locked %v after start, before the idle timeout had passed since the last touch", at.Sub(start))
	}
	// One idle period, one lock; touching a stopped lock does not re-arm it.
	a.Touch()
	time.Sleep(300 * time.Millisecond)
	if len(fired) != 0 {
		t.Fatalf("fired %d more times", len(fired))
	}
}

func TestAutoLockStopCancels(t *testing.T) {
	var n atomic.Int32
	a := NewAutoLock(func() { n.Add(1) })
	a.Start(30 * time.Millisecond)
	a.Stop()
	time.Sleep(100 * time.Millisecond)
	if n.Load() != 0 {
		t.Fatal("fired after Stop")
	}
}
