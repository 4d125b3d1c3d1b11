//go:build !unix

package neo4jtest

import (
	"os"
	"path/filepath"
	"sync"
	"time"
)

func lockPath() string { return filepath.Join(os.TempDir(), "innograph-neo4j-test.lock") }

// processLock stands in for flock where it is missing: it serialises the
// tests of one process only.
var processLock sync.Mutex

func lockFile(string, time.Duration) (func(), error) {
	processLock.Lock()
	return processLock.Unlock, nil
}
