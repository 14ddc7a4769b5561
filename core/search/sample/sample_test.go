package sample_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/search/sample"
)

var dartsOps = []string{"none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"}

func TestMicroSpaceShape(t *testing.T) {
	s := sample.DARTSMicroSpace(dartsOps, 4)
	assert.Equal(t, "darts", s.Name())
	assert.Equal(t, []int{2, 2, 8, 8, 3, 3, 8, 8, 4, 4, 8, 8, 5, 5, 8, 8, 2, 2, 8, 8, 3, 3, 8, 8, 4, 4, 8, 8, 5, 5, 8, 8}, s.Decisions())
	labels := s.DecisionLabels()
	require.Len(t, labels, 32)
	assert.Equal(t, "normal node 2 input A", labels[0])
	assert.Equal(t, "reduce node 5 op B", labels[31])
	assert.Equal(t, []string{"c_{k-2}", "c_{k-1}", "node 2", "node 3"}, s.ChoiceLabels(8))
	assert.Equal(t, dartsOps, s.ChoiceLabels(3))
	assert.Error(t, s.Valid(make([]int, 31)))
	bad := make([]int, 32)
	bad[4] = 3 // node 3 may only take inputs 0..2
	assert.Error(t, s.Valid(bad))
}

// TestMicroDescribe encodes the published DARTS_V2 cell (quark0/darts
// cnn/genotypes.py) and checks the genotype text.
func TestMicroDescribe(t *testing.T) {
	s := sample.DARTSMicroSpace(dartsOps, 4)
	const sep3, skip, dil3, maxp = 4, 3, 6, 1
	c := []int{
		0, 1, sep3, sep3, 0, 1, sep3, sep3, 1, 0, sep3, skip, 0, 2, skip, dil3,
		0, 1, maxp, maxp, 2, 1, skip, maxp, 0, 2, maxp, skip, 2, 1, skip, maxp,
	}
	require.NoError(t, s.Valid(c))
	want := "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), " +
		"('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=range(2, 6), " +
		"reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), " +
		"('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=range(2, 6))"
	assert.Equal(t, want, s.Describe(c))
	g, err := s.Genotype(c)
	require.NoError(t, err)
	assert.Equal(t, want, g.String())

	// Ops that are not genotype primitives use the local printer, same format.
	names := []string{"none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dilated_3x3", "dil_conv_5x5"}
	local := sample.DARTSMicroSpace(names, 4)
	_, err = local.Genotype(c)
	assert.Error(t, err)
	assert.Equal(t, strings.ReplaceAll(want, "dil_conv_3x3", "dilated_3x3"), local.Describe(c))
}

func TestUniformAndMutateValid(t *testing.T) {
	spaces := []sample.Space{sample.DARTSMicroSpace(dartsOps, 4), sample.DARTSMicroSpace(dartsOps[:5], 5)}
	rng := rand.New(rand.NewPCG(1, 1))
	for _, s := range spaces {
		seen := map[int]bool{}
		for range 500 {
			c, err := sample.Uniform(s, rng)
			require.NoError(t, err)
			require.NoError(t, s.Valid(c))
			m, err := sample.Mutate(s, c, rng)
			require.NoError(t, err)
			require.NoError(t, s.Valid(m))
			changed := 0
			for d := range c {
				if c[d] != m[d] {
					changed++
					seen[d] = true
				}
			}
			require.Equal(t, 1, changed, "mutation changes exactly one decision")
		}
		assert.Len(t, seen, len(s.Decisions()), "every decision gets mutated sometimes")
	}
}
