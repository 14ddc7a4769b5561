package bench201_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/wasm/bench201"
)

func TestTable(t *testing.T) {
	tab, err := bench201.Load()
	require.NoError(t, err)
	// Reference values from the NATS-Bench TSS CSV (/work/shared/data/nas-bench-201,
	// CIFAR10TestAccuracy200Epochs): the all-none cell is a constant classifier, 10%.
	allNone := []int{0, 0, 0, 0, 0, 0}
	assert.InDelta(t, 10.0, tab.Accuracy(allNone), 0.01)
	assert.Equal(t, "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", bench201.Arch(allNone))
	best := slices.Max(tab.CIFAR10)
	assert.InDelta(t, 94.37, best, 0.05, "best CIFAR-10 test accuracy in NAS-Bench-201 (Dong & Yang 2020, Table 5 optimum)")
	assert.Equal(t, 15624, bench201.Index([]int{4, 4, 4, 4, 4, 4}))
	assert.Equal(t, "0→1", bench201.EdgeLabel(0))
	assert.Equal(t, "2→3", bench201.EdgeLabel(5))
}

func TestSearchers(t *testing.T) {
	tab, err := bench201.Load()
	require.NoError(t, err)
	for _, m := range []string{"random", "reinforce", "evolution"} {
		t.Run(m, func(t *testing.T) {
			s, err := bench201.New(bench201.Config{Method: m, Seed: 1, Samples: 500}, tab)
			require.NoError(t, err)
			prev := 0.0
			for !s.Done() {
				ev, err := s.Step()
				require.NoError(t, err)
				require.GreaterOrEqual(t, ev.Best, prev, "best is monotone")
				require.Len(t, ev.Choices, bench201.Edges)
				assert.InDelta(t, tab.Accuracy(ev.Choices), ev.Reward, 1e-9)
				prev = ev.Best
			}
			assert.Greater(t, prev, 90.0, "500 samples find a >90%% cell")
			_, err = s.Step()
			assert.ErrorContains(t, err, "budget of 500 samples spent")
		})
	}
	_, err = bench201.New(bench201.Config{Method: "bogo"}, tab)
	assert.ErrorContains(t, err, `method "bogo"`)
}

// REINFORCE must move probability mass toward good ops: after training, the
// controller's most likely cell beats the average cell (87.1%) by 5 points.
func TestReinforceLearns(t *testing.T) {
	tab, err := bench201.Load()
	require.NoError(t, err)
	s, err := bench201.New(bench201.Config{Method: "reinforce", Seed: 3, Samples: 1500}, tab)
	require.NoError(t, err)
	for !s.Done() {
		_, err := s.Step()
		require.NoError(t, err)
	}
	argmax := make([]int, bench201.Edges)
	for e, p := range s.Probs() {
		argmax[e] = slices.Index(p, slices.Max(p))
	}
	mean := 0.0
	for _, a := range tab.CIFAR10 {
		mean += float64(a)
	}
	mean /= float64(len(tab.CIFAR10))
	assert.Greater(t, tab.Accuracy(argmax), mean+5, "argmax cell %s vs table mean %.1f", bench201.Arch(argmax), mean)
}

func TestCompare(t *testing.T) {
	tab, err := bench201.Load()
	require.NoError(t, err)
	c := bench201.NewCompare(tab, 1, 3, 100)
	for !c.Done() {
		_, err := c.Step()
		require.NoError(t, err)
	}
	cv := c.Curves(50)
	require.Len(t, cv, 3)
	for _, k := range cv {
		assert.Equal(t, 3, k.Trials, k.Method)
		assert.Equal(t, 100, k.X[len(k.X)-1])
		assert.InDelta(t, k.Final, k.Y[len(k.Y)-1], 1e-9, k.Method)
		assert.True(t, slices.IsSorted(k.Y), "mean best-so-far is monotone: %s", k.Method)
	}
}
