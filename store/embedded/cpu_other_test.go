//go:build !unix

package embedded_test

import "time"

// cpuTime cannot measure the process's CPU time here: it is 0.
func cpuTime() time.Duration { return 0 }
