//go:build unix && !linux

package procsec

import (
	"fmt"
	"syscall"
)

// DisableCoreDumps sets RLIMIT_CORE to 0. macOS and the BSDs have no
// PR_SET_DUMPABLE; their ptrace rules (hardened runtime, SIP) are the
// system's.
func DisableCoreDumps() error {
	if err := syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{Cur: 0, Max: 0}); err != nil {
		return fmt.Errorf("procsec: RLIMIT_CORE: %w", err)
	}
	return nil
}
