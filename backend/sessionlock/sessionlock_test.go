//go:build linux

package sessionlock

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// startBus runs a private dbus-daemon (the real one, session policy) in a
// temporary folder and returns its address.
func startBus(t *testing.T, name string) string {
	t.Helper()
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Fatal("dbus-daemon is needed (.ci/deps installs it):", err)
	}
	cmd := exec.Command(daemon, "--session", "--nofork", "--nopidfile", "--print-address=1",
		"--address=unix:path="+filepath.Join(t.TempDir(), name))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("%s bus: %v", name, err)
	}
	return strings.TrimSpace(line)
}

func connect(t *testing.T, addr string) *dbus.Conn {
	t.Helper()
	c, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// owning connects and takes a well-known name, as logind or a screensaver does.
func owning(t *testing.T, addr, name string) *dbus.Conn {
	t.Helper()
	c := connect(t, addr)
	if r, err := c.RequestName(name, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("taking %s: %v %v", name, r, err)
	}
	return c
}

// fakeLogind answers Inhibit like logind: the client gets one end of a
// pipe and holds the delay as long as it keeps it open. It knows one login
// session, ours: by process (unless outside is set, as for a program the
// desktop started in a user scope) or by its id.
type fakeLogind struct {
	calls   atomic.Int32
	held    chan *os.File // our ends of the pipes handed out
	outside bool
	mu      sync.Mutex
	asked   []string // the ids GetSession was asked for
}

const (
	ourSessionPath   = dbus.ObjectPath("/org/freedesktop/login1/session/_32")
	otherSessionPath = dbus.ObjectPath("/org/freedesktop/login1/session/c7")
)

func (f *fakeLogind) GetSessionByPID(pid uint32) (dbus.ObjectPath, *dbus.Error) {
	if f.outside || pid != uint32(os.Getpid()) {
		return "", dbus.NewError("org.freedesktop.login1.NoSessionForPID", []any{"PID does not belong to any known session"})
	}
	return ourSessionPath, nil
}

func (f *fakeLogind) GetSession(id string) (dbus.ObjectPath, *dbus.Error) {
	f.mu.Lock()
	f.asked = append(f.asked, id)
	f.mu.Unlock()
	if id == "2" || id == "auto" {
		return ourSessionPath, nil
	}
	return "", dbus.NewError("org.freedesktop.login1.NoSuchSession", []any{"No session '" + id + "' known"})
}

func (f *fakeLogind) Inhibit(what, who, why, mode string) (dbus.UnixFD, *dbus.Error) {
	if what != "sleep" || mode != "delay" {
		return 0, dbus.MakeFailedError(errors.New("unexpected inhibit " + what + " " + mode))
	}
	r, w, err := os.Pipe()
	if err != nil {
		return 0, dbus.MakeFailedError(err)
	}
	f.calls.Add(1)
	// The bus copies the descriptor to the client; ours closes once sent
	// (a bare copy: an os.File closed while godbus sends it is a race).
	fd, err := syscall.Dup(int(w.Fd()))
	w.Close()
	if err != nil {
		return 0, dbus.MakeFailedError(err)
	}
	f.held <- r
	go func() { time.Sleep(time.Second); syscall.Close(fd) }()
	return dbus.UnixFD(fd), nil
}

// released reports whether every copy of a handed-out pipe's write end is
// closed, waiting up to d.
func released(r *os.File, d time.Duration) bool {
	r.SetReadDeadline(time.Now().Add(d))
	_, err := r.Read(make([]byte, 1))
	return errors.Is(err, os.ErrClosed) || (err != nil && err.Error() == "EOF")
}

func TestLocksOnSuspendAndScreenLockFromARealBus(t *testing.T) {
	sysAddr, sessAddr := startBus(t, "system"), startBus(t, "session")
	logind := owning(t, sysAddr, logindName)
	fake := &fakeLogind{held: make(chan *os.File, 4)}
	if err := logind.Export(fake, logindPath, logindManager); err != nil {
		t.Fatal(err)
	}

	type call struct {
		reason Reason
		held   bool // the sleep delay was still held during the lock
	}
	calls := make(chan call, 8)
	var firstPipe atomic.Pointer[os.File]
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		WatchBuses(ctx, connect(t, sysAddr), connect(t, sessAddr), func(r Reason) {
			c := call{reason: r}
			if p := firstPipe.Load(); r == Suspend && p != nil {
				c.held = !released(p, 100*time.Millisecond)
			}
			calls <- c
		})
		close(done)
	}()
	next := func(what string) call {
		t.Helper()
		select {
		case c := <-calls:
			return c
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: no lock", what)
			return call{}
		}
	}
	none := func(what string) {
		t.Helper()
		select {
		case c := <-calls:
			t.Fatalf("%s: locked (%s), want nothing", what, c.reason)
		case <-time.After(300 * time.Millisecond):
		}
	}

	// The watcher takes its sleep delay from logind at start.
	select {
	case p := <-fake.held:
		firstPipe.Store(p)
	case <-time.After(5 * time.Second):
		t.Fatal("no sleep inhibitor taken")
	}
	time.Sleep(1200 * time.Millisecond) // fake logind's own end of the pipe is closed by now

	emit := func(c *dbus.Conn, path dbus.ObjectPath, name string, v bool) {
		t.Helper()
		if err := c.Emit(path, name, v); err != nil {
			t.Fatal(err)
		}
	}
	emit(logind, logindPath, logindManager+".PrepareForSleep", true)
	if c := next("PrepareForSleep(true)"); c.reason != Suspend || !c.held {
		t.Fatalf("suspend: %+v, want a lock while the sleep delay is held", c)
	}
	if !released(firstPipe.Load(), 2*time.Second) {
		t.Fatal("the sleep delay is still held after the lock")
	}
	emit(logind, logindPath, logindManager+".PrepareForSleep", false)
	none("PrepareForSleep(false), the wake-up")
	if n := fake.calls.Load(); n != 2 {
		t.Fatalf("inhibitor taken %d times, want again after the wake-up (2)", n)
	}

	// logind's own screen lock: the Lock signal of our session only, from
	// logind only.
	lockSession := func(c *dbus.Conn, path dbus.ObjectPath) {
		t.Helper()
		if err := c.Emit(path, logindSession+".Lock"); err != nil {
			t.Fatal(err)
		}
	}
	lockSession(logind, otherSessionPath)
	none("Lock of another login session")
	lockSession(logind, ourSessionPath)
	if c := next("Lock of our login session"); c.reason != ScreenLock {
		t.Fatalf("logind screen lock: %+v", c)
	}
	if err := logind.Emit(ourSessionPath, logindSession+".Unlock"); err != nil {
		t.Fatal(err)
	}
	none("Unlock of our login session")
	if n := fake.calls.Load(); n != 2 {
		t.Fatalf("inhibitor taken %d times after a screen lock, want 2 still", n)
	}

	gnome := owning(t, sessAddr, "org.gnome.ScreenSaver")
	emit(gnome, "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver.ActiveChanged", true)
	if c := next("GNOME screen lock"); c.reason != ScreenLock {
		t.Fatalf("GNOME screensaver: %+v", c)
	}
	emit(gnome, "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver.ActiveChanged", false)
	none("the screen unlocked")

	// Anyone may emit under the interface; only the name's owner counts.
	stranger := connect(t, sessAddr)
	emit(stranger, "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", true)
	strangerSys := connect(t, sysAddr)
	emit(strangerSys, logindPath, logindManager+".PrepareForSleep", true)
	lockSession(strangerSys, ourSessionPath)
	none("signals from programs that do not own the names")

	fdo := owning(t, sessAddr, "org.freedesktop.ScreenSaver")
	emit(fdo, "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", true)
	if c := next("freedesktop screen lock"); c.reason != ScreenLock {
		t.Fatalf("freedesktop screensaver: %+v", c)
	}

	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the watcher did not stop with its context")
	}
}

