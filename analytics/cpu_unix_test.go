//go:build unix

package analytics_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) the process has used so far;
// ok is false where it cannot be measured.
func cpuTime() (d time.Duration, ok bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
