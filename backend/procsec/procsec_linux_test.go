//go:build linux

package procsec

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// The check runs in a child process, so that the test binary itself stays
// dumpable for whoever debugs it.
func TestCoreDumpsAreDisabled(t *testing.T) {
	if d, err := dumpable(); err != nil || d == 0 {
		t.Fatalf("control: the test process is not dumpable to begin with (%d, %v)", d, err)
	}
	if os.Getenv("PROCSEC_CHILD") == "1" {
		if err := DisableCoreDumps(); err != nil {
			t.Fatal(err)
		}
		var lim syscall.Rlimit
		if err := syscall.Getrlimit(syscall.RLIMIT_CORE, &lim); err != nil || lim.Cur != 0 || lim.Max != 0 {
			t.Fatalf("RLIMIT_CORE %+v, %v", lim, err)
		}
		if d, err := dumpable(); err != nil || d != 0 {
			t.Fatalf("PR_GET_DUMPABLE = %d, %v", d, err)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCoreDumpsAreDisabled$", "-test.v")
	cmd.Env = append(os.Environ(), "PROCSEC_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}
