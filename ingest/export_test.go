package ingest

// SetKeepBudget sets the bound of the records the first pass keeps for
// the writes, for a test, and returns what restores it.
func SetKeepBudget(n int64) (restore func()) {
	old := keepBudget
	keepBudget = n
	return func() { keepBudget = old }
}
