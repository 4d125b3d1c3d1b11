package embedded

import "testing"

// CloseDB closes the database file under s, leaving s itself open, so that
// tests can make its next write fail.
func CloseDB(t testing.TB, s *Store) {
	t.Helper()
	if err := s.db.Close(); err != nil {
		t.Fatalf("closing the database: %v", err)
	}
}
