package nb201_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/search/sample"
)

func TestSpace(t *testing.T) {
	s := nb201.Space{}
	assert.Equal(t, []int{5, 5, 5, 5, 5, 5}, s.Decisions())
	assert.Equal(t, "edge 0→1 op", s.DecisionLabels()[0])
	assert.Equal(t, "edge 2→3 op", s.DecisionLabels()[5])
	assert.Equal(t, "nor_conv_3x3", s.ChoiceLabels(2)[3])
	assert.Equal(t, "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
		s.Describe([]int{3, 3, 4, 1, 3, 1}))
	assert.Error(t, s.Valid([]int{0, 0, 0, 0, 0, 5}))
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		c, err := sample.Uniform(s, rng)
		require.NoError(t, err)
		m, err := sample.Mutate(s, c, rng)
		require.NoError(t, err)
		require.NoError(t, s.Valid(m))
		diff := 0
		for i := range c {
			if c[i] != m[i] {
				diff++
			}
		}
		require.Equal(t, 1, diff)
	}
}

func TestCompare(t *testing.T) {
	cfg := nb201.CompareConfig{Samples: 150, Repeats: 3, Dataset: "cifar10", Seed: 1, Hidden: 32}
	res, err := nb201.Compare(cfg)
	require.NoError(t, err)
	require.Len(t, res, 3)
	tab, err := nb201.Load()
	require.NoError(t, err)
	_, best := tab.Best("cifar10")
	for _, r := range res {
		require.Len(t, r.CurveMean, 150)
		for i := 1; i < len(r.CurveMean); i++ {
			assert.GreaterOrEqual(t, r.CurveMean[i], r.CurveMean[i-1], "%s curve non-decreasing at %d", r.Method, i)
		}
		assert.Equal(t, r.CurveMean[149], r.BestMean)
		assert.LessOrEqual(t, r.BestMean, best)
		assert.Greater(t, r.BestMean, 92.0, r.Method) // the top 1% of cells is above 93
	}
	again, err := nb201.Compare(cfg)
	require.NoError(t, err)
	for i := range res {
		assert.Equal(t, res[i].CurveMean, again[i].CurveMean, "deterministic")
	}
	txt := nb201.FormatTable(res)
	assert.Contains(t, txt, "| Method | search cost (samples) | best CIFAR-10 test acc (%) |")
	assert.Equal(t, 5, strings.Count(txt, "\n"))

	_, err = nb201.Compare(nb201.CompareConfig{Samples: 10, Repeats: 1, Dataset: "mnist"})
	assert.Error(t, err)
	_, err = nb201.Compare(nb201.CompareConfig{Samples: 10, Repeats: 1, Dataset: "cifar10", Methods: []string{"bohb"}})
	assert.Error(t, err)
}

// TestEvolutionBeatsRandom checks the ordering of NAS-Bench-201 Table 5
// (REA above random search) on the table at 500 samples, 20 runs.
func TestEvolutionBeatsRandom(t *testing.T) {
	res, err := nb201.Compare(nb201.CompareConfig{Methods: []string{"random", "evolution"}, Samples: 500, Repeats: 20, Dataset: "cifar10", Seed: 1})
	require.NoError(t, err)
	assert.Greater(t, res[1].BestMean, res[0].BestMean)
	// Random search: 500 of 15,625 cells, mean best well above the median cell.
	assert.Greater(t, res[0].BestMean, 93.5)
}
