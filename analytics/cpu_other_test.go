//go:build !unix

package analytics_test

import "time"

// cpuTime cannot measure the process's CPU time here.
func cpuTime() (time.Duration, bool) { return 0, false }
