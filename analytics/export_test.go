package analytics

// CheckEvery is checkEvery, for tests.
const CheckEvery = checkEvery

// Observe sets the function that hears, at each look at a context, the
// units of work done since the last one; nil removes it. It must not be
// called while an algorithm runs.
func Observe(f func(units int)) { observe = f }
