package embedded

import (
	"cmp"
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortCtx checks that sortCtx sorts like slices.Sort at sizes around
// its run length, and that it stops with the context's error.
func TestSortCtx(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, checkEvery - 1, checkEvery, checkEvery + 1, 3*checkEvery + 7, 8 * checkEvery} {
		x := make([]int, n)
		for i := range x {
			x[i] = r.IntN(n/2 + 1) // with repeats
		}
		want := slices.Clone(x)
		slices.Sort(want)
		if err := sortCtx(t.Context(), x, cmp.Compare[int]); err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if !slices.Equal(x, want) {
			t.Errorf("n=%d: sortCtx and slices.Sort differ", n)
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := sortCtx(ctx, make([]int, 2*checkEvery), cmp.Compare[int]); !errors.Is(err, context.Canceled) {
		t.Errorf("sorting under a cancelled context: %v, want context.Canceled", err)
	}
}
