package mailtest

import (
	"sync"
	"syscall"
)

var subreaper sync.Once

// setSubreaper makes processes orphaned under us (the children of a killed
// Dovecot master) our children, so that kill can reap them.
func setSubreaper() {
	subreaper.Do(func() {
		const prSetChildSubreaper = 36
		syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0)
	})
}
