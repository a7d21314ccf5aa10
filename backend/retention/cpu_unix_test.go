//go:build unix

package retention_test

import (
	"syscall"
	"time"
)

// cpuTime is the process's CPU time so far: a benchmark figure that holds
// on a busy machine, where wall time does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
