package analytics

import "context"

// Cancellation. Every loop of this package whose length grows with the
// graph counts its work on a meter and looks at its context every
// checkEvery units, so that an algorithm or a traversal stops soon after
// its request ends (the request's timeout, or its client leaving) and
// returns the context's error. A unit is one relationship end (adjacency
// entry) or one node or relationship looked at; checkEvery units take a
// fraction of a millisecond on one core.

// checkEvery is the most units of work a meter lets pass between two
// looks at its context.
const checkEvery = 1 << 14

// meter counts the work of one goroutine and looks at its context every
// checkEvery units. It is not safe for concurrent use: each goroutine has
// its own.
type meter struct {
	ctx  context.Context
	left int // units until the next look
}

// newMeter returns a meter over ctx.
func newMeter(ctx context.Context) *meter { return &meter{ctx: ctx, left: checkEvery} }

// add counts n units of work; every checkEvery units it returns the
// context's error, if any.
func (m *meter) add(n int) error {
	if m.left -= n; m.left > 0 {
		return nil
	}
	if observe != nil {
		observe(checkEvery - m.left)
	}
	m.left = checkEvery
	return m.ctx.Err()
}

// observe, when set, hears at each look at a context how many units of
// work were done since the last one (tests count the work done after a
// cancellation with it). It is set only while no algorithm runs.
var observe func(units int)
