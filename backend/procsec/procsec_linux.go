//go:build linux

package procsec

import (
	"errors"
	"fmt"
	"syscall"
)

// From linux/prctl.h (the standard syscall package has no names for them;
// golang.org/x/sys/unix does, but is only an indirect dependency).
const (
	prSetDumpable = 4
	prGetDumpable = 3
)

// DisableCoreDumps sets RLIMIT_CORE to 0 (no core file, whatever the
// shell's ulimit) and PR_SET_DUMPABLE to 0. The latter also keeps core
// dumps from a kernel.core_pattern pipe (systemd-coredump) and makes
// /proc/<pid>/mem and ptrace refuse processes of the same user (root
// excepted): a program the user ran by mistake cannot read the unlocked
// vault's keys out of Carnet.
func DisableCoreDumps() error {
	var errs []error
	if err := syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{Cur: 0, Max: 0}); err != nil {
		errs = append(errs, fmt.Errorf("procsec: RLIMIT_CORE: %w", err))
	}
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prSetDumpable, 0, 0); e != 0 {
		errs = append(errs, fmt.Errorf("procsec: PR_SET_DUMPABLE: %w", e))
	}
	return errors.Join(errs...)
}

// dumpable reports the process's PR_GET_DUMPABLE flag.
func dumpable() (int, error) {
	r, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prGetDumpable, 0, 0)
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}
