//go:build smoke

// Package smoke starts the production desktop binary in a real X server
// (Xvfb), finds its window, drives the first-run screen with real key
// presses and checks the vault appears on disk. Run by make test after
// wails build: go test -tags smoke ./app/smoke.
package smoke

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func binary(t *testing.T) string {
	if b := os.Getenv("CARNET_BINARY"); b != "" {
		return b
	}
	b, _ := filepath.Abs("../../build/bin/carnet")
	if _, err := os.Stat(b); err != nil {
		t.Fatalf("no desktop binary at %s: run wails build first (make build)", b)
	}
	return b
}

// startXvfb starts a private X server and returns its DISPLAY.
func startXvfb(t *testing.T) string {
	r, w, _ := os.Pipe()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatalf("Xvfb: %v", err)
	}
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("Xvfb did not report its display: %v", err)
	}
	return ":" + strings.TrimSpace(line)
}

func run(t *testing.T, display string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// colours counts the distinct colours in a screenshot: a blank or
// single-colour window has very few.
func colours(t *testing.T, png string) int {
	out, err := exec.Command("convert", png, "-format", "%k", "info:").Output()
	if err != nil {
		t.Fatalf("convert: %v", err)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return n
}

func screenshot(t *testing.T, display, name string) string {
	dir := os.Getenv("CARNET_SHOTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "build", "screenshots")
	}
	os.MkdirAll(dir, 0o755)
	p, _ := filepath.Abs(filepath.Join(dir, name))
	run(t, display, "import", "-window", "root", p)
	return p
}

func TestDesktopWindowAppearsAndCreatesAVault(t *testing.T) {
	display := startXvfb(t)
	dataDir := t.TempDir()
	app := exec.Command(binary(t))
	app.Env = append(os.Environ(), "DISPLAY="+display, "CARNET_DATA_DIR="+dataDir, "LANG=C.UTF-8")
	logf, _ := os.Create(filepath.Join(t.TempDir(), "carnet.log"))
	app.Stdout, app.Stderr = logf, logf
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Process.Kill(); app.Wait() })

	// The window, found by its title.
	ids := strings.Fields(run(t, display, "xdotool", "search", "--sync", "--onlyvisible", "--name", "^Carnet$"))
	if len(ids) == 0 {
		t.Fatal("no window titled Carnet")
	}
	win := ids[len(ids)-1]

	// It paints something more than a background.
	var shot string
	deadline := time.Now().Add(30 * time.Second)
	for {
		shot = screenshot(t, display, "desktop-01-first-run.png")
		if n := colours(t, shot); n > 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the window stayed blank (%s)", shot)
		}
		time.Sleep(300 * time.Millisecond)
	}
	t.Logf("screenshot: %s", shot)

	// Real key presses through the real window: the passphrase field has
	// focus, Tab twice reaches the repeat field (past Show), Enter submits.
	run(t, display, "xdotool", "windowfocus", "--sync", win)
	pass := "desktop smoke passphrase"
	run(t, display, "xdotool", "type", "--delay", "15", pass)
	run(t, display, "xdotool", "key", "Tab", "Tab")
	run(t, display, "xdotool", "type", "--delay", "15", pass)
	run(t, display, "xdotool", "key", "Return")
	keys := filepath.Join(dataDir, "carnet.keys")
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if _, err := os.Stat(keys); err == nil {
			break
		}
		if time.Now().After(deadline) {
			shot := screenshot(t, display, "desktop-failed.png")
			t.Fatalf("typing a passphrase in the window did not create the vault; see %s", shot)
		}
	}
	time.Sleep(time.Second) // let the recovery code screen paint
	t.Logf("screenshot: %s", screenshot(t, display, "desktop-02-recovery-code.png"))
	if _, err := os.Stat(filepath.Join(dataDir, "carnet.db")); err != nil {
		t.Fatalf("vault database missing after creation from the window: %v", err)
	}
	fmt.Fprintln(os.Stderr, "desktop smoke: window found, painted, vault created from real key presses")
}