// A program the desktop starts may run outside any login session: our
// session is then found by XDG_SESSION_ID, else as logind's "auto".
func TestOurLoginSessionIsFoundOutsideItToo(t *testing.T) {
	sysAddr := startBus(t, "system")
	logind := owning(t, sysAddr, logindName)
	fake := &fakeLogind{outside: true}
	if err := logind.Export(fake, logindPath, logindManager); err != nil {
		t.Fatal(err)
	}
	client := connect(t, sysAddr)
	for _, c := range []struct {
		env, asked string
		ok         bool
	}{
		{"2", "2", true},
		{"", "auto", true},
		{"9", "9", false},
	} {
		t.Setenv("XDG_SESSION_ID", c.env)
		fake.mu.Lock()
		fake.asked = nil
		fake.mu.Unlock()
		path, err := ownSession(client)
		fake.mu.Lock()
		asked := fake.asked
		fake.mu.Unlock()
		if ok := err == nil && path == ourSessionPath; ok != c.ok || len(asked) != 1 || asked[0] != c.asked {
			t.Errorf("XDG_SESSION_ID=%q: %q, %v, asked %v; want found=%v asking %q", c.env, path, err, asked, c.ok, c.asked)
		}
	}
}

// With no bus at all (a headless machine, a container) nothing fails: the
// watcher logs and returns.
func TestNoBusIsNotAnError(t *testing.T) {
	t.Setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "none"))
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	done := make(chan struct{})
	go func() {
		Watch(context.Background(), func(Reason) { t.Error("locked with no bus") })
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Watch did not return without buses")
	}
}
