package neo4jtest

import (
	"path/filepath"
	"testing"
	"time"
)

func TestLockExcludes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lock")
	release, err := lockFile(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if r2, err := lockFile(path, 200*time.Millisecond); err == nil {
		r2()
		t.Fatal("a second lock was granted while the first was held")
	}
	release()
	r3, err := lockFile(path, time.Second)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	r3()
}

func TestLockIsSharedWithSubtests(t *testing.T) {
	old := LockFile
	LockFile = filepath.Join(t.TempDir(), "lock")
	defer func() { LockFile = old }()
	t.Run("holder", func(t *testing.T) {
		Lock(t)
		t.Run("sub", func(t *testing.T) {
			done := make(chan struct{})
			go func() { Lock(t); close(done) }()
			select {
			case <-done:
			case <-time.After(2 * time.Second):
				t.Fatal("a subtest of the holder waited for the lock")
			}
		})
	})
	// Released when the holder ended.
	release, err := lockFile(LockFile, time.Second)
	if err != nil {
		t.Fatalf("lock after the holder ended: %v", err)
	}
	release()
}
