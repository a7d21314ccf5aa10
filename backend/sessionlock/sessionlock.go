// Package sessionlock tells when the desktop session asks for the vault to
// lock: the computer is about to sleep, or the screen locks (issue 16: an
// idle timer alone leaves the vault open on a suspended laptop or behind a
// locked screen until it runs out).
//
// On Linux it listens on D-Bus (sessionlock_linux.go): logind's
// PrepareForSleep(true) and the Lock signal of our own login session on
// the system bus, ActiveChanged(true) of the freedesktop and GNOME
// screensavers on the session bus. Windows and macOS
// builds of Carnet do not exist yet: there Watch returns at once
// (sessionlock_other.go); their equivalents are WM_POWERBROADCAST /
// WTS_SESSION_LOCK and NSWorkspaceWillSleepNotification /
// com.apple.screenIsLocked.
package sessionlock

// Reason is why the session asks for the lock.
type Reason string

const (
	Suspend    Reason = "suspend"
	ScreenLock Reason = "screen_lock"
)
