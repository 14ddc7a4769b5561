package live_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/wasm/engine/live"
	"github.com/nasplayground/nas/wasm/protocol"
)

func run(t *testing.T, seed uint64, repeats, samples int) (*live.Compare, []protocol.Curve) {
	t.Helper()
	tab, err := nb201.Load()
	require.NoError(t, err)
	c, err := live.NewCompare(nb201.Evaluator{Table: tab, Dataset: "cifar10"}, seed, 0, repeats, samples)
	require.NoError(t, err)
	steps := 0
	for !c.Done() {
		ev, err := c.Step()
		require.NoError(t, err)
		steps++
		require.Equal(t, steps, ev.Step)
		require.Equal(t, live.Method, ev.Method)
	}
	assert.Equal(t, repeats*samples*len(nb201.Methods), steps, "one sample per Step")
	_, err = c.Step()
	assert.ErrorContains(t, err, "finished")
	return c, c.Curves(samples)
}

// The finished live comparison is core's nb201.Compare, sample for sample.
func TestCompareMatchesCore(t *testing.T) {
	tests := []struct {
		name             string
		seed             uint64
		repeats, samples int
	}{{"1 run of 50", 7, 1, 50}, {"3 runs of 100", 1, 3, 100}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, got := run(t, tc.seed, tc.repeats, tc.samples)
			want, err := nb201.Compare(nb201.CompareConfig{Samples: tc.samples, Repeats: tc.repeats, Dataset: "cifar10", Seed: tc.seed})
			require.NoError(t, err)
			require.Len(t, got, len(want))
			for i, w := range want {
				g := got[i]
				assert.Equal(t, w.Method, g.Method)
				assert.Equal(t, tc.repeats, g.Trials, g.Method)
				assert.Equal(t, tc.samples, g.X[len(g.X)-1], g.Method)
				assert.InDeltaSlice(t, w.CurveMean, g.Y, 1e-9, g.Method)
				assert.InDelta(t, w.BestMean, g.Final, 1e-9, g.Method)
				assert.InDelta(t, w.BestStd, g.Std, 1e-9, g.Method)
				assert.True(t, slices.IsSorted(g.Y), "mean best-so-far never decreases: %s", g.Method)
				assert.Greater(t, g.Final, 85.0, "%d samples find a cell above 85%% on CIFAR-10: %s", tc.samples, g.Method)
			}
		})
	}
}

func TestCompareDeterministicAndLive(t *testing.T) {
	_, a := run(t, 3, 2, 60)
	_, b := run(t, 3, 2, 60)
	assert.Equal(t, a, b, "same seed, same curves")

	tab, err := nb201.Load()
	require.NoError(t, err)
	c, err := live.NewCompare(nb201.Evaluator{Table: tab, Dataset: "cifar10"}, 3, 0, 2, 60)
	require.NoError(t, err)
	for range 60*3 + 30 { // repeat 0 done, repeat 1 at sample 10 of each method
		_, err := c.Step()
		require.NoError(t, err)
	}
	for _, cv := range c.Curves(60) {
		assert.Equal(t, 1, cv.Trials, cv.Method)
		assert.Len(t, cv.Y, 60, "the finished repeat spans the whole budget: %s", cv.Method)
	}
	_, err = live.NewCompare(nb201.Evaluator{Table: tab}, 1, 0, 0, 10)
	assert.ErrorContains(t, err, "repeats 0")
}
