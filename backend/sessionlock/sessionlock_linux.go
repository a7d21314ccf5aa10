//go:build linux

package sessionlock

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/godbus/dbus/v5"
)

const (
	logindName    = "org.freedesktop.login1"
	logindPath    = dbus.ObjectPath("/org/freedesktop/login1")
	logindManager = "org.freedesktop.login1.Manager"
	logindSession = "org.freedesktop.login1.Session"
)

// screensavers: the interfaces that announce a locked screen, each owned
// by a well-known name (KDE, Xfce, Cinnamon… and GNOME's own).
var screensavers = []string{"org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"}

// Watch listens on the machine's system bus and the user's session bus
// and calls lock for each request until ctx ends. A bus that cannot be
// reached costs only that trigger and a log line: the idle auto-lock stays.
func Watch(ctx context.Context, lock func(Reason)) {
	system, err := dbus.ConnectSystemBus(dbus.WithContext(ctx))
	if err != nil {
		slog.Warn("sessionlock: no system bus: no lock on suspend", "err", err)
		system = nil
	}
	var session *dbus.Conn
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		// Without the variable godbus would start a dbus-launch of its own.
		session, err = dbus.ConnectSessionBus(dbus.WithContext(ctx))
	} else {
		err = fmt.Errorf("DBUS_SESSION_BUS_ADDRESS is not set")
	}
	if err != nil {
		slog.Warn("sessionlock: no session bus: no lock on screen lock", "err", err)
		session = nil
	}
	if system == nil && session == nil {
		return
	}
	WatchBuses(ctx, system, session, lock)
}

// WatchBuses listens on the given connections (either may be nil) until
// ctx ends, then closes them. Suspend and logind's own screen lock (the
// Lock signal of our login session: loginctl lock-session, swayidle and
// the desktops that lock through logind) are asked for on system, the
// screensavers' locks on session. Before sleeping the lock runs under a
// logind "delay" inhibitor, so the vault is locked before the machine
// sleeps rather than at wake-up (logind waits for it up to
// InhibitDelayMaxSec, 5 s by default: the lock must be quick).
func WatchBuses(ctx context.Context, system, session *dbus.Conn, lock func(Reason)) {
	// One channel per connection: closing a connection closes its channels.
	sysSignals, sessSignals := make(chan *dbus.Signal, 16), make(chan *dbus.Signal, 16)
	var inhibitor *os.File
	var ourSession dbus.ObjectPath
	if system != nil {
		defer system.Close()
		err := system.AddMatchSignalContext(ctx, dbus.WithMatchSender(logindName), dbus.WithMatchObjectPath(logindPath),
			dbus.WithMatchInterface(logindManager), dbus.WithMatchMember("PrepareForSleep"))
		if err != nil {
			slog.Warn("sessionlock: cannot listen for suspend", "err", err)
		} else {
			inhibitor = inhibitSleep(system)
		}
		if path, err := ownSession(system); err != nil {
			slog.Warn("sessionlock: no login session found: no lock on logind's screen lock", "err", err)
		} else if err := system.AddMatchSignalContext(ctx, dbus.WithMatchSender(logindName), dbus.WithMatchObjectPath(path),
			dbus.WithMatchInterface(logindSession), dbus.WithMatchMember("Lock")); err != nil {
			slog.Warn("sessionlock: cannot listen for logind's screen lock", "err", err)
		} else {
			ourSession = path
		}
		// Once: each registration would deliver every signal again.
		system.Signal(sysSignals)
	}
	if session != nil {
		defer session.Close()
		for _, name := range screensavers {
			// Matched on the owner of the well-known name: any other
			// program may emit a signal under that interface.
			err := session.AddMatchSignalContext(ctx, dbus.WithMatchSender(name),
				dbus.WithMatchInterface(name), dbus.WithMatchMember("ActiveChanged"))
			if err != nil {
				slog.Warn("sessionlock: cannot listen for screen locks", "screensaver", name, "err", err)
			}
		}
		session.Signal(sessSignals)
	}
	defer func() {
		if inhibitor != nil {
			inhibitor.Close()
		}
	}()
	if system == nil {
		sysSignals = nil
	}
	if session == nil {
		sessSignals = nil
	}
	for sysSignals != nil || sessSignals != nil {
		var sig *dbus.Signal
		var ok bool
		select {
		case <-ctx.Done():
			return
		case sig, ok = <-sysSignals:
			if !ok { // that bus went away: the other one still counts
				sysSignals = nil
				continue
			}
		case sig, ok = <-sessSignals:
			if !ok {
				sessSignals = nil
				continue
			}
		}
		r, sleeping := reasonFor(sig, ourSession)
		if r != "" {
			lock(r)
		}
		// Sleep done or about to: the inhibitor goes once the vault is
		// locked, and comes back at wake-up for the next time.
		if r == Suspend && inhibitor != nil {
			inhibitor.Close()
			inhibitor = nil
		}
		if sleeping == woke && inhibitor == nil {
			inhibitor = inhibitSleep(system)
		}
	}
}

type sleepState int

const (
	noSleepNews sleepState = iota
	woke
)

// reasonFor reads a signal the match rules let through; session is the
// object path of our login session ("" when unknown).
func reasonFor(sig *dbus.Signal, session dbus.ObjectPath) (Reason, sleepState) {
	if sig.Name == logindSession+".Lock" {
		// The rule names the path already; checked again because a signal
		// sent to us directly skips the rules.
		if session != "" && sig.Path == session {
			return ScreenLock, noSleepNews
		}
		return "", noSleepNews
	}
	if len(sig.Body) != 1 {
		return "", noSleepNews
	}
	on, ok := sig.Body[0].(bool)
	if !ok {
		return "", noSleepNews
	}
	switch sig.Name {
	case logindManager + ".PrepareForSleep":
		if on {
			return Suspend, noSleepNews
		}
		return "", woke
	case screensavers[0] + ".ActiveChanged", screensavers[1] + ".ActiveChanged":
		if on {
			return ScreenLock, noSleepNews
		}
	}
	return "", noSleepNews
}

// ownSession finds the object path of the login session Carnet runs in:
// by our process first; a program started by the desktop may run outside
// any session (a systemd user scope), then by XDG_SESSION_ID, then
// logind's "auto" (the caller's session, else the user's graphical one).
func ownSession(system *dbus.Conn) (dbus.ObjectPath, error) {
	logind := system.Object(logindName, logindPath)
	var path dbus.ObjectPath
	err := logind.Call(logindManager+".GetSessionByPID", 0, uint32(os.Getpid())).Store(&path)
	if err == nil {
		return path, nil
	}
	id := os.Getenv("XDG_SESSION_ID")
	if id == "" {
		id = "auto"
	}
	if err2 := logind.Call(logindManager+".GetSession", 0, id).Store(&path); err2 != nil {
		return "", fmt.Errorf("sessionlock: our login session: by process: %w; as %q: %w", err, id, err2)
	}
	return path, nil
}

// inhibitSleep takes a logind delay lock on sleep; nil when logind is not
// there or refuses (the lock then happens as the machine wakes up).
func inhibitSleep(system *dbus.Conn) *os.File {
	var fd dbus.UnixFD
	err := system.Object(logindName, logindPath).Call(logindManager+".Inhibit", 0,
		"sleep", "Carnet", "Locking the vault before sleep", "delay").Store(&fd)
	if err != nil {
		slog.Info("sessionlock: no sleep delay from logind: the vault locks as the computer wakes up", "err", err)
		return nil
	}
	return os.NewFile(uintptr(fd), "logind-inhibitor")
}
